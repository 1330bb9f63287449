import unicodedata

import pytest

from org.text import fold_for_search, normalize_text
from tests.factories import CivilServantFactory

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")


def test_normalize_text_makes_nfc_and_collapses_spaces():
    assert NFD_NAME != "Nguyễn Thị Hồng Nhung"
    assert normalize_text(f"  {NFD_NAME}\t ") == "Nguyễn Thị Hồng Nhung"
    assert normalize_text("Trần   Văn \n An") == "Trần Văn An"
    assert normalize_text(None) == ""


def test_fold_for_search_removes_diacritics_and_d_stroke():
    assert fold_for_search("Đặng Thị Ánh Tuyết") == "dang thi anh tuyet"
    assert fold_for_search(NFD_NAME) == "nguyen thi hong nhung"


@pytest.mark.django_db
def test_civil_servant_names_are_stored_nfc():
    person = CivilServantFactory(full_name=NFD_NAME, official_id=" cc-001 ")
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Hồng Nhung"
    assert unicodedata.is_normalized("NFC", person.full_name)
    assert person.official_id == "CC-001"
    assert person.name_folded == "nguyen thi hong nhung"
