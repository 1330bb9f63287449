"""Filling Form 01 on screen: the general-criteria marks of one person and period.

* The civil servant enters their own marks (``self_mark``); their evaluator — named by
  ``scoring.services.postings.period_authority`` (the posting that governs the period) — enters the
  marks that count (``evaluator_mark``). Nobody else may write.
* Marks are ``scoring.GeneralCriteriaMark`` rows validated by that model (maximum per
  sub-criterion of the framework that applies, period still open); after saving, the person
  is rescored with ``scoring.services.score_person`` so Form 01 prints fresh totals.
* For a leader (a role the framework's task method counts as leading), the evaluator also
  chooses criteria đ (organising capacity) and e (cohesion) from the framework's levels
  (Art. 15 cl. 3 đ, e; ``scoring.LeaderMark``). Without them a leader's period is "not
  scored"; criterion d is computed from the people they manage, never entered.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms import seen
from cms.formats.fields import DecimalField
from org import write_gate
from org.authority import AuthorityError
from scoring.models import GeneralCriteriaMark, LeaderMark
from scoring.services import (
    competencies,
    contract_workers,
    framework_for_person,
    general_marks,
    leader_marks,
    rescoring,
    score_person,
)
from scoring.services.postings import period_authority


@dataclass
class EntryRights:
    own: bool
    evaluate: bool

    @property
    def any(self) -> bool:
        return self.own or self.evaluate


def entry_rights(user, person, period, today=None) -> EntryRights:
    own = person.user_id is not None and person.user_id == user.pk
    evaluate = False
    try:
        authority = period_authority(person, period, today)
    except AuthorityError:
        authority = None
    if authority is not None and authority.evaluator.person is not None:
        evaluate = authority.evaluator.person.user_id == user.pk
    return EntryRights(own=own, evaluate=evaluate)


def _field(prefix: str, code: str) -> str:
    return f"{prefix}_{code.replace('.', '_')}"


class MarksForm(forms.Form):
    """One row per sub-criterion of every mark-based component: own mark, evaluator's mark."""

    def __init__(
        self,
        *args,
        rules,
        rights: EntryRights,
        stored: dict,
        leader=False,
        leader_mark=None,
        contract=False,
        required=(),
        assessed=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rows: list[dict[str, Any]] = []
        self.leader_rows: list[dict[str, Any]] = []
        #: The position's required competencies when the framework weighs them (issue 45
        #: item 2): the evaluator chooses the level assessed of each.
        self.competency_rows: list[dict[str, Any]] = []
        #: The criteria fed by the assessed levels (their marks are not typed by hand).
        self.competency_criteria = tuple(rules.competency.criteria) if not contract else ()
        #: A contract worker scored by the framework's own method (M7): the three marks of
        #: ``scoring.services.contract_workers`` instead of the framework's general criteria.
        self.contract = contract
        if leader and not contract:
            self._add_leader_rows(rules, rights, leader_mark)
        if self.competency_criteria:
            self._add_competency_rows(rights, required, assessed or {})
        groups = (
            [(contract_workers.COMPONENT, contract_workers.CRITERIA)]
            if contract
            else [(component.code, component.criteria) for component in rules.marks_components]
        )
        for component_code, criteria in groups:
            for criterion in criteria:
                mark = stored.get((component_code, criterion.code))
                shown = getattr(criterion, "number", criterion.code)
                names = {}
                for prefix, allowed, current in (
                    ("self", rights.own, mark.self_mark if mark else None),
                    ("eval", rights.evaluate, mark.evaluator_mark if mark else None),
                ):
                    name = _field(prefix, criterion.code)
                    self.fields[name] = DecimalField(
                        label=(
                            _("Điểm tự chấm tiêu chí %(code)s")
                            if prefix == "self"
                            else _("Điểm người đánh giá chấm tiêu chí %(code)s")
                        )
                        % {"code": criterion.label if contract else criterion.code},
                        required=False,
                        min_value=0,
                        max_value=criterion.max_points,
                        max_digits=5,
                        decimal_places=2,
                        initial=current,
                        disabled=not allowed,
                    )
                    names[prefix] = name
                self.rows.append(
                    {
                        "component": component_code,
                        "code": criterion.code,
                        "number": shown,
                        "label": criterion.label,
                        "max": criterion.max_points,
                        "self": self[names["self"]],
                        "eval": self[names["eval"]],
                    }
                )

    def _add_leader_rows(self, rules, rights: EntryRights, stored):
        """Criteria đ and e of a leader: one choice each among the framework's levels; only
        the evaluator chooses (Art. 15 cl. 3 đ, e)."""
        for field, code in leader_marks.FIELDS.items():
            try:
                criterion = rules.leader_criterion(code)
            except KeyError:
                continue
            current = getattr(stored, field) if stored is not None else None
            name = f"leader_{code}"
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", "—")]
                + [
                    (
                        _percent(level.percent),
                        f"{_percent(level.percent)}%"
                        + (f" — {level.label}" if level.label else ""),
                    )
                    for level in criterion.levels
                ],
                coerce=lambda value: Decimal(value.replace(",", ".")),
                empty_value=None,
                required=False,
                initial=_percent(current) if current is not None else "",
                disabled=not rights.evaluate,
                # A level the framework lacks (a forged page): the message every door gives.
                error_messages={
                    "invalid_choice": leader_marks.level_message(criterion.allowed_percents)
                },
            )
            self.leader_rows.append(
                {
                    "field": field,
                    "code": "đ" if code == "dd" else code,
                    "label": criterion.label,
                    "widget": self[name],
                }
            )

    def _add_competency_rows(self, rights: EntryRights, required, assessed):
        """One choice per competency the position requires: the level shown, 1 … its levels;
        only the evaluator chooses (nobody assesses their own competencies)."""
        for row in required:
            current = assessed.get(row.competency_id)
            descriptors = dict(row.levels)
            name = f"competency_{row.competency_id}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Cấp độ đánh giá năng lực “%(name)s”") % {"name": row.name},
                choices=[("", "—")]
                + [
                    (
                        str(level),
                        _("Cấp độ %(level)s") % {"level": level}
                        + (f" — {descriptors[level]}" if descriptors.get(level) else ""),
                    )
                    for level in range(1, row.level_count + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(current.assessed_level) if current is not None else "",
                disabled=not rights.evaluate,
                error_messages={"invalid_choice": competencies.level_message(row)},
            )
            self.competency_rows.append(
                {
                    "required": row,
                    "competency_id": row.competency_id,
                    "code": row.code,
                    "name": row.name,
                    "level": row.level,
                    "level_count": row.level_count,
                    "widget": self[name],
                }
            )


def _percent(value: Decimal) -> str:
    """A level as its choice value and label: 100, 50, 87,5 (the decimal comma)."""
    return f"{value.normalize():f}".replace(".", ",")


def is_leader_in(person, period, rules) -> bool:
    """Whether ``person`` leads in ``period``: ``scoring.services.leader_marks.leads_in``, the
    one answer the scorer, the API and the admin share."""
    return leader_marks.leads_in(person, period, rules)


def stored_marks(person, period) -> dict:
    return {
        (m.component, m.criterion): m
        for m in GeneralCriteriaMark.objects.filter(civil_servant=person, period=period)
    }


def marks_snapshot(person, period) -> dict:
    """The stored marks of ``person`` in ``period`` as text: what the page shows, compared
    again on save by the marks' write service (``scoring.services.general_marks.snapshot``)
    so that the second of two people saving is told, not silently overwritten."""
    return general_marks.snapshot(person, period)


def build_form(person, period, user, data=None):
    """(form, rights, rules) — ``form`` is ``None`` when no framework applies."""
    rights = entry_rights(user, person, period)
    resolved = framework_for_person(person, period)
    if resolved is None:
        return None, rights, None
    leader = is_leader_in(person, period, resolved.rules)
    form = MarksForm(
        data,
        rules=resolved.rules,
        rights=rights,
        stored=stored_marks(person, period),
        leader=leader,
        contract=contract_workers.applies_to(person, period),
        required=(
            competencies.required_for(person, period)
            if competencies.applies(resolved.rules)
            else ()
        ),
        assessed=competencies.stored(person, period),
        leader_mark=(
            LeaderMark.objects.filter(civil_servant=person, period=period).first()
            if leader
            else None
        ),
    )
    form.fields[seen.FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.fields[seen.FIELD].initial = seen.token(marks_snapshot(person, period))
    return form, rights, resolved.rules


class Saved(NamedTuple):
    #: Vietnamese errors (nothing written then).
    errors: list[str]
    #: What else follows from the save: the leaders above rescored in the background.
    note: str = ""


def save_marks(form: MarksForm, person, period, user, rights: EntryRights) -> Saved:
    """Write the changed marks and rescore the person (the page shows their new total). Through
    the marks' one write service (``scoring.services.general_marks``: who may, the lock order,
    the state the page showed, history), đ/e through ``leader_marks``. The leaders above are
    rescored right here in a small tree; in a large one they are passed on to the period's
    leaders' run (``rescoring.LeadersLater``), counted as owed until it has run."""
    changes = {}
    for row in form.rows:
        values = {}
        if rights.own:
            values[general_marks.SELF] = form.cleaned_data[row["self"].name]
        if rights.evaluate:
            values[general_marks.EVALUATOR] = form.cleaned_data[row["eval"].name]
        if all(value is None for value in values.values()):
            continue
        changes[(row["component"], row["code"])] = values
    try:
        # Scored right below, with the cascade to the leaders: no background run as well.
        with rescoring.paused(), transaction.atomic():
            general_marks.save(
                user,
                person,
                period,
                changes,
                seen=seen.read(form.data.get(seen.FIELD)),
                evaluator=user if rights.evaluate else None,
            )
            if rights.evaluate and form.leader_rows:
                _save_leader_marks(form, person, period, user)
            if rights.evaluate and form.competency_rows:
                competencies.save(
                    user,
                    person,
                    period,
                    {
                        row["competency_id"]: form.cleaned_data[row["widget"].name]
                        for row in form.competency_rows
                    },
                    evaluator=user,
                )
    except write_gate.Stale as stale:
        seen.refresh(form, stale.now)
        return Saved([stale.message])
    except write_gate.Refused as refused:
        return Saved([refused.message])
    except ValidationError as exc:
        return Saved(list(exc.messages))
    later = rescoring.LeadersLater(
        period,
        user=user,
        reason=_("Lãnh đạo cấp trên của %(name)s (Phiếu 01)") % {"name": person.full_name},
    )
    score_person(person, period, leaders_later=later)
    return Saved([], later.message())


def _save_leader_marks(form: MarksForm, person, period, user) -> None:
    """Through the one leader-mark service (``scoring.services.leader_marks``); the state the
    evaluator saw was compared with the whole form's marks snapshot just before."""
    values = {row["field"]: form.cleaned_data[row["widget"].name] for row in form.leader_rows}
    if all(value is None for value in values.values()):
        return
    leader_marks.save(person, period, values, evaluator=user)


def total_of(form: MarksForm, prefix: str) -> Decimal | None:
    values = [row[prefix].value() for row in form.rows]
    numbers = [Decimal(str(v)) for v in values if v not in (None, "")]
    return sum(numbers, Decimal(0)) if numbers else None
