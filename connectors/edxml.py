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
* a **status** (``Status``: ``ResponseFor/OrganId`` and ``DocumentId``, ``StatusCode``,
  ``Timestamp``, ``StaffInfo``): code 06 is "đã hoàn thành" — the completion of the document's
  task.

The rules of identity, time and order live in :mod:`connectors.rules` (used here). A
document's **identity** is its sender and ``DocumentId``; a package without ``DocumentId``
is the sender, number/notation and the **year** of its date (numbers restart every year). A
replacing or revoking document names the documents it replaces in
``ReplacementInfoList/ReplacementInfo`` (``OrganId``, ``DocumentId``). Times keep their zone;
one written without a zone is Vietnam time. The package's own time (the latest ``Timestamp``
of its trace or status) orders two versions of the same document. Attachments
(``AttachmentEncoded``) are skipped while reading, whatever their size: only their names and
sizes are kept.

Elements are found by local name, with or without the namespace prefix (the systems on the axis
differ). Parsing uses ``defusedxml`` with DTDs forbidden: no external entity, no entity
expansion ("billion laughs") can reach the parser.
"""

from __future__ import annotations

import datetime
import io
from typing import BinaryIO

from defusedxml import ElementTree

from django.utils.translation import gettext as _

from .rules import (  # noqa: F401 - the reader's names, kept where callers found them
    NEW,
    REPLACE,
    REVOKE,
    UPDATE,
    VIETNAM,
    PackageError,
    document_identity,
    identity,
    parse_date,
    parse_moment,
    vietnam_day,
)

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
#: A whole package (attachments included) is read as a stream up to this size; attachments are
#: skipped while reading, so a large scanned appendix does not refuse its document.
MAX_BYTES = 200 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
#: Elements whose content is never kept (base64 attachments).
SKIPPED = frozenset({"AttachmentEncoded"})

#: Status/StatusCode meaning the document was processed to the end.
COMPLETED_STATUS = 6


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


class _Limited(io.RawIOBase):
    """A stream that refuses to give more than :data:`MAX_BYTES` (checked while reading)."""

    def __init__(self, stream: BinaryIO | io.RawIOBase):
        self.stream, self.read_so_far = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.stream.read(len(buffer))
        self.read_so_far += len(chunk)
        if self.read_so_far > MAX_BYTES:
            raise PackageError(
                _(
                    "Gói tin lớn hơn %(size)d MB: đề nghị phần mềm nguồn gửi tệp đính kèm qua "
                    "đường khác rồi gửi lại gói tin."
                )
                % {"size": MAX_MEGABYTES}
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _read_tree(stream: BinaryIO | io.RawIOBase):
    """The element tree, with every attachment's content dropped as soon as it is read; and the
    attachments' sizes."""
    root, attachments = None, []
    for event, element in ElementTree.iterparse(
        _Limited(stream), events=("start", "end"), forbid_dtd=True
    ):
        if event == "start":
            if root is None:
                root = element
        elif _local(element.tag) in SKIPPED:
            size = len((element.text or "").strip()) * 3 // 4
            if size:
                attachments.append(size)
            element.clear()
    return root, attachments


def parse(data: bytes) -> dict:
    """The facts of one package as a JSON-able dict (``kind`` "document" or "status")."""
    return parse_stream(io.BytesIO(data))


