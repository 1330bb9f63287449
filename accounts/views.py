"""The account pages: administering sign-ins (Sở Nội vụ and agency admins), the printable
activation slips, the public activation page and the forced password change. Thin: every
write goes through ``accounts.services``; whose rows a user reaches is ``accounts.roles``."""

from __future__ import annotations

from typing import Any

from axes.decorators import axes_dispatch
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django_otp import user_has_device

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts import enrolment, services, slips, sso, tasks
from accounts.backends import derived_groups
from accounts.models import AccountBatch, AccountEvent, ExternalIdentity
from accounts.roles import (
    admin_agencies,
    is_account_admin,
    manageable_people,
    management_refusal,
)
from accounts.signin_log import ACTIVATION_SENDER
from cms import exports
from cms.admin_views import TitledAdminMixin
from org import access
from org.models import Agency, BlocLead
from org.pickers import agency_choices

SESSION_CODES = "kpi_activation_codes"
Action = AccountEvent.Action


def _keep_codes(request, batch_pk, codes: dict[int, str]):
    """The codes in clear stay only in the session of the person who created them, until they
    sign out: enough to print the slips; a lost slip is replaced by a reset."""
    kept = request.session.get(SESSION_CODES, {})
    kept[str(batch_pk)] = {str(k): v for k, v in codes.items()}
    request.session[SESSION_CODES] = kept


def _codes_of(request, batch) -> dict[str, str]:
    """The codes to print: those kept in this session (a reissue), else those the batch's job
    sealed (``accounts.sealing``); the views ask only for the caller's own batches."""
    kept = request.session.get(SESSION_CODES, {}).get(str(batch.pk))
    return kept or services.sealed_codes(batch)


def _roles_of(user) -> list[str]:
    names = list(user.groups.values_list("name", flat=True))
    for derived in derived_groups(user):
        if derived not in names:
            names.append(derived)
    return names


class AccountAdminMixin(TitledAdminMixin):
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not is_account_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IndexView(AccountAdminMixin, TemplateView):
    template_name = "accounts/index.html"
    page_title = gettext_lazy("Tài khoản đăng nhập")

    def _agency(self):
        agencies = admin_agencies(self.request.user).order_by("path")
        pk = self.request.GET.get("agency") or self.request.POST.get("agency")
        if pk and str(pk).isdigit():
            return agencies.filter(pk=pk).first(), agencies
        return None, agencies

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, agencies = self._agency()
        rows = []
        if agency is not None:
            people = list(
                services.people_posted_in(self.request.user, agency).select_related("user")
            )
            linked = set(
                ExternalIdentity.objects.filter(
                    user_id__in=[p.user_id for p in people if p.user_id]
                ).values_list("user_id", flat=True)
            )
            for person in people:
                user = person.user
                rows.append(
                    {
                        "person": person,
                        "user": user,
                        "roles": _roles_of(user) if user else [],
                        "refusal": management_refusal(self.request.user, user) if user else "",
                        "sso_linked": user is not None and user.pk in linked,
                    }
                )
        context.update(
            agency=agency,
            agencies=agencies,
            agency_choices=agency_choices(agencies),
            rows=rows,
            without=sum(1 for r in rows if r["user"] is None),
            batches=AccountBatch.objects.filter(created_by=self.request.user)[:10],
            is_home_affairs=access.is_home_affairs(self.request.user),
            agency_leads_bloc=agency is not None
            and BlocLead.objects.filter(lead_agency=agency).exists(),
            grantable_agencies=agencies
            if agency is None
            else agencies.filter(path__startswith=agency.path),
        )
        return context

    def post(self, request):
        agency, _agencies = self._agency()
        if agency is None:
            messages.error(request, _("Chọn cơ quan, đơn vị trước khi tạo tài khoản."))
            return redirect("accounts_index")
        people = list(services.people_posted_in(request.user, agency).filter(user=None))
        # A background job (issue 47): the page answers at once and shows the progress.
        batch = tasks.start_provision(
            request.user, people, agency=agency, invite_by_email=bool(request.POST.get("email"))
        )
        return redirect("accounts_batch", batch.pk)


