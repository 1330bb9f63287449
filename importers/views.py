"""Admin pages of the importer: templates out, uploads in, job page with preview and confirm.

Every view checks access itself (Wagtail only checks admin access for hooked URLs): the job
views through ``importers.access``, the forms through the kind's ``can_import``.
"""

import contextlib
import datetime
import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages

from audit import record_read
from audit.models import ReadFormat, ReadKind
from catalog_pages.access import can_view_catalog
from catalog_pages.models import CatalogVersion
from cms import exports
from cms.admin_views import TitledAdminMixin
from cms.form_errors import error_summary
from cms.private_files import serve_private
from importers import conf, pipeline, tasks
from importers.access import can_act_on_job, can_use_importer, can_view_job, visible_jobs
from importers.builders.base import template_filename
from importers.exports import background
from importers.forms import ExportForm, ProvinceExportForm, TargetForm, UploadForm
from importers.issues import Issue
from importers.kinds.base import Context
from importers.models import CANCELLABLE_STATUSES, ImportJob, ImportStatus
from importers.reading.inspect import vi_megabytes
from importers.recovery import commit_idle
from org.access import can_access_agency, is_home_affairs
from scoring.models import Period, PeriodScore

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISSUES_SHOWN = 500
CHANGES_SHOWN = 500


def _require_importer(request):
    if not can_use_importer(request.user):
        raise PermissionDenied


def _get_job(request, pk) -> ImportJob:
    job = get_object_or_404(
        ImportJob.objects.select_related("agency", "uploaded_by", "committed_by"), pk=pk
    )
    if not can_view_job(request.user, job):
        raise PermissionDenied
    return job


#: An upload this recent is shown above the form (its answer may never have reached the clerk).
RECENT_UPLOAD = datetime.timedelta(minutes=30)


