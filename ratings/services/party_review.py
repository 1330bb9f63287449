"""The export for the Party-member review and the emulation review (issue 33 item 4; Gia Lai
plan §II.2.d: the civil servants' ratings are the basis for rating Party members and for
emulation and commendation; §IV.4.1.b: the civil-servant rating comes first, before the Party
review of 15 December).

Per agency (its whole subtree) and year, one row per civil servant with a stored annual score
or a decided rating:
the annual score and its band, the rating decided by the competent person (with the decision's
number and day) or "chưa có quyết định", the disqualifiers applied (Art. 20 cl. 4) with the
decisions behind them, and the consecutive years rated "excellent" up to that year (what the
emulation council looks at). Read-only; nothing here decides anything.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import xlsx
from ratings.models import RatingCase
from ratings.services.labels import level_label
from scoring.explain import disqualifier_label
from scoring.models import AnnualScore, Disqualification

EXCELLENT = "excellent"


def _decided(case) -> str:
    return case.decision_level if case is not None and case.decision_level else ""


class _NoScore:
    """The row of a decided rating that has no stored annual score."""

    scored = False
    score = None
    rating = ""
    disqualifiers_applied: list = []

    def __init__(self, case):
        self.civil_servant = case.civil_servant
        self.civil_servant_id = case.civil_servant_id
        self.agency = case.agency


def review_count(agency, year: int) -> int:
    """How many rows :func:`review_rows` lists (two counts, no loop): the people with a stored
    annual score, and those with a decided rating but no stored score."""
    scores = AnnualScore.objects.filter(year=year, agency__path__startswith=agency.path)
    decided_only = (
        RatingCase.objects.filter(
            year=year, civil_servant__isnull=False, agency__path__startswith=agency.path
        )
        .exclude(state="cancelled")
        .exclude(decision_level="")
        .exclude(civil_servant_id__in=scores.values("civil_servant_id"))
    )
    return scores.count() + decided_only.count()


def review_rows(agency, year: int) -> list[dict]:
    scores = list(
        AnnualScore.objects.filter(year=year, agency__path__startswith=agency.path)
        .select_related("civil_servant", "agency")
        .order_by("agency__path", "civil_servant__full_name", "civil_servant__official_id")
    )
    # A rating decided without a stored annual score (decided before go-live, or its score
    # not kept) is still a basis for the Party-member and emulation reviews (review
    # 2026-11-25, coverage L1): it gets its row, without a score.
    scored_people = {score.civil_servant_id for score in scores}
    decided_only = [
        _NoScore(case)
        for case in RatingCase.objects.filter(
            year=year,
            civil_servant__isnull=False,
            agency__path__startswith=agency.path,
        )
        .exclude(state="cancelled")
        .exclude(decision_level="")
        .exclude(civil_servant_id__in=scored_people)
        .select_related("civil_servant", "agency")
    ]
    rows_of: list = [*scores, *decided_only]
    scores = sorted(
        rows_of,
        key=lambda s: (s.agency.path, s.civil_servant.full_name, s.civil_servant.official_id),
    )
    people = [score.civil_servant_id for score in scores]
    cases: dict[tuple[int | None, int], RatingCase] = {}
    for case in (
        RatingCase.objects.filter(civil_servant_id__in=people, year__lte=year)
        .exclude(state="cancelled")
        .order_by("year", "pk")
    ):
        cases[(case.civil_servant_id, case.year)] = case
    earlier: dict[int, dict[int, str]] = defaultdict(dict)
    for person, past_year, rating in AnnualScore.objects.filter(
        civil_servant_id__in=people, year__lt=year
    ).values_list("civil_servant_id", "year", "rating"):
        earlier[person][past_year] = rating
    grounds = defaultdict(list)
    for person, kind, reference, day in Disqualification.objects.filter(
        civil_servant_id__in=people, year=year
    ).values_list("civil_servant_id", "kind", "reference", "decided_on"):
        grounds[(person, kind)].append(
            _("số %(ref)s ngày %(day)s") % {"ref": reference, "day": day.strftime("%d/%m/%Y")}
        )
    rows = []
    for number, score in enumerate(scores, start=1):
        person = score.civil_servant
        own_case = cases.get((person.pk, year))
        decided = _decided(own_case)

        def final(past_year, _person=person.pk):
            past_case = cases.get((_person, past_year))
            return _decided(past_case) or earlier[_person].get(past_year, "")

        streak = 0
        if (decided or score.rating) == EXCELLENT:
            streak = 1
            while final(year - streak) == EXCELLENT:
                streak += 1
        # The cases that applied to the annual rating (Art. 20 cl. 4), with their decisions.
        disqualifiers = [
            disqualifier_label(code)
            + (f" ({'; '.join(grounds[(person.pk, code)])})" if grounds[(person.pk, code)] else "")
            for code in score.disqualifiers_applied or []
        ]
        rows.append(
            {
                "number": number,
                "official_id": person.official_id,
                "full_name": person.full_name,
                "agency": score.agency.name,
                "score": score.score if score.scored else None,
                "score_rating": level_label(score.rating) if score.scored else "",
                "decided": level_label(decided) if decided else _("chưa có quyết định"),
                "decision": (
                    _("Số %(ref)s ngày %(day)s")
                    % {
                        "ref": own_case.decision_ref,
                        "day": own_case.decision_date.strftime("%d/%m/%Y")
                        if own_case.decision_date
                        else "—",
                    }
                    if decided and own_case is not None
                    else ""
                ),
                "disqualifiers": "; ".join(disqualifiers),
                "excellent_years": streak,
            }
        )
    return rows


HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Mã số công chức"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Cơ quan, đơn vị"),
    gettext_lazy("Điểm năm"),
    gettext_lazy("Mức theo điểm"),
    gettext_lazy("Mức xếp loại chất lượng được quyết định"),
    gettext_lazy("Quyết định xếp loại"),
    gettext_lazy("Trường hợp không hoàn thành nhiệm vụ (Điều 20 khoản 4)"),
    gettext_lazy("Số năm liên tục hoàn thành xuất sắc nhiệm vụ"),
)


def review_xlsx(agency, year: int, progress=None) -> bytes:
    """The workbook; ``progress(rows)``, when given, hears how many rows are written."""
    workbook, sheet = xlsx.table_book(str(_("Xếp loại năm %(year)d") % {"year": year}))
    xlsx.title_row(
        sheet,
        _(
            "Kết quả xếp loại chất lượng công chức năm %(year)d — %(agency)s (căn cứ xếp "
            "loại đảng viên và xét thi đua, khen thưởng)"
        )
        % {"year": year, "agency": agency.name},
    )
    xlsx.header_row(sheet, HEADERS, freeze=True)
    xlsx.column_widths(sheet, (6, 14, 26, 30, 10, 16, 16, 24, 30, 12))
    for row in review_rows(agency, year):
        if progress is not None:
            progress(row["number"])
        sheet.append(
            [
                row["number"],
                row["official_id"],
                row["full_name"],
                row["agency"],
                float(row["score"]) if row["score"] is not None else None,
                str(row["score_rating"]),
                str(row["decided"]),
                str(row["decision"]),
                row["disqualifiers"],
                row["excellent_years"],
            ]
        )
        sheet.cell(sheet.max_row, 5).number_format = xlsx.DECIMAL_2
    return xlsx.to_bytes(workbook)