class BatchView(AccountAdminMixin, TemplateView):
    template_name = "accounts/batch.html"
    page_title = gettext_lazy("Kết quả tạo tài khoản")

    def get_context_data(self, pk, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = get_object_or_404(AccountBatch, pk=pk, created_by=self.request.user)
        counts = {}
        for row in batch.results:
            counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
        codes = _codes_of(self.request, batch)
        running = batch.is_live
        context.update(
            batch=batch,
            counts=counts,
            running=running,
            can_print=bool(codes) and not running,
            can_reissue=not codes and not running and bool(counts.get("created")),
        )
        return context


class BatchReissueView(AccountAdminMixin, View):
    """POST: new activation codes for the people of a batch who have not activated yet (a batch
    the personnel import ran in the background showed no codes), then its slips."""

    def post(self, request, pk):
        batch = get_object_or_404(AccountBatch, pk=pk, created_by=request.user)
        codes = services.reissue_batch(request.user, batch)
        if not codes:
            messages.info(request, _("Mọi người của lần này đã kích hoạt tài khoản."))
            return redirect("accounts_batch", batch.pk)
        _keep_codes(request, batch.pk, codes)
        messages.success(
            request,
            _("Đã cấp mã kích hoạt mới cho %(count)d người; mã cũ không còn dùng được.")
            % {"count": len(codes)},
        )
        return redirect("accounts_batch", batch.pk)


class SlipsView(AccountAdminMixin, View):
    """One printable slip per person created by the batch, grouped by unit: at once for a small
    batch, built in the background for a whole agency's (``cms.exports``; same builder)."""

    def get(self, request, pk):
        batch = get_object_or_404(AccountBatch, pk=pk, created_by=self.request.user)
        codes = _codes_of(self.request, batch)
        if not codes:
            raise Http404(_("Phiếu chỉ in được trong phiên đã tạo tài khoản."))
        context = _activation_context(request)
        url, days = context["activation_url"], context["days"]
        return exports.deliver(
            request,
            slips.SLIPS,
            slips.job_params(batch, codes, url, days),
            len(codes),
            lambda: HttpResponse(slips.slips_page(codes, url, days)),
        )


def _activation_context(request):
    return {
        "activation_url": request.build_absolute_uri(reverse("accounts_activate")),
        "days": services.settings.KPI_ACTIVATION_CODE_DAYS,
    }


class UserActionView(View):
    """POST-only actions on one sign-in: reset, the second factor's removal with a reset (Sở Nội
    vụ), unlock, deactivate, reactivate, grant, revoke, unlink."""

    ACTIONS = (
        "reset",
        "otp_reset",
        "unlock",
        "deactivate",
        "reactivate",
        "grant",
        "revoke",
        "unlink",
    )

    def post(self, request, pk, action):
        if action not in self.ACTIONS or not is_account_admin(request.user):
            raise PermissionDenied
        target = get_object_or_404(get_user_model(), pk=pk)
        back = reverse("accounts_index")
        agency_pk = request.POST.get("agency", "")
        if agency_pk.isdigit():
            back += f"?agency={agency_pk}"
        refusal = management_refusal(request.user, target)
        if refusal:
            if not manageable_people(request.user).filter(user=target).exists():
                raise PermissionDenied  # outside the actor's agencies: nothing said about them
            # A head, a deputy, an evaluator or an admin of the actor's own agencies: the
            # reason, and who can do it (Sở Nội vụ).
            messages.error(request, refusal)
            return redirect(back)
        try:
            if action in ("reset", "otp_reset"):
                fn = services.reset if action == "reset" else services.reset_second_factor
                code = fn(request.user, target, request=request)
                slip = slips.slip_of(target, code)
                return render(
                    request,
                    "accounts/slips.html",
                    {
                        "slips": [slip],
                        "page_title": _("Phiếu kích hoạt tài khoản"),
                        **_activation_context(request),
                    },
                )
            if action == "unlink":
                if services.unlink_identity(
                    request.user, target, reason=_("Sở Nội vụ"), request=request
                ):
                    messages.success(
                        request, _("Đã hủy liên kết đăng nhập một lần của %s.") % target
                    )
                return redirect(back)
            if action == "unlock":
                services.unlock(request.user, target, request=request)
                messages.success(request, _("Đã mở khóa đăng nhập cho %s.") % target)
            elif action in ("deactivate", "reactivate"):
                services.set_active(request.user, target, action == "reactivate", request=request)
                messages.success(
                    request,
                    (
                        _("Đã khóa tài khoản %s.")
                        if action == "deactivate"
                        else _("Đã mở lại tài khoản %s.")
                    )
                    % target,
                )
            else:
                role = request.POST.get("role", "")
                grant_agency = None
                if request.POST.get("grant_agency", "").isdigit():
                    grant_agency = Agency.objects.filter(pk=request.POST["grant_agency"]).first()
                fn = services.grant if action == "grant" else services.revoke
                fn(request.user, target, role, grant_agency, request=request)
                messages.success(
                    request,
                    (
                        _("Đã cấp quyền cho %s.")
                        if action == "grant"
                        else _("Đã thu hồi quyền của %s.")
                    )
                    % target,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            if action not in ("unlink", "otp_reset"):
                raise
            messages.error(request, str(error))
        return redirect(back)


# --- pages for everyone (outside the admin) ----------------------------------------------


@axes_dispatch
def activate_view(request):
    """The activation page: the username, the code from the slip or the e-mail, and a new
    password (twice). It has the sign-in page's lockout (django-axes, ``AXES_*``): a wrong
    username or code counts as a failed sign-in of that username from that address, and a
    locked-out pair gets the same Vietnamese page (429) as the sign-in page."""
    values = {"username": request.GET.get("u", ""), "code": ""}
    errors = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("username", "code")}
        try:
            user = services.activate(
                values["username"],
                values["code"],
                request.POST.get("password", ""),
                request.POST.get("password2", ""),
                request=request,
            )
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {"password": error.messages}
            )
            if "code" in errors:
                # Counted by django-axes like a wrong password (and logged as a failed sign-in).
                user_login_failed.send(
                    sender=ACTIVATION_SENDER,
                    credentials={"username": values["username"]},
                    request=request,
                )
                if getattr(request, "axes_locked_out", False):
                    return get_lockout_response(request, {"username": values["username"]})
        else:
            # The code on the slip proves possession: this browser may enrol the first
            # authenticator of this sign-in (``accounts.enrolment``), not a password alone.
            enrolment.allow(request, user)
            messages.success(
                request, _("Đã kích hoạt tài khoản. Hãy đăng nhập bằng mật khẩu vừa đặt.")
            )
            return redirect(f"{reverse('wagtailadmin_login')}?username={values['username']}")
    return render(request, "accounts/activate.html", {"values": values, "errors": errors})


