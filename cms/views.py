from django.db import connection
from django.http import JsonResponse


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
