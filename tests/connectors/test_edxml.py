"""Reading edXML packages (QCVN 102:2016/BTTTT): the facts used, and hostile XML refused."""

import pytest

from connectors import edxml
from tests.connectors.world import document, ident, status


def test_a_document_gives_sender_number_date_subject_deadline_and_officer():
    facts = edxml.parse(document(email="An@STP.gov.vn"))
    assert facts["kind"] == "document"
    assert facts["document_id"] == ident("DOC-1")
    assert facts["from"] == {"id": "000.00.07.H99", "name": "UBND tỉnh Thử Nghiệm"}
    assert facts["to"] == [{"id": "000.15.07.H99", "name": "Sở Tư pháp"}]
    assert facts["code"] == "125/STP-VP"
    assert facts["promulgation_date"] == "2026-11-02"
    assert facts["subject"] == "Báo cáo công tác tư pháp tháng 11"
    assert facts["document_type"] == "CV"
    assert facts["due_date"] == "2026-11-20"
    assert facts["steering_type"] == 1
    assert facts["business_type"] == edxml.NEW
    assert facts["staff"]["email"] == "an@stp.gov.vn"
    assert facts["staff"]["department"] == "Văn phòng"


def test_dates_in_vietnamese_order_and_without_deadline():
    facts = edxml.parse(document(date="02/11/2026", due=""))
    assert facts["promulgation_date"] == "2026-11-02"
    assert facts["due_date"] is None


def test_a_status_gives_the_document_code_and_date():
    facts = edxml.parse(status())
    assert facts == {
        "kind": "status",
        "document_id": ident("DOC-1"),
        "sent_at": "2026-11-18T16:30:00+07:00",
        "status_code": 6,
        "description": "Đã hoàn thành",
        "date": "2026-11-18",
        "staff": {"name": "", "email": "an@stp.gov.vn", "department": "", "mobile": ""},
        "attachments": [],
    }


@pytest.mark.parametrize(
    "payload",
    [
        # external entity (XXE)
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<MessageHeader><Subject>&e;</Subject></MessageHeader>",
        # entity expansion ("billion laughs")
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<MessageHeader><Subject>&b;</Subject></MessageHeader>",
        b"not xml at all",
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_message(payload):
    with pytest.raises(edxml.PackageError, match="Không đọc được gói tin XML"):
        edxml.parse(payload)


def test_xml_that_is_not_edxml_is_refused():
    with pytest.raises(edxml.PackageError, match="thiếu phần MessageHeader"):
        edxml.parse(b"<invoice><total>1</total></invoice>")


def test_a_wrong_date_names_the_value():
    with pytest.raises(edxml.PackageError, match="“31/02/2026” không đúng dạng"):
        edxml.parse(document(due="31/02/2026"))
