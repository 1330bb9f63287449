"""What each transition writes on the case, besides the state (one function per action)."""

from django.utils import timezone

from org_scoring.services.lookup import stored_score
from ratings.models import Complaint, ComplaintAttachment, ComplaintStatus, RatingCase
from ratings.services.case_figure import case_figure
from ratings.services.ceilings import ceiling_for


def _set(case: RatingCase, data: dict, *names: str) -> dict:
    written = {}
    for name in names:
        if name in data:
            setattr(case, name, data[name])
            value = data[name]
            written[name] = (
                value.name
                if hasattr(value, "name") and hasattr(value, "read")
                else (str(value) if value is not None else None)
            )
    return written


def self_assess(case, data, user, now):
    case.self_assessed_at = now
    return _set(case, data, "self_assessment", "self_level", "self_score")


def review(case, data, user, now):
    if data.get("minutes"):
        case.minutes_name = data["minutes"].name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    return _set(case, data, "meeting_date", "meeting_comments", "minutes")


def appraise(case, data, user, now):
    names = ["proposal_level", "proposal_comment"]
    stored = stored_score(case.subject_agency, case.year) if case.is_agency_case else None
    if stored is not None:  # the stored organisation score stands (ratings.services.ceilings)
        case.score = stored.score
        return {
            **_set(case, data, *names),
            "score": str(stored.score),
            "score_source": "organisation_score",
        }
    if case.is_agency_case:
        names.append("score")
    return _set(case, data, *names)


def give_opinion(case, data, user, now):
    return _set(case, data, "opinion_text")


def decide(case, data, user, now):
    case.decided_by = user
    written = _set(case, data, "decision_level", "decision_ref", "decision_date")
    if data.get("lift_ceiling"):  # the guard checked the case kind, the reason and the level
        case.ceiling_lifted_from = ceiling_for(case).level
        case.force_majeure_reason = data["force_majeure_reason"].strip()
        written["ceiling_lifted_from"] = case.ceiling_lifted_from
        written["force_majeure_reason"] = case.force_majeure_reason
    else:
        case.ceiling_lifted_from = case.force_majeure_reason = ""
    if not case.is_agency_case:
        # The annual figure the decision was checked against (the guards read the same row):
        # Form 02 says so when the figure moves afterwards (issue 42, legal review F2).
        figure = case_figure(case)
        written["score"] = str(figure.score) if figure.score is not None else None
    return written


def notify(case, data, user, now):
    case.notified_at = now
    return {"notified_at": now.isoformat()}


def return_to_review(case, data, user, now):
    case.proposal_level = ""
    return {"proposal_level": ""}


def cancel(case, data, user, now):
    case.cancel_reason = data.get("comment", "")
    case.cancelled_by = user
    case.cancelled_at = now
    return {"cancel_reason": case.cancel_reason}


EFFECTS = {
    "self_assess": self_assess,
    "review": review,
    "appraise": appraise,
    "give_opinion": give_opinion,
    "decide": decide,
    "notify": notify,
    "return_to_review": return_to_review,
    "cancel": cancel,
}


def apply_effects(case, action: str, data: dict, user) -> dict:
    effect = EFFECTS.get(action)
    return effect(case, data, user, timezone.now()) if effect else {}


def complain(case, data, user, now):
    complaint = Complaint.objects.create(
        case=case, filed_by=user, filed_at=now, text=data["complaint_text"]
    )
    names = []
    for upload in data.get("attachments") or ():
        ComplaintAttachment.objects.create(
            complaint=complaint, file=upload, original_name=upload.name[:255]
        )
        names.append(upload.name)
    return {"complaint": complaint.pk, "attachments": names}


def resume(case, data, user, now):
    open_ones = case.complaints.filter(status=ComplaintStatus.OPEN)
    resolved = list(open_ones.values_list("pk", flat=True))
    for complaint in case.complaints.filter(pk__in=resolved):
        complaint.status = ComplaintStatus.RESOLVED
        complaint.resolution = data.get("comment", "")
        complaint.resolved_by = user
        complaint.resolved_at = now
        complaint.save()
    return {"complaints_resolved": resolved}


EFFECTS.update({"complain": complain, "resume": resume})
