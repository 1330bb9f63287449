"""The client's address, the same way everywhere (sign-in lockout, audit, API throttles).

Behind ``DJANGO_NUM_PROXIES`` reverse proxies that each append to ``X-Forwarded-For``, the client
is that many entries from the end; with 0 proxies no header is trusted and the address is the
connection's (``REMOTE_ADDR``). This mirrors DRF's ``NUM_PROXIES`` rule, which the API throttles
use, so a forged header changes nothing anywhere.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
