"""Every way personal data leaves the application by a person's hand leaves one row in the read
log (security review 2026-11-22, M5: the counts of every log were unchanged after sonoivu
exported the province's civil servants, printed Forms 01 and 02, opened explain pages, pulled
the national export and downloaded an import file).

On the demo province, loaded once for the module (rolled back at the end)."""

from __future__ import annotations

import datetime

import pytest

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from api.models import ApiAccessLog
from audit.models import PersonalDataRead, ReadKind

STP = "STP"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from demo.loader import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield _files()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _files() -> dict:
    """What the demo has none of: an import job with its file, evidence with a file, a case
    with minutes and a complaint attachment (all of Sở Tư pháp)."""
    from accounts.models import User
    from importers.models import ImportJob, ImportKind
    from org.models import Agency
    from ratings.models import Complaint, ComplaintAttachment, RatingCase
    from ratings.services.cases import open_civil_servant_case
    from scoring.models import AnnualScore, AssignmentLine, Evidence

    stp = Agency.objects.get(code=STP)
    admin = User.objects.get(username="quantri.stp")
    job = ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=stp,
        uploaded_by=admin,
        original_name="ket-qua.xlsx",
        file=SimpleUploadedFile("ket-qua.xlsx", b"PK\x03\x04"),
        size=4,
        sha256="1" * 64,
    )
    line = (
        AssignmentLine.objects.filter(unit__path__startswith=stp.path, period__status="open")
        .order_by("pk")
        .first()
    )
    evidence = Evidence(line=line, description="Tờ trình")
    evidence.file = SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 evidence")
    evidence.save()
    annual = AnnualScore.objects.filter(agency__path__startswith=stp.path, scored=True).first()
    case = RatingCase.objects.filter(civil_servant=annual.civil_servant, year=annual.year).first()
    if case is None:
        case, _created = open_civil_servant_case(annual)
    case.minutes.save("bien-ban-hop.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    complaint = Complaint.objects.create(case=case, filed_by=admin, text="Khiếu nại")
    attachment = ComplaintAttachment.objects.create(
        complaint=complaint,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"),
        original_name="bien-ban.pdf",
    )
    return {"job": job, "evidence": evidence, "case": case, "attachment": attachment}


def _client(username) -> tuple[Client, object]:
    from accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, user


def _read(client, url, **extra):
    before = PersonalDataRead.objects.count()
    response = client.get(url, **extra)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    rows = list(
        PersonalDataRead.objects.order_by("-id")[: PersonalDataRead.objects.count() - before]
    )
    assert len(rows) == 1, f"{url}: {len(rows)} rows in the read log"
    return rows[0], response


def _score():
    from scoring.models import PeriodScore

    return (
        PeriodScore.objects.filter(agency__path__startswith=_stp().path)
        .select_related("civil_servant")
        .order_by("pk")
        .first()
    )


def _stp():
    from org.models import Agency

    return Agency.objects.get(code=STP)


# --- Forms 01 and 02 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"), [("ratings_form01", "html"), ("ratings_form01_xlsx", "xlsx")]
)
def test_form01_prints(demo, db, name, fmt):
    client, user = _client("sonoivu")
    score = _score()
    row, _response = _read(client, reverse(name, args=[score.pk]))
    assert (row.kind, row.format, row.user) == (ReadKind.FORM01, fmt, user)
    assert row.model == "scoring.periodscore"
    assert PersonalDataRead.id_list(row.object_ids) == [score.pk]
    assert PersonalDataRead.id_list(row.subject_ids) == [score.civil_servant_id]
    assert row.agency_id == score.agency_id


@pytest.mark.parametrize(
    ("name", "fmt"), [("ratings_form02", "html"), ("ratings_form02_xlsx", "xlsx")]
)
def test_form02_prints(demo, db, name, fmt):
    client, _user = _client("sonoivu")
    case = demo["case"]
    row, _response = _read(client, reverse(name, args=[case.pk]))
    assert (row.kind, row.format, row.model) == (ReadKind.FORM02, fmt, "ratings.ratingcase")
    assert PersonalDataRead.id_list(row.subject_ids) == [case.civil_servant_id]


