"""The score preview of one person's period so far, with the engine of the score-preview API.

The engine input is built from the period's lines exactly as the public API receives it
(``scoring.engine.score_preview``): per line the catalog coefficient, assigned and completed
quantities (completed = accepted by the leader), the failed reviews and delays on the line's
counters and the exempted ones (exempt ``Deduction`` rows, each product of a row one event),
and the counted events per product where the line has them. Marks not entered yet are ASSUMED
(general criteria at their maximum; for leaders d, đ, e at 100 %), and the page says so.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from org.models import LeadershipRole
from scoring.engine import DECREE_335_DEFAULT, ScoringInputError, score_preview
from scoring.explain import render_steps
from scoring.models import (
    AssignmentLine,
    Deduction,
    DeductionKind,
    GeneralCriteriaMark,
    LeaderMark,
)
from scoring.services.loading import Exempted, counted_by_product

GENERAL = DECREE_335_DEFAULT.component("general")


@dataclass
class Preview:
    payload: dict
    result: dict | None = None
    assumptions: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def engine_lines(lines) -> list[dict]:
    """Payload lines; a line with a per-product breakdown (Art. 14 b, c [confirmed]) also
    carries its counted events per product (``failed_by_product`` / ``delays_by_product``),
    computed like the official scoring (``scoring.services.loading.counted_by_product``)."""
    lines = list(lines.select_related("item").order_by("deadline", "id"))
    spans: dict[tuple[int, str], list] = defaultdict(list)
    for line_id, kind, first, products in (
        Deduction.objects.filter(line__in=[line.pk for line in lines], exempt=True)
        .order_by("line_id", "kind", "first_product", "id")
        .values_list("line_id", "kind", "first_product", "products")
    ):
        spans[line_id, kind].append((first, products))
    exempted = {
        key: Exempted(sum(n for _f, n in found), tuple(found)) for key, found in spans.items()
    }
    payload = []
    for line in lines:
        review = exempted.get((line.pk, DeductionKind.REVIEW.value))
        delay = exempted.get((line.pk, DeductionKind.DELAY.value))
        entry = {
            "ref": line.item.code,
            "coefficient": _fmt(line.item.coefficient),
            "assigned": _fmt(line.assigned_quantity),
            "completed": _fmt(line.completed_quantity),
            "failed_reviews": line.failed_reviews,
            "exempt_reviews": min(review.count if review else 0, line.failed_reviews),
            "delays": line.delays,
            "exempt_delays": min(delay.count if delay else 0, line.delays),
        }
        for name, total, found in (
            ("failed_by_product", line.failed_reviews, review),
            ("delays_by_product", line.delays, delay),
        ):
            counted = counted_by_product(json.dumps(getattr(line, name) or []), total, found)
            if counted is not None:
                entry[name] = counted
        payload.append(entry)
    return payload


def _general(person, period, assumptions) -> Decimal:
    marks = {
        m.criterion: m.effective_mark
        for m in GeneralCriteriaMark.objects.filter(
            civil_servant=person, period=period, component="general"
        )
        if m.effective_mark is not None
    }
    codes = [c.code for c in GENERAL.criteria]
    if all(code in marks for code in codes):
        return sum((marks[code] for code in codes), Decimal(0))
    assumptions.append(
        gettext("Tiêu chí chung chưa chấm đủ: tạm tính tối đa %(max)s điểm.")
        % {"max": _fmt(GENERAL.max_points)}
    )
    return GENERAL.max_points


def _role(person, period, today) -> str:
    day = min(max(today, period.start_date), period.end_date)
    posting = person.primary_posting_on(day) or person.primary_posting_on(period.end_date)
    return posting.role if posting is not None else LeadershipRole.STAFF


def _leader(person, period, assumptions) -> dict:
    mark = LeaderMark.objects.filter(civil_servant=person, period=period).first()
    assumptions.append(
        gettext("Tiêu chí d (kết quả của đơn vị) tạm tính %(value)s.") % {"value": "100%"}
    )
    if mark is None:
        assumptions.append(
            gettext("Tiêu chí đ, e chưa chấm: tạm tính %(value)s.") % {"value": "100%"}
        )
        return {"unit_results": "100", "organising": "100", "cohesion": "100"}
    return {
        "unit_results": "100",
        "organising": _fmt(mark.organising),
        "cohesion": _fmt(mark.cohesion),
    }


def period_preview(person, period, today: datetime.date) -> Preview:
    assumptions: list[str] = []
    role = _role(person, period, today)
    payload = {
        "role": role,
        "general": _fmt(_general(person, period, assumptions)),
        "lines": engine_lines(AssignmentLine.objects.filter(civil_servant=person, period=period)),
    }
    if DECREE_335_DEFAULT.is_leader_role(role):
        payload["leader"] = _leader(person, period, assumptions)
    preview = Preview(payload=payload, assumptions=assumptions)
    try:
        preview.result = score_preview(payload)
        preview.result["explanation"] = render_steps(preview.result["explanation"])
    except ScoringInputError as exc:
        preview.errors = dict(exc.errors)
    return preview
