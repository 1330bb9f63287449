"""Setting up and presenting the second factor: a TOTP device (any authenticator app) and ten
one-time recovery codes (django-otp's static device), shown once."""

from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import enrolment
from accounts.models import AccountEvent
from accounts.services import log_event

RECOVERY_CODES = 10


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return "/admin/"
    return target


def setup_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect("accounts_otp_verify")
    if not user_has_device(user, confirmed=True) and not enrolment.allowed(request, user):
        # A password alone does not enrol the first authenticator (accounts.enrolment).
        return render(request, "accounts/otp_enrol_refused.html", status=403)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        if token and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=user).delete()
            recovery = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"))
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            for code in codes:
                recovery.token_set.create(token=code)
            otp_login(request, device)
            enrolment.used(request)
            log_event(user, user, AccountEvent.Action.SECOND_FACTOR, request=request)
            return render(
                request,
                "accounts/otp_recovery.html",
                {"codes": codes, "next": _next(request)},
            )
        log_event(
            user, user, AccountEvent.Action.SECOND_FACTOR_FAILED, _("thiết lập"), request=request
        )
        error = _("Mã xác thực không đúng: nhập 6 chữ số đang hiện trong ứng dụng xác thực.")
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {"secret": secret, "config_url": device.config_url, "error": error, "next": _next(request)},
    )


def verify_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if not user_has_device(user, confirmed=True):
        return redirect("accounts_otp_setup")
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        device = match_token(user, token) if token else None
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("Bạn vừa dùng một mã dự phòng; mỗi mã chỉ dùng được một lần."),
                )
            return redirect(_next(request))
        log_event(user, user, AccountEvent.Action.SECOND_FACTOR_FAILED, request=request)
        error = _(
            "Mã xác thực không đúng: nhập 6 chữ số đang hiện trong ứng dụng xác thực, hoặc một "
            "mã dự phòng."
        )
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})