def test_form01_export_of_an_agency(demo, db):
    from scoring.models import Period

    client, user = _client("quantri.stp")
    period = Period.objects.get(kind="month", year=2026, number=3)
    stp = _stp()
    url = reverse("importers_form01") + f"?exp-agency={stp.pk}&exp-period={period.pk}"
    row, _response = _read(client, url)
    assert (row.kind, row.format, row.user, row.agency) == (ReadKind.FORM01, "xlsx", user, stp)
    from importers.kinds.people import members_of

    members = members_of(stp, period.start_date, period.end_date)
    assert set(PersonalDataRead.id_list(row.subject_ids)) == {m.person_id for m in members.values()}
    assert row.row_count == len(members) > 5


# --- explain, dashboards and the province summary ------------------------------------------


def test_explain(demo, db):
    client, _user = _client("quantri.stp")
    score = _score()
    row, _response = _read(client, reverse("scoring_explain", args=[score.pk]))
    assert (row.kind, row.format) == (ReadKind.EXPLAIN, "html")
    assert PersonalDataRead.id_list(row.subject_ids) == [score.civil_servant_id]


def _people_node():
    """A node of Sở Tư pháp whose dashboard lists people (a unit with scored people)."""
    from scoring.models import PeriodScore

    agency_id = (
        PeriodScore.objects.filter(
            agency__path__startswith=_stp().path, period__kind="month", period__number=3
        )
        .values_list("agency_id", flat=True)
        .first()
    )
    from org.models import Agency

    return Agency.objects.get(pk=agency_id)


def test_a_dashboard_that_names_people_and_its_exports(demo, db):
    from scoring.models import PeriodScore

    client, _user = _client("quantri.stp")
    node = _people_node()
    base = reverse("dashboards_node", args=[node.pk]) + "?ky=2026-03"
    people = set(
        PeriodScore.objects.filter(
            agency=node, period__kind="month", period__year=2026, period__number=3
        ).values_list("civil_servant_id", flat=True)
    )
    row, _response = _read(client, base)
    assert (row.kind, row.format, row.agency) == (ReadKind.DASHBOARD, "html", node)
    assert set(PersonalDataRead.id_list(row.subject_ids)) == people
    row, _response = _read(client, base + "&xuat=people")
    assert (row.kind, row.format) == (ReadKind.DASHBOARD, "xlsx")
    assert set(PersonalDataRead.id_list(row.subject_ids)) == people
    # A table of figures per agency is an export too (small counts can point at a person).
    row, _response = _read(client, base + "&xuat=children")
    assert (row.kind, row.format, row.subject_count) == (ReadKind.DASHBOARD, "xlsx", 0)


def test_a_dashboard_without_names_is_not_a_read_of_personal_data(demo, db):
    from org.models import Agency, AgencyKind

    client, _user = _client("sonoivu")
    province = Agency.objects.get(kind=AgencyKind.PROVINCE)
    before = PersonalDataRead.objects.count()
    response = client.get(reverse("dashboards_node", args=[province.pk]) + "?ky=2026-03")
    assert response.status_code == 200
    assert "people" not in {t.slug for t in response.context["tables"]}
    assert PersonalDataRead.objects.count() == before


def test_the_province_summary_export(demo, db):
    from scoring.models import Period

    client, _user = _client("sonoivu")
    period = Period.objects.get(kind="month", year=2026, number=3)
    row, _response = _read(client, reverse("importers_province") + f"?prov-period={period.pk}")
    assert (row.kind, row.format) == (ReadKind.PROVINCE_SUMMARY, "xlsx")
    assert row.row_count > 0


