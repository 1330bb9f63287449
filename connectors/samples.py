"""edXML packages as a document system writes them (QCVN 102:2016/BTTTT), for the demo and for
trying a source out: :func:`document` (a document given to a handling officer) and
:func:`status` (its processing status, 06 = completed)."""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape

from .edxml import NAMESPACE


def _e(value) -> str:
    return escape(str(value))


def document(
    document_id: str,
    *,
    number: str,
    notation: str,
    date: datetime.date,
    subject: str,
    doc_type: str = "CV",
    type_name: str = "Công văn",
    due: datetime.date | None = None,
    staff: str = "",
    email: str = "",
    sender: tuple[str, str] = ("000.00.00.H00", "Ủy ban nhân dân tỉnh"),
    receiver: tuple[str, str] = ("000.00.01.H00", ""),
    business: int = 0,
) -> bytes:
    due_element = f"<edXML:DueDate>{due.isoformat()}</edXML:DueDate>" if due else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXML xmlns:edXML="{NAMESPACE}">
 <edXML:edXMLEnvelope>
  <edXML:edXMLHeader>
   <edXML:MessageHeader>
    <edXML:From><edXML:OrganId>{_e(sender[0])}</edXML:OrganId>
     <edXML:OrganName>{_e(sender[1])}</edXML:OrganName></edXML:From>
    <edXML:To><edXML:OrganId>{_e(receiver[0])}</edXML:OrganId>
     <edXML:OrganName>{_e(receiver[1])}</edXML:OrganName></edXML:To>
    <edXML:Code><edXML:CodeNumber>{_e(number)}</edXML:CodeNumber>
     <edXML:CodeNotation>{_e(notation)}</edXML:CodeNotation></edXML:Code>
    <edXML:PromulgationInfo>
     <edXML:PromulgationDate>{date.isoformat()}</edXML:PromulgationDate></edXML:PromulgationInfo>
    <edXML:DocumentType><edXML:Type>{_e(doc_type)}</edXML:Type>
     <edXML:TypeName>{_e(type_name)}</edXML:TypeName></edXML:DocumentType>
    <edXML:Subject>{_e(subject)}</edXML:Subject>
    {due_element}
    <edXML:SteeringType>1</edXML:SteeringType>
    <edXML:DocumentId>{_e(document_id)}</edXML:DocumentId>
   </edXML:MessageHeader>
   <edXML:TraceHeaderList>
    <edXML:Bussiness>
     <edXML:BussinessDocType>{int(business)}</edXML:BussinessDocType>
     <edXML:StaffInfo><edXML:Staff>{_e(staff)}</edXML:Staff>
      <edXML:Email>{_e(email)}</edXML:Email></edXML:StaffInfo>
    </edXML:Bussiness>
   </edXML:TraceHeaderList>
  </edXML:edXMLHeader>
 </edXML:edXMLEnvelope>
</edXML:edXML>
""".encode()


def status(
    document_id: str, *, when: datetime.datetime, code: int = 6, description: str = ""
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:Status xmlns:edXML="{NAMESPACE}">
 <edXML:Header><edXML:MessageHeader>
  <edXML:ResponseFor><edXML:DocumentId>{_e(document_id)}</edXML:DocumentId></edXML:ResponseFor>
  <edXML:StatusCode>{int(code):02d}</edXML:StatusCode>
  <edXML:Description>{_e(description or "Đã hoàn thành")}</edXML:Description>
  <edXML:Timestamp>{when:%Y/%m/%d %H:%M:%S}</edXML:Timestamp>
 </edXML:MessageHeader></edXML:Header>
</edXML:Status>
""".encode()
