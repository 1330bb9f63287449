"""Sở Nội vụ's one listing of every kind of background job (issue 46): the latest jobs of each
kind registered with the job kit (``cms.jobs.KINDS``: scoring runs, Excel imports, sign-in
batches, export files…), with what each is about, its status in the kind's own words, how often
it was tried, when it is tried again and why the last try failed; filtered by kind and status.

Shown to whoever sees the stuck-work page (``dashboards.stuck_views``); the rows of a kind are
those the row-scope registry lets the person read (``org.access.visible`` and the model's view
permission), and a kind the registry does not declare is Sở Nội vụ's only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms import jobs
from cms.admin_views import TitledAdminMixin
from dashboards.stuck_views import can_see_stuck_work
from org import access

if TYPE_CHECKING:
    from cms.models import BackgroundJob

#: How many jobs the listing shows (the latest first).
LIMIT = 100

#: The status filter's shared choices (valid for every kind).
LIVE, FAILED = "dang-chay", "loi"


@dataclass
class JobRow:
    kind: jobs.JobKind
    job: BackgroundJob
    what: str
    url: str | None
    #: "Thử lại ngay": the job failed, its kind can be retried and the person may ask.
    retry_url: str | None = None

    @property
    def status_label(self) -> str:
        return self.job.get_status_display()

    @property
    def failed(self) -> bool:
        return self.job.status in self.job.FAILED_STATUSES


def kind_rows(user, kind: jobs.JobKind) -> QuerySet:
    """The jobs of ``kind`` that ``user`` may read."""
    model = kind.model
    if access.is_declared(model):
        if not access.has_model_permission(user, model, "view"):
            return model._default_manager.none()
        return access.visible(user, model)
    if access.is_home_affairs(user):
        return model._default_manager.all()
    return model._default_manager.none()


def status_choices(kind: jobs.JobKind | None) -> list[tuple[str, str]]:
    """The status filter: waiting or running, failed, then the chosen kind's own statuses."""
    shared = [(LIVE, _("Đang chờ hoặc đang chạy")), (FAILED, _("Không thành công"))]
    if kind is None:
        return shared
    own = kind.model._meta.get_field("status").choices or ()  # every job model's status has some
    return shared + [(str(value), str(label)) for value, label in own]


def latest_jobs(user, kinds, status: str = "") -> list[JobRow]:
    """The latest :data:`LIMIT` jobs of ``kinds`` the user may read, newest first."""
    found: list[tuple[datetime.datetime, int, JobRow]] = []
    for kind in kinds:
        rows = kind_rows(user, kind)
        model = kind.model
        if status == LIVE:
            rows = rows.filter(status__in=model.LIVE_STATUSES)
        elif status == FAILED:
            rows = rows.filter(status__in=model.FAILED_STATUSES)
        elif status:
            rows = rows.filter(status=status)
        rows = rows.select_related(*kind.related).order_by("-created_at", "-pk")[:LIMIT]
        retries = kind.retry is not None and kind.may_retry(user)
        for job in rows:
            row = JobRow(kind, job, kind.describe(job), kind.url(job, user))
            if retries and job.status in model.FAILED_STATUSES:
                row.retry_url = reverse("dashboards_background_job_retry", args=[kind.key, job.pk])
            found.append((job.created_at, job.pk, row))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [row for _at, _pk, row in found[:LIMIT]]


class BackgroundJobsView(TitledAdminMixin, TemplateView):
    template_name = "dashboards/admin/background_jobs.html"
    page_title = gettext_lazy("Việc chạy nền")
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_stuck_work(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        chosen = jobs.KINDS.get(self.request.GET.get("loai", ""))
        choices = status_choices(chosen)
        status = self.request.GET.get("trang_thai", "")
        if status not in {value for value, _label in choices}:
            status = ""
        kinds = [chosen] if chosen is not None else list(jobs.KINDS.values())
        return super().get_context_data(
            rows=latest_jobs(self.request.user, kinds, status),
            kinds=[(key, str(kind.label)) for key, kind in jobs.KINDS.items()],
            chosen=chosen.key if chosen is not None else "",
            statuses=choices,
            status=status,
            limit=LIMIT,
            **kwargs,
        )


class BackgroundJobRetryView(View):
    """ "Thử lại ngay" on a failed job of a kind that can be retried (``cms.jobs.JobKind.retry``):
    the job back in the queue at once, rather than at the daily check. Only whoever may see the
    listing, may retry the kind, and reads the row (the row-scope registry); a job no longer
    failed is left as it is, and the page says so."""

    def post(self, request, kind, pk):
        found = jobs.KINDS.get(kind)
        if found is None or found.retry is None:
            raise Http404
        user = request.user
        if not can_see_stuck_work(user) or not found.may_retry(user):
            raise PermissionDenied
        job = kind_rows(user, found).filter(pk=pk).first()
        if job is None:
            raise PermissionDenied
        what = found.describe(job)
        if job.status in found.model.FAILED_STATUSES and found.retry(user, job):
            messages.success(
                request,
                _(
                    "Đã đưa “%(what)s” trở lại hàng chờ; trạng thái ở bảng dưới cập nhật khi "
                    "việc chạy xong."
                )
                % {"what": what},
            )
        else:  # not failed, or no longer by the time it was locked
            job.refresh_from_db(fields=["status"])
            messages.info(
                request,
                _("“%(what)s” không còn ở trạng thái lỗi (%(status)s): không cần thử lại.")
                % {"what": what, "status": job.get_status_display()},
            )
        # Back to the listing as it was filtered (the listing checks the status it is given).
        query = urlencode({"loai": found.key, "trang_thai": request.POST.get("trang_thai", "")})
        return HttpResponseRedirect(f"{reverse('dashboards_background_jobs')}?{query}")
