"""What each built-in role may do with the scoring models, and how their rows reach the org
tree (see ``org.access``)."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    SHARED,
    UNIT_LEADER_GROUP,
    RowScope,
    model_permissions,
)
from scoring.services.disqualifications import guard

ALL_MODELS = (
    "criteriaframework",
    "frameworkassignment",
    "period",
    "assignmentline",
    "deduction",
    "evidence",
    "generalcriteriamark",
    "leadermark",
    "competencyassessment",
    "disqualification",
    "periodscore",
    "annualscore",
    "scoringrun",
    "outstandingrecognition",
    "frameworkproposal",
    "variantpolicy",
)
INPUTS = (
    "assignmentline",
    "deduction",
    "evidence",
    "generalcriteriamark",
    "leadermark",
    "competencyassessment",
)
RESULTS = ("periodscore", "annualscore", "scoringrun")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        *model_permissions("scoring", ("add", "change", "delete", "view"), ALL_MODELS),
        ("scoring", "publish_criteriaframework"),
        ("scoring", "lock_criteriaframework"),
        ("scoring", "unlock_criteriaframework"),
        ("scoring", "appraise_frameworkproposal"),
        ("scoring", "approve_frameworkproposal"),
        # Settings › "Quy tắc chấm điểm kỳ" (the transfer rule, legal review U-C).
        ("scoring", "change_scoringsettings"),
    ],
    AGENCY_ADMIN_GROUP: [
        *model_permissions("scoring", ("view",), ("period", *RESULTS, "outstandingrecognition")),
        *model_permissions("scoring", ("add", "change", "view"), (*INPUTS, "disqualification")),
        # An agency drafts and submits its own framework (ĐL §IV.4, LC §III.1, NA §IV.1.2).
        *model_permissions("scoring", ("add", "change", "view"), ("frameworkproposal",)),
        *model_permissions("scoring", ("view",), ("variantpolicy",)),
    ],
    # The lead body of a bloc appraises its bloc's framework proposals (Nghệ An §V.1–V.4);
    # which proposals is ``org.blocs.appraises`` (scoring.services.proposals).
    BLOC_APPRAISER_GROUP: [
        *model_permissions(
            "scoring",
            ("view",),
            ("period", *RESULTS, "frameworkproposal", "variantpolicy", "criteriaframework"),
        ),
        ("scoring", "appraise_frameworkproposal"),
        ("scoring", "approve_frameworkproposal"),
    ],
    UNIT_LEADER_GROUP: [
        *model_permissions("scoring", ("view",), ("period", *RESULTS)),
        *model_permissions("scoring", ("add", "change", "view"), INPUTS),
    ],
    CIVIL_SERVANT_GROUP: model_permissions(
        "scoring", ("view",), ("period", "assignmentline", *RESULTS)
    ),
}

# Integration provenance (source, external id) is written by the importers and the API only:
# an admin must not squat an integration's idempotency keys.
ROW_SCOPES = {
    "scoring.assignmentline": RowScope(
        person="civil_servant",
        agency="unit",
        read_only_fields=("source", "external_id"),
        during="period",
    ),
    "scoring.deduction": RowScope(
        person="line__civil_servant", agency="line__unit", during="line__period"
    ),
    "scoring.evidence": RowScope(
        person="line__civil_servant", agency="line__unit", during="line__period"
    ),
    # Inputs about a person are dated: the agency that had the person in that month or year
    # writes them; a former agency keeps what is dated before the transfer (org.access).
    "scoring.generalcriteriamark": RowScope(person="civil_servant", during="period"),
    "scoring.leadermark": RowScope(person="civil_servant", during="period"),
    # The competencies assessed on Form 01 (issue 45 item 2): written by the evaluator through
    # ``scoring.services.competencies``; read by whoever reads the person's inputs of the period.
    "scoring.competencyassessment": RowScope(person="civil_servant", during="period"),
    "scoring.disqualification": RowScope(person="civil_servant", year="year"),
    "scoring.periodscore": RowScope(person="civil_servant", agency="agency"),
    "scoring.annualscore": RowScope(person="civil_servant", agency="agency"),
    "scoring.scoringrun": RowScope(agency="agency"),
    "scoring.outstandingrecognition": RowScope(agency="agency"),
    "scoring.frameworkassignment": RowScope(agency="agency"),
    "scoring.period": SHARED,
    "scoring.criteriaframework": SHARED,
    # A proposal belongs to the proposing agency; the allowed changes are the province's.
    "scoring.frameworkproposal": RowScope(agency="agency"),
    "scoring.variantpolicy": SHARED,
}

#: The one write service of a kind of input, called by every admin door (``org.admin_scope``);
#: the other doors call it by name (docs/security.md, "door → service").
WRITE_SERVICES = {
    "scoring.assignmentline": "scoring.services.lines",
    "scoring.disqualification": "scoring.services.disqualifications",
}


def _disqualification_guard(user, action, row):
    return guard(user, action, row)


#: Asked by ``org.access.refusal`` for every change and delete, whatever the door: a fact of the
#: year Sở Nội vụ recorded is not changed or removed by an agency.
WRITE_GUARDS = {"scoring.disqualification": _disqualification_guard}
