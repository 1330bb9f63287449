"""Evaluation periods (kỳ theo dõi, đánh giá): month, quarter, half-year, year.

A period is ``open`` while inputs are collected, ``closed`` when the books are shut (inputs are
frozen, stored scores are only recomputed when explicitly forced) and ``locked`` once the rating
decision is final. ``published`` marks results that may appear on the public page.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.models.choices import PeriodKind, PeriodStatus

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
NUMBERS_PER_YEAR = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF_YEAR: 2,
    PeriodKind.YEAR: 1,
}
MONTHS_PER_PERIOD = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}
CODE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE), PeriodKind.HALF_YEAR),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


def period_bounds(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of period ``number`` of ``kind`` in ``year``."""
    months = MONTHS_PER_PERIOD[kind]
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


def number_for_date(kind: str, day: datetime.date) -> int:
    return (day.month - 1) // MONTHS_PER_PERIOD[kind] + 1


def parse_period_code(code: str) -> tuple[str, int, int]:
    """``"2026-03"`` → month, ``"2026-Q1"`` → quarter, ``"2026-H2"``, ``"2026"`` → year."""
    text = code.strip()
    for pattern, kind in CODE_PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
            if not 1 <= number <= NUMBERS_PER_YEAR[kind]:
                break
            return kind, year, number
    raise ValueError(
        gettext("Mã kỳ không hợp lệ: %(code)s (ví dụ 2026-03, 2026-Q1, 2026-H1, 2026).")
        % {"code": code}
    )


class PeriodQuerySet(models.QuerySet):
    def for_code(self, code: str):
        kind, year, number = parse_period_code(code)
        return self.filter(kind=kind, year=year, number=number).first()

    def within_year(self, year: int):
        return self.filter(year=year)


class Period(models.Model):
    kind = models.CharField(_("loại kỳ"), max_length=16, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(
        _("số thứ tự trong năm"), help_text=_("Tháng 1–12, quý 1–4, nửa năm 1–2; năm: 1.")
    )
    start_date = models.DateField(_("từ ngày"), editable=False)
    end_date = models.DateField(_("đến ngày"), editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    published = models.BooleanField(
        _("công khai kết quả"),
        default=False,
        help_text=_("Cho phép hiển thị kết quả của kỳ này trên trang công khai."),
    )
    closed_at = models.DateTimeField(_("thời điểm khóa sổ"), null=True, blank=True, editable=False)
    #: The blocs whose lead body closed the period for its bodies while the province's period
    #: stays open (``dashboards.closing.close_bloc``): ``{"<root agency id>": {"at": ISO time,
    #: "by": the closer's name}}``. Read by :meth:`accepts_inputs_for` (the write gate) and
    #: :meth:`is_final_for` (the scoring runs); written only under the period's lock.
    closed_blocs = models.JSONField(_("khối đã khóa sổ"), default=dict, blank=True, editable=False)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-start_date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="unique_period"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.start_date, self.end_date = period_bounds(self.kind, self.year, self.number)
        if self.status == PeriodStatus.OPEN:
            self.closed_at = None
        elif self.closed_at is None:
            self.closed_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        limit = NUMBERS_PER_YEAR.get(self.kind)
        if limit and not 1 <= (self.number or 0) <= limit:
            raise ValidationError(
                {"number": _("Số thứ tự phải từ 1 đến %(limit)d.") % {"limit": limit}}
            )
        if self.pk and self._identity_changed() and self._has_data():
            raise ValidationError(
                _("Kỳ đã có dữ liệu chấm điểm: không thể đổi loại kỳ, năm hoặc số thứ tự.")
            )

    # --- naming ---------------------------------------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return gettext("Tháng %(month)02d/%(year)d") % {"month": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return gettext("Quý %(roman)s/%(year)d") % {
                "roman": ROMAN.get(self.number, self.number),
                "year": self.year,
            }
        if self.kind == PeriodKind.HALF_YEAR:
            if self.number == 1:
                return gettext("6 tháng đầu năm %(year)d") % {"year": self.year}
            return gettext("6 tháng cuối năm %(year)d") % {"year": self.year}
        return gettext("Năm %(year)d") % {"year": self.year}

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == PeriodKind.HALF_YEAR:
            return f"{self.year}-H{self.number}"
        return f"{self.year}"

    # --- state ----------------------------------------------------------------------------

    @property
    def accepts_inputs(self) -> bool:
        """Inputs (lines, deductions, marks…) may change only while the period is open."""
        return self.status == PeriodStatus.OPEN

    @property
    def is_final(self) -> bool:
        return self.status != PeriodStatus.OPEN

    # --- a bloc's own close (Ban Tổ chức Tỉnh ủy, the Front: coverage A8) ------------------

    @staticmethod
    def bloc_key(agency) -> str:
        """The key of ``agency``'s bloc in :attr:`closed_blocs`: its tree's root id, read from
        its path (``agency`` may be an agency or a path; no query)."""
        path = agency if isinstance(agency, str) else getattr(agency, "path", "")
        return (path or "").strip("/").split("/")[0]

    def closed_for(self, agency) -> bool:
        """Whether ``agency``'s bloc closed this period for its bodies (the province's close is
        :attr:`is_final`)."""
        if not self.closed_blocs or agency is None:
            return False
        return self.bloc_key(agency) in self.closed_blocs

    def accepts_inputs_for(self, agency) -> bool:
        """Inputs of ``agency``'s people may change: the period is open, and open for its bloc."""
        return self.accepts_inputs and not self.closed_for(agency)

    def is_final_for(self, agency) -> bool:
        """The stored scores of ``agency``'s people are final: closed province-wide or by the
        bloc's lead body."""
        return self.is_final or self.closed_for(agency)

    def bloc_close(self, root) -> dict | None:
        """``{"at": datetime, "by": name}`` of the bloc ``root``'s close, or None when open."""
        entry = (self.closed_blocs or {}).get(self.bloc_key(root))
        if entry is None:
            return None
        at = entry.get("at")
        return {
            "at": datetime.datetime.fromisoformat(at) if at else None,
            "by": entry.get("by", ""),
        }

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def for_date(cls, day: datetime.date, kind: str = PeriodKind.MONTH, create: bool = False):
        """The period of ``kind`` containing ``day`` (created when ``create`` is true)."""
        number = 1 if kind == PeriodKind.YEAR else number_for_date(kind, day)
        if create:
            return cls.objects.get_or_create(kind=kind, year=day.year, number=number)[0]
        return cls.objects.filter(kind=kind, year=day.year, number=number).first()

    @classmethod
    def from_code(cls, code: str, create: bool = False):
        kind, year, number = parse_period_code(code)
        if create:
            return cls.objects.get_or_create(kind=kind, year=year, number=number)[0]
        return cls.objects.filter(kind=kind, year=year, number=number).first()

    def _identity_changed(self) -> bool:
        stored = Period.objects.filter(pk=self.pk).values_list("kind", "year", "number").first()
        return stored is not None and stored != (self.kind, self.year, self.number)

    def _has_data(self) -> bool:
        return self.assignment_lines.exists() or self.scores.exists()

    def contains(self, other: "Period") -> bool:
        return self.start_date <= other.start_date and other.end_date <= self.end_date
