"""The user model, and what the account service (``accounts.services``) records about sign-ins:
one-time activation codes (stored hashed), the batches of bulk operations with their result
lists, and the log of every account action (who created, reset, unlocked, deactivated or
granted what, to whom, when)."""

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models import BackgroundJob
from org.access import reach
from org.text import normalize_text

_BACKENDS: dict[tuple[str, ...], list] = {}


def _permission_backends() -> list:
    """The authentication backends that answer permission questions, built once per process and
    list of paths (Django builds each backend anew for every question: the admin menu asks about
    150 a page, and the single sign-on backend reads seven settings each time it is built). A
    backend keeps no state of its own between questions: the permission sets live on the user
    object (``ModelBackend``), so sharing the instances changes no answer."""
    paths = tuple(settings.AUTHENTICATION_BACKENDS)
    backends = _BACKENDS.get(paths)
    if backends is None:
        backends = [backend for backend in map(load_backend, paths) if hasattr(backend, "has_perm")]
        _BACKENDS[paths] = backends
    return backends


class User(AbstractUser):
    """A person or service account that signs in.

    A user's reach (which agencies' data they may see) is not stored here: it comes from group
    membership and ``org.AgencyAccess`` rows, evaluated in one place, ``org.access``; a civil
    servant's role rights come from their postings (``accounts.backends``).
    """

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu khi đăng nhập"),
        default=False,
        help_text=_("Bật khi mật khẩu do người khác đặt; tắt khi người dùng tự đặt mật khẩu mới."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def has_perm(self, perm, obj=None):
        """Django's answer, kept per permission by this user object's reach (``org.access``:
        the user object lives for one request): the admin menu asks a few hundred times per
        page, and each question walks every authentication backend again (the backends keep the
        permission sets themselves, so an answer is no staler than theirs)."""
        if obj is not None:
            return self._backends_grant(perm, obj)
        answers = reach(self).perm_answers
        if perm not in answers:
            answers[perm] = self._backends_grant(perm)
        return answers[perm]

    def _backends_grant(self, perm, obj=None) -> bool:
        """``PermissionsMixin.has_perm`` (``django.contrib.auth.models._user_has_perm``), over
        backends built once (:func:`_permission_backends`)."""
        if self.is_active and self.is_superuser:
            return True
        for backend in _permission_backends():
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def __str__(self):
        return self.full_name or self.username


class AccountBatch(BackgroundJob):
    """One bulk operation on sign-ins (creating the sign-ins of an agency's people), with its
    progress and its result list (one line per person): a job of the job kit
    (``cms.models.BackgroundJob``)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Đã xong")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    total = models.PositiveIntegerField(_("tổng số người"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    #: ``[{"person": id, "name": …, "official_id": …, "agency": …, "username": …,
    #: "outcome": "created" | "exists" | "refused", "message": …, "email": bool}]``
    results = models.JSONField(_("kết quả"), default=list)
    #: The people asked for, in order (the background job works through them, and a worker
    #: that died is resumed from ``done``), and whether to e-mail their invitations.
    person_ids = models.JSONField(_("người cần tạo"), default=list)
    invite_by_email = models.BooleanField(_("gửi thư mời"), default=False)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)
    #: The activation codes in clear, encrypted (``accounts.sealing``), so that the person who
    #: ran the batch can print every slip once the job is done, from any session.
    sealed_codes = models.TextField(_("mã kích hoạt (mã hóa)"), blank=True)

    LIVE_STATUSES = (Status.RUNNING,)
    FAILED_STATUSES = ()  # a batch that fails is resumed, never given up

    class Meta:
        verbose_name = _("lô tạo tài khoản")
        verbose_name_plural = pgettext_lazy("plural", "lô tạo tài khoản")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%d/%m/%Y %H:%M} ({self.done}/{self.total})"


class ActivationCode(models.Model):
    """A one-time code that lets a person set their first password (printed on the unit's
    activation slip, or sent in an e-mail invitation). Only its hash is stored."""

    class Channel(models.TextChoices):
        SLIP = "slip", _("Phiếu kích hoạt")
        EMAIL = "email", _("Thư mời qua thư điện tử")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    code_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("cách gửi"), max_length=8, choices=Channel.choices)
    batch = models.ForeignKey(
        AccountBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="codes"
    )
    #: Who issued the code (None: the server's operator, ``manage.py activation_code``). When
    #: it is used, the issuer must still be someone who may manage the sign-in
    #: (``accounts.services.code_refusal``: credentials follow authority).
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cấp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã kích hoạt")
        verbose_name_plural = pgettext_lazy("plural", "mã kích hoạt")

    def __str__(self):
        return f"{self.user} ({self.get_channel_display()})"


class AccountEvent(models.Model):
    """The log of account actions: kept for history, never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo tài khoản")
        INVITED = "invited", _("Gửi thư mời")
        ACTIVATED = "activated", _("Kích hoạt")
        RESET = "reset", _("Cấp lại mã kích hoạt")
        UNLOCKED = "unlocked", _("Mở khóa đăng nhập")
        DEACTIVATED = "deactivated", _("Khóa tài khoản")
        REACTIVATED = "reactivated", _("Mở lại tài khoản")
        GRANTED = "granted", _("Cấp quyền")
        REVOKED = "revoked", _("Thu hồi quyền")
        PASSWORD_CHANGED = "password", _("Đổi mật khẩu")
        SECOND_FACTOR = "otp", _("Thiết lập xác thực hai lớp")
        SECOND_FACTOR_REMOVED = "otp_removed", _("Gỡ xác thực hai lớp")
        SIGNED_IN = "signed_in", _("Đăng nhập")
        SIGNED_OUT = "signed_out", _("Đăng xuất")
        SIGN_IN_FAILED = "signin_failed", _("Đăng nhập không thành công")
        SECOND_FACTOR_FAILED = "otp_failed", _("Nhập sai mã xác thực hai lớp")
        SSO_LINKED = "sso_linked", _("Liên kết đăng nhập một lần")
        SSO_UNLINKED = "sso_unlinked", _("Hủy liên kết đăng nhập một lần")
        SSO_REFUSED = "sso_refused", _("Từ chối đăng nhập một lần")
        ROLE_CHANGED = "role_changed", _("Thay đổi vai trò")

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="account_events",
    )
    #: The user name typed, for an event with no known account (a failed sign-in).
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("việc"), max_length=16, choices=Action.choices)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký tài khoản")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký tài khoản")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.when} {self.get_action_display()} — {self.whom}"

    # What the listing, its exports and the person's account page show (one wording each).

    @property
    def when(self) -> str:
        """dd/mm/yyyy HH:MM, in the province's time zone."""
        return timezone.localtime(self.at).strftime("%d/%m/%Y %H:%M") if self.at else ""

    @staticmethod
    def label_of(user) -> str:
        """ "Full name (username)", or the username alone."""
        if user is None:
            return ""
        name = user.full_name or ""
        return f"{name} ({user.username})" if name and name != user.username else user.username

    @property
    def who(self) -> str:
        """Who did it: the person, or the system (a sweep, an import, a failed sign-in)."""
        return self.label_of(self.actor) or str(_("Hệ thống"))

    @property
    def whom(self) -> str:
        """Whose sign-in: the account, or the user name typed when none matched."""
        return self.label_of(self.user) or self.username or "—"

    @property
    def where(self) -> str:
        return self.ip or "—"

    @property
    def action_label(self) -> str:
        return str(self.get_action_display())


class ExternalIdentity(models.Model):
    """A sign-in's binding to the province's identity provider: the provider's issuer and
    subject (``iss`` + ``sub``), linked only after the person proved themselves (activation code,
    or password plus second factor). Once linked, only that subject signs in as this user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255)
    subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255)
    linked_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người liên kết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("liên kết đăng nhập một lần")
        verbose_name_plural = pgettext_lazy("plural", "liên kết đăng nhập một lần")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="accounts_external_identity_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="accounts_external_identity_one_per_issuer"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.issuer}"
