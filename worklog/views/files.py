"""Evidence files, served only to those who may see the line."""

from django.shortcuts import get_object_or_404
from django.views import View

from cms.private_files import serve_private
from scoring.models import Evidence
from worklog.views.common import get_line


class EvidenceFileView(View):
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence, pk=pk)
        get_line(request, evidence.line_id)
        return serve_private(evidence.file, evidence.file_name or "minh-chung")
