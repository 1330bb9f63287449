"""The one gate for satisfaction codes (issue 33 item 3): issuing a code and recording the
beneficiary's one answer. Every door (the staff action, the public page, an import) calls
these functions; the answer asks for the person's periods containing the result's day to be
rescored (the answers feed the framework's satisfaction criterion, ``satisfaction`` rule).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import Satisfaction, SatisfactionCode
from org import access
from org.models import CivilServant
from scoring.services import rescoring

#: Letters and digits that cannot be mistaken for one another when typed from paper.
ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
CODE_LENGTH = 8


class FeedbackError(Exception):
    """A refused write: ``errors`` maps a form field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def normalise(code: str) -> str:
    """The code as stored: upper case, without spaces or dashes (as printed: ``ABCD-EFGH``)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def printed(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def issue_code(*, person, agency, subject: str, completed_on: date, user=None) -> SatisfactionCode:
    """A new unused code for a completed product or service of ``person`` in ``agency``.

    With ``user`` (every door but the tests' and the loaders'), the person must be one the user
    may change through a grant (``org.access.editable``): never the user's own record, so
    nobody issues codes to answer about themselves."""
    if user is not None and not access.editable(user, CivilServant).filter(pk=person.pk).exists():
        raise FeedbackError({"official_id": _("Bạn không được cấp mã phản hồi cho công chức này.")})
    subject = (subject or "").strip()
    if not subject:
        raise FeedbackError({"subject": _("Hãy nhập tên sản phẩm, dịch vụ đã trả kết quả.")})
    for _attempt in range(5):
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return SatisfactionCode.objects.create(
                    code=code,
                    person=person,
                    agency=agency,
                    subject=subject[:300],
                    completed_on=completed_on,
                    issued_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique satisfaction code")


@dataclass(frozen=True)
class Lookup:
    code: SatisfactionCode | None
    error: str = ""


def find(code: str) -> Lookup:
    """The code's row for the public page, or the Vietnamese reason it cannot be answered."""
    value = normalise(code)
    if not value:
        return Lookup(None, _("Hãy nhập mã phản hồi in trên phiếu trả kết quả."))
    row = SatisfactionCode.objects.select_related("agency").filter(code=value).first()
    if row is None:
        return Lookup(
            None,
            _(
                "Không tìm thấy mã phản hồi này. Hãy kiểm tra lại mã in trên phiếu trả kết quả "
                "(8 ký tự, không phân biệt chữ hoa, chữ thường)."
            ),
        )
    if row.answered:
        return Lookup(row, _("Mã phản hồi này đã được sử dụng. Mỗi mã chỉ trả lời được một lần."))
    return Lookup(row)


def staff_answer_error(row: SatisfactionCode, user) -> str | None:
    """Why ``user`` (the answering session, ``None`` or anonymous for a citizen) may not answer
    ``row``: the clerk who issued it, the person it rates, or anyone of the issuing agency —
    posted there or administering it (review 2026-11-25, security L1)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    insider = (
        row.issued_by_id == user.pk
        or CivilServant.objects.filter(user=user, pk=row.person_id).exists()
        or access.can_access_agency(user, row.agency)
        or CivilServant.objects.filter(
            user=user, postings__agency__path__startswith=row.agency.path
        ).exists()
    )
    if not insider:
        return None
    return _(
        "Mã phản hồi dành cho người dân, doanh nghiệp nhận kết quả. Bạn đang đăng nhập bằng tài "
        "khoản của %(agency)s nên không trả lời được mã này; hãy để người nhận kết quả tự trả "
        "lời trên thiết bị của họ (hoặc đăng xuất nếu đây là máy công cộng)."
    ) % {"agency": row.agency.name}


def answer(code: str, *, rating, comment: str = "", user=None) -> SatisfactionCode:
    """Record the one answer of ``code`` (no sign-in): refused when the code is unknown, already
    used, the level is not one of the scale's, or the answering session is the issuing
    agency's (:func:`staff_answer_error`). Asks for the person's open periods containing the
    result's day to be rescored."""
    try:
        level = int(rating)
    except (TypeError, ValueError):
        level = None
    if level not in Satisfaction.values:
        raise FeedbackError({"rating": _("Hãy chọn một mức hài lòng.")})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise FeedbackError({"comment": _("Góp ý tối đa 2.000 ký tự.")})
    with transaction.atomic():
        row = SatisfactionCode.objects.select_for_update().filter(code=normalise(code)).first()
        if row is None:
            raise FeedbackError({"code": find(code).error})
        if row.answered:
            raise FeedbackError(
                {"code": _("Mã phản hồi này đã được sử dụng. Mỗi mã chỉ trả lời được một lần.")}
            )
        refusal = staff_answer_error(row, user)
        if refusal:
            raise FeedbackError({"code": refusal})
        row.rating = level
        row.comment = comment
        row.answered_at = timezone.now()
        row.save(update_fields=["rating", "comment", "answered_at"])
        for period in rescoring.open_periods_on(row.completed_on):
            rescoring.request_rescore(
                period,
                people=[row.person_id],
                reason=_("Người dân đánh giá mức độ hài lòng"),  # words, not a code (ux M3)
            )
    return row
