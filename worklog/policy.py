"""What each built-in role may do with the worklog models. Assigning, reporting and reviewing
never go through model permissions: they follow the evaluation-authority rules
(``worklog.access``). Only the holiday calendar is edited as a snippet, by Sở Nội vụ."""

from org.access import HOME_AFFAIRS_GROUP, SHARED, ExtraReach, RowScope, model_permissions

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: model_permissions(
        "worklog", ("add", "change", "delete", "view"), ("holiday",)
    ),
}

ROW_SCOPES = {
    "worklog.holiday": SHARED,
    # Shared tasks' related units and their coordination ratings: the line's person and unit.
    "worklog.coordinatingunit": RowScope(
        person="line__civil_servant", agency="line__unit", during="line__period"
    ),
    "worklog.workitem": RowScope(
        person="line__civil_servant", agency="line__unit", during="line__period"
    ),
}

#: The name of the worklog's extra reach, asked with the day (``worklog.access.visible_people``).
EVALUATED = "evaluated"

EXTRA_REACH = {
    # The evaluator of the day reads the people they evaluate that day (their lines, their
    # work), a deputy without a grant or headship included (``org.authority``).
    "org.civilservant": [ExtraReach(EVALUATED, rows="worklog.access.evaluated_reach")],
}
