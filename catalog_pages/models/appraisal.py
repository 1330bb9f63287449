"""The appraisal step of an agency's catalog: approved by the lead body of the agency's bloc.

Wagtail's ``GroupApprovalTask`` lets the members of fixed groups approve every page; a catalog
of the Party bloc must be appraised by Ban Tổ chức Tỉnh ủy, one of the Front bloc by the Front's
standing committee, and the state bloc's by Sở Nội vụ (Nghệ An §V.1–V.4). This task asks the
one answer to "who appraises this agency" (``org.blocs.appraises``) for each catalog.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import Task, TaskState

from catalog_pages.models.pages import AgencyCatalogPage
from org import access, blocs


def decision_number_problem(page, ref: str) -> str | None:
    """Why ``ref`` cannot be the decision number that approves the next version of ``page``
    (None when it can): the approval decision is the legal basis of a catalog version (Đắk Lắk
    §III.2.3, Gia Lai §IV.2.2, Lào Cai §II.2.3), so a version needs its own number — never
    none, never the number of the version in force (review 2026-11-25, coverage M7). Asked by
    every door that approves: the page form and the workflow task's action (the home page's
    quick "Phê duyệt")."""
    ref = (ref or "").strip()
    if not ref:
        return gettext("Nhập số quyết định phê duyệt của bản này trước khi phê duyệt, xuất bản.")
    current = page.versions.order_by("-number").first() if page.pk else None
    if current is not None and ref == current.approval_ref:
        return gettext(
            "Số quyết định %(ref)s là của phiên bản %(number)d đang áp dụng; nhập số "
            "quyết định phê duyệt bản này."
        ) % {"ref": ref, "number": current.number}
    return None


def _agency(obj):
    return getattr(getattr(obj, "specific", obj), "agency", None)


def _appraises(obj, user) -> bool:
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
        if not access.is_home_affairs(user) and not blocs.appraised_roots(user):
            return TaskState.objects.none()  # the admin home asks for every user
        pages = AgencyCatalogPage.objects.filter(agency__in=blocs.appraised_agencies(user))
        ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=ids
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        """Every door that approves — the editor's "Phê duyệt và xuất bản", the home page's
        quick "Phê duyệt" and "Phê duyệt kèm ý kiến" — approves only a draft that carries its
        own decision number (:func:`decision_number_problem`). Without one nothing is
        approved: the approver is taken to the editor, which says what to enter (review
        2026-11-25, coverage M7: the quick approve froze v2 under v1's number). After an
        approval the approver lands on the new version (ux H4, L4), a page every appraiser
        of the catalog may open."""
        from django.urls import reverse

        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        page = task_state.workflow_state.content_object.specific
        draft = page.get_latest_revision_as_object()
        if decision_number_problem(page, draft.approval_ref) is not None:
            return reverse("wagtailadmin_pages:edit", args=[page.pk]) + "?can-so-quyet-dinh=1"
        super().on_action(task_state, user, action_name, **kwargs)
        version = page.versions.order_by("-number").first()
        if version is None or (version.approval_ref or "").strip() != draft.approval_ref.strip():
            return None  # a further task of the workflow still has to approve
        return reverse("catalog_version_detail", args=[version.pk]) + "?da-phe-duyet=1"

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
