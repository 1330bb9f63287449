"""Security review 2026-11-22, M2: templates are pre-filled with people's names and catalog
items typed by people; a name like =HYPERLINK(…) must reach Excel as text, not as a formula."""

import pytest

from org.models import CivilServant
from tests.cms.test_spreadsheets import EVIL, formulas
from tests.importers.conftest import load, template_bytes

pytestmark = pytest.mark.django_db


def test_a_formula_looking_name_is_text_in_the_template(world):
    person = CivilServant.objects.get(official_id="CT0001")
    person.full_name = EVIL
    person.save()
    data = template_bytes("results", world["justice"], world["march"])
    assert not formulas(data)
    texts = {
        cell.value for sheet in load(data).worksheets for row in sheet.iter_rows() for cell in row
    }
    assert EVIL in texts
