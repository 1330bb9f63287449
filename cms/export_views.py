"""The page of a background export (``cms.exports``): its progress, refreshed by the page
itself (no JavaScript needed), the file once it is ready, and "Thử lại" when the build failed.
Opened only by the person who asked, while they reach the same rows (``exports.may_open``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cms import exports
from cms.admin_views import TitledAdminMixin
from cms.models import ExportJob, JobStatus

#: Seconds between two refreshes of a page whose file is being built.
REFRESH_SECONDS = 3


def _get_job(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=pk)
    if not exports.may_open(request.user, job):
        raise PermissionDenied
    return job


class ExportJobView(TitledAdminMixin, TemplateView):
    template_name = "cms/export_job.html"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.job = _get_job(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Tạo tệp chạy nền")

    def get_page_subtitle(self):
        return self.job.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            job=job,
            live=job.is_live,
            done=job.status == JobStatus.DONE,
            failed=job.status == JobStatus.FAILED,
            error=exports.error_message(job) if job.status == JobStatus.FAILED else "",
            refresh=REFRESH_SECONDS,
            keep_days=exports.purge_days(),
            attachment=exports.KINDS[job.kind].attachment,
        )
        return context


class ExportJobFileView(View):
    def get(self, request, pk):
        job = _get_job(request, pk)
        if job.status != JobStatus.DONE or not job.file:
            raise Http404(_("Tệp chưa sẵn sàng hoặc đã được xoá."))
        return exports.download(request, job)


class ExportJobRetryView(View):
    def post(self, request, pk):
        job = _get_job(request, pk)
        if exports.retry(job):
            messages.success(request, _("Đã cho tạo lại tệp."))
        return redirect("cms_export_job", job.pk)
