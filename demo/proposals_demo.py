"""Agencies' own criteria frameworks in the demo province (docs/scoring.md §13.7).

* Sở Nông nghiệp và Môi trường: its variant of the province's framework (I.1 reworded for the
  sector, a sub-criterion on field inspections added within group I) went the whole path —
  submitted by its admin, appraised and recommended by Sở Nội vụ, approved by decision
  25/QĐ-UBND of 10/12/2026 from 01/01/2027 — and is assigned to the department from that date
  (the 2026 scores keep the province's framework: never retroactive).
* Sở Tư pháp: a variant submitted and returned by Sở Nội vụ with its comment, waiting for the
  agency's changes (sign in as ``quantri.stp``).

Idempotent: each proposal is keyed on its agency and name; a proposal already there is left
as it is.
"""

import copy
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.common import DEMO_PASSWORD
from org.access import AGENCY_ADMIN_GROUP
from org.models import AccessRole, Agency, AgencyAccess
from scoring.models import CriteriaFramework, FrameworkAssignment, FrameworkProposal
from scoring.services import proposals
from scoring.services.frameworks import live_framework

BASE_CODE = "nghi-dinh-335-mac-dinh"
APPROVED = {
    "agency": "SNNMT",
    "name": "Khung tiêu chí đánh giá công chức Sở Nông nghiệp và Môi trường",
    "decision": proposals.Decision(
        "25/QĐ-UBND", datetime.date(2026, 12, 10), datetime.date(2027, 1, 1)
    ),
}
RETURNED = {
    "agency": "STP",
    "name": "Khung tiêu chí đánh giá công chức Sở Tư pháp",
    "comment": "Đề nghị làm rõ cách chấm tiêu chí I.3 (tiếp công dân) và bổ sung minh chứng.",
}


def sector_rules(base: dict, label: str, extra: str) -> dict:
    """The province's rules with I.1 reworded and one sub-criterion added to group I (I.1 and
    I.2 give half a point each): within the default allowed changes."""
    rules = copy.deepcopy(base)
    general = rules["components"][0]
    general["criteria"][0]["label"] = label
    general["criteria"][0]["max_points"] = "4.5"
    general["criteria"][1]["max_points"] = "4.5"
    general["criteria"].insert(2, {"code": "I.3", "label": extra, "max_points": "1", "group": "I"})
    return rules


def _agency_admin(agency):
    """The agency's admin sign-in ``quantri.<code>``, made when the demo has none: the agency
    sends its own proposal (Sở Nội vụ never appraises one it sent itself)."""
    from django.contrib.auth.models import Group

    username = f"quantri.{agency.code.lower()}"
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.full_name = f"Quản trị {agency.name}"
        user.email = f"{username}@thanhan.gov.vn"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=AGENCY_ADMIN_GROUP)[0])
        AgencyAccess.objects.get_or_create(
            user=user, agency=agency, defaults={"role": AccessRole.AGENCY_ADMIN}
        )
    return user


@transaction.atomic
def load_proposals_demo() -> int:
    """Write the two demo proposals (once); the number of proposals written."""
    User = get_user_model()
    home = User.objects.filter(username="sonoivu").first()
    base = CriteriaFramework.objects.filter(code=BASE_CODE).first()
    resolved = live_framework(base) if base else None
    if home is None or resolved is None:
        return 0
    base_rules = resolved.rules.to_dict()
    written = 0

    agency = Agency.objects.filter(code=APPROVED["agency"]).first()
    if (
        agency
        and not FrameworkProposal.objects.filter(agency=agency, name=APPROVED["name"]).exists()
    ):
        admin = _agency_admin(agency)
        proposal = proposals.start(
            FrameworkProposal(
                agency=agency,
                base=base,
                name=APPROVED["name"],
                explanation="Cụ thể hóa tiêu chí chung cho lĩnh vực nông nghiệp, môi trường.",
                rules=sector_rules(
                    base_rules,
                    "Chấp hành kỷ luật, kỷ cương trong thanh tra, kiểm tra chuyên ngành",
                    "Tuân thủ quy trình kiểm tra hiện trường, lập biên bản đúng thời hạn",
                ),
            ),
            admin,
        )
        proposals.apply(proposal, proposals.SUBMIT, admin, "Kính gửi Sở Nội vụ thẩm định.")
        proposals.apply(proposal, proposals.RECOMMEND, home, "Đúng phạm vi tỉnh cho phép.")
        proposal = proposals.apply(proposal, proposals.APPROVE, home, "", APPROVED["decision"])
        assignment = FrameworkAssignment(
            framework=proposal.framework,
            agency=agency,
            effective_from=proposal.effective_from,
            decision_ref=proposal.decision_number,
        )
        assignment.full_clean()
        assignment.save()
        written += 1

    agency = Agency.objects.filter(code=RETURNED["agency"]).first()
    if (
        agency
        and not FrameworkProposal.objects.filter(agency=agency, name=RETURNED["name"]).exists()
    ):
        admin = _agency_admin(agency)
        proposal = proposals.start(
            FrameworkProposal(
                agency=agency,
                base=base,
                name=RETURNED["name"],
                rules=sector_rules(
                    base_rules,
                    "Chấp hành kỷ luật, kỷ cương trong công tác tư pháp",
                    "Tiếp công dân, giải quyết hồ sơ đúng quy trình",
                ),
            ),
            admin,
        )
        proposals.apply(proposal, proposals.SUBMIT, admin, "Kính gửi Sở Nội vụ thẩm định.")
        proposals.apply(proposal, proposals.RETURN, home, RETURNED["comment"])
        written += 1
    return written
