"""Rule-based flags for HR decisions, as data: what the law attaches to a person's annual
ratings over several years (two consecutive years "not completed" → dismissal is considered, …).

Each :class:`FlagRule` says **when** it is raised — the trailing run of counted years whose
level is in ``levels`` is at least ``min_years`` long (``min_years=1``: the latest counted year
alone) — **for whom** (``categories``, codes of ``org.PersonCategory``: a rule of the Law on
Cadres and Civil Servants does not apply to a public employee or a contract worker), **which
decision it serves** (``purposes``), and **why** (``citation`` with a confidence tag, as in
docs/hr-decisions.md). A flag is an alert for the competent authority, never a decision.

Which years count: by default only years with a **decided** rating (a rating case decided or
notified, not cancelled). A provisional rating (the stored annual score's rating, no decision
yet) is shown on the pages, labelled, but raises no flag unless ``count_provisional`` is set —
per flag, or for every flag with ``KPI_HR_FLAGS_COUNT_PROVISIONAL = True``. A year without a
counted rating between two counted years breaks a run; the years after the last counted one
(the current year not decided yet) do not.

A deployment switches a flag off or changes its parameters with a setting, reviewed by Sở Nội
vụ (like ``KPI_PERSON_CATEGORY_RULES`` in ``org.categories``)::

    KPI_HR_FLAGS = {
        "recognition_streak": {"min_years": 3},
        "streamlining_review": {"enabled": False},
    }
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from org.models.civil_servant import PersonCategory
from scoring.models import Rating

#: Years shown by default on the multi-year view (setting ``KPI_HR_HISTORY_YEARS``).
DEFAULT_YEARS = 5

UNVERIFIED = "[giả định — tỉnh cần xác nhận]"


class Purpose(models.TextChoices):
    """The HR decisions a flag serves (Decree 335 Art. 23; P2 §I.1.c; ĐL §I.1)."""

    PLANNING = "planning", _("Quy hoạch")
    APPOINTMENT = "appointment", _("Bổ nhiệm")
    TRAINING = "training", _("Đào tạo, bồi dưỡng")
    STREAMLINING = "streamlining", _("Tinh giản biên chế")
    RECOGNITION = "recognition", _("Khen thưởng, nâng lương trước thời hạn")
    PLACEMENT = "placement", _("Bố trí, thôi việc")


CIVIL_SERVICE_LAW = (PersonCategory.CADRE, PersonCategory.CIVIL_SERVANT)
PUBLIC_SECTOR = (*CIVIL_SERVICE_LAW, PersonCategory.PUBLIC_EMPLOYEE)
EVERYONE = tuple(PersonCategory.values)


@dataclass(frozen=True)
class FlagRule:
    code: str
    label: str | Promise
    #: what the authority considers when the flag is raised
    consequence: str | Promise
    levels: tuple[str, ...]
    min_years: int
    purposes: tuple[str, ...]
    categories: tuple[str, ...]
    citation: str
    enabled: bool = True
    #: ``None``: the setting ``KPI_HR_FLAGS_COUNT_PROVISIONAL`` (default ``False``)
    count_provisional: bool | None = None
    #: ``"legal"``: the law attaches it; ``"guidance"``: a practice the plans point to
    basis: str = "legal"

    @property
    def counts_provisional(self) -> bool:
        if self.count_provisional is not None:
            return self.count_provisional
        return bool(getattr(settings, "KPI_HR_FLAGS_COUNT_PROVISIONAL", False))


NC = (Rating.NOT_COMPLETED,)

DEFAULT_FLAGS: tuple[FlagRule, ...] = (
    FlagRule(
        code="dismissal_review",
        label=_("2 năm liên tiếp không hoàn thành nhiệm vụ"),
        consequence=_("Xem xét cho thôi việc hoặc bố trí vị trí việc làm thấp hơn"),
        levels=NC,
        min_years=2,
        purposes=(Purpose.PLACEMENT, Purpose.STREAMLINING),
        categories=CIVIL_SERVICE_LAW,
        citation=(
            "Luật Cán bộ, công chức (Luật 22/2008/QH12 Điều 58 khoản 3, được kế thừa trong Luật "
            "80/2025/QH15 Điều 25–27); Nghị định 335/2025/NĐ-CP Điều 23 [confirmed: laodong "
            "1655188 cho Điều 23; số điều của Luật 80/2025 " + UNVERIFIED + "]"
        ),
    ),
    FlagRule(
        code="public_employee_termination",
        label=_("Viên chức 2 năm liên tiếp không hoàn thành nhiệm vụ"),
        consequence=_("Đơn vị có thể đơn phương chấm dứt hợp đồng làm việc"),
        levels=NC,
        min_years=2,
        purposes=(Purpose.PLACEMENT, Purpose.STREAMLINING),
        categories=(PersonCategory.PUBLIC_EMPLOYEE,),
        citation="Luật Viên chức 58/2010/QH12 Điều 29 khoản 1 điểm a " + UNVERIFIED,
    ),
    FlagRule(
        code="not_completed_year",
        label=_("Không hoàn thành nhiệm vụ trong năm"),
        consequence=_(
            "Không xem xét quy hoạch, bổ nhiệm, nâng lương trước thời hạn trong năm; xem xét "
            "bố trí vị trí việc làm thấp hơn"
        ),
        levels=NC,
        min_years=1,
        purposes=(Purpose.PLANNING, Purpose.APPOINTMENT, Purpose.RECOGNITION, Purpose.PLACEMENT),
        categories=CIVIL_SERVICE_LAW,
        citation=(
            "Nghị định 335/2025/NĐ-CP Điều 23 [confirmed: laodong 1655188]; điều kiện quy hoạch, "
            "bổ nhiệm (Quy định 50-QĐ/TW, Nghị định 138/2020/NĐ-CP) " + UNVERIFIED
        ),
    ),
    FlagRule(
        code="recognition_streak",
        label=_("Hoàn thành xuất sắc nhiệm vụ nhiều năm liên tiếp"),
        consequence=_("Xem xét khen thưởng, nâng bậc lương trước thời hạn, quy hoạch"),
        levels=(Rating.EXCELLENT,),
        min_years=2,
        purposes=(Purpose.RECOGNITION, Purpose.PLANNING),
        categories=PUBLIC_SECTOR,
        citation=(
            "Nghị định 335/2025/NĐ-CP Điều 23 (kết quả là căn cứ khen thưởng) [confirmed: "
            "laodong 1655188]; Thông tư 08/2013/TT-BNV (nâng bậc lương trước thời hạn), Luật "
            "Thi đua, khen thưởng 2022; số năm liên tiếp " + UNVERIFIED
        ),
    ),
    FlagRule(
        code="training_need",
        label=_("Hoàn thành nhiệm vụ hoặc không hoàn thành nhiệm vụ"),
        consequence=_("Xem xét cử đào tạo, bồi dưỡng theo yêu cầu vị trí việc làm"),
        levels=(Rating.COMPLETED, Rating.NOT_COMPLETED),
        min_years=1,
        purposes=(Purpose.TRAINING,),
        categories=EVERYONE,
        basis="guidance",
        citation=(
            "KH Đắk Lắk §I.1 và KH 002 §I.1.c (kết quả đánh giá làm căn cứ đào tạo, bồi dưỡng); "
            "Nghị định 335/2025/NĐ-CP Điều 23 " + UNVERIFIED
        ),
    ),
    FlagRule(
        code="streamlining_review",
        label=_("Năm gần nhất xếp loại hoàn thành nhiệm vụ trở xuống"),
        consequence=_("Thuộc diện rà soát tinh giản biên chế (nếu đủ các điều kiện khác)"),
        levels=(Rating.COMPLETED, Rating.NOT_COMPLETED),
        min_years=1,
        purposes=(Purpose.STREAMLINING,),
        categories=EVERYONE,
        citation=(
            "Nghị định 178/2024/NĐ-CP Điều 2, sửa đổi bởi Nghị định 67/2025/NĐ-CP; KH 002 §I.1.c "
            + UNVERIFIED
        ),
    ),
)

FIELDS = {
    "enabled",
    "levels",
    "min_years",
    "purposes",
    "categories",
    "count_provisional",
    "citation",
}


def _override(rule: FlagRule, changes: dict) -> FlagRule:
    unknown = set(changes) - FIELDS
    if unknown:
        raise ImproperlyConfigured(
            f"KPI_HR_FLAGS[{rule.code!r}]: unknown field(s) {sorted(unknown)}; "
            f"allowed: {sorted(FIELDS)}"
        )
    values = dict(changes)
    for key in ("levels", "purposes", "categories"):
        if key in values:
            values[key] = tuple(values[key])
    if "min_years" in values and int(values["min_years"]) < 1:
        raise ImproperlyConfigured(f"KPI_HR_FLAGS[{rule.code!r}]['min_years'] must be ≥ 1")
    return replace(rule, **values)


def all_rules() -> list[FlagRule]:
    """Every rule with the deployment's overrides (``KPI_HR_FLAGS``), switched off ones too."""
    overrides = getattr(settings, "KPI_HR_FLAGS", {}) or {}
    codes = {rule.code for rule in DEFAULT_FLAGS}
    unknown = set(overrides) - codes
    if unknown:
        raise ImproperlyConfigured(f"KPI_HR_FLAGS: unknown flag(s) {sorted(unknown)}")
    return [_override(rule, overrides.get(rule.code, {})) for rule in DEFAULT_FLAGS]


def active_rules() -> list[FlagRule]:
    return [rule for rule in all_rules() if rule.enabled]


def rule_by_code(code: str) -> FlagRule | None:
    return next((rule for rule in all_rules() if rule.code == code), None)


def history_years() -> int:
    return int(getattr(settings, "KPI_HR_HISTORY_YEARS", DEFAULT_YEARS))
