"""The unit's work-plan fulfilment for criterion d (Đắk Lắk §III.3; framework option
``leader_criteria[d].plan_fulfilment``), and an agency's for the year, for a key-task criterion
of its organisation score measured from its plans (``organisation.key_tasks[].plan_fulfilment``,
read by ``org_scoring``: :func:`year_fulfilment`).

``scoring`` may not import the app that keeps the plans (``workplans`` sits above it), so that
app registers a provider here when it is ready (:func:`register`); the scorer asks
:func:`unit_fulfilment` only for a leader whose framework turns the option on. With no
provider, or no approved plan item in the period, ``None``: d then follows the subordinates'
rule as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping

from scoring.engine import PlanFulfilment

#: ``(agency id, period start, period end) -> PlanFulfilment | None``
Provider = Callable[[int, datetime.date, datetime.date], PlanFulfilment | None]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Register the provider of the units' plan fulfilment (once; ``AppConfig.ready``)."""
    if provider not in _providers:
        _providers.append(provider)


def unit_fulfilment(
    agency_id: int, start: datetime.date, end: datetime.date
) -> PlanFulfilment | None:
    """The fulfilment of ``agency_id``'s approved plans of the period, from the first provider
    that knows one."""
    for provider in _providers:
        found = provider(agency_id, start, end)
        if found is not None:
            return found
    return None


#: ``(agency ids, year, as_of) -> {agency id: PlanFulfilment}``: each agency's approved plans of
#: the year (month, quarter, year), their items completed, due (deadline before ``as_of``) and
#: not yet due; an agency with no approved plan item is left out.
YearProvider = Callable[[list[int], int, datetime.date], Mapping[int, PlanFulfilment]]

_year_providers: list[YearProvider] = []


def register_year(provider: YearProvider) -> None:
    """Register the provider of the agencies' plan fulfilment of a year (``AppConfig.ready``)."""
    if provider not in _year_providers:
        _year_providers.append(provider)


def year_fulfilment(
    agency_ids: Iterable[int], year: int, as_of: datetime.date
) -> dict[int, PlanFulfilment]:
    """agency id → the fulfilment of its approved work plans of ``year`` on ``as_of``, in one
    provider call for all the agencies (a few queries, whatever their number)."""
    ids = sorted(set(agency_ids))
    found: dict[int, PlanFulfilment] = {}
    for provider in _year_providers:
        for agency_id, plan in provider(ids, year, as_of).items():
            found.setdefault(agency_id, plan)
    return found
