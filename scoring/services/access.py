"""Who may see a stored score or an assignment line: the one permission layer, ``org.access``
(rows declared in ``scoring.policy``).

* Sở Nội vụ (and superusers): every row.
* A civil servant linked to the user: their own rows.
* Users granted an agency: rows whose agency or unit (at the time) lies in that subtree.
"""

from org import access


def visible_scores(user, queryset):
    """``queryset`` of PeriodScore/AnnualScore restricted to what ``user`` may see."""
    return access.visible(user, queryset)


def can_access_score(user, score) -> bool:
    return access.visible(user, type(score)).filter(pk=score.pk).exists()


def visible_lines(user, queryset):
    """Assignment lines of people the user may see (own lines; lines of units in scope)."""
    return access.visible(user, queryset)


def can_access_line(user, line) -> bool:
    return access.visible(user, type(line)).filter(pk=line.pk).exists()
