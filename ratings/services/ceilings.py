"""The highest level the rules allow for a case, with the reason (Decree 335 Art. 20).

* Civil servant: the band of the CURRENT annual score, then every disqualification of the year
  recorded now (a reprimand decided after the annual scoring still counts) → ``rate`` of the
  engine. The score's own framework revision gives the bands and the disqualifier codes. The
  leaders-only disqualifier (Art. 20 cl. 4 d) applies when the person held a leader role at any
  time in the year (``annual.leader_role``; legal review U5), read from the postings now.
  The current annual score is the one recomputed last: when December or Q4 is scored after
  the 15 December deadline, the ceiling follows the new score (docs/ratings.md, "December and
  the 15 December deadline"); the case page says when it differs from the score of the case.
* Agency/unit with a stored organisation score (``org_scoring``): the rating the engine gave it
  from its tasks, general marks, sub-units, shortcomings and conclusions (every level condition
  of Quy định 366 Art. 11 / Gia Lai plan §III.3), lowered further when a direct sub-unit has
  since been decided "not completed". The reasons say that the stored score was used.
* Agency/unit without one (fallback): the score typed in at appraisal against the organisation
  levels (score thresholds), and "excellent" only when no direct sub-unit was finally rated not
  completed; the other level conditions are then judged by the appraiser.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from org_scoring.explain import condition_lines
from org_scoring.services.lookup import stored_score
from ratings.models import CaseState, RatingCase
from ratings.services.frameworks import organisation_rules, rules_for_annual_score
from ratings.services.labels import level_label
from scoring.engine import lower_rating, rate, rating_rank
from scoring.engine.individual import band_below
from scoring.explain import num
from scoring.models import AnnualScore, Disqualification
from scoring.services.annual import annual_is_leader

#: Which score an agency's ceiling was computed from.
ORGANISATION_SCORE, APPRAISAL = "organisation_score", "appraisal"


@dataclass
class Ceiling:
    level: str | None
    score: Decimal | None
    reasons: list[str] = field(default_factory=list)
    source: str = ""

    def allows(self, level: str) -> bool:
        return self.level is not None and rating_rank(level) <= rating_rank(self.level)


def civil_servant_ceiling(case) -> Ceiling:
    annual = (
        AnnualScore.objects.filter(civil_servant=case.civil_servant, year=case.year).first()
        if case.civil_servant_id
        else None
    )
    if annual is not None and not annual.scored and annual.months_worked:
        reason = (annual.explanation or {}).get("inputs", {}).get("not_scored_reason")
        if reason == "min_months":
            minimum = annual.explanation["inputs"]["min_months"]
            return Ceiling(
                None,
                None,
                [
                    _(
                        "Chưa đủ thời gian công tác để xếp loại: %(months)d tháng, tối thiểu "
                        "%(minimum)d tháng."
                    )
                    % {"months": annual.months_worked, "minimum": minimum}
                ],
            )
    if annual is None or not annual.scored or annual.score is None:
        return Ceiling(None, None, [_("Chưa có kết quả theo dõi, đánh giá của năm.")])
    rules = rules_for_annual_score(annual)
    known = {d.code: d.label for d in rules.disqualifiers}
    codes = [
        code
        for code in Disqualification.objects.filter(
            civil_servant=case.civil_servant, year=case.year
        ).values_list("kind", flat=True)
        if code in known
    ]
    result = rate(
        annual.score, rules, disqualifiers=codes, is_leader=annual_is_leader(annual, rules)
    )
    score_rating, rating = result.score_rating, result.rating
    if rules.rounding.banding.value == "exact" and annual.score_rating:
        # The bands compared the exact annual mean (docs/scoring.md §2), which is not stored:
        # the stored band is the one computed from it, not the band of the rounded score.
        score_rating = annual.score_rating
        if (annual.explanation or {}).get("inputs", {}).get("excellent_conditions"):
            # The stored band is after QĐ 366's conditions (M4); they are checked below.
            score_rating = "excellent"
        rating = "not_completed" if result.disqualifiers_applied else score_rating
    reasons = [
        _("Điểm năm %(score)s thuộc mức “%(band)s”.")
        % {"score": num(annual.score), "band": level_label(score_rating)}
    ]
    if score_rating == "excellent" and rules.individual.excellent_conditions.value == "qd366":
        # QĐ 366 Art. 11 (M4): the year's conditions, measured by the annual step over the
        # year's lines and stored with the score (docs/scoring.md §14).
        check = (annual.explanation or {}).get("inputs", {}).get("excellent_conditions")
        if not (check and check.get("passed")):
            score_rating = band_below("excellent", rules)
            if not result.disqualifiers_applied:
                rating = score_rating
            if check:
                reason = _(
                    "Chưa đạt điều kiện thêm của mức hoàn thành xuất sắc cả năm (Quy định "
                    "366-QĐ/TW, Điều 11): %(on_time)d/%(lines)d dòng sản phẩm đúng hạn, "
                    "%(exceeded)d/%(lines)d dòng vượt số giao; mức cao nhất là “%(band)s”."
                ) % {
                    "on_time": check.get("on_time", 0),
                    "exceeded": check.get("exceeded", 0),
                    "lines": check.get("lines", 0),
                    "band": level_label(score_rating),
                }
            else:
                reason = _(
                    "Điểm năm chưa được tính với điều kiện thêm của mức hoàn thành xuất sắc "
                    "(Quy định 366-QĐ/TW, Điều 11): mức cao nhất là “%(band)s” cho đến khi "
                    "điểm năm được tính lại."
                ) % {"band": level_label(score_rating)}
            reasons.append(reason)
    reasons += [
        _("Thuộc trường hợp không hoàn thành nhiệm vụ: %(label)s.") % {"label": known[code]}
        for code in result.disqualifiers_applied
    ]
    return Ceiling(rating, annual.score, reasons)


def agency_ceiling(case, score: Decimal | None = None) -> Ceiling:
    stored = stored_score(case.subject_agency, case.year)
    if stored is not None:
        return _stored_ceiling(case, stored)
    score = case.score if score is None else score
    if score is None:
        return Ceiling(None, None, [_("Chưa có điểm đánh giá của tổ chức sau thẩm định.")])
    ceiling = _levels_ceiling(case, score)
    ceiling.reasons.insert(
        0, _("Chưa có kết quả chấm điểm tổ chức được lưu: dùng điểm nhập khi thẩm định.")
    )
    ceiling.source = APPRAISAL
    return ceiling


def _stored_ceiling(case, stored) -> Ceiling:
    """The stored engine rating, lowered by sub-units decided "not completed" since."""
    base = _levels_ceiling(case, stored.score)
    reasons = [
        _(
            "Dùng kết quả chấm điểm tổ chức đã lưu (tính lúc %(at)s): %(score)s điểm, xếp loại "
            "theo điểm và điều kiện “%(level)s”."
        )
        % {
            "at": timezone.localtime(stored.computed_at).strftime("%d/%m/%Y %H:%M"),
            "score": num(stored.score),
            "level": level_label(stored.rating),
        },
        *condition_lines(stored),
        *base.reasons[1:],  # sub-units decided "not completed" (the score line is above)
    ]
    assert base.level is not None  # the levels always give one ("not_completed" at worst)
    level = lower_rating(stored.rating, base.level)
    return Ceiling(level, stored.score, reasons, ORGANISATION_SCORE)


def _levels_ceiling(case, score: Decimal) -> Ceiling:
    """Score thresholds of the organisation levels, and "excellent" only without a direct
    sub-unit decided "not completed"."""
    org = organisation_rules(case)
    failed = failed_subunits(case.subject_agency, case.year)
    reasons = [_("Điểm của tổ chức: %(score)s.") % {"score": num(score)}]
    for level in org.levels:
        if score < level.min_score:
            continue
        if level.require_no_failed_subunit and failed:
            reasons.append(
                _(
                    "Không thể xếp mức “%(level)s” vì có đơn vị trực thuộc không hoàn thành nhiệm "
                    "vụ: %(names)s."
                )
                % {"level": level_label(level.rating), "names": ", ".join(a.name for a in failed)}
            )
            continue
        return Ceiling(level.rating, score, reasons)
    return Ceiling("not_completed", score, reasons)


def ceiling_for(case, score: Decimal | None = None) -> Ceiling:
    """``score`` overrides an agency's stored score (an appraisal being recorded)."""
    return agency_ceiling(case, score) if case.is_agency_case else civil_servant_ceiling(case)


def failed_subunits(agency, year) -> list:
    """Direct sub-units whose case of ``year`` was decided "not completed"."""
    decided = RatingCase.objects.filter(
        subject_agency__parent=agency, year=year, decision_level="not_completed"
    ).exclude(state=CaseState.CANCELLED)
    return [case.subject_agency for case in decided.select_related("subject_agency")]
