"""The stored scores' JSON documents: written by msgspec (``store.dump_json``), the same JSON
as the standard library's ``json.dumps`` once parsed, and refused where it refuses."""

import json
from decimal import Decimal

import pytest

from django.utils.translation import gettext_lazy

from org.models import LeadershipRole
from scoring.models import AnnualScore, PeriodScore
from scoring.services import score_period, score_year, store
from tests.scoring.helpers import build_world


def test_documents_parse_as_the_standard_encoders():
    documents = [
        {"steps": [{"code": "a", "value": "93.33", "n": 3, "ok": True, "none": None}]},
        {"lines": [(1, 2, "3", "2.5", 0, 1, 0, 0, None, [1, 0])], "unit_lines": []},
        {"marks": {"general": {"I.1": "5", "II.1": "2.25"}}, "leader": None},
        {"errors": "Chưa có khung tiêu chí đánh giá đang áp dụng cho cơ quan."},
        {1: "an int key", 2.5: "a float key"},
        {True: "a bool key", None: "a null key"},  # msgspec refuses: json.dumps writes them
        [1, 2.5, -0.0, 1e16, 2**70, '\u0000 "quoted" \\ \n'],
        {},
        [],
    ]
    for document in documents:
        written = store.dump_json(document)
        assert json.loads(written) == json.loads(json.dumps(document)), document
    # Vietnamese text is written as UTF-8, the standard encoder's \uXXXX escapes parse alike.
    assert "Chưa có khung" in store.dump_json(documents[3])
    assert "Ch\\u01b0a" in json.dumps(documents[3])


@pytest.mark.parametrize(
    "value",
    [Decimal("1.50"), gettext_lazy("Tốt"), object(), {"nested": [Decimal("2")]}],
    ids=["Decimal", "lazy text", "object", "nested Decimal"],
)
def test_what_the_standard_encoder_refuses_fails_as_before(value):
    with pytest.raises(TypeError, match="is not JSON serializable"):
        json.dumps(value)
    with pytest.raises(TypeError, match="is not JSON serializable"):
        store.dump_json(value)


@pytest.mark.django_db
def test_every_document_of_a_month_and_its_year_is_the_standard_encoders_json(monkeypatch):
    """Each JSON column written by the month's and the year's batches (explanations, points,
    errors, versions, the annual basis) parses equal to ``json.dumps`` of the same value."""
    world = build_world()
    r = LeadershipRole
    head = world.person("Trưởng phòng", role=r.HEAD)
    world.leader_marks(head)
    for name in ("Chuyên viên một", "Chuyên viên hai"):
        world.full_month(world.person(name), total=27, completed=1)
    world.full_month(head, total=25)
    world.person("Chuyên viên chưa có dữ liệu")
    written = []
    real = store.dump_json

    def checked(value, encoder=None):
        text = real(value, encoder)
        written.append((text, json.dumps(value, cls=encoder)))
        return text

    monkeypatch.setattr(store, "dump_json", checked)
    score_period(world.period)
    score_year(world.period.year)
    assert PeriodScore.objects.count() == 4 and AnnualScore.objects.count() == 4
    assert len(written) >= 4 * 4 + 4 * 2
    for fast, standard in written:
        assert json.loads(fast) == json.loads(standard)
    stored = PeriodScore.objects.get(civil_servant=head)
    assert Decimal(stored.explanation["leader"]["organising"]) == 100  # the database's text
    assert stored.explanation["unit_lines"], "the head's charge is in the snapshot"