class IndexView(TitledAdminMixin, TemplateView):
    template_name = "importers/index.html"
    page_title = gettext_lazy("Nhập, xuất Excel")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        _require_importer(request)
        return super().dispatch(request, *args, **kwargs)

    def _again(self) -> dict:
        return _again_initial(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jobs = visible_jobs(self.request.user).select_related("agency", "uploaded_by")
        page = Paginator(jobs.order_by("-created_at", "-id"), 50).get_page(
            self.request.GET.get("p")
        )
        user = self.request.user
        # Review L6: an upload whose answer was lost (a 502 after a killed web worker) went
        # through all the same; the page says so before the clerk uploads the file again.
        recent = (
            jobs.filter(uploaded_by=user, created_at__gte=timezone.now() - RECENT_UPLOAD)
            .order_by("-created_at", "-id")
            .first()
        )
        context.update(
            jobs=page,
            recent_upload=recent,
            upload_form=kwargs.get("upload_form") or UploadForm(user=user, initial=self._again()),
            template_form=kwargs.get("template_form") or TargetForm(user=user, prefix="tpl"),
            export_form=kwargs.get("export_form") or ExportForm(user=user, prefix="exp"),
            province_form=(kwargs.get("province_form") or ProvinceExportForm(prefix="prov"))
            if is_home_affairs(user)
            else None,
        )
        return context


def _again_initial(request) -> dict:
    """The upload form filled for "Tải lên tệp đã sửa": the kind, agency and period of the
    refused file (``?kind=…&agency=…&ky=2026-11``)."""
    initial = {}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    if request.GET.get("agency", "").isdigit():
        initial["agency"] = int(request.GET["agency"])
    code = request.GET.get("ky", "")
    if code:
        try:
            period = Period.objects.for_code(code)
        except ValueError:
            period = None
        if period is not None:
            initial["period"] = period.pk
    return initial


def render_index(request, **forms_):
    """The index page with a bound (invalid) form, whatever the request method."""
    view = IndexView()
    view.setup(request)
    response = view.render_to_response(view.get_context_data(**forms_))
    response.status_code = 400
    return response


class TemplateDownloadView(View):
    def get(self, request):
        _require_importer(request)
        form = TargetForm(request.GET, user=request.user, prefix="tpl")
        if not form.is_valid():
            return render_index(request, template_form=form)
        kind = form.cleaned_data["kind_object"]
        agency = form.cleaned_data["agency"]
        period = form.cleaned_data.get("period") if kind.needs_period else None
        context = Context(
            agency=agency, period=period, period_code=form.period_code, user=request.user
        )

        def inline() -> HttpResponse:
            response = HttpResponse(kind.build_template(context), content_type=XLSX)
            response["Content-Disposition"] = (
                f'attachment; filename="{template_filename(kind, context)}"'
            )
            return response

        # A template of tens of thousands of rows is built by the export kit in the background
        # (its job page, the same builder): inside the request it outlasted the web server's
        # timeout (issue 48).
        return exports.deliver(
            request,
            background.TEMPLATE,
            background.template_params(kind, context),
            kind.template_rows(context),
            inline,
        )


class UploadView(View):
    def post(self, request):
        _require_importer(request)
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            # The red banner at the top, as on every other form (review 2026-11-25, ux L7).
            messages.error(request, error_summary(form))
            return render_index(request, upload_form=form)
        upload = form.cleaned_data["file"]
        if upload.size > conf.max_bytes():
            return redirect("importers_job", pk=_oversize_job(request, form, upload).pk)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        sha256 = digest.hexdigest()
        upload.seek(0)
        kind = form.cleaned_data["kind_object"]
        agency = form.cleaned_data["agency"]
        period_code = form.period_code
        duplicate = pipeline.duplicate_of(sha256, kind.code, agency, period_code)
        job = ImportJob(
            kind=kind.code,
            agency=agency,
            period_code=period_code,
            original_name=upload.name[:255],
            size=upload.size,
            sha256=sha256,
            uploaded_by=request.user,
            blank_clears=form.cleaned_data.get("blank_clears", False),
        )
        if not _store_upload(job, upload, sha256):
            form.add_error(None, UPLOAD_NOT_STORED)
            response = render_index(request, upload_form=form)
            response.status_code = 503
            return response
        # The same file as a committed one is still compared with the stored rows: only when
        # they hold what the file holds is it a duplicate with nothing to change (the
        # validation decides, importers.tasks.run_validation); when they were changed since
        # (a mark edited on Form 01), the preview shows what the file would restore.
        job.duplicate_of = duplicate
        job.save()
        try:
            with transaction.atomic():  # a failed INSERT of the task leaves the job intact
                tasks.enqueue_validation(job)
        except Exception:
            # The job and its file are kept: the sweep queues its validation again
            # (importers.recovery). Say so, rather than "nothing was written, try again"
            # (reliability review M5: the clerk uploaded twice).
            logger.exception("The validation of import job %s could not be queued", job.pk)
            messages.warning(request, str(UPLOAD_QUEUED_LATER) % {"id": job.pk})
        return redirect("importers_job", pk=job.pk)


UPLOAD_QUEUED_LATER = gettext_lazy(
    "Đã nhận và lưu tệp (lần nhập số %(id)d), nhưng máy chủ chưa xếp được việc kiểm tra tệp. "
    "Hệ thống tự kiểm tra lại trong vài phút; trang này hiện kết quả khi xong. Không cần tải "
    "tệp lên lại."
)

UPLOAD_NOT_STORED = gettext_lazy(
    "Máy chủ không lưu được tệp tải lên (ổ đĩa lưu trữ đã đầy hoặc thư mục lưu trữ không ghi "
    "được). Chưa có tệp hay dữ liệu nào được ghi. Hãy báo quản trị hệ thống, rồi tải tệp lên lại."
)


def _store_upload(job: ImportJob, upload, sha256: str) -> bool:
    """Write the upload to the media storage under a name of its own; on a storage error (disk
    full, folder not writable) remove what was written of it and say so (``False``)."""
    field = job.file.field
    name = field.generate_filename(job, f"{sha256[:16]}-{secrets.token_hex(4)}.xlsx")
    try:
        job.file.name = job.file.storage.save(name, upload, max_length=field.max_length)
    except OSError:
        logger.exception("The upload %r could not be stored as %s", upload.name, name)
        with contextlib.suppress(OSError):
            job.file.storage.delete(name)  # a part written before the disk filled up
        return False
    return True


def _oversize_job(request, form, upload) -> ImportJob:
    """Recorded like any upload, without keeping the file (it is over the limit)."""
    message = _(
        "Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia tệp thành nhiều phần "
        "(ví dụ theo đơn vị) rồi tải lên từng phần."
    ) % {"size": vi_megabytes(upload.size), "limit": vi_megabytes(conf.max_bytes())}
    return ImportJob.objects.create(
        kind=form.cleaned_data["kind"],
        agency=form.cleaned_data["agency"],
        period_code=form.period_code,
        original_name=upload.name[:255],
        size=upload.size,
        sha256="",
        uploaded_by=request.user,
        status=ImportStatus.UNREADABLE,
        progress=100,
        finished_at=timezone.now(),
        error_count=1,
        issues=[Issue(message).as_dict()],
    )


class JobView(TitledAdminMixin, TemplateView):
    template_name = "importers/job.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.job = _get_job(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Lần nhập #%(id)d") % {"id": self.job.pk}

    def get_page_subtitle(self):
        return self.job.original_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issues = self.job.issue_objects()
        # Errors before warnings: with errors the table opens the page.
        issues.sort(key=lambda issue: not issue.is_error)
        changes = self.job.change_objects()
        removals = [change for change in changes if change.removed][:CHANGES_SHOWN]
        changed = [change for change in changes if not change.removed][:CHANGES_SHOWN]
        context.update(
            job=self.job,
            removals=removals,
            removals_hidden=max(self.job.rows_removed - len(removals), 0),
            changed=changed,
            changes_truncated=len(changed) < self.job.rows_changed
            and (len(changes) >= conf.max_stored_changes() or len(changed) >= CHANGES_SHOWN),
            issues=issues[:ISSUES_SHOWN],
            issues_hidden=max(self.job.error_count + self.job.warning_count - ISSUES_SHOWN, 0),
            can_act=can_act_on_job(self.request.user, self.job),
            renames_to_confirm=self.job.rows_renamed > conf.max_renames(),
            previous=self.job.supersedes,
            replaced_by=getattr(self.job, "superseded_by", None)
            if self.job.status == ImportStatus.SUPERSEDED
            else None,
            status_url=reverse("importers_job_status", args=[self.job.pk]),
        )
        return context


