"""Contract test: the API answers as its OpenAPI document (/api/v1/schema/) says.

Schemathesis loads the schema in-process from the WSGI application (``cms.wsgi``) and, for every
operation, sends the schema's examples, coverage cases (boundaries, missing and wrong values,
unexpected methods) and generated requests, valid and invalid. Every response must pass:

* ``not_a_server_error`` — never a 5xx;
* ``status_code_conformance`` — only documented status codes;
* ``content_type_conformance`` — the documented media type;
* ``response_schema_conformance`` — the body matches the documented schema;
* ``response_headers_conformance`` — documented response headers are present and valid.

Requests carry the token of a province-wide integration system that may write and read the
national export, so every operation (reads and writes) can succeed. The data set is the small
province of tests/api/world.py, plus what the schema's own examples name (civil servant
CC000123 and products SP001, SP002 of SNV in March 2026), built once per module in a
transaction rolled back at the end; each operation runs in its own savepoint.

Generation is bounded and deterministic (fixed seed, derandomized, no example database, no
deadline). ``test_known_requests`` adds requests that must succeed (or fail in a documented way)
on this data, one or more per operation, so success bodies are checked for every operation
whatever the generator draws.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from api.views.integration import EXAMPLE_LINE, EXAMPLE_LINE_2
from api.views.preview import EXAMPLE_REQUEST
from cms import seen
from cms.wsgi import application

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/schema/?format=json"
#: Examples per operation in the generated (fuzzing) phase; the examples and coverage phases
#: add their own fixed cases.
MAX_EXAMPLES = 25

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 335,
        "generation": {
            "mode": "all",  # valid and invalid requests
            "deterministic": True,
            "database": "none",
        },
        # Stateful links are not declared in the schema; every operation is tested on its own.
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

EXAMPLE_PRODUCTS = (("SP001", "1"), ("SP002", "2"))


# --------------------------------------------------------------------------- data


def _add_example_data(world) -> None:
    """What the schema's examples name: CC000123 at SNV, products SP001/SP002 from March."""
    from catalog_pages.models import CatalogVersionItem
    from org.models import CivilServant
    from tests.factories import catalog_version, post

    official_id = EXAMPLE_LINE["official_id"]
    # Factory sequences could already have produced this id for someone else: move them aside.
    for person in CivilServant.objects.filter(official_id=official_id):
        person.official_id = f"MOVED{person.pk:06d}"
        person.save(update_fields=["official_id"])
    example = post(world.snv_unit, full_name="Phạm Thị Mẫu")
    example.official_id = official_id
    example.save(update_fields=["official_id"])
    world.people["example"] = example

    current = CatalogVersionItem.objects.filter(version__agency=world.snv)
    items = [(item.code, str(item.coefficient)) for item in current]
    catalog_version(
        world.snv, items=(*items, *EXAMPLE_PRODUCTS), effective_from=datetime.date(2026, 3, 1)
    )
    # An approved job description (with a competency) for the job-position and version reads.
    from tests.factories import CompetencyFactory, job_description

    position = example.postings.first().job_position
    job_description(
        position,
        competencies=[(CompetencyFactory(code="NL-MAU"), 3)],
        approved_on=datetime.date(2026, 1, 1),
    )
    # A confirmed quarterly assessment of the department for the quarterly reads.
    from django.utils import timezone

    from org_scoring.models import QuarterlyAssessment

    world.quarterly = QuarterlyAssessment.objects.create(
        agency=world.snv,
        year=2026,
        quarter=1,
        assessed=True,
        tasks_counted=2,
        score=Decimal("100"),
        level="excellent",
        computed_at=timezone.now(),
        confirmed_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def _contract_world(django_db_setup, django_db_blocker):
    from demo.base_data import ensure_base_data

    from .world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_data()  # after another module's transactional flush (tests/conftest.py)
        world = build_world()
        _add_example_data(world)
        world.system("contract", [world.province], can_write=True, national_export=True)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def contract(_contract_world, db, settings):
    """The shared data set in a savepoint, and the headers every request carries.

    Django's WSGI handler closes "old" database connections when a request starts and ends;
    inside the test transaction that would close the connection under it, so the handlers are
    disconnected for the test, as Django's own test client does.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # Throttling has its own tests; here it would only turn cases into 429s.
        "DEFAULT_THROTTLE_RATES": {
            "anon": "1000000/min",
            "user": "1000000/min",
            "integration": "1000000/min",
        },
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Token {_contract_world.tokens['contract']}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# --------------------------------------------------------------------------- generated cases


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # function_scoped_fixture: the data set is shared on purpose (module fixture, one savepoint
    # per operation), not reset between the examples of one operation. too_slow: how fast
    # inputs are generated on a busy 2-core CI machine is not what this test is about.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_schema_contract(case, contract):
    case.call_and_validate(headers=contract, checks=CHECKS)


# --------------------------------------------------------------------------- known requests


def _known_requests(world) -> list[tuple[str, str, dict, int]]:
    """``(method, path template, Case keyword arguments, expected status)``."""
    from api.models import OutboxRecord
    from catalog_pages.models import CatalogVersion, CatalogVersionItem
    from org.models import JobDescription
    from ratings.models import RatingCase
    from scoring.models import (
        AnnualScore,
        AssignmentLine,
        CriteriaFramework,
        LeaderMark,
        PeriodScore,
    )

    alice = world.people["alice"]
    score = PeriodScore.objects.filter(civil_servant=alice, period=world.march).get()
    framework = CriteriaFramework.objects.filter(live=True).order_by("id").first()
    closed_line = {**EXAMPLE_LINE, "external_id": "VB-CLOSED", "period": world.february.code}
    return [
        ("GET", "/api/v1/", {}, 200),
        ("POST", "/api/v1/score-preview/", {"body": EXAMPLE_REQUEST}, 200),
        ("GET", "/api/v1/agencies/", {"query": {"within": "SNV", "page_size": 1}}, 200),
        ("GET", "/api/v1/agencies/{code}/", {"path_parameters": {"code": "SNV"}}, 200),
        ("GET", "/api/v1/job-positions/", {}, 200),
        (
            "GET",
            "/api/v1/job-positions/{code}/",
            {"path_parameters": {"code": alice.postings.first().job_position.code}},
            200,
        ),
        ("GET", "/api/v1/job-positions/", {"query": {"on": "2026-03-15"}}, 200),
        ("GET", "/api/v1/job-descriptions/", {"query": {"in_force_on": "2026-03-15"}}, 200),
        ("GET", "/api/v1/competencies/", {"query": {"kind": "general"}}, 200),
        ("GET", "/api/v1/competencies/{code}/", {"path_parameters": {"code": "NL-MAU"}}, 200),
        (
            "GET",
            "/api/v1/job-descriptions/{id}/",
            {"path_parameters": {"id": JobDescription.objects.approved().first().pk}},
            200,
        ),
        ("GET", "/api/v1/work-plans/", {}, 200),
        ("GET", "/api/v1/work-plans/{id}/", {"path_parameters": {"id": 0}}, 404),
        ("GET", "/api/v1/catalogs/", {"query": {"on": "2026-03-15"}}, 200),
        ("GET", "/api/v1/catalogs/{code}/", {"path_parameters": {"code": "SNV"}}, 200),
        ("GET", "/api/v1/catalog-versions/", {"query": {"in_force_on": "2026-03-31"}}, 200),
        (
            "GET",
            "/api/v1/catalog-versions/{id}/",
            {"path_parameters": {"id": CatalogVersion.objects.filter(agency=world.snv).first().pk}},
            200,
        ),
        ("GET", "/api/v1/catalog-items/", {"query": {"agency": "SNV", "code": "SP001"}}, 200),
        (
            "GET",
            "/api/v1/catalog-items/{id}/",
            {"path_parameters": {"id": CatalogVersionItem.objects.order_by("id").first().pk}},
            200,
        ),
        ("GET", "/api/v1/frameworks/", {}, 200),
        ("GET", "/api/v1/frameworks/{id}/", {"path_parameters": {"id": framework.pk}}, 200),
        (
            "GET",
            "/api/v1/framework-versions/{id}/",
            {"path_parameters": {"id": score.framework_revision_id}},
            200,
        ),
        ("GET", "/api/v1/periods/", {"query": {"code": "2026-03"}}, 200),
        ("GET", "/api/v1/periods/{id}/", {"path_parameters": {"id": world.march.pk}}, 200),
        ("GET", "/api/v1/civil-servants/", {"query": {"agency": "SNV", "leader": "false"}}, 200),
        (
            "GET",
            "/api/v1/civil-servants/{official_id}/",
            {"path_parameters": {"official_id": alice.official_id}},
            200,
        ),
        ("GET", "/api/v1/assignment-lines/", {"query": {"period": "2026-03"}}, 200),
        (
            "GET",
            "/api/v1/assignment-lines/{id}/",
            {"path_parameters": {"id": AssignmentLine.objects.order_by("id").first().pk}},
            200,
        ),
        ("GET", "/api/v1/period-scores/", {"query": {"period": "2026-03", "page_size": 1}}, 200),
        ("GET", "/api/v1/period-scores/{id}/", {"path_parameters": {"id": score.pk}}, 200),
        ("GET", "/api/v1/annual-scores/", {"query": {"year": 2026}}, 200),
        (
            "GET",
            "/api/v1/annual-scores/{id}/",
            {"path_parameters": {"id": AnnualScore.objects.order_by("id").first().pk}},
            200,
        ),
        ("GET", "/api/v1/annual-ratings/", {"query": {"year": 2026}}, 200),
        (
            "GET",
            "/api/v1/annual-ratings/{id}/",
            {"path_parameters": {"id": RatingCase.objects.order_by("id").first().pk}},
            200,
        ),
        ("GET", "/api/v1/aggregates/agencies/", {"query": {"period": "2026-03"}}, 200),
        (
            "GET",
            "/api/v1/aggregates/agencies/",
            {"query": {"period": "2026", "parent": "SNV"}},
            200,
        ),
        ("GET", "/api/v1/aggregates/province/", {"query": {"period": "2026-03"}}, 200),
        ("GET", "/api/v1/hr-history/", {"query": {"year": 2026, "years": 2}}, 200),
        ("GET", "/api/v1/half-year-scores/", {"query": {"year": 2026, "half": 1}}, 200),
        ("GET", "/api/v1/quarterly-assessments/", {"query": {"year": 2026, "quarter": 1}}, 200),
        (
            "GET",
            "/api/v1/quarterly-assessments/{id}/",
            {"path_parameters": {"id": world.quarterly.pk}},
            200,
        ),
        ("POST", "/api/v1/integration/assignment-lines/", {"body": EXAMPLE_LINE}, 201),
        ("POST", "/api/v1/integration/assignment-lines/", {"body": EXAMPLE_LINE}, 200),
        ("POST", "/api/v1/integration/assignment-lines/", {"body": closed_line}, 409),
        (
            "POST",
            "/api/v1/integration/assignment-lines/bulk/",
            {"body": {"items": [EXAMPLE_LINE, EXAMPLE_LINE_2]}},
            200,
        ),
        (
            "POST",
            "/api/v1/integration/leader-marks/",
            {
                "body": {
                    "period": "2026-03",
                    "official_id": world.people["hung"].official_id,
                    "organising": 100,
                    "cohesion": 50,
                    # a change to the stored levels names the version the system saw
                    "version": seen.version(
                        LeaderMark.objects.get(
                            civil_servant=world.people["hung"], period=world.march
                        )
                    ),
                }
            },
            200,
        ),
        ("GET", "/api/v1/integration/me/", {}, 200),
        ("GET", "/api/v1/national-export/", {"query": {"date": "2026-12-31"}}, 200),
        ("GET", "/api/v1/national-export/", {"query": {"format": "csv"}}, 200),
        (
            "POST",
            "/api/v1/national-export/acknowledgements/",
            {"body": {"ids": list(OutboxRecord.objects.values_list("id", flat=True))}},
            200,
        ),
    ]


def test_known_requests(contract, _contract_world):
    known = _known_requests(_contract_world)
    covered = {(method, path) for method, path, _kwargs, _status in known}
    operations = {
        (result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()
    }
    assert covered == operations, "every operation of the schema needs a known request here"

    answers = []
    for method, path, kwargs, expected in known:
        case = schema[path][method].Case(**kwargs)
        response = case.call_and_validate(headers=contract, checks=CHECKS)
        answers.append((method, case.formatted_path, response.status_code, expected))
    assert [(m, p, status) for m, p, status, _e in answers] == [
        (m, p, expected) for m, p, _s, expected in answers
    ]


#: Requests schemathesis found answering 5xx or outside the schema, kept as fixed cases:
#: ``(id, method, path template, Case keyword arguments, expected status)``.
LINE = {**EXAMPLE_LINE, "external_id": "VB-REGRESSION"}
REGRESSIONS = [
    # DRF: 404 "Invalid page." / "Invalid cursor" (English, undocumented); now 400 naming them.
    ("page-past-the-end", "GET", "/api/v1/agencies/", {"query": {"page": 99}}, 400),
    ("page-zero", "GET", "/api/v1/periods/", {"query": {"page": 0}}, 400),
    ("bad-cursor", "GET", "/api/v1/period-scores/", {"query": {"cursor": "not-a-cursor"}}, 400),
    # DRF: an unknown ?format= was Http404; now 400 naming format.
    ("unknown-format", "GET", "/api/v1/national-export/", {"query": {"format": "xml"}}, 400),
    # A "%" in a period code reached django-filter's ``message % params``: TypeError, 500.
    ("percent-in-period", "GET", "/api/v1/assignment-lines/", {"query": {"period": "O%Dy"}}, 400),
    # Decimal filters took 1e308: "Python int too large to convert to SQLite INTEGER", 500.
    ("huge-version", "GET", "/api/v1/catalog-items/", {"query": {"version": "-1.7e308"}}, 400),
    ("huge-year", "GET", "/api/v1/periods/", {"query": {"year": 10**30}}, 400),
    ("huge-total", "GET", "/api/v1/period-scores/", {"query": {"min_total": "1e308"}}, 400),
    # PostgreSQL refuses UTC offsets past ±15:59 (DataError, 500); year 1 at +05:00 overflows.
    (
        "offset-out-of-range",
        "GET",
        "/api/v1/annual-scores/",
        {"query": {"computed_after": "0173-01-30T18:24:44+21:47"}},
        400,
    ),
    (
        "before-year-one-in-utc",
        "GET",
        "/api/v1/assignment-lines/",
        {"query": {"updated_after": "0001-01-01T00:00:00+05:00"}},
        400,
    ),
    # A NUL character: PostgreSQL DataError (500) in lookups, filters and writes.
    ("nul-in-code", "GET", "/api/v1/agencies/{code}/", {"path_parameters": {"code": "S\x00"}}, 404),
    ("nul-in-filter", "GET", "/api/v1/civil-servants/", {"query": {"agency": "S\x00"}}, 400),
    ("nul-in-batch", "GET", "/api/v1/national-export/", {"query": {"batch": "\x00"}}, 400),
    (
        "nul-in-body",
        "POST",
        "/api/v1/integration/assignment-lines/",
        {"body": {**LINE, "note": "a\x00b"}},
        400,
    ),
    # A control character in ?batch= reached the Content-Disposition header: ValueError, 500.
    (
        "control-character-in-batch",
        "GET",
        "/api/v1/national-export/",
        {"query": {"batch": "0\x1e\u0100", "format": "csv"}},
        200,
    ),
    # Ids past 64 bits: OverflowError on SQLite, 500.
    (
        "huge-acknowledged-id",
        "POST",
        "/api/v1/national-export/acknowledgements/",
        {"body": {"ids": [2**80]}},
        400,
    ),
    # Quantities and counts past the stored columns: stored unreadable on SQLite (every later
    # read of the line failed with decimal.InvalidOperation), overflow on PostgreSQL.
    (
        "quantity-past-the-column",
        "POST",
        "/api/v1/integration/assignment-lines/",
        {"body": {**LINE, "assigned": 1e10}},
        400,
    ),
    (
        "count-past-the-column",
        "POST",
        "/api/v1/integration/assignment-lines/",
        {"body": {**LINE, "failed_reviews": 2**63}},
        400,
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [case[1:] for case in REGRESSIONS],
    ids=[case[0] for case in REGRESSIONS],
)
def test_regressions(contract, method, path, kwargs, expected):
    case = schema[path][method].Case(**kwargs)
    response = case.call_and_validate(headers=contract, checks=CHECKS)
    assert response.status_code == expected
