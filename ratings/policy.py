"""What each built-in role may do with the rating configuration (calendars, special
schedules, bonus regulations). Rating cases are not edited through model permissions: every
move goes through the workflow, whose roles come from the evaluation-authority rules
(``ratings.workflow``). Who sees a case is declared here: the case's agency in reach and the
person's own cases (``ROW_SCOPES``), plus the extra reach ``CASE_READERS`` (``EXTRA_REACH``)
that ``ratings.access`` asks for."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    SHARED,
    ExtraReach,
    RowScope,
    model_permissions,
)

CONFIG_MODELS = ("ratingcalendar", "agencyschedule", "bonusregulation")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: model_permissions(
        "ratings", ("add", "change", "delete", "view"), CONFIG_MODELS
    ),
    AGENCY_ADMIN_GROUP: [
        *model_permissions("ratings", ("view",), ("ratingcalendar", "agencyschedule")),
        *model_permissions("ratings", ("add", "change", "view"), ("bonusregulation",)),
    ],
}

ROW_SCOPES = {
    "ratings.ratingcalendar": SHARED,
    "ratings.agencyschedule": RowScope(agency="agency"),
    "ratings.bonusregulation": RowScope(agency="agency"),
    # Complaints about a monthly/quarterly result: the person's own, and those of the agencies
    # in reach; their evaluator is added by ``ratings.services.period_complaints``.
    "ratings.periodcomplaint": RowScope(person="civil_servant", agency="agency"),
    # A rating case: of an agency in reach (an integration system reads no more), and the
    # person's own. Nobody changes a case through model permissions (the workflow does).
    "ratings.ratingcase": RowScope(person="civil_servant", agency="agency"),
}

#: The name of the rating cases' extra reach (``ratings.access.visible_cases``).
CASE_READERS = "case readers"

EXTRA_REACH = {
    # A person's former agency reads the cases of the years it had them at the year's end
    # (Art. 21: the rating belongs to the agency of the year's end), and anyone holding a role
    # on a case (``ratings.actors``: a rater or opinion-giver across trees) opens it.
    "ratings.ratingcase": [
        ExtraReach(
            CASE_READERS,
            rows="ratings.access.year_end_reach",
            row="ratings.access.holds_case_role",
        )
    ],
}
