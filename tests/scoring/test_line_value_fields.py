"""The assignment line's value fields are listed once (``scoring.models.assignment.LINE_VALUES``)
and every door that carries them reads that list or holds each of its fields: a new value
field fails here until the write API, the read API, the Excel sheet, the bulk store, the
import preview and a line's version all carry it (arch.md F2)."""

import datetime
from decimal import Decimal

import pandas as pd

from api.serializers.integration import IntegrationLineSerializer
from api.serializers.results import AssignmentLineSerializer
from importers.kinds.results import diff
from importers.kinds.results.spec import COLUMNS
from importers.lines import records, store
from scoring.models import AssignmentLine
from scoring.models.assignment import LINE_VALUE_FIELDS, LINE_VALUES
from scoring.services import lines


def test_the_list_names_stored_fields_of_a_line():
    stored = {field.name for field in AssignmentLine._meta.get_fields()}
    assert set(LINE_VALUE_FIELDS) <= stored
    assert tuple(LINE_VALUES) == LINE_VALUE_FIELDS


def test_a_lines_version_digests_the_value_fields_in_their_order():
    assert (
        "period_id",
        "civil_servant_id",
        "item_id",
        "unit_id",
        *LINE_VALUE_FIELDS,
    ) == lines.VERSION_FIELDS
    # The order is what API clients hold as versions: unchanged.
    assert LINE_VALUE_FIELDS == (
        "assigned_quantity",
        "completed_quantity",
        "deadline",
        "completed_on",
        "failed_reviews",
        "delays",
        "note",
        "failed_by_product",
    )


def test_the_store_and_the_import_preview_compare_every_value_field():
    assert ("civil_servant_id", "item_id", "unit_id", *LINE_VALUE_FIELDS) == store.VALUE_FIELDS
    assert diff.VALUE_FIELDS == store.VALUE_FIELDS
    assert ("period_id", *store.VALUE_FIELDS) == records.VALUE_FIELDS


def test_the_store_writes_every_value_field():
    frame = pd.DataFrame(
        {
            "person_id": [1],
            "item_id": [2],
            "unit_id": [3],
            "assigned": [Decimal(2)],
            "completed": [Decimal(1)],
            "deadline": [datetime.date(2026, 1, 31)],
            "completed_on": [datetime.date(2026, 1, 20)],
            "failed_reviews": [0],
            "delays": [0],
            "failed_list": [[]],
            "note": [""],
        }
    )
    assert set(LINE_VALUE_FIELDS) <= set(store.line_columns(frame, now=None))


def test_the_excel_sheet_has_a_column_for_every_value_field():
    keys = {column.key for column in COLUMNS}
    assert set(LINE_VALUES.values()) <= keys


def test_the_write_api_carries_every_value_field():
    assert set(LINE_VALUES.values()) <= set(IntegrationLineSerializer().fields)


def test_the_read_api_shows_every_value_field():
    assert set(LINE_VALUE_FIELDS) <= set(AssignmentLineSerializer.Meta.fields)
