"""The rules of a document's identity, time and order, kept once for every feed (the watched
folder and the webhook; docs/connectors.md §0 lists them with the feeds they apply to).

* **Identity**: a document is its sender (``From/OrganId``) and its ``DocumentId``; a package
  without ``DocumentId`` is its sender, number/notation and the **year** of its date (numbers
  restart every year); with neither, it is refused (:func:`document_identity`). The same
  identity delivered by two sources of one agency is one task (``connectors.ingest``).
* **Replacement and revocation** follow ``BussinessDocType`` (1 revoke, 3 replace) and
  ``ReplacementInfoList/ReplacementInfo`` (``OrganId``, ``DocumentId``): the documents named
  are withdrawn, whichever of the two arrives first (:func:`names_replaced`).
* **Times keep their zone**; one written without a zone is Vietnam time (:func:`parse_moment`).
  Anything after the time that is not a zone is refused, never dropped.
* **Never older**: a package whose time (its own latest ``Timestamp``, else the time the door
  vouches for: the webhook's signed timestamp, the folder file's modification time) is older
  than the stored version of the same document does not overwrite it (:func:`is_older`); a
  revoked document is not brought back by a package that is not newer (:func:`revives`).
* **A signature is accepted once** (:func:`first_use`): the webhook answers a replay with 409.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AcceptedSignature

#: The zone of a time written without one (the sending systems are Vietnamese).
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
#: Bussiness/BussinessDocType
NEW, REVOKE, UPDATE, REPLACE = 0, 1, 2, 3
#: How long an accepted webhook signature is remembered: twice the timestamp window (a
#: signature older than the window is refused by its timestamp anyway).
SIGNATURE_MEMORY = datetime.timedelta(seconds=600)
#: ``facts["time_from"]`` when the package's time is the door's (the webhook's signed
#: timestamp, the folder file's modification time), not a ``Timestamp`` of its own.
DOOR_TIME = "door"


class PackageError(ValueError):
    """The bytes are not a readable edXML package; the message says why, in Vietnamese."""


MOMENT = re.compile(
    r"(?:(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"|(?P<d2>\d{1,2})[-/](?P<m2>\d{1,2})[-/](?P<y2>\d{4}))"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)


def _bad_date(value: str) -> PackageError:
    return PackageError(
        _("Ngày “%(value)s” không đúng dạng yyyy-mm-dd hoặc dd/mm/yyyy.") % {"value": value}
    )


def _zone(text: str | None) -> datetime.tzinfo:
    if not text:
        return VIETNAM
    if text.upper() in ("Z", "UTC", "GMT"):
        return datetime.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    if offset > datetime.timedelta(hours=14):
        raise ValueError(text)
    return datetime.timezone(sign * offset)


def parse_moment(value: str) -> datetime.datetime | None:
    """An aware moment from ``yyyy-mm-dd``, ``yyyy/mm/dd`` or ``dd/mm/yyyy``, optionally with a
    time ``hh:mm[:ss[.fff]]`` and a zone (``Z``, ``UTC``, ``+07:00``, ``+0700``, ``-05``);
    without a zone it is Vietnam time. Anything else after the date is refused (a zone the
    reader does not know is never silently read as Vietnam time)."""
    value = (value or "").strip()
    if not value:
        return None
    match = MOMENT.fullmatch(value)
    if not match:
        raise _bad_date(value)
    parts = match.groupdict()
    year, month, day = (
        (parts["y"], parts["m"], parts["d"])
        if parts["y"]
        else (parts["y2"], parts["m2"], parts["d2"])
    )
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            tzinfo=_zone(parts["z"]),
        )
    except ValueError:
        raise _bad_date(value) from None


def vietnam_day(moment: datetime.datetime | None) -> datetime.date | None:
    """The Vietnamese calendar day of a moment (``2026-11-30T18:30:00Z`` is 01/12/2026)."""
    return moment.astimezone(VIETNAM).date() if moment else None


def parse_date(value: str) -> datetime.date | None:
    return vietnam_day(parse_moment(value))


def identity(organ: str, document_id: str) -> str:
    """A document's identity: its sender and its ``DocumentId``."""
    return f"{organ}|{document_id}" if organ else document_id


def document_identity(
    sender: str, document_id: str, code: str, promulgated: datetime.date | None
) -> str:
    """The identity of a document package: sender + ``DocumentId``, else sender +
    number/notation + the year of its date; refused with neither."""
    if document_id:
        return identity(sender, document_id)
    if not code or promulgated is None:
        raise PackageError(
            _(
                "Gói tin không có mã định danh văn bản (DocumentId) và thiếu số, ký hiệu hoặc "
                "ngày ban hành: không phân biệt được văn bản này với văn bản cùng số của năm "
                "khác."
            )
        )
    return f"{sender}|{code}|{promulgated.year}"


def names_replaced(facts: dict) -> list[str]:
    """The identities a replacing (3) or revoking (1) document withdraws."""
    if facts.get("kind") != "document" or facts.get("business_type") not in (REPLACE, REVOKE):
        return []
    return list(facts.get("replaces") or [])


def sent_at(facts: dict) -> datetime.datetime | None:
    value = facts.get("sent_at")
    return datetime.datetime.fromisoformat(value) if value else None


def is_older(facts: dict, stored: dict) -> bool:
    """Whether a package is older than the stored version of the same document (both must
    carry a time; a package without one is applied as the latest, as it arrived)."""
    new, old = sent_at(facts), sent_at(stored)
    return new is not None and old is not None and new < old


def revives(facts: dict, stored: dict) -> bool:
    """Whether a package would bring back a revoked document without its own time proving it
    newer than the revocation (a late copy of the original, delivered after the revocation):
    refused. A revocation is final unless the document system sends a newer version."""
    if stored.get("business_type") != REVOKE or facts.get("business_type") == REVOKE:
        return False
    new = sent_at(facts) if facts.get("time_from") != DOOR_TIME else None
    old = sent_at(stored)
    return new is None or old is None or new <= old


def older_reason(facts: dict, stored: dict) -> str:
    new, old = sent_at(facts), sent_at(stored)

    def shown(moment):
        return f"{timezone.localtime(moment):%H:%M:%S %d/%m/%Y}" if moment else "—"

    return _(
        "Gói tin cũ hơn gói tin đã nhận của cùng văn bản (gửi lúc %(sent)s, đã có bản gửi lúc "
        "%(stored)s): không ghi đè."
    ) % {"sent": shown(new), "stored": shown(old)}


def revoked_reason(stored: dict) -> str:
    return _(
        "Văn bản %(code)s đã bị thu hồi ở phần mềm nguồn; gói tin này không mới hơn lệnh thu "
        "hồi nên không ghi lại dòng giao việc."
    ) % {"code": stored.get("code") or stored.get("document_id") or "—"}


def first_use(source, signature: str, now: datetime.datetime | None = None) -> bool:
    """Record an accepted webhook signature; False when it was accepted before (a replay).
    Signatures older than :data:`SIGNATURE_MEMORY` are forgotten. Call it inside the
    transaction that applies the request: a request that fails leaves its signature unused."""
    now = now or timezone.now()
    AcceptedSignature.objects.filter(accepted_at__lt=now - SIGNATURE_MEMORY).delete()
    try:
        with transaction.atomic():
            AcceptedSignature.objects.create(source=source, signature=signature, accepted_at=now)
    except IntegrityError:
        return False
    return True
