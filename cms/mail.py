"""E-mail through an outbox (issue 28, issue 47; reliability reviews M5 and M1): every notice is
written by :func:`send` as an :class:`~cms.models.OutgoingMail` row **in the caller's own
transaction** and sent by the background worker (:func:`deliver_task`, queued when that
transaction commits; the sweep every minute sends whatever a lost enqueue left). A request
therefore never talks to the relay: a stalled relay does not hold it, and a web worker killed
after the action committed does not lose the notice, which was committed with the action.

A failed delivery is tried again on the one retry policy of background work
(:data:`POLICY`, :mod:`cms.retry`) and given up — visible to Sở Nội vụ on the stuck work
page — after ``POLICY.max_attempts`` attempts. Every attempt is kept as a
:class:`~cms.models.MailAttempt` (when, how it ended, the relay's error), shown with the mail in
the admin, as a national batch's attempts are."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django_tasks import task

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cms.commit import after_commit
from cms.models import MailAttempt, MailStatus, OutgoingMail
from cms.retry import RetryPolicy

logger = logging.getLogger(__name__)

#: About three days of attempts, from 2 minutes doubling up to every 2 hours.
POLICY = RetryPolicy(
    max_attempts=40,
    first=datetime.timedelta(minutes=2),
    longest=datetime.timedelta(hours=2),
)
#: While one worker talks to the relay the row is held this long: another worker (or the
#: sweep) leaves it alone, and a worker killed mid-send hands it back when it runs out.
LEASE = datetime.timedelta(minutes=5)


def send(subject: str, body: str, recipients: list[str], from_email: str | None = None) -> bool:
    """Queue the message: one outbox row, in the caller's transaction (it commits, or rolls
    back, with the action), sent by the worker after the commit. True when queued. Never
    raises and never talks to the relay."""
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    recipients = [r for r in recipients if r]
    if not recipients:
        return False
    try:
        # A savepoint inside the caller's transaction: a failure here must not break it.
        with transaction.atomic():
            row = OutgoingMail.objects.create(
                subject=subject[:255],
                body=body,
                from_email=from_email,
                recipients=recipients,
                attempts=0,
                next_attempt_at=timezone.now(),
            )
    except Exception:
        logger.exception("E-mail %r could not be queued", subject)
        return False
    _schedule(row.pk)
    return True


def _schedule(mail_id: int) -> None:
    """Queue the delivery when the caller's transaction commits (at once outside one)."""
    after_commit(_enqueue, mail_id, robust=True)


def notices(write: Callable[..., object], *args, **kwargs) -> object:
    """Run ``write`` (a function that queues notices with :func:`send`) inside the caller's
    transaction, in a savepoint: its rows commit with the action, and a fault while composing
    a notice is logged rather than undoing the action."""
    try:
        with transaction.atomic():
            return write(*args, **kwargs)
    except Exception:
        logger.exception("Notices of %s not written", getattr(write, "__name__", write))
        return None


def _enqueue(mail_id: int) -> None:
    try:
        deliver_task.enqueue(mail_id)
    except Exception:  # the sweep sends it within a minute
        logger.warning("E-mail %s: delivery not queued; the sweep sends it", mail_id, exc_info=True)


def _claim(mail_id: int, now: datetime.datetime) -> OutgoingMail | None:
    """Take the row for one delivery attempt (one conditional UPDATE, on SQLite and
    PostgreSQL alike): None when it is sent, given up, not yet due or held by another worker."""
    taken = OutgoingMail.objects.filter(
        pk=mail_id, status=MailStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    return OutgoingMail.objects.filter(pk=mail_id).first() if taken else None


def deliver(mail_id: int, now: datetime.datetime | None = None) -> str:
    """One delivery attempt, kept as a :class:`~cms.models.MailAttempt`: "sent", "waiting"
    (failed, tried again later), "failed" (given up) or "skipped" (not ours to send now)."""
    now = now or timezone.now()
    mail = _claim(mail_id, now)
    if mail is None:
        return "skipped"
    attempt = MailAttempt(mail=mail, started_at=timezone.now())
    try:
        send_mail(mail.subject, mail.body, mail.from_email, mail.recipients)
    except Exception as exc:  # any mail failure: counted, retried later  # noqa: BLE001
        error = f"{type(exc).__name__}: {exc}"[:2000]
        attempt.finish(error)
        retried = mail.record_failure(error, POLICY, attempt.finished_at)
        if not retried:
            logger.error("E-mail %s given up after %d attempts", mail.pk, mail.attempts)
        else:
            logger.warning(
                "E-mail %s (%r) not sent, tried again at %s: %s",
                mail.pk,
                mail.subject,
                mail.next_attempt_at.isoformat(),
                mail.last_error,
            )
        with transaction.atomic():
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            attempt.save()
        return "waiting" if retried else "failed"
    attempt.finish()
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            **OutgoingMail.after_delivery(timezone.now())
        )
        attempt.save()
    logger.info("E-mail %s (%r) sent to %d recipients", mail.pk, mail.subject, len(mail.recipients))
    return "sent"


@task()
def deliver_task(mail_id: int) -> str:
    """The worker's delivery of one queued message."""
    return deliver(mail_id)


def retry_pending(now=None, limit: int = 200) -> dict:
    """Send the messages whose time has come (a first attempt whose enqueue was lost, or a
    retry); returns counts. Run by the sweep every minute and by the daily job."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "waiting": 0}
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now)
    for mail_id in list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]):
        outcome = deliver(mail_id, now)
        if outcome in counts:
            counts[outcome] += 1
    if any(counts.values()):
        logger.info(
            "Outbox: %d sent, %d waiting, %d given up",
            counts["sent"],
            counts["waiting"],
            counts["failed"],
        )
    return counts
