"""The personnel file of the demo's agency without people (``demo.personnel_file_demo``), for
Sở Nội vụ to download and upload on the import page. Only where the demo is allowed
(``KPI_DEMO_ALLOWED``): a production site never offers fictional people."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from demo.personnel_file_demo import AGENCY_CODE, FILE_NAME, personnel_file
from org.access import is_home_affairs
from org.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def offered() -> bool:
    return settings.KPI_DEMO_ALLOWED and Agency.objects.filter(code=AGENCY_CODE).exists()


def personnel_file_view(request):
    if not offered():
        raise Http404
    if not is_home_affairs(request.user):
        raise PermissionDenied
    response = HttpResponse(personnel_file(Agency.objects.get(code=AGENCY_CODE)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    response["Cache-Control"] = "private, no-store"
    return response
