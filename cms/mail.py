"""E-mail after the fact (issue 28; reliability review M5, F11, F12): every notification goes
through :func:`send`, which never raises. When the relay is down (connection refused, a
timeout, an SMTP error) the message is logged and kept as an :class:`~cms.models.OutgoingMail`
row; :func:`retry_pending` — run by the background sweep every minute and by the daily job —
sends it again with a growing delay, and marks it failed (visible to Sở Nội vụ on the stuck
work page) after ``MAX_ATTEMPTS``. A decision or a complaint therefore commits and answers as
usual whatever the relay does."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cms.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

#: After this many failed attempts (about three days with the delays below) a message is
#: given up and shown as failed.
MAX_ATTEMPTS = 40
FIRST_DELAY = datetime.timedelta(minutes=2)
LONGEST_DELAY = datetime.timedelta(hours=2)


def _delay(attempts: int) -> datetime.timedelta:
    return min(FIRST_DELAY * (2 ** max(0, attempts - 1)), LONGEST_DELAY)


def send(subject: str, body: str, recipients: list[str], from_email: str | None = None) -> bool:
    """Send now; on any failure keep the message for a retry. True when sent now, False when
    queued for a retry. Never raises."""
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    recipients = [r for r in recipients if r]
    if not recipients:
        return False
    try:
        send_mail(subject, body, from_email, recipients)
        logger.info("E-mail %r sent to %d recipients", subject, len(recipients))
        return True
    except Exception as exc:  # any mail failure: queued for a retry  # noqa: BLE001
        logger.warning("E-mail %r to %s not sent, queued for a retry: %s", subject, recipients, exc)
        try:
            # Its own savepoint: a failure here must not break the caller's transaction.
            with transaction.atomic():
                OutgoingMail.objects.create(
                    subject=subject[:255],
                    body=body,
                    from_email=from_email,
                    recipients=recipients,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    next_attempt_at=timezone.now() + _delay(1),
                )
        except Exception:
            logger.exception("E-mail %r could not be queued for a retry either", subject)
        return False


def retry_pending(now=None, limit: int = 200) -> dict:
    """Send again the messages whose time has come; returns counts."""
    now = now or timezone.now()
    sent = failed = waiting = 0
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now)
    for mail in due.order_by("next_attempt_at", "id")[:limit]:
        try:
            send_mail(mail.subject, mail.body, mail.from_email, mail.recipients)
        except Exception as exc:  # any mail failure: counted, retried later  # noqa: BLE001
            mail.attempts += 1
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = MailStatus.FAILED
                failed += 1
                logger.error("E-mail %s given up after %d attempts", mail.pk, mail.attempts)
            else:
                mail.next_attempt_at = now + _delay(mail.attempts)
                waiting += 1
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            continue
        mail.status, mail.sent_at = MailStatus.SENT, timezone.now()
        mail.save(update_fields=["status", "sent_at"])
        sent += 1
    if sent or failed or waiting:
        logger.info("Outbox: %d sent again, %d waiting, %d given up", sent, waiting, failed)
    return {"sent": sent, "failed": failed, "waiting": waiting}
