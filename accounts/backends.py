"""Sign-in backends: roles that follow postings, and refusal of people whose postings ended.

* **Roles follow postings.** A person linked to a sign-in holds the rights of a civil servant
  (``CIVIL_SERVANT_GROUP``) while they have a posting today, and a leader's rights
  (``UNIT_LEADER_GROUP``) while that posting is a head's or a deputy's: nobody assigns these
  groups by hand, and the rights end the day the posting ends. A head's reach (the records of
  the agency they head) already comes from the same posting (``org.access.headed_agencies``).
  Agency-admin, Sở Nội vụ and province-office rights are not derived: they are granted
  explicitly and logged (``accounts.services.grant``).
* **Ended postings lose access.** A sign-in linked to a person with no posting today or later
  cannot sign in, and an open session of theirs ends at its next request; the daily sweep
  (``manage.py sync_accounts``) also marks such sign-ins inactive, keeping them for history.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from org import access
from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP, postings_of
from org.models import LeadershipRole

LEADER_ROLES = (LeadershipRole.HEAD, LeadershipRole.DEPUTY)


def _postings(user) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """``(role, start, end)`` of every posting of the person linked to ``user``: one query per
    request, kept on the user object (``org.access.postings_of``, which the admin menu reads
    too)."""
    return [(role, start, end) for _agency, role, start, end in postings_of(user)]


def derived_groups(user, day: datetime.date | None = None) -> list[str]:
    """The built-in groups whose rights ``user`` holds through their postings on ``day``."""
    if getattr(user, "pk", None) is None:
        return []
    day = day or timezone.localdate()
    roles = {
        role for role, start, end in _postings(user) if start <= day and (end is None or end >= day)
    }
    if not roles:
        return []
    groups = [CIVIL_SERVANT_GROUP]
    if roles & set(LEADER_ROLES):
        groups.append(UNIT_LEADER_GROUP)
    return groups


def postings_ended(user, day: datetime.date | None = None) -> bool:
    """Whether ``user`` is a person whose postings have all ended (none today or later).
    A sign-in linked to nobody (Sở Nội vụ staff, service accounts) is not concerned."""
    if getattr(user, "pk", None) is None or user.is_superuser:
        return False
    day = day or timezone.localdate()
    postings = _postings(user)
    return bool(postings) and all(end is not None and end < day for _r, _s, end in postings)


def forget_postings(user) -> None:
    """Drop what :func:`_postings` kept (after a posting of this user's person changed)."""
    access.forget_postings(user)


class PostingRolesBackend(ModelBackend):
    """Django's model backend, plus the rights of the groups derived from the postings, and
    refusing people whose postings ended."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not postings_ended(user)

    def _get_group_permissions(self, user_obj):
        derived = derived_groups(user_obj)
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__name__in=derived)
        ).distinct()
