"""Everything the case page shows, gathered in one plain function (the view stays thin)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org_scoring.access import can_view_agency
from org_scoring.models import OrganisationScore
from ratings.actors import APPRAISER, RATER, ROLE_LABELS, resolve_actors, waiting_on
from ratings.deadlines import AT_RISK, DONE, ON_TRACK, OVERDUE
from ratings.forms import form_for
from ratings.models.choices import DONE_STATES
from ratings.printing.form02 import build_form02
from ratings.services.calendars import DeadlineBook
from ratings.services.case_figure import CaseFigure, case_figure
from ratings.services.ceilings import ceiling_for
from ratings.services.frameworks import rules_for_case
from ratings.services.labels import level_label
from ratings.services.prerequisites import decision_prerequisites
from ratings.services.quota import quota_status
from ratings.workflow.machine import available_actions
from scoring.explain import num
from scoring.models import PeriodScore
from scoring.services.explain_data import annual_basis

STATUS_CLASSES = {DONE: "done", ON_TRACK: "on-track", AT_RISK: "at-risk", OVERDUE: "overdue"}


def case_context(
    case, user, *, bound_action: str | None = None, bound_form=None, errors=None
) -> dict:
    actors = resolve_actors(case)
    roles = actors.roles_of(user)
    actions = []
    for transition in available_actions(case, user, actors):
        form = (
            bound_form
            if transition.action == bound_action and bound_form
            else form_for(transition, case)
        )
        actions.append(
            {"transition": transition, "form": form, "open": transition.action == bound_action}
        )
    if bound_action is None:
        # The first step offered opens by itself, never one that stops or undoes the case.
        first = next((a for a in actions if not a["transition"].confirm), None)
        if first is not None:
            first["open"] = True
    book = DeadlineBook()
    status = book.status(case)
    context = {
        "case": case,
        "actors": actors,
        "my_roles": [str(ROLE_LABELS[r]) for r in sorted(roles)],
        "waiting_on": [
            str(ROLE_LABELS[r]) for r in sorted(waiting_on(case, actors.opinion_required))
        ],
        "actions": actions,
        "errors": errors or [],
        "deadline": book.deadline(case),
        "deadline_status": status,
        "deadline_class": STATUS_CLASSES[status],
        "days_left": book.days_left(case),
        "days_overdue": max(0, -book.days_left(case)),
        "form02": build_form02(case),
        "transitions": _transitions(case),
        "complaints": case.complaints.prefetch_related("attachments").order_by("filed_at"),
        "decision_label": level_label(case.decision_level),
        "lifted_from_label": level_label(case.ceiling_lifted_from),
    }
    if case.state not in DONE_STATES:
        context["prerequisites"] = decision_prerequisites(case, actors)
    if roles & {APPRAISER, RATER}:
        ceiling = ceiling_for(case)
        context["ceiling"] = {"level": level_label(ceiling.level), "reasons": ceiling.reasons}
        if not case.is_agency_case:
            context["quota"] = quota_status(case, rules_for_case(case), include_self=True)
    figure = case_figure(case)
    context["figure"] = figure
    context["stale_label"] = figure.stale
    if case.is_agency_case:
        context["organisation_score"] = organisation_score_context(case, user)
    if not case.is_agency_case and case.annual_score is not None:
        context["period_scores"] = (
            PeriodScore.objects.filter(pk__in=case.annual_score.period_score_ids)
            .select_related("period")
            .order_by("period__start_date")
        )
        context["annual_basis"] = annual_basis(case.annual_score)
        context["score_note"] = recomputed_note(case, figure)
    return context


def recomputed_note(case, figure: CaseFigure | None = None) -> str:
    """The case shows the annual figure of now (``case_figure``, the one Form 02 prints); say
    when it is not the figure the case was opened with, or the one it was decided on."""
    figure = figure or case_figure(case)
    if figure.decided_differs:
        return figure.decided_note()
    annual = figure.annual
    if annual is None or case.score is None or not figure.current or figure.score == case.score:
        return ""
    at = timezone.localtime(annual.computed_at).strftime("%d/%m/%Y %H:%M")
    if figure.score is None:
        return _(
            "Điểm năm đã được tính lại lúc %(at)s và hiện không đủ căn cứ để xếp loại (khi lập hồ "
            "sơ: %(then)s)."
        ) % {"at": at, "then": num(case.score)}
    return _(
        "Điểm năm đã được tính lại lúc %(at)s sau khi số liệu các kỳ thay đổi: hiện là %(now)s, "
        "khi lập hồ sơ là %(then)s. Mức tối đa được phép tính theo điểm hiện tại."
    ) % {"at": at, "now": num(figure.score), "then": num(case.score)}


def _transitions(case) -> list:
    """The case log; a decision above the ceiling (force majeure) carries its level's label."""
    entries = list(case.transitions.select_related("user").order_by("at", "id"))
    for entry in entries:
        lifted = (entry.data or {}).get("ceiling_lifted_from")
        entry.lifted_from_label = level_label(lifted) if lifted else ""
    return entries


def organisation_score_context(case, user) -> dict:
    """The stored organisation score of an agency case (``org_scoring``), if any, and whether
    the user may open its explanation."""
    score = OrganisationScore.objects.filter(agency=case.subject_agency, year=case.year).first()
    url = ""
    if can_view_agency(user, case.subject_agency):
        url = reverse("org_scoring_agency_year", args=[case.subject_agency_id, case.year])
    return {
        "row": score,
        "rating_label": level_label(score.rating) if score is not None and score.rating else "",
        "url": url,
        # Why a stored row is not scored (e.g. self-marks awaiting the appraiser, review U7).
        "reasons": sorted(score.input_errors.values()) if score is not None else [],
    }
