import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _


def healthz(request):
    """Liveness and database check for load balancers and the run script."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def sign_in_locked(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a Vietnamese page saying for how long."""
    from django.conf import settings
    from django.shortcuts import render

    return render(
        request,
        "cms/lockout.html",
        {"cooloff_minutes": settings.AXES_COOLOFF_MINUTES},
        status=429,
    )


def server_error(request):
    """handler500: never a traceback, never English. The API keeps its JSON error shape
    (docs/api.md); pages get a Vietnamese page that needs no database. A database that does not
    answer is 503 with Retry-After: nothing was written, the request may simply be repeated."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, (OperationalError, InterfaceError))
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        message = (
            _("Dịch vụ tạm thời gián đoạn (cơ sở dữ liệu không trả lời). Hãy thử lại sau.")
            if unavailable
            else _("Đã xảy ra lỗi khi xử lý yêu cầu.")
        )
        response = JsonResponse(
            {
                "error": {
                    "code": "service_unavailable" if unavailable else "server_error",
                    "message": message,
                    "fields": {},
                }
            },
            status=status,
        )
    else:
        body = loader.get_template("500.html").render({"unavailable": unavailable})
        response = HttpResponse(body, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response


def admin_logout(request):
    """Signing out of the admin: POST only. Wagtail's own view deletes the session cookie even
    when it refuses a GET with 405, so a link on any site could sign a user out; a GET here is
    refused before anything is touched."""
    from django.http import HttpResponseNotAllowed

    from wagtail.admin.views.account import LogoutView

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return LogoutView.as_view()(request)