class JobStatusView(View):
    """Polled by the job page; answers JSON even when refused (no admin redirect)."""

    def get(self, request, pk):
        job = ImportJob.objects.select_related("agency").filter(pk=pk).first()
        if job is None:
            return JsonResponse({"error": "not_found"}, status=404)
        if not can_view_job(request.user, job):
            return JsonResponse({"error": "forbidden"}, status=403)
        return JsonResponse(job_status(job))


def job_status(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": job.is_running,
        "progress": job.progress,
        "message": job.progress_message,
        "counts": {
            "total": job.rows_total,
            "new": job.rows_new,
            "changed": job.rows_changed,
            "unchanged": job.rows_unchanged,
            "removed": job.rows_removed,
            "error_rows": job.rows_error,
        },
        "error_count": job.error_count,
        "warning_count": job.warning_count,
        "can_confirm": job.can_confirm,
        "url": reverse("importers_job", args=[job.pk]),
    }


class JobConfirmView(View):
    def post(self, request, pk):
        job = _get_job(request, pk)
        if not can_act_on_job(request.user, job):
            raise PermissionDenied
        # Deletions are confirmed separately: the box names how many rows the user agreed to
        # delete, and it must be the number the preview showed.
        if job.rows_removed and request.POST.get("confirm_deletions") != str(job.rows_removed):
            messages.error(
                request,
                _(
                    "Tệp này sẽ xoá %(count)d dòng đã có: hãy xem danh sách và đánh dấu ô đồng ý "
                    "xoá trước khi xác nhận."
                )
                % {"count": job.rows_removed},
            )
            return redirect("importers_job", pk=job.pk)
        # A file renaming more than a few people is a question (a name column sorted on its
        # own renames everyone): the box names how many renames the user agreed to.
        if job.rows_renamed > conf.max_renames() and request.POST.get("confirm_renames") != str(
            job.rows_renamed
        ):
            messages.error(
                request,
                _(
                    "Tệp này đổi họ tên của %(count)d người: hãy xem danh sách và đánh dấu ô đồng "
                    "ý đổi họ tên trước khi xác nhận."
                )
                % {"count": job.rows_renamed},
            )
            return redirect("importers_job", pk=job.pk)
        # With the database queue (production) the commit's task is queued in the same
        # transaction as the status switch: both commit or neither (reliability review H2).
        # In-process (development) the task would run inside this transaction, so it is
        # queued after it; a request that dies in between leaves a job the sweep queues again
        # (importers.recovery.requeue_lost_jobs).
        together = tasks.queued_in_database()
        with transaction.atomic():
            switched = ImportJob.objects.filter(
                pk=job.pk, status=ImportStatus.PREVIEW, rows_removed=job.rows_removed
            ).update(
                status=ImportStatus.COMMITTING,
                committed_by=request.user,
                allowed_removals=job.rows_removed,
                progress=0,
                progress_message=_("Đang ghi dữ liệu"),
            )
            if switched and together:
                tasks.enqueue_commit(job)
        if not switched:
            messages.error(request, _("Lần nhập này không ở trạng thái chờ xác nhận."))
            return redirect("importers_job", pk=job.pk)
        if not together:
            tasks.enqueue_commit(job)
        return redirect("importers_job", pk=job.pk)


