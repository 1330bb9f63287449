"""The Party and Front blocs administer themselves in Thanh An (issue 32 item 4; Nghệ An
§V.1–V.4; org.blocs).

* ``BlocLead`` rows: Ban Tổ chức Tỉnh ủy leads the Party bloc, the Front's standing committee
  (Ủy ban MTTQ tỉnh) the Front bloc; both report to Ban Thường vụ Tỉnh ủy. The state bloc keeps
  Sở Nội vụ.
* Sign-ins ``thamdinh.btc`` (a specialist of Ban Tổ chức Tỉnh ủy) and ``thamdinh.mttq`` (a
  specialist of the Front committee), granted "Thẩm định khối" on their body, so a tester sees
  the bloc's dashboards, progress board, catalogs and proposals — and not the state bloc's.
* Something waiting for each: the Tỉnh ủy's framework proposal and Ban Tổ chức's catalog
  amendment sent for appraisal (Ban Tổ chức appraises them), and the Women's Union's framework
  proposal (the Front's standing committee appraises it).

Idempotent: rows are keyed on their natural keys; what exists is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from catalog_pages.models import AgencyCatalogPage, CatalogItem
from demo.common import DEMO_PASSWORD
from demo.proposals_demo import BASE_CODE, sector_rules
from org.access import BLOC_APPRAISER_GROUP
from org.models import AccessRole, Agency, AgencyAccess, BlocLead, LeadershipRole
from scoring.models import CriteriaFramework, FrameworkProposal
from scoring.services import proposals
from scoring.services.frameworks import live_framework

LEADS = (
    # root, lead body, reports to, basis
    ("TU", "TU-BTC", "Ban Thường vụ Tỉnh ủy", "KH Nghệ An §V.1, §V.2"),
    ("MTTQ", "MTTQ", "Ban Thường vụ Tỉnh ủy", "KH Nghệ An §V.4"),
)
APPRAISERS = (
    ("thamdinh.btc", "TU-BTC", "Thẩm định khối Đảng — Ban Tổ chức Tỉnh ủy"),
    ("thamdinh.mttq", "MTTQ", "Thẩm định khối Mặt trận — Ủy ban MTTQ tỉnh"),
)
PROPOSALS = (
    ("TU", "Khung tiêu chí đánh giá cán bộ, công chức cơ quan Tỉnh ủy"),
    ("MTTQ-HLHPN", "Khung tiêu chí đánh giá cán bộ Hội Liên hiệp Phụ nữ tỉnh"),
)
CATALOG_AGENCY = "TU-BTC"
AMENDMENT_FROM = datetime.date(2026, 7, 1)


def _appraiser(username: str, agency: Agency, label: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.full_name = label
        user.email = f"{username}@thanhan.gov.vn"
        user.set_password(DEMO_PASSWORD)
        user.save()
        # A specialist of the body, not its head (the rights come from the grant, not a post).
        person = (
            agency.postings.filter(role=LeadershipRole.STAFF, civil_servant__user__isnull=True)
            .select_related("civil_servant")
            .order_by("civil_servant__official_id")
            .first()
        )
        if person is not None:
            person.civil_servant.user = user
            person.civil_servant.save(update_fields=["user"])
            user.full_name = person.civil_servant.full_name
            user.save(update_fields=["full_name"])
    user.groups.add(Group.objects.get(name=BLOC_APPRAISER_GROUP))
    AgencyAccess.objects.update_or_create(
        user=user, agency=agency, defaults={"role": AccessRole.BLOC_APPRAISER}
    )
    return user


def _proposal(code: str, name: str, sender) -> None:
    agency = Agency.objects.filter(code=code).first()
    base = CriteriaFramework.objects.filter(code=BASE_CODE).first()
    resolved = live_framework(base) if base else None
    if agency is None or resolved is None:
        return
    if FrameworkProposal.objects.filter(agency=agency, name=name).exists():
        return
    proposal = proposals.start(
        FrameworkProposal(
            agency=agency,
            base=base,
            name=name,
            explanation="Cụ thể hóa tiêu chí chung cho công tác của khối.",
            rules=sector_rules(
                resolved.rules.to_dict(),
                "Chấp hành Điều lệ, nghị quyết, chỉ thị và quy định của tổ chức",
                "Tham mưu, tổ chức thực hiện chương trình công tác đúng tiến độ",
            ),
        ),
        sender,
    )
    proposals.apply(proposal, proposals.SUBMIT, sender, "Kính gửi cơ quan chủ trì khối thẩm định.")


def _catalog_amendment(sender) -> None:
    page = AgencyCatalogPage.objects.filter(agency__code=CATALOG_AGENCY).first()
    if page is None or page.workflow_in_progress or page.has_unpublished_changes:
        return
    page = page.get_latest_revision_as_object()
    new = CatalogItem(
        code=f"{CATALOG_AGENCY}-900",
        name="Báo cáo rà soát, bổ sung quy hoạch cán bộ diện Ban Thường vụ quản lý",
        output_unit="báo cáo",
        complexity_group=3,
        coefficient=Decimal("3.00"),
    )
    page.items = [*page.items.all(), new]
    page.effective_from = AMENDMENT_FROM
    page.save_revision(user=sender)
    page.get_workflow().start(page, sender)


@transaction.atomic
def load_blocs_demo() -> list[tuple[str, str]]:
    """The lead bodies, their appraisers' sign-ins and what waits for them; the sign-ins."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["TU", "TU-BTC", "MTTQ"])}
    if len(agencies) < 3:
        return []
    for root, lead, reports_to, citation in LEADS:
        BlocLead.objects.update_or_create(
            root=agencies[root],
            defaults={
                "lead_agency": agencies[lead],
                "reports_to": reports_to,
                "citation": citation,
            },
        )
    users = [
        (_appraiser(username, agencies[code], label).username, label)
        for username, code, label in APPRAISERS
    ]
    User = get_user_model()
    sender = User.objects.filter(username="quantri.tu").first() or User.objects.get(
        username="sonoivu"
    )
    _proposal(*PROPOSALS[0], sender)
    front_sender = User.objects.filter(username="quantri.mttq").first() or User.objects.get(
        username="sonoivu"
    )
    _proposal(*PROPOSALS[1], front_sender)
    _catalog_amendment(sender)
    return users
