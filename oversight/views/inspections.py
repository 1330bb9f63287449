"""An inspection as its agency and Sở Nội vụ read it (findings, remedies, files), and its
private files, served only to who may see the inspection."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms.admin_views import TitledAdminMixin
from cms.private_files import serve_private
from org import access as org_access
from org.access import CHANGE, VIEW
from oversight.models import Inspection, InspectionAttachment


def _inspection(request, pk) -> Inspection:
    inspection = get_object_or_404(Inspection.objects.select_related("agency"), pk=pk)
    if not org_access.may(request.user, VIEW, inspection):
        raise PermissionDenied
    return inspection


class InspectionDetailView(TitledAdminMixin, TemplateView):
    template_name = "oversight/inspection.html"
    page_title = gettext_lazy("Kiểm tra công tác đánh giá")
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.inspection = _inspection(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.inspection.agency.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.inspection
        context.update(
            inspection=inspection,
            findings=list(inspection.findings.all()),
            attachments=list(inspection.attachments.all()),
            can_change=org_access.may(self.request.user, CHANGE, inspection),
        )
        return context


class InspectionFileView(View):
    def get(self, request, pk):
        attachment = get_object_or_404(
            InspectionAttachment.objects.select_related("inspection__agency"), pk=pk
        )
        inspection = _inspection(request, attachment.inspection_id)
        if not attachment.file:
            raise Http404
        response = serve_private(attachment.file, attachment.filename)
        record_read(
            request,
            ReadKind.FILE_DOWNLOAD,
            format=ReadFormat.FILE,
            objects=[attachment],
            agency=inspection.agency_id,
            label=attachment.filename,
        )
        return response