class JobCancelView(View):
    def post(self, request, pk):
        job = _get_job(request, pk)
        if not can_act_on_job(request.user, job) and job.uploaded_by_id != request.user.pk:
            raise PermissionDenied
        # Cancel works whenever nothing is being written: waiting, validating (the validation
        # sees the cancel and stops), or "committing" with no commit in progress (its task
        # lost, or not started yet; the commit re-reads the status under its lock and
        # stops). Only a commit actually writing is waited for (issue 28).
        if job.status == ImportStatus.COMMITTING and not commit_idle(job.pk):
            messages.error(
                request,
                _(
                    "Dữ liệu của lần nhập này đang được ghi: không thể huỷ giữa chừng. Hãy chờ "
                    "ít phút; nếu ghi xong mà không đúng, hãy nhập lại tệp đúng."
                ),
            )
            return redirect("importers_job", pk=job.pk)
        cancelled = ImportJob.objects.filter(pk=job.pk, status__in=CANCELLABLE_STATUSES).update(
            status=ImportStatus.CANCELLED,
            finished_at=timezone.now(),
            progress=100,
            progress_message="",
        )
        if not cancelled:
            messages.error(request, _("Không thể huỷ lần nhập ở trạng thái này."))
        return redirect("importers_job", pk=job.pk)


class JobFileView(View):
    def get(self, request, pk):
        job = _get_job(request, pk)
        if not job.file:
            return HttpResponseBadRequest(_("Tệp không được lưu (vượt giới hạn dung lượng)."))
        name = job.original_name or "tep.xlsx"
        response = serve_private(job.file, name)
        record_read(
            request, ReadKind.FILE_DOWNLOAD, format=ReadFormat.FILE, objects=[job], label=name
        )
        return response


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportForm01View(View):
    """Period results and scores of one agency, Form 01 layout: built at once, or in the
    background when it is long (``cms.exports``; the same builder either way)."""

    def get(self, request):
        # deferred: loads openpyxl, only when a file is built (tests/importers/test_structure.py)
        from importers.exports.form01 import build_form01, form01_rows

        form = ExportForm(request.GET, user=request.user, prefix="exp")
        if not form.is_valid():
            if not can_use_importer(request.user):
                raise PermissionDenied
            return render_index(request, export_form=form)
        agency, period = form.cleaned_data["agency"], form.cleaned_data["period"]
        if not can_access_agency(request.user, agency):
            raise PermissionDenied

        def inline() -> HttpResponse:
            people: list = []
            content = build_form01(agency, period, people)
            background.record_form01(request, agency, period, people)
            return _xlsx(content, background.form01_file_name(agency, period))

        return exports.deliver(
            request,
            background.FORM01,
            {"agency": agency.pk, "period": period.pk},
            form01_rows(agency, period),
            inline,
        )


class ExportProvinceView(View):
    """Province summary of a period (Sở Nội vụ only)."""

    def get(self, request):
        # deferred: loads openpyxl, only when a file is built (tests/importers/test_structure.py)
        from importers.exports.province import build_province_summary

        if not is_home_affairs(request.user):
            raise PermissionDenied
        form = ProvinceExportForm(request.GET, prefix="prov")
        if not form.is_valid():
            return render_index(request, province_form=form)
        period = form.cleaned_data["period"]
        content = build_province_summary(period)
        record_read(
            request,
            ReadKind.PROVINCE_SUMMARY,
            format=ReadFormat.XLSX,
            model="scoring.periodscore",
            label=_("Tổng hợp toàn tỉnh, %(period)s") % {"period": period.label},
            # The people whose results the figures summarise.
            count=PeriodScore.objects.filter(period=period).count(),
        )
        return _xlsx(content, f"tong-hop-{period.code}.xlsx")


class ExportCatalogVersionView(View):
    """An approved catalog version, through its django-import-export resource."""

    def get(self, request, pk):
        # deferred: loads tablib, only when a file is built (tests/importers/test_structure.py)
        from importers.resources import CatalogVersionItemResource

        version = get_object_or_404(CatalogVersion.objects.select_related("agency"), pk=pk)
        if not can_view_catalog(request.user, version.agency):
            raise PermissionDenied
        items = version.items.select_related("version__agency").prefetch_related("job_positions")
        dataset = CatalogVersionItemResource().export(queryset=items)
        filename = f"danh-muc-{version.agency.code.lower()}-v{version.number}.xlsx"
        return _xlsx(dataset.export("xlsx"), filename)
