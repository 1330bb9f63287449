"""Private files (meeting minutes, complaint attachments), served only to who may see the case."""

from django.shortcuts import get_object_or_404
from django.views import View

from cms.private_files import serve_private
from ratings.models import ComplaintAttachment
from ratings.views.common import get_case


def _serve(field_file, filename):
    return serve_private(field_file, filename)


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
