"""The score lookups' cheaper path (issue 34) answers exactly what the plain machinery answers:
django-filter's own deep-copying FilterSet, the explanation's framework name looked up by code,
the lookup's statement compiled by the ORM on every request (``api.lookup`` replays it), every
sentence of the explanation rendered again. Also: the integration throttle's fixed window, and
one access-log row per read."""

import pytest
from django_filters.filterset import BaseFilterSet

from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import filters as api_filters
from api import lookup as api_lookup
from api.models import ApiAccessLog
from api.serializers import results as result_serializers
from scoring.explain import render_steps

pytestmark = pytest.mark.django_db

ME = "/api/v1/integration/me/"


def addresses(world):
    alice, binh = world.people["alice"], world.people["binh"]
    return [
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-02",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={binh.official_id}&period=2026-03",
        "/api/v1/period-scores/",
        "/api/v1/period-scores/?agency=SNV&ordering=-total",
        "/api/v1/annual-scores/",
    ]


def lookups(world):
    """Lookups of the exact shape (the compiled statement) and near it (the ordinary path),
    answered or refused."""
    alice, binh = world.people["alice"], world.people["binh"]
    return [
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-02",
        f"/api/v1/period-scores/?period=2026-03&civil_servant={binh.official_id}",
        # The form strips spaces, as it always did.
        f"/api/v1/period-scores/?civil_servant=%20{alice.official_id}%20&period=%202026-03",
        "/api/v1/period-scores/?civil_servant=NOBODY&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-13",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03&format=json",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03&page_size=1",
        f"/api/v1/period-scores/?civil_servant=x&civil_servant={binh.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03&ordering=id",
    ]


def bodies(world, who="province-hr", urls=None):
    client = world.client_for(who)
    answers = []
    for address in urls or addresses(world):
        response = client.get(address)
        if urls is None:
            assert response.status_code == 200, response.content
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    return answers


def plain_machinery(monkeypatch):
    """django-filter's deep copy, the framework name asked by its code, every lookup compiled
    by the ORM and every sentence rendered again."""
    monkeypatch.setattr(api_filters.FilterSet, "__init__", BaseFilterSet.__init__)
    monkeypatch.setattr(
        result_serializers._ExplainedMixin,
        "get_explanation_text",
        lambda self, score: render_steps((score.explanation or {}).get("steps", [])),
    )
    monkeypatch.setattr(api_lookup, "lookup", lambda view, request: None)


def test_lookups_and_lists_are_byte_identical_to_the_plain_machinery(world, monkeypatch):
    fast = bodies(world)
    assert b"Khung \xc4\x91\xc3\xa1nh gi\xc3\xa1" in fast[0][1]  # "Khung đánh giá" in the text
    assert len(fast[0][1]) > 1000
    plain_machinery(monkeypatch)
    assert bodies(world) == fast


@pytest.mark.parametrize("who", ["province-hr", "snv-docs", "stc-docs"])
def test_the_compiled_lookup_answers_as_the_ordinary_path(world, monkeypatch, who):
    """For each system's scope: the same status and body for every lookup, of the exact shape
    or not, found, outside the scope, unknown or refused; the exact shape was served by the
    compiled statement, the others by the ordinary path."""
    replayed = []
    rows = api_lookup.Plan.rows
    monkeypatch.setattr(
        api_lookup.Plan, "rows", lambda plan, values: replayed.append(values) or rows(plan, values)
    )
    api_lookup.forget_plans()
    fast = bodies(world, who, lookups(world))
    alice, binh = world.people["alice"], world.people["binh"]
    assert [values["official_id"] for values in replayed] == [
        alice.official_id,
        binh.official_id,
        alice.official_id,
        "NOBODY",
        alice.official_id,
    ]
    assert replayed[-1] == {
        "official_id": alice.official_id,
        "kind": "year",
        "year": 2026,
        "number": 1,
    }
    statuses = [status for status, _body, _headers in fast]
    assert statuses == [200] * 5 + [400, 200, 200, 200, 200, 200]
    assert b"2026-13" in fast[5][1]  # the period code named in the refusal
    found = [body.count(b'"full_name"') for _status, body, _headers in fast[:4]]
    expected = {
        "province-hr": [1, 1, 1, 0],
        "snv-docs": [1, 0, 1, 0],
        "stc-docs": [0, 1, 0, 0],
    }
    assert found == expected[who]
    plain_machinery(monkeypatch)
    assert bodies(world, who, lookups(world)) == fast


def _score_selects(queries):
    return [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "scoring_periodscore"' in query["sql"]
    ]


