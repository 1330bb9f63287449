"""Private files (meeting minutes, complaint attachments), served only to who may see the case."""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from ratings.models import ComplaintAttachment
from ratings.views.common import get_case


def _serve(field_file, filename):
    if not field_file:
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename,
                        content_type=content_type)


class MinutesView(View):
    def get(self, request, pk):
        case = get_case(request, pk)
        return _serve(case.minutes, case.minutes_filename)


class AttachmentView(View):
    def get(self, request, pk):
        attachment = get_object_or_404(
            ComplaintAttachment.objects.select_related("complaint"), pk=pk
        )
        get_case(request, attachment.complaint.case_id)
        return _serve(attachment.file, attachment.original_name)
