"""The unit's work-plan fulfilment for criterion d (Đắk Lắk §III.3; framework option
``leader_criteria[d].plan_fulfilment``).

``scoring`` may not import the app that keeps the plans (``workplans`` sits above it), so that
app registers a provider here when it is ready (:func:`register`); the scorer asks
:func:`unit_fulfilment` only for a leader whose framework turns the option on. With no
provider, or no approved plan item in the period, ``None``: d then follows the subordinates'
rule as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

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