def parse_stream(stream: BinaryIO | io.RawIOBase) -> dict:
    """:func:`parse` reading from an open binary file, never wholly in memory at once beyond
    the header (attachments are skipped)."""
    try:
        root, attachments = _read_tree(stream)
    except PackageError:
        raise
    except Exception as exc:  # defusedxml raises several types for hostile or broken XML  # noqa: BLE001
        raise PackageError(
            _("Không đọc được gói tin XML (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    if root is None:
        raise PackageError(_("Không đọc được gói tin XML (%(error)s).") % {"error": "ParseError"})
    header = _find(root, "MessageHeader")
    status_code = _find(root, "StatusCode")
    if status_code is not None:
        facts = _status(root, status_code)
    elif header is None:
        raise PackageError(_("Không phải gói tin edXML: thiếu phần MessageHeader."))
    else:
        facts = _document(root, header)
    facts["attachments"] = attachments
    return facts


def _sent_at(root) -> str | None:
    """The package's own time: the latest ``Timestamp`` it carries (its trace, its status)."""
    moments = [
        parse_moment(element.text or "")
        for element in root.iter()
        if _local(element.tag) == "Timestamp" and (element.text or "").strip()
    ]
    found = [moment for moment in moments if moment is not None]
    return max(found).isoformat() if found else None


def _replaced(business, sender: str) -> list[str]:
    """The identities a replacing or revoking document names (``ReplacementInfo``)."""
    found: list[str] = []
    if business is None:
        return found
    for element in business.iter():
        if _local(element.tag) != "ReplacementInfo":
            continue
        document_id = _text(element, "DocumentId")
        if document_id:
            found.append(identity(_text(element, "OrganId") or sender, document_id))
    return found


def _document(root, header) -> dict:
    business = _find(root, "Bussiness")
    if business is None:
        business = _find(root, "Business")
    staff = _child(business, "StaffInfo") if business is not None else None
    sender = _text(header, "From", "OrganId")
    document_id = _text(header, "DocumentId")
    number, notation = _text(header, "Code", "CodeNumber"), _text(header, "Code", "CodeNotation")
    code = "/".join(part for part in (number, notation) if part)
    promulgated = parse_date(_text(header, "PromulgationInfo", "PromulgationDate"))
    key = document_identity(sender, document_id, code, promulgated)
    business_type: int | None = NEW
    if business is not None:
        business_type = _int(
            _text(business, "BussinessDocType") or _text(business, "BusinessDocType"), NEW
        )
    return {
        "kind": "document",
        "document_id": key,
        "sent_at": _sent_at(root),
        "replaces": [other for other in _replaced(business, sender) if other != key],
        "from": _organ(_child(header, "From")),
        "to": [_organ(to) for to in _children(header, "To")],
        "code_number": number,
        "code_notation": notation,
        "code": code,
        "promulgation_date": _iso(promulgated),
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
    organ = _text(response_for, "OrganId") if response_for is not None else ""
    if not document_id:
        # The document by its number and year (rules.document_identity), as for a document
        # package without DocumentId; ``Code`` written whole ("125/STP-VP") or in two parts.
        code_element = _child(response_for, "Code") if response_for is not None else None
        code = _text(response_for, "Code") if response_for is not None else ""
        if code_element is not None and len(code_element):
            parts = (_text(code_element, "CodeNumber"), _text(code_element, "CodeNotation"))
            code = "/".join(part for part in parts if part)
        promulgated = (
            parse_date(_text(response_for, "PromulgationDate"))
            if response_for is not None
            else None
        )
        if not code or promulgated is None:
            raise PackageError(
                _(
                    "Gói trạng thái không nêu văn bản: cần mã định danh (ResponseFor/DocumentId) "
                    "hoặc số, ký hiệu và ngày ban hành (ResponseFor/Code, PromulgationDate)."
                )
            )
        key = f"{organ}|{code}|{promulgated.year}"
    else:
        key = identity(organ, document_id)
    staff = _find(root, "StaffInfo")
    timestamp = _find(root, "Timestamp")
    moment = parse_moment(timestamp.text if timestamp is not None else "")
    return {
        "kind": "status",
        "document_id": key,
        "sent_at": moment.isoformat() if moment else None,
        "status_code": _int(" ".join((status_code.text or "").split())),
        "description": " ".join((getattr(_find(root, "Description"), "text", "") or "").split()),
        "date": _iso(vietnam_day(moment)),
        "staff": _staff(staff),
    }
