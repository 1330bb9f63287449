"""Checks on a deputy's charge (``DeputyCharge``) and the deputy postings it can hang on.

A charge is valid when, over its dates, the deputy holds a deputy posting (cấp phó), and every
unit in charge lies inside the agency of such a posting (a deputy director's charge stays within
their department). Messages are Vietnamese, keyed by form field.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from org.models import Agency, CivilServant, LeadershipRole, Posting


def deputy_postings(deputy: CivilServant, start: datetime.date, end: datetime.date | None):
    """The deputy postings of ``deputy`` overlapping [start, end]."""
    overlap = Q(end_date__isnull=True) | Q(end_date__gte=start)
    postings = Posting.objects.filter(overlap, civil_servant=deputy, role=LeadershipRole.DEPUTY)
    if end is not None:
        postings = postings.filter(start_date__lte=end)
    return postings.select_related("agency")


def charge_problems(
    deputy: CivilServant | None,
    start: datetime.date | None,
    end: datetime.date | None,
    units: list[Agency],
    people: list[CivilServant],
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if not units and not people:
        add("units", _("Chọn ít nhất một đơn vị hoặc một công chức được phân công phụ trách."))
    if deputy is None or start is None:
        return problems
    postings = list(deputy_postings(deputy, start, end))
    if not postings:
        add(
            "deputy",
            _("%(name)s không giữ chức vụ cấp phó trong thời gian phân công.")
            % {"name": deputy.full_name},
        )
        return problems
    roots = [posting.agency.path for posting in postings]
    for unit in units:
        if not any(unit.path.startswith(root) for root in roots):
            add(
                "units",
                _("%(unit)s không thuộc cơ quan, đơn vị nơi %(name)s giữ chức vụ cấp phó.")
                % {"unit": unit.name, "name": deputy.full_name},
            )
    if any(person.pk == deputy.pk for person in people):
        add("people", _("Cấp phó không tự phụ trách chính mình."))
    return problems
