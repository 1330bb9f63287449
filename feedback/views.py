"""The public satisfaction page (no sign-in): a beneficiary types the code printed on the
result (or follows its link) and answers once. Rate-limited per client address; the page names
the agency, the product or service and the day, never the civil servant."""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.client_ip import client_ip
from feedback import services
from feedback.models import Satisfaction

#: Attempts (code look-ups and answers) allowed per client address per window.
RATE_LIMIT = 30
RATE_WINDOW = 600


def _limited(request) -> bool:
    """Count one attempt of this address; ``True`` once it is over the limit."""
    key = f"feedback:attempts:{client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > RATE_LIMIT


def _too_many(request):
    response = render(
        request,
        "feedback/start.html",
        {
            "errors": {
                "code": _(
                    "Bạn đã thử quá nhiều lần. Hãy đợi 10 phút rồi nhập lại mã in trên phiếu "
                    "trả kết quả."
                )
            }
        },
        status=429,
    )
    response["Retry-After"] = str(RATE_WINDOW)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    """Type the code: goes to the answer page of that code."""
    code = request.POST.get("code") or request.GET.get("ma") or ""
    if not code:
        return render(request, "feedback/start.html", {})
    if _limited(request):
        return _too_many(request)
    lookup = services.find(code)
    if lookup.code is None:
        return render(
            request,
            "feedback/start.html",
            {"errors": {"code": lookup.error}, "values": {"code": code}},
            status=404,
        )
    return redirect("feedback:answer", code=lookup.code.code)


def agency_name(agency) -> str:
    """A unit with the agency it belongs to ("Văn phòng Sở — Sở Tư pháp"): every department
    has a "Văn phòng Sở" (review 2026-11-25, ux M8, coverage L6)."""
    owner = agency.owning_agency if agency is not None else None
    if owner is None or owner.pk == agency.pk:
        return agency.name if agency is not None else ""
    return f"{agency.name} — {owner.name}"


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, code: str):
    if _limited(request):
        return _too_many(request)
    lookup = services.find(code)
    if lookup.code is None:
        return render(
            request,
            "feedback/start.html",
            {"errors": {"code": lookup.error}, "values": {"code": code}},
            status=404,
        )
    row = lookup.code
    context = {
        "row": row,
        "agency_name": agency_name(row.agency),
        "printed": services.printed(row.code),
        "levels": Satisfaction.choices,
        "values": {},
        "errors": {},
    }
    if row.answered:
        context["errors"] = {"code": lookup.error}
        return render(request, "feedback/answer.html", context, status=409)
    if request.method == "POST":
        values = {"rating": request.POST.get("rating", ""), "comment": request.POST.get("comment")}
        try:
            services.answer(
                row.code,
                rating=values["rating"],
                comment=values["comment"] or "",
                user=request.user,
            )
        except services.FeedbackError as error:
            context["values"] = values
            context["errors"] = error.errors
            status = 409 if "code" in error.errors else 400
            return render(request, "feedback/answer.html", context, status=status)
        return render(
            request, "feedback/thanks.html", {"row": row, "agency_name": context["agency_name"]}
        )
    return render(request, "feedback/answer.html", context)
