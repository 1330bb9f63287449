"""Who may enrol the first authenticator of a sign-in (review 2026-11-25, security L3).

A password alone does not prove the person: whoever learned it could enrol their own
authenticator on an account that has none, and hold the second factor from then on. The first
enrolment therefore needs the activation code — the one-time code on the slip or in the
invitation, which only the person was given: activating with it (``accounts.views.activate_view``)
lets *that browser* enrol the sign-in's first device for ``WINDOW`` afterwards. A person who
has a password and no device yet (a right granted later, a lost phone whose device Sở Nội vụ
removed) asks for a new activation code (**Cấp lại mã**, by whoever may reset them), activates
with it and enrols. Adding a device when one is already confirmed needs the second factor
itself (the set-up page is only reached verified)."""

from __future__ import annotations

import datetime

from django.utils import timezone

#: How long after activating the browser may enrol the first device.
WINDOW = datetime.timedelta(hours=1)
SESSION_KEY = "kpi_enrolment_proof"


def allow(request, user) -> None:
    """``user`` just proved possession of their activation code in this browser."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = {"user": user.pk, "at": timezone.now().timestamp()}


def allowed(request, user) -> bool:
    """Whether this browser proved, with the activation code, to be ``user`` recently enough to
    enrol the first device."""
    proof = getattr(request, "session", {}).get(SESSION_KEY) or {}
    if proof.get("user") != user.pk:
        return False
    at = datetime.datetime.fromtimestamp(float(proof.get("at") or 0), tz=datetime.UTC)
    return timezone.now() - at <= WINDOW


def used(request) -> None:
    """The first device is enrolled: the proof is spent."""
    if hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
