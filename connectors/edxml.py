"""Reading edXML packages: the Vietnamese electronic-document exchange format.

The structure is the national technical regulation QCVN 102:2016/BTTTT "cấu trúc thông điệp dữ
liệu công văn điện tử" (issued with Thông tư 10/2016/TT-BTTTT), namespace
``http://www.mic.gov.vn/TBT/QCVN_102_2016``, used on the national document exchange axis
(Trục liên thông văn bản quốc gia, Quyết định 28/2018/QĐ-TTg). docs/connectors.md lists the
elements read and where each comes from.

Two kinds of package are read:

* a **document** (``edXMLEnvelope/edXMLHeader/MessageHeader``): sender (``From``), receivers
  (``To``), number and notation (``Code``), date (``PromulgationInfo/PromulgationDate``),
  document type (``DocumentType``), subject (``Subject``), processing deadline (``DueDate``),
  steering type (``SteeringType``), identifier (``DocumentId``), and from
  ``TraceHeaderList/Bussiness`` the business type (0 new, 1 revoke, 2 update, 3 replace) and the
  handling officer (``StaffInfo``: ``Staff``, ``Email``, ``Department``);
* a **status** (``Status``: ``ResponseFor/DocumentId``, ``StatusCode``, ``Timestamp``,
  ``StaffInfo``): code 06 is "đã hoàn thành" — the completion of the document's task.

Elements are found by local name, with or without the namespace prefix (the systems on the axis
differ). Parsing uses ``defusedxml`` with DTDs forbidden: no external entity, no entity
expansion ("billion laughs") can reach the parser.
"""

from __future__ import annotations

import datetime
import re

from defusedxml import ElementTree

from django.utils.translation import gettext as _

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_BYTES = 30 * 1024 * 1024

#: Bussiness/BussinessDocType
NEW, REVOKE, UPDATE, REPLACE = 0, 1, 2, 3
#: Status/StatusCode meaning the document was processed to the end.
COMPLETED_STATUS = 6


class PackageError(ValueError):
    """The bytes are not a readable edXML package; the message says why, in Vietnamese."""


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, name):
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element, name):
    return [
        child for child in (element if element is not None else []) if _local(child.tag) == name
    ]


def _path(element, *names):
    for name in names:
        element = _child(element, name)
    return element


def _text(element, *names) -> str:
    found = _path(element, *names)
    if found is None or found.text is None:
        return ""
    return " ".join(found.text.split())


def _find(root, name):
    for element in root.iter():
        if _local(element.tag) == name:
            return element
    return None


DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})"), ("d", "m", "y")),
)


def parse_date(value: str) -> datetime.date | None:
    """``yyyy-mm-dd``, ``yyyy/mm/dd`` (optionally followed by a time) or ``dd/mm/yyyy``."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise PackageError(
        _("Ngày “%(value)s” không đúng dạng yyyy-mm-dd hoặc dd/mm/yyyy.") % {"value": value}
    )


def _int(value: str, default: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise PackageError(_("Giá trị “%(value)s” phải là số.") % {"value": value}) from None


def _staff(element) -> dict:
    return {
        "name": _text(element, "Staff"),
        "email": _text(element, "Email").lower(),
        "department": _text(element, "Department"),
        "mobile": _text(element, "Mobile"),
    }


def _organ(element) -> dict:
    return {"id": _text(element, "OrganId"), "name": _text(element, "OrganName")}


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def parse(data: bytes) -> dict:
    """The facts of one package as a JSON-able dict (``kind`` "document" or "status")."""
    if len(data) > MAX_BYTES:
        raise PackageError(_("Gói tin lớn hơn 30 MB."))
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml raises several types for hostile or broken XML  # noqa: BLE001
        raise PackageError(
            _("Không đọc được gói tin XML (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    header = _find(root, "MessageHeader")
    status_code = _find(root, "StatusCode")
    if status_code is not None:
        return _status(root, status_code)
    if header is None:
        raise PackageError(_("Không phải gói tin edXML: thiếu phần MessageHeader."))
    return _document(root, header)


def _document(root, header) -> dict:
    business = _find(root, "Bussiness")
    if business is None:
        business = _find(root, "Business")
    staff = _child(business, "StaffInfo") if business is not None else None
    document_id = _text(header, "DocumentId")
    number, notation = _text(header, "Code", "CodeNumber"), _text(header, "Code", "CodeNotation")
    code = "/".join(part for part in (number, notation) if part)
    if not document_id:
        if not code:
            raise PackageError(
                _("Gói tin không có mã định danh văn bản (DocumentId) và số, ký hiệu.")
            )
        document_id = f"{_text(header, 'From', 'OrganId')},{code}"
    business_type = NEW
    if business is not None:
        business_type = _int(
            _text(business, "BussinessDocType") or _text(business, "BusinessDocType"), NEW
        )
    return {
        "kind": "document",
        "document_id": document_id,
        "from": _organ(_child(header, "From")),
        "to": [_organ(to) for to in _children(header, "To")],
        "code_number": number,
        "code_notation": notation,
        "code": code,
        "promulgation_date": _iso(
            parse_date(_text(header, "PromulgationInfo", "PromulgationDate"))
        ),
        "document_type": _text(header, "DocumentType", "Type"),
        "type_name": _text(header, "DocumentType", "TypeName"),
        "subject": _text(header, "Subject"),
        "due_date": _iso(parse_date(_text(header, "DueDate"))),
        "steering_type": _int(_text(header, "SteeringType")),
        "business_type": business_type,
        "business_reason": _text(business, "BussinessDocReason") if business is not None else "",
        "staff": _staff(staff) if staff is not None else _staff(None),
    }


def _status(root, status_code) -> dict:
    response_for = _find(root, "ResponseFor")
    document_id = _text(response_for, "DocumentId") if response_for is not None else ""
    if not document_id:
        raise PackageError(_("Gói trạng thái không nêu văn bản (ResponseFor/DocumentId)."))
    staff = _find(root, "StaffInfo")
    timestamp = _find(root, "Timestamp")
    return {
        "kind": "status",
        "document_id": document_id,
        "status_code": _int(" ".join((status_code.text or "").split())),
        "description": " ".join((getattr(_find(root, "Description"), "text", "") or "").split()),
        "date": _iso(parse_date(timestamp.text if timestamp is not None else "")),
        "staff": _staff(staff),
    }
