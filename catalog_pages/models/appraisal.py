"""The appraisal step of an agency's catalog: approved by the lead body of the agency's bloc.

Wagtail's ``GroupApprovalTask`` lets the members of fixed groups approve every page; a catalog
of the Party bloc must be appraised by Ban Tổ chức Tỉnh ủy, one of the Front bloc by the Front's
standing committee, and the state bloc's by Sở Nội vụ (Nghệ An §V.1–V.4). This task asks the
one answer to "who appraises this agency" (``org.blocs.appraises``) for each catalog.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.models import Task, TaskState


def _agency(obj):
    return getattr(getattr(obj, "specific", obj), "agency", None)


def _appraises(obj, user) -> bool:
    from org import access, blocs

    agency = _agency(obj)
    if agency is None:
        return access.is_home_affairs(user)
    return blocs.appraises(user, agency)


class BlocAppraisalTask(Task):
    def user_can_access_editor(self, obj, user):
        return _appraises(obj, user)

    def locked_for_user(self, obj, user):
        return not _appraises(obj, user)

    def user_can_lock(self, obj, user):
        return _appraises(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if _appraises(obj, user):
            return [
                ("reject", _("Yêu cầu chỉnh sửa"), True),
                ("approve", _("Phê duyệt"), False),
                ("approve", _("Phê duyệt kèm ý kiến"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from catalog_pages.models.pages import AgencyCatalogPage
        from org import access, blocs

        if not access.is_home_affairs(user) and not blocs.appraised_roots(user):
            return TaskState.objects.none()  # the admin home asks for every user
        pages = AgencyCatalogPage.objects.filter(agency__in=blocs.appraised_agencies(user))
        ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=ids
        )

    @classmethod
    def get_description(cls):
        return _(
            "Cơ quan chủ trì khối của cơ quan có danh mục thẩm định, phê duyệt: Sở Nội vụ "
            "(khối chính quyền), Ban Tổ chức Tỉnh ủy hoặc Ban Thường trực Ủy ban MTTQ tỉnh "
            "(khi tỉnh giao)."
        )

    class Meta:
        verbose_name = _("thẩm định danh mục theo khối")
        verbose_name_plural = _("thẩm định danh mục theo khối")