def test_the_compiled_statement_is_the_ordinary_paths_statement(world, monkeypatch):
    """The statement replayed is, word for word and value for value, the one the FilterSet,
    the row scope and the cursor paginator make the ORM compile for the same lookup."""
    client = world.client_for("snv-docs")
    alice = world.people["alice"]
    address = f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03"
    client.get(address)  # compiles the plan
    with CaptureQueriesContext(connection) as replayed:
        assert client.get(address).status_code == 200
    plain_machinery(monkeypatch)
    with CaptureQueriesContext(connection) as ordinary:
        assert client.get(address).status_code == 200
    assert len(_score_selects(replayed)) == 1
    assert _score_selects(replayed) == _score_selects(ordinary)


def test_a_changed_scope_is_compiled_again(world):
    """The plan is kept per system and granted subtrees: when Sở Nội vụ changes the system's
    agencies, its next lookup reads with the new scope."""
    client = world.client_for("snv-docs")
    binh = world.people["binh"]
    address = f"/api/v1/period-scores/?civil_servant={binh.official_id}&period=2026-03"
    assert client.get(address).json()["results"] == []
    world.systems["snv-docs"].agencies.add(world.stc)
    assert [row["full_name"] for row in client.get(address).json()["results"]] == [binh.full_name]
    world.systems["snv-docs"].agencies.remove(world.stc)
    assert client.get(address).json()["results"] == []


def test_sentences_are_kept_per_language(world):
    """The explanation's sentences, remembered, are still those of the active language (the
    API answers in Vietnamese; the cache must not hand a sentence of one language to the
    other)."""
    from django.utils import translation

    score = world.people["alice"].period_scores.get(period=world.march)
    steps = score.explanation["steps"]
    rendered = {}
    for language in ("vi", "en", "vi", "en"):
        with translation.override(language):
            text = result_serializers.rendered_steps(steps)
            assert text == render_steps(steps)
            rendered.setdefault(language, text)
            assert text == rendered[language]
    assert rendered["vi"] != rendered["en"]
    assert any(text.startswith("Framework: ") for text in rendered["en"])
    assert any(text.startswith("Khung đánh giá: ") for text in rendered["vi"])


def _framework_sentence(client, address):
    texts = client.get(address).json()["results"][0]["explanation_text"]
    return next(text for text in texts if text.startswith("Khung đánh giá: "))


