"""Private files (meeting minutes, complaint attachments), served only to who may see the case."""

from django.shortcuts import get_object_or_404
from django.views import View

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms.private_files import serve_private
from ratings.models import ComplaintAttachment
from ratings.views.common import get_case


def _serve(request, field_file, filename, row, case):
    response = serve_private(field_file, filename)
    record_read(
        request,
        ReadKind.FILE_DOWNLOAD,
        format=ReadFormat.FILE,
        objects=[row],
        subjects=[case.civil_servant_id] if case.civil_servant_id else [],
        agency=case.agency_id,
        label=filename,
    )
    return response


class MinutesView(View):
    def get(self, request, pk):
        case = get_case(request, pk)
        return _serve(request, case.minutes, case.minutes_filename, case, case)


class AttachmentView(View):
    def get(self, request, pk):
        attachment = get_object_or_404(
            ComplaintAttachment.objects.select_related("complaint"), pk=pk
        )
        case = get_case(request, attachment.complaint.case_id)
        return _serve(request, attachment.file, attachment.original_name, attachment, case)
