"""Who writes a person's inputs of a period, as the write services ask it (issue 27).

Two answers every service of a person's period inputs shares:

* :func:`is_own` — the input is about the writer themselves (nobody changes the inputs of their
  own score; the self-assessment of Form 01 is the one input a person writes about themselves,
  and only the general-marks service allows it, for the self mark);
* :func:`evaluates` — the writer is the person's evaluator on the day whose authority decides
  the period (``scoring.services.postings.authority_day``: today moved into the period, then
  into the span of the posting that governs it — after a transfer on day D the former head
  evaluates the periods before D, the new head those from D on). The worklog's reviewer and
  Form 01's evaluator are this answer.

Reach through a grant (an agency admin, a unit leader) is ``org.access.refusal`` on the row, by
the row's period (``RowScope.during``); each service combines the three.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from org.authority import AuthorityError
from org.models import CivilServant
from scoring.services.postings import period_authority


def no_writer_message() -> str:
    return _("Chưa rõ ai chấm điểm này: chưa ghi gì.")


def person_id_of(user) -> int | None:

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CivilServant.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def is_own(user, person_id: int) -> bool:

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return CivilServant.objects.filter(pk=person_id, user_id=user.pk).exists()


def evaluates(user, person_id: int, period, today: datetime.date | None = None) -> bool:
    """Whether ``user`` is the evaluator of ``person_id`` for ``period``."""
    me = person_id_of(user)
    if me is None or me == person_id:
        return False
    person = CivilServant.objects.get(pk=person_id)
    try:
        authority = period_authority(person, period, today or timezone.localdate())
    except AuthorityError:
        return False
    evaluator = authority.evaluator.person
    return evaluator is not None and evaluator.pk == me
