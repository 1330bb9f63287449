"""What each built-in role may do with the rating configuration (calendars, special
schedules, bonus regulations). Rating cases are not edited through model permissions: every
move goes through the workflow, whose roles come from the evaluation-authority rules
(``ratings.workflow``); who sees a case is ``ratings.access``."""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP, SHARED, RowScope, model_permissions

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
}