# --- the API by a person ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_national_export_pulled_by_a_person(demo, db, fmt):
    client, user = _client("sonoivu")
    url = reverse("api:national-export") + f"?date=2026-12-31&format={fmt}"
    row, response = _read(client, url)
    assert (row.kind, row.format, row.user) == (ReadKind.NATIONAL_EXPORT, fmt, user)
    from api.models import OutboxRecord

    if fmt == "json":
        records = response.json()["records"]
        assert row.row_count == len(records) > 0
        ids = [entry["record_id"] for entry in records]
        people = set(
            OutboxRecord.objects.filter(pk__in=ids).values_list("civil_servant_id", flat=True)
        )
        assert set(PersonalDataRead.id_list(row.subject_ids)) == people
    assert row.subject_count > 0


def test_api_reads_with_a_session(demo, db):
    from org.access import visible_civil_servants

    client, user = _client("quantri.stp")
    tokens_before = ApiAccessLog.objects.count()
    row, response = _read(client, reverse("api:civil-servant-list") + "?page_size=500")
    assert (row.kind, row.format, row.user) == (ReadKind.API_READ, "json", user)
    assert row.model == "org.civilservant"
    returned = response.json()["results"]
    assert row.row_count == len(returned) == visible_civil_servants(user).count()
    assert row.subject_count == len(returned)
    score = _score()
    row, _response = _read(client, reverse("api:period-score-detail", args=[score.pk]))
    assert PersonalDataRead.id_list(row.subject_ids) == [score.civil_servant_id]
    # Token reads stay in the API access log only.
    assert ApiAccessLog.objects.count() == tokens_before


def test_api_reads_by_a_token_are_not_duplicated(demo, db):
    from api.models import IntegrationSystem, IntegrationToken

    system = IntegrationSystem.objects.create(name="QLVB STP thử")
    system.agencies.add(_stp())
    _token, secret = IntegrationToken.issue(system)
    before = PersonalDataRead.objects.count()
    response = Client().get(
        reverse("api:civil-servant-list"), HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    assert PersonalDataRead.objects.count() == before
    assert ApiAccessLog.objects.filter(system=system).count() == 1


# --- files -------------------------------------------------------------------------------------


def test_file_downloads(demo, db):
    client, user = _client("sonoivu")
    cases = [
        (reverse("importers_job_file", args=[demo["job"].pk]), "importers.importjob"),
        (reverse("worklog_evidence_file", args=[demo["evidence"].pk]), "scoring.evidence"),
        (reverse("ratings_minutes", args=[demo["case"].pk]), "ratings.ratingcase"),
        (
            reverse("ratings_attachment", args=[demo["attachment"].pk]),
            "ratings.complaintattachment",
        ),
    ]
    for url, model in cases:
        row, _response = _read(client, url)
        assert (row.kind, row.format, row.model, row.user) == (
            ReadKind.FILE_DOWNLOAD,
            "file",
            model,
            user,
        ), url
    evidence_row = PersonalDataRead.objects.get(model="scoring.evidence")
    assert PersonalDataRead.id_list(evidence_row.subject_ids) == [
        demo["evidence"].line.civil_servant_id
    ]


def test_a_refused_read_leaves_no_row(demo, db):
    """Someone of another agency is refused and nothing is recorded for them."""
    from accounts.models import User
    from org.models import Agency, CivilServant, Posting

    outsider = User.objects.create_user("cc.ngoai", password="x")
    person = CivilServant.objects.create(official_id="TNAX00001", full_name="Người Ngoài")
    person.user = outsider
    person.save()
    Posting.objects.create(
        civil_servant=person,
        agency=Agency.objects.get(code="SNNMT"),
        job_position_id=Posting.objects.values_list("job_position_id", flat=True).first(),
        start_date=datetime.date(2026, 1, 1),
    )
    from django.contrib.auth.models import Group

    outsider.groups.add(Group.objects.get(name="Công chức"))
    client = Client()
    client.force_login(outsider)
    before = PersonalDataRead.objects.count()
    score = _score()
    for url in (
        reverse("scoring_explain", args=[score.pk]),
        reverse("ratings_form01", args=[score.pk]),
        reverse("worklog_evidence_file", args=[demo["evidence"].pk]),
        reverse("importers_job_file", args=[demo["job"].pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404), url
    assert PersonalDataRead.objects.count() == before
