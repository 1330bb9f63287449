from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from accounts import (
            signals,  # noqa: F401
            signin_log,  # noqa: F401 (connects the sign-in log receivers)
        )
        from accounts.auth_policy import check_settings
        from accounts.middleware import remember_device

        user_logged_in.connect(remember_device, dispatch_uid="accounts_remember_device")
        checks.register(check_settings)

        from accounts import slips  # noqa: F401 (registers the slips' background export)
        from accounts.tasks import health_items, resume_lost_batches, running_batch_tasks
        from cms import jobs

        jobs.register_check("account_batches", resume_lost_batches)
        jobs.register_live_tasks("account_batches", running_batch_tasks)
        jobs.register_health("account_batches", health_items)

        from accounts.models import AccountBatch

        jobs.register_kind(
            jobs.JobKind(
                "account_batches",
                AccountBatch._meta.verbose_name,
                AccountBatch,
                url=_batch_url,
                describe=_describe_batch,
                related=("agency",),
            )
        )

        # The personnel writes (org) ask the single sign-on rule through this guard.
        from accounts.personnel_guard import PersonnelGuard
        from org import sign_in_guard

        sign_in_guard.register(PersonnelGuard())


def _batch_url(batch, user) -> str | None:
    """A batch's page opens only for who ran it (``accounts.views.BatchView``)."""
    from django.urls import reverse

    return reverse("accounts_batch", args=[batch.pk]) if batch.created_by_id == user.pk else None


def _describe_batch(batch) -> str:
    from django.utils.translation import gettext

    return gettext("Tạo tài khoản đăng nhập: %(agency)s, %(done)d/%(total)d người") % {
        "agency": batch.agency or gettext("nhiều cơ quan, đơn vị"),
        "done": batch.done,
        "total": batch.total,
    }