def test_the_framework_named_by_the_step_is_asked_again_after_any_framework_change(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The framework step names the framework found by the code in its rules; that name is
    remembered between lookups (no query) until a framework is saved or deleted."""
    from scoring.models import CriteriaFramework

    alice = world.people["alice"]
    score = alice.period_scores.get(period=world.march)
    code = next(
        step["framework"] for step in score.explanation["steps"] if step["code"] == "framework"
    )
    client = world.client_for("province-hr")
    address = f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03"
    before = _framework_sentence(client, address)
    assert _framework_sentence(client, address) == before
    with CaptureQueriesContext(connection) as queries:
        assert _framework_sentence(client, address) == before
    asked = [q for q in queries.captured_queries if 'FROM "scoring_criteriaframework"' in q["sql"]]
    assert not asked

    named = CriteriaFramework.objects.filter(code=code).first()
    with django_capture_on_commit_callbacks(execute=True):
        if named is None:
            named = CriteriaFramework.objects.create(
                name="Khung thử đổi tên", code=code, period_type="month", rules={}
            )
        else:
            named.name = "Khung thử đổi tên"
            named.save()
    assert _framework_sentence(client, address).startswith("Khung đánh giá: Khung thử đổi tên (")
    fast = bodies(world, urls=[address])
    plain_machinery(monkeypatch)
    assert bodies(world, urls=[address]) == fast


def test_every_read_leaves_its_access_log_row(world):
    before = ApiAccessLog.objects.count()
    bodies(world)
    rows = list(ApiAccessLog.objects.order_by("-id")[: len(addresses(world))])
    assert ApiAccessLog.objects.count() - before == len(addresses(world))
    assert sorted(row.path for row in rows) == sorted(addresses(world))
    system = world.systems["province-hr"]
    assert {(row.system_id, row.method) for row in rows} == {(system.pk, "GET")}
    assert rows[-1].count == 1 and rows[-1].object_type == "period_score"
    assert all(row.at is not None and row.token_id for row in rows)


def test_the_integration_throttle_is_a_fixed_window_per_token(world, settings, monkeypatch):
    from api.throttling import IntegrationThrottle

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "integration": "2/min",
        },
    }
    now = [1_000_000.0]
    monkeypatch.setattr(IntegrationThrottle, "timer", staticmethod(lambda: now[0]))
    snv = world.client_for("snv-docs")
    assert [snv.get(ME).status_code for _ in range(2)] == [200, 200]
    now[0] += 20
    refused = snv.get(ME)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"  # the window opened 20 s ago
    now[0] += 40  # the window has ended
    assert snv.get(ME).status_code == 200


def test_a_remembered_token_reads_the_cache_once_per_lookup(world, monkeypatch):
    """The shared token generation and the token's throttle window: one round trip to the
    shared cache (one SELECT with the database cache of production), then one write."""
    from django.core.cache import caches

    backend = type(caches["default"])
    reads = []
    depth = [0]

    def counted(name, real):
        def read(self, *args, **kwargs):
            if not depth[0]:  # not the reads a get_many makes itself (local memory)
                reads.append(name)
            depth[0] += 1
            try:
                return real(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    client = world.client_for("province-hr")
    alice = world.people["alice"]
    address = f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03"
    assert client.get(address).status_code == 200  # the token looked up, then remembered
    assert client.get(address).status_code == 200  # the framework names' generation made
    reads.clear()
    answer = client.get(address)
    assert answer.status_code == 200 and answer.json()["results"]
    assert reads == ["get_many"]


# --- the serializer's fields walked and the body written without DRF's generic machinery -------


def _spy_encoding(monkeypatch):
    """Counts the lookups answered by ``api.lookup.respond`` and the bodies msgspec wrote."""
    seen = {"respond": 0, "encoded": 0}
    respond, encode = api_lookup.respond, api_lookup.encode

    def counted_respond(view, rows):
        seen["respond"] += 1
        return respond(view, rows)

    def counted_encode(data):
        body = encode(data)
        seen["encoded"] += body is not None
        return body

    monkeypatch.setattr(api_lookup, "respond", counted_respond)
    monkeypatch.setattr(api_lookup, "encode", counted_encode)
    return seen


def _vary_the_scores(world):
    """Scores of every kind a lookup may read: with and without an explanation, a score
    without its posting (the category's default), texts with characters JSON escapes (quote,
    backslash, control characters, U+2028/U+2029, Vietnamese letters) and a stored float."""
    from scoring.models import PeriodScore

    alice, hung, binh = (world.people[name] for name in ("alice", "hung", "binh"))
    march = PeriodScore.objects.get(civil_servant=alice, period=world.march)
    march.explanation["steps"].append(
        {"code": "note", "text": 'Ghi chú "đặc biệt" \\ \u2028 dòng\u2029 \x07 \t ✓'}
    )
    march.input_errors = {"lines": ["Dòng 3: thiếu số lượng\u2028(đã báo)"], "count": 10**20}
    march.posting = None
    march.save()
    PeriodScore.objects.filter(civil_servant=hung, period=world.march).update(
        explanation={}, component_points={}, rating="", scored=False
    )
    # A float in stored JSON: written by DRF's renderer (msgspec's numbers are not Python's).
    PeriodScore.objects.filter(civil_servant=binh, period=world.march).update(
        component_points={"general": 25.5, "task": 1e16, "tiny": 1e-7}
    )
    binh.full_name = 'Lê Văn \u2028Bình "Út" \\ \x01'
    binh.save()
    return [
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-02",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={hung.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={binh.official_id}&period=2026-03",
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_field_of_every_kind_of_score_is_the_serializers(
    world, monkeypatch, settings, language
):
    """Each field, in the serializer's order, with the serializer's value, and the body DRF's
    renderer writes, byte for byte and header for header: scores with and without an
    explanation, without a posting, with texts JSON escapes and with a stored float (then
    DRF's renderer writes it), in either language of the site (``/api/`` answers in the
    site's default language, ``LANGUAGE_CODE``)."""
    from api.serializers.results import PeriodScoreSerializer

    settings.LANGUAGE_CODE = language
    urls = _vary_the_scores(world)
    client = world.client_for("province-hr")
    seen = _spy_encoding(monkeypatch)
    api_lookup.forget_plans()
    fast = _answers(client, urls)
    assert seen == {"respond": 4, "encoded": 3}  # binh's float: DRF's renderer
    assert all(status == 200 for status, _body, _headers in fast)
    import json

    rows = [json.loads(body)["results"] for _status, body, _headers in fast]
    assert [len(found) for found in rows] == [1, 1, 1, 1]
    names = list(PeriodScoreSerializer().fields)
    assert all(list(found[0]) == names for found in rows)
    alice_march, hung_march, binh_march = rows[1][0], rows[2][0], rows[3][0]
    assert alice_march["category"] == "civil_servant"  # no posting: the field's default
    assert alice_march["input_errors"]["count"] == 10**20
    assert "\u2028" in alice_march["explanation"]["steps"][-1]["text"]
    assert b"\\u2028" in fast[1][1] and "\u2028".encode() not in fast[1][1]
    assert "Nguyễn Thị Alice".encode() in fast[1][1]  # UTF-8, not \u escapes
    assert hung_march["explanation"] == {} and hung_march["explanation_text"] == []
    assert hung_march["rating"] is None and hung_march["scored"] is False
    assert binh_march["component_points"] == {"general": 25.5, "task": 1e16, "tiny": 1e-7}
    # Floats as Python writes them (SQLite keeps 1e16 a float: 1e+16; PostgreSQL's jsonb keeps
    # it a number read back as an integer, and orders the keys its own way).
    written = json.dumps(binh_march["component_points"], separators=(",", ":")).encode()
    assert b'"tiny":1e-07' in written and written in fast[3][1]
    assert isinstance(alice_march["total"], str) and "." in alice_march["total"]
    first = rows[0][0]["explanation_text"][0]
    assert first.startswith("Framework: " if language == "en" else "Khung đánh giá: ")

    plain_machinery(monkeypatch)
    assert _answers(client, urls) == fast


def _answers(client, urls, **extra):
    answers = []
    for address in urls:
        response = client.get(address, **extra)
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    return answers


def test_a_refused_or_empty_scope_and_an_indented_body_answer_as_the_ordinary_path(
    world, monkeypatch
):
    """A system whose scope reaches nothing, a lookup outside a scope, an unknown person, a
    refused period, and a caller asking for an indented body (DRF's renderer writes it): the
    same statuses, bodies and headers as the ordinary machinery."""
    world.system("Không phạm vi", [])
    alice, binh = world.people["alice"], world.people["binh"]
    urls = [
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={binh.official_id}&period=2026-03",
        "/api/v1/period-scores/?civil_servant=NOBODY&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-13",
    ]
    seen = _spy_encoding(monkeypatch)
    api_lookup.forget_plans()
    fast = {}
    for who in ("Không phạm vi", "snv-docs"):
        fast[who] = _answers(world.client_for(who), urls)
    fast["indent"] = _answers(
        world.client_for("province-hr"), urls[:1], HTTP_ACCEPT="application/json; indent=4"
    )
    assert [status for status, _b, _h in fast["Không phạm vi"]] == [200, 200, 200, 400]
    assert all(b'"results":[]' in body for _s, body, _h in fast["Không phạm vi"][:3])
    assert [body.count(b'"full_name"') for _s, body, _h in fast["snv-docs"][:3]] == [1, 0, 0]
    assert b'\n    "results": [' in fast["indent"][0][1]
    # The empty scope takes the ordinary path; snv-docs' three lookups and the indented one
    # are served by the compiled statement, the indented body written by DRF's renderer.
    assert seen == {"respond": 4, "encoded": 3}
    plain_machinery(monkeypatch)
    assert _answers(world.client_for("Không phạm vi"), urls) == fast["Không phạm vi"]
    assert _answers(world.client_for("snv-docs"), urls) == fast["snv-docs"]
    assert (
        _answers(
            world.client_for("province-hr"), urls[:1], HTTP_ACCEPT="application/json; indent=4"
        )
        == fast["indent"]
    )


def test_the_score_reads_no_framework_rules(world):
    """The score's framework is loaded for its code and name only: its rules (tens of
    kilobytes of JSON) are not read with the score, by the lookup or the lists."""
    client = world.client_for("province-hr")
    alice = world.people["alice"]
    for address in (
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03",
        "/api/v1/period-scores/",
        "/api/v1/annual-scores/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        selects = [
            q["sql"] for q in queries.captured_queries if "scoring_criteriaframework" in q["sql"]
        ]
        assert selects and not any('"rules"' in sql for sql in selects), address


def test_on_sqlite_the_scope_is_written_into_the_statement(world):
    """SQLite compiles a statement again whenever a value is bound to a ``LIKE`` pattern: the
    plan writes the row scope's fixed patterns into its SQL as quoted literals and binds only
    the lookup's four values, by name (the logged text is the ordinary path's: see above)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's statement is replayed as compiled")
    client = world.client_for("snv-docs")
    alice = world.people["alice"]
    api_lookup.forget_plans()
    address = f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03"
    assert client.get(address).status_code == 200
    [(plan, _page_size)] = api_lookup._plans().values()
    assert " LIKE '" in plan.sql
    assert isinstance(plan.params, dict)
    assert set(plan.params) == {slot for slot, _kind in plan.slots.values()}
    assert len(plan.params) == 4
