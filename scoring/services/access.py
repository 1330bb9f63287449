"""Who may see a stored score — through the one permission layer in ``org.access``.

* Sở Nội vụ (and superusers): every score.
* A civil servant linked to the user: their own scores.
* Users granted an agency: scores whose agency (at the time) lies in that agency's subtree.
"""

from django.db.models import Q

from org.access import granted_agencies, is_home_affairs


def _scope_query(user, person_field: str, agency_field: str) -> Q | None:
    if is_home_affairs(user):
        return Q()
    if user is None or not user.is_authenticated:
        return None
    query = Q(**{f"{person_field}__user": user})
    for agency in granted_agencies(user):
        query |= Q(**{f"{agency_field}__path__startswith": agency.path})
    return query


def visible_scores(user, queryset):
    """``queryset`` of PeriodScore/AnnualScore restricted to what ``user`` may see."""
    query = _scope_query(user, "civil_servant", "agency")
    return queryset.none() if query is None else queryset.filter(query)


def can_access_score(user, score) -> bool:
    query = _scope_query(user, "civil_servant", "agency")
    if query is None:
        return False
    return type(score).objects.filter(query, pk=score.pk).exists()


def visible_lines(user, queryset):
    """Assignment lines of people the user may see (own lines; lines of units in scope)."""
    query = _scope_query(user, "civil_servant", "unit")
    return queryset.none() if query is None else queryset.filter(query)


def can_access_line(user, line) -> bool:
    query = _scope_query(user, "civil_servant", "unit")
    return query is not None and type(line).objects.filter(query, pk=line.pk).exists()
