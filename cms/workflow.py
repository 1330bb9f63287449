"""One small approval-workflow kit: "a document moves through states" (arch.md H2).

Generalised from the rating case's table (``ratings/workflow/``). A flow is a table of
:class:`Transition` rows — which states a step starts from, the state it leads to, the roles
that may take it, the data and comment it needs, and guards that return the reasons to refuse
it — and :meth:`Flow.check` answers, for one object, one step and one user, either a
:class:`Move` or one of three errors:

* :class:`NotAllowed` — the step does not exist or the object's state does not allow it;
* :class:`Forbidden` — the user holds none of the step's roles (views answer 403);
* :class:`Refused` — required data is missing or a guard refuses; ``reasons`` say why.

The caller then writes its effects, :meth:`Flow.advance` sets the new state, and the flow's
``record`` appends one row to the object's log (append-only: :class:`TransitionLog` is the
abstract model new flows use; the older flows keep their own log tables, which still read).
Everything runs inside the caller's transaction, with the row locked by the caller.

The kit imports no app (``cms`` is the lowest layer); each app keeps its table next to its
service. The catalog pages stay on Wagtail's page ``Workflow``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Transition:
    """One allowed move. ``target`` None: the flow's ``resume_target`` decides (on-hold)."""

    action: str
    label: Any
    sources: frozenset
    target: str | None
    actors: frozenset = frozenset()  # empty: the flow checks no role (the caller does)
    required: tuple[str, ...] = ()
    guards: tuple[Callable, ...] = ()
    needs_comment: bool = False
    danger: bool = False
    #: Said when the object's state does not allow the step (else the flow's message).
    wrong_state: Any = None


class TransitionError(Exception):
    def __init__(self, reasons):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("; ".join(str(r) for r in self.reasons))


class NotAllowed(TransitionError):
    """The action does not exist or cannot be taken from the object's state."""


class Forbidden(TransitionError):
    """The user holds none of the roles the action needs."""


class Refused(TransitionError):
    """Missing data or a rule refuses the move; ``reasons`` say why."""


@dataclass
class Context:
    """What a guard sees."""

    obj: Any
    user: Any
    transition: Transition
    roles: frozenset
    data: dict = field(default_factory=dict)
    comment: str = ""
    today: datetime.date | None = None


@dataclass
class Move:
    """A checked step: apply the effects, then ``flow.advance(move)`` and ``flow.record``."""

    context: Context
    from_state: str
    to_state: str

    @property
    def transition(self) -> Transition:
        return self.context.transition


def _reasons(found) -> list:
    """A guard answers None, a reason, a list of reasons or a mapping field → reason."""
    if not found:
        return []
    if isinstance(found, str | Mapping) or not isinstance(found, Iterable):
        return [found]
    return [r for r in found if r]


UNKNOWN = _("Thao tác không hợp lệ.")
FORBIDDEN = _("Bạn không có thẩm quyền thực hiện thao tác này.")
MISSING = _("Thiếu thông tin bắt buộc: %(field)s.")


class Flow:
    """A table of transitions over one state field, with the messages of its door.

    ``roles(user, obj, today)`` returns the roles the user holds on the object (checked against
    each transition's ``actors``); ``record(move)`` appends the log row. Messages are lazy
    strings or callables taking the transition and the object, so that each flow keeps the
    words its users already know.
    """

    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        state_field: str = "status",
        roles: Callable | None = None,
        record: Callable | None = None,
        unknown=UNKNOWN,
        wrong_state=None,
        forbidden=FORBIDDEN,
        missing=MISSING,
        field_labels: dict | None = None,
        resume_target: Callable | None = None,
    ):
        self.transitions = {t.action: t for t in transitions}
        self.state_field = state_field
        self._roles = roles
        self._record = record
        self.unknown = unknown
        self.wrong_state = wrong_state
        self.forbidden = forbidden
        self.missing = missing
        self.field_labels = field_labels or {}
        self.resume_target = resume_target

    # --- reading ---------------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def roles_of(self, user, obj, today=None) -> frozenset:
        if self._roles is None:
            return frozenset()
        return frozenset(self._roles(user, obj, today))

    def _may(self, transition: Transition, roles: frozenset) -> bool:
        return not transition.actors or bool(roles & transition.actors)

    def available(self, obj, user, today=None) -> list[Transition]:
        """Steps the user may attempt now (state and role only; guards run on submit)."""
        roles = self.roles_of(user, obj, today)
        state = self.state_of(obj)
        return [t for t in self.transitions.values() if state in t.sources and self._may(t, roles)]

    def transition_for(self, obj, action: str) -> Transition:
        transition = self.transitions.get(action)
        if transition is None:
            raise NotAllowed(str(self._say(self.unknown, None, obj)))
        if self.state_of(obj) not in transition.sources:
            message = transition.wrong_state or self.wrong_state or self.unknown
            raise NotAllowed(str(self._say(message, transition, obj)))
        return transition

    @staticmethod
    def _say(message, transition, obj):
        return message(transition, obj) if callable(message) else message

    def missing_reasons(self, transition: Transition, data: dict, comment: str) -> list[str]:
        names = [name for name in transition.required if data.get(name) in (None, "")]
        if transition.needs_comment and not (comment or "").strip():
            names.append("comment")
        return [
            self._say(self.missing, transition, None) % {"field": self.field_labels.get(n, n)}
            for n in names
        ]

    # --- moving ----------------------------------------------------------------------------

    def check(
        self, obj, action: str, user, *, data: dict | None = None, comment: str = "", today=None
    ) -> Move:
        """State, then role, then required data and guards; raises or returns the move."""
        transition = self.transition_for(obj, action)
        roles = self.roles_of(user, obj, today)
        if not self._may(transition, roles):
            raise Forbidden(str(self._say(self.forbidden, transition, obj)))
        data = dict(data or {})
        comment = (comment or "").strip()
        context = Context(obj, user, transition, roles & transition.actors, data, comment, today)
        reasons = self.missing_reasons(transition, data, comment)
        if not reasons:
            for guard in transition.guards:
                reasons += _reasons(guard(context))
        if reasons:
            raise Refused(reasons)
        from_state = self.state_of(obj)
        target = transition.target
        if target is None:
            target = self.resume_target(obj) if self.resume_target else from_state
        return Move(context, from_state, target)

    def advance(self, move: Move) -> None:
        """Set the object's new state (the caller saves it) and append the log row."""
        setattr(move.context.obj, self.state_field, move.to_state)

    def record(self, move: Move, **extra):
        return self._record(move, **extra) if self._record else None


class TransitionLog(models.Model):
    """Append-only log of a flow's moves: subclass with a ``ForeignKey`` to the object."""

    action = models.CharField(_("thao tác"), max_length=40)
    from_state = models.CharField(_("từ trạng thái"), max_length=30, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A transition log row is never changed.")
        super().save(*args, **kwargs)

    @classmethod
    def append(cls, move: Move, **fields):
        user = move.context.user
        name = ""
        if getattr(user, "pk", None):
            name = (user.get_full_name() or user.get_username())[:150]
        return cls._default_manager.create(
            action=move.transition.action,
            from_state=move.from_state,
            to_state=move.to_state,
            user=user if getattr(user, "pk", None) else None,
            user_name=name,
            comment=move.context.comment,
            **fields,
        )
