"""Evidence files, served only to those who may see the line."""

from django.shortcuts import get_object_or_404
from django.views import View

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms.private_files import serve_private
from scoring.models import Evidence
from worklog.views.common import get_line


class EvidenceFileView(View):
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence, pk=pk)
        line = get_line(request, evidence.line_id)
        name = evidence.file_name or "minh-chung"
        response = serve_private(evidence.file, name)
        record_read(
            request,
            ReadKind.FILE_DOWNLOAD,
            format=ReadFormat.FILE,
            objects=[evidence],
            subjects=[line.civil_servant_id],
            agency=line.unit_id,
            label=name,
        )
        return response