def change_password_view(request):
    """The forced change of a password someone else set (``must_change_password``)."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.password_changed(user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("wagtailadmin_home")
    return render(request, "accounts/change_password.html", {"form": form})


def sso_refused_view(request):
    """Where a single sign-on that did not sign anyone in lands: the page asking the activation
    code when a provider identity waits for proof, otherwise the reason, in Vietnamese."""
    if request.session.get(sso.PENDING_KEY):
        return redirect("accounts_sso_link")
    reason = request.session.pop(sso.REFUSAL_KEY, "") or _(
        "Đăng nhập một lần không thành công. Hãy thử lại hoặc đăng nhập bằng mật khẩu."
    )
    return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)


def _pending(request):
    """The provider identity waiting for proof in this session (``accounts.oidc``), if still
    fresh (15 minutes), with the sign-in it claims."""
    import datetime

    pending = request.session.get(sso.PENDING_KEY)
    if not pending:
        return None, None
    started = datetime.datetime.fromisoformat(pending["at"])
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or timezone.now() - started > datetime.timedelta(minutes=15):
        request.session.pop(sso.PENDING_KEY, None)
        return None, None
    return pending, user


def sso_link_view(request):
    """The first sign-in through the provider: the person the provider's claim names proves
    themselves with the activation code on their slip; then the provider identity is linked to
    their sign-in and they are signed in."""
    pending, user = _pending(request)
    if pending is None:
        request.session[sso.REFUSAL_KEY] = _(
            "Phiên liên kết đăng nhập một lần đã hết hạn. Hãy bấm “Đăng nhập một lần” lại."
        )
        return redirect("accounts_sso_refused")
    error = ""
    # The activation code is guessed here as on the activation page: the same lockout
    # (django-axes, per user name and address), whatever the number of round trips.
    credentials = {"username": user.username}
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials)
    if request.method == "POST":
        try:
            services.link_with_code(
                user,
                request.POST.get("code", "").strip(),
                pending["issuer"],
                pending["subject"],
                request=request,
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
            pending["tries"] += 1
            services.sso_refused(
                user,
                f"{_('mã kích hoạt không đúng')} ({pending['tries']}); "
                f"{pending['issuer']} sub={pending['subject']}",
                request=request,
                username=pending["claim"],
            )
            user_login_failed.send(
                sender=ACTIVATION_SENDER, credentials=credentials, request=request
            )
            if getattr(request, "axes_locked_out", False):
                request.session.pop(sso.PENDING_KEY, None)
                return get_lockout_response(request, credentials)
            if pending["tries"] >= sso.MAX_CODE_TRIES:
                request.session.pop(sso.PENDING_KEY, None)
                request.session[sso.REFUSAL_KEY] = _(
                    "Nhập sai mã kích hoạt quá nhiều lần. Hãy đề nghị quản trị cơ quan kiểm tra "
                    "phiếu kích hoạt rồi đăng nhập một lần lại."
                )
                return redirect("accounts_sso_refused")
            request.session[sso.PENDING_KEY] = pending
        else:
            request.session.pop(sso.PENDING_KEY, None)
            login(request, user, backend=sso.OIDC_BACKEND)
            # The code proved the person, as on the activation page: this browser may enrol
            # the sign-in's first authenticator (accounts.enrolment).
            enrolment.allow(request, user)
            messages.success(
                request,
                _(
                    "Đã liên kết đăng nhập một lần với tài khoản %(username)s: từ nay bạn đăng "
                    "nhập bằng nút “Đăng nhập một lần”."
                )
                % {"username": user.username},
            )
            return redirect("wagtailadmin_home")
    person = getattr(user, "civil_servant", None)
    return render(
        request,
        "accounts/sso_link.html",
        {
            "user_name": person.full_name if person is not None else user.get_full_name(),
            "username": user.username,
            "claim": pending["claim"],
            "field": sso.field_label(),
            "error": error,
        },
    )


class SsoAccountView(TitledAdminMixin, TemplateView):
    """The person's own page "Liên kết đăng nhập một lần": their links to the provider, linking
    one (signed in with password and second factor), unlinking, and the events of their single
    sign-on (linked, unlinked, refused)."""

    template_name = "accounts/sso_account.html"
    page_title = gettext_lazy("Liên kết đăng nhập một lần")
    header_icon = "link"

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context.update(
            enabled=sso_enabled(),
            links=ExternalIdentity.objects.filter(user=user).order_by("linked_at"),
            may_link=sso.signed_in_with_second_factor(self.request),
            has_device=user_has_device(user, confirmed=True),
            events=AccountEvent.objects.filter(
                user=user,
                action__in=[Action.SSO_LINKED, Action.SSO_UNLINKED, Action.SSO_REFUSED],
            )[:50],
            here=reverse("accounts_sso_account"),
        )
        return context

    def post(self, request):
        user = request.user
        if request.POST.get("action") == "unlink":
            if services.unlink_identity(user, user, reason=_("chính người dùng"), request=request):
                messages.success(request, _("Đã hủy liên kết đăng nhập một lần."))
            return redirect("accounts_sso_account")
        if not sso_enabled() or not sso.signed_in_with_second_factor(request):
            messages.error(
                request,
                _(
                    "Để liên kết, hãy đăng nhập bằng mật khẩu và nhập mã xác thực hai lớp trong "
                    "phiên này."
                ),
            )
            return redirect("accounts_sso_account")
        request.session[sso.LINK_INTENT_KEY] = user.pk
        here = reverse("accounts_sso_account")
        return redirect(f"{reverse('oidc_authentication_init')}?next={here}")


def sso_enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "KPI_OIDC_ENABLED", False))
