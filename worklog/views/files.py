"""Evidence files, served only to those who may see the line."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from scoring.models import Evidence
from worklog.views.common import get_line


class EvidenceFileView(View):
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.select_related("document"), pk=pk)
        get_line(request, evidence.line_id)
        if evidence.document is None:
            raise Http404
        document = evidence.document
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.filename)
