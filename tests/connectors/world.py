"""A small province for the connector tests, and edXML packages as a document system writes them.

    province TINH
    └── STP (Sở Tư pháp)            catalog: CV (k=1), KH (k=2)
        └── STP-P1 (phòng)           An (an@stp.gov.vn), Bình (official ID CC-BINH)
    SNN (Sở Nông nghiệp)             Cường (cuong@snn.gov.vn) — outside the source's agency

November 2026 is open.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from connectors.models import Source, SourceKind
from org.access import HOME_AFFAIRS_GROUP
from scoring.models import Period
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    catalog_version,
    post,
)

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
NOVEMBER = datetime.date(2026, 11, 1)
#: The sender (``From/OrganId``) of the documents below.
SENDER = "000.00.07.H99"


def ident(document_id: str) -> str:
    """A document's identity: its sender and its ``DocumentId``."""
    return f"{SENDER}|{document_id}"


@dataclass
class World:
    stp: object
    unit: object
    snn: object
    november: Period
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def source(self, tmp_path=None, **options) -> Source:
        defaults = {"name": "QLVB Sở Tư pháp", "agency": self.stp, "kind": SourceKind.FOLDER}
        if tmp_path is not None:
            defaults["folder"] = str(tmp_path)
        defaults.update(options)
        return Source.objects.create(**defaults)


def build_world() -> World:
    province = ProvinceFactory()
    stp = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    unit = UnitFactory(parent=stp, code="STP-P1", name="Phòng Hành chính tư pháp")
    snn = AgencyFactory(parent=province, code="SNN", name="Sở Nông nghiệp")
    catalog_version(stp, items=(("CV", "1"), ("KH", "2")))
    catalog_version(snn, items=(("CV", "1"),))
    november = Period.for_date(NOVEMBER, create=True)
    world = World(stp, unit, snn, november)
    an = post(unit, full_name="Nguyễn Văn An")
    an.email = "an@stp.gov.vn"
    an.save()
    binh = post(unit, full_name="Trần Thị Bình")
    binh.official_id = "CC-BINH"
    binh.save()
    cuong = post(snn, full_name="Lê Văn Cường")
    cuong.email = "cuong@snn.gov.vn"
    cuong.save()
    world.people.update(an=an, binh=binh, cuong=cuong)
    world.users["home_affairs"] = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    world.users["outsider"] = UserFactory(username="outsider")
    return world


def document(
    document_id="DOC-1",
    number="125",
    notation="STP-VP",
    date="2026-11-02",
    subject="Báo cáo công tác tư pháp tháng 11",
    doc_type="CV",
    type_name="Công văn",
    due="2026-11-20",
    staff="",
    email="an@stp.gov.vn",
    business=0,
    reason="",
    replaces=(),
    sent="",
    attachment=b"",
    sender=SENDER,
) -> bytes:
    due_element = f"<edXML:DueDate>{due}</edXML:DueDate>" if due else ""
    id_element = f"<edXML:DocumentId>{document_id}</edXML:DocumentId>" if document_id else ""
    replacement = "".join(
        f"<edXML:ReplacementInfo><edXML:DocumentId>{other}</edXML:DocumentId>"
        f"<edXML:OrganId>{sender}</edXML:OrganId></edXML:ReplacementInfo>"
        for other in replaces
    )
    replacement = (
        f"<edXML:ReplacementInfoList>{replacement}</edXML:ReplacementInfoList>"
        if replacement
        else ""
    )
    trace = (
        f"<edXML:TraceHeader><edXML:OrganId>{sender}</edXML:OrganId>"
        f"<edXML:Timestamp>{sent}</edXML:Timestamp></edXML:TraceHeader>"
        if sent
        else ""
    )
    return (
        f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXML xmlns:edXML="{NS}">
 <edXML:edXMLEnvelope>
  <edXML:edXMLHeader>
   <edXML:MessageHeader>
    <edXML:From><edXML:OrganId>{sender}</edXML:OrganId>
     <edXML:OrganName>UBND tỉnh Thử Nghiệm</edXML:OrganName></edXML:From>
    <edXML:To><edXML:OrganId>000.15.07.H99</edXML:OrganId>
     <edXML:OrganName>Sở Tư pháp</edXML:OrganName></edXML:To>
    <edXML:Code><edXML:CodeNumber>{number}</edXML:CodeNumber>
     <edXML:CodeNotation>{notation}</edXML:CodeNotation></edXML:Code>
    <edXML:PromulgationInfo><edXML:Place>Thử Nghiệm</edXML:Place>
     <edXML:PromulgationDate>{date}</edXML:PromulgationDate></edXML:PromulgationInfo>
    <edXML:DocumentType><edXML:Type>{doc_type}</edXML:Type>
     <edXML:TypeName>{type_name}</edXML:TypeName></edXML:DocumentType>
    <edXML:Subject>{subject}</edXML:Subject>
    {due_element}
    <edXML:SteeringType>1</edXML:SteeringType>
    {id_element}
   </edXML:MessageHeader>
   <edXML:TraceHeaderList>
    {trace}
    <edXML:Bussiness>
     <edXML:BussinessDocType>{business}</edXML:BussinessDocType>
     <edXML:BussinessDocReason>{reason}</edXML:BussinessDocReason>
     {replacement}
     <edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department>
      <edXML:Staff>{staff}</edXML:Staff><edXML:Email>{email}</edXML:Email></edXML:StaffInfo>
    </edXML:Bussiness>
   </edXML:TraceHeaderList>
  </edXML:edXMLHeader>
 </edXML:edXMLEnvelope>
 <edXML:edXMLBody><edXML:Attachment><edXML:ContentType>application/pdf</edXML:ContentType>
  <edXML:AttachmentEncoded>""".encode()
        + attachment
        + b"""</edXML:AttachmentEncoded>
 </edXML:Attachment></edXML:edXMLBody>
</edXML:edXML>
"""
    )


def status(
    document_id="DOC-1",
    code="06",
    when="2026/11/18 16:30:00",
    email="an@stp.gov.vn",
    number="125/STP-VP",
    promulgated="",
) -> bytes:
    id_element = f"<edXML:DocumentId>{document_id}</edXML:DocumentId>" if document_id else ""
    date_element = (
        f"<edXML:PromulgationDate>{promulgated}</edXML:PromulgationDate>" if promulgated else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:Status xmlns:edXML="{NS}">
 <edXML:Header><edXML:MessageHeader>
  <edXML:ResponseFor><edXML:OrganId>000.00.07.H99</edXML:OrganId>
   <edXML:Code>{number}</edXML:Code>{date_element}{id_element}
  </edXML:ResponseFor>
  <edXML:From><edXML:OrganId>000.15.07.H99</edXML:OrganId></edXML:From>
  <edXML:StatusCode>{code}</edXML:StatusCode>
  <edXML:Description>Đã hoàn thành</edXML:Description>
  <edXML:Timestamp>{when}</edXML:Timestamp>
  <edXML:StaffInfo><edXML:Staff></edXML:Staff><edXML:Email>{email}</edXML:Email></edXML:StaffInfo>
 </edXML:MessageHeader></edXML:Header>
</edXML:Status>
""".encode()
