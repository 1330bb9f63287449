"""Looking at an uploaded file *before* any spreadsheet library opens it.

Order of checks, cheapest first; each failure raises :class:`UnreadableFile` with a Vietnamese
message that says what to do:

1. size (empty, over ``KPI_IMPORT_MAX_BYTES``);
2. magic bytes: an OLE2 container is either an encrypted (password-protected) OOXML package or a
   legacy ``.xls``; text is CSV/HTML; anything else that is not a zip is not a workbook;
3. the zip directory: ODS, XLSB, Word…, zip-level encryption, too many members, too many bytes
   once inflated, an abnormal compression ratio (zip bomb);
4. every worksheet's XML, streamed with bounded memory: how many ``<row>`` elements, the largest
   row number and column actually used (a single cell at row 1,048,576 would make the reader
   allocate a million rows), which rows are hidden. The declared ``<dimension>`` is recorded but
   not trusted: a sheet that *declares* A1:L1048576 but has 50 rows is read normally;
5. the workbook's calculation settings (``calcPr``): a workbook that asks to be recalculated on
   load (``fullCalcOnLoad``, as XlsxWriter and report generators write it, with every cached
   value 0) or is in manual calculation mode carries formula values that may be stale; the
   formula cells are recorded so that the parser can refuse the ones in data columns;
6. the cells formatted as a percentage (a number style whose format holds ``%``): ``100%`` typed
   in a quantity is stored as 1.
"""

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

from django.utils.translation import gettext as _

from importers import conf
from importers.issues import column_index
from importers.reading.errors import UnreadableFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAX_MEMBERS = 10_000
SMALL_MEMBER = 1024 * 1024  # ratios of members smaller than this are not checked
MAX_XML_PART = 10 * 1024 * 1024  # workbook.xml, rels, custom.xml
CHUNK = 1024 * 1024

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"

ROOT_TAG = re.compile(rb"<(\w+:)?worksheet\b")
ROW_NUMBER = re.compile(rb'\br="(\d+)"')
HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
NARROW_WIDTH = 25  # without any wide cell, column Z bounds the width
CACHED_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")


class Patterns:
    """Tag patterns for one namespace prefix (``x:`` in files from .NET tools, usually none).

    Starting each pattern with a literal (``<row``, ``<c r="``) keeps the scan at C speed.
    """

    _cache: dict = {}

    def __init__(self, prefix: bytes):
        p = re.escape(prefix)
        # The row number is normally the first attribute; other orders fall back to ROW_NUMBER.
        self.row = re.compile(rb"<" + p + rb'row\b(?: r="(\d+)")?([^>]*)>')
        # Cells in column AA or beyond; normal templates have none, so the scan stays fast, and
        # the widest one bounds what the reader will allocate.
        self.wide_cell = re.compile(rb"<" + p + rb'c r="([A-Z]{2,3})\d')
        self.formula = re.compile(rb"<" + p + rb"f[\s>/]")
        self.cell_start = re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})(\d+)"')
        self.cell_end = re.compile(rb"</" + p + rb"c>")
        self.formula_hint = b"<" + prefix + b"f"

    @classmethod
    def for_prefix(cls, prefix: bytes) -> "Patterns":
        if prefix not in cls._cache:
            cls._cache[prefix] = cls(prefix)
        return cls._cache[prefix]


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]*\d*:?[A-Z]*(\d*)"')


def vi_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vi_megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


@dataclass
class SheetScan:
    name: str
    part: str
    state: str = "visible"
    rows: int = 0
    max_row: int = 0  # largest Excel row number used (1-based)
    max_column: int = 0  # upper bound of the 0-based column indexes used
    declared_rows: int | None = None
    hidden_rows: set[int] = field(default_factory=set)
    # Formula cells saved without a cached value (row 1-based, column 0-based): the reader
    # would see them empty; files saved by Excel always have one.
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)
    # Every formula cell → its cached value as saved ("" when none): trusted only when the
    # workbook's calculation settings say the values are current (``FileCheck.calculation``).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # Cells whose style is a percentage format (row 1-based, column 0-based).
    percent_cells: set[tuple[int, int]] = field(default_factory=set)


#: ``FileCheck.calculation``: why cached formula values cannot be trusted ("" when they can).
CALC_ON_LOAD = "full_calc_on_load"
CALC_MANUAL = "manual"


@dataclass
class FileCheck:
    size: int
    sha256: str
    sheets: dict[str, SheetScan]
    custom_properties: dict[str, str]
    calculation: str = ""
    # The workbook counts days from 1904 (``<workbookPr date1904="1"/>``: Mac Excel): a date
    # pasted as a plain number means another day than in the 1900 system.
    date1904: bool = False


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inspect_file(path) -> FileCheck:
    size = os.path.getsize(path)
    if size == 0:
        raise UnreadableFile(_("Tệp rỗng (0 byte). Hãy chọn lại tệp Excel đã điền."), "empty")
    limit = conf.max_bytes()
    if size > limit:
        raise UnreadableFile(
            _(
                "Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia tệp thành nhiều "
                "phần (ví dụ theo đơn vị) rồi tải lên từng phần."
            )
            % {"size": vi_megabytes(size), "limit": vi_megabytes(limit)},
            "too_large",
        )
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(OLE_MAGIC):
        _refuse_ole(path)
    if not head.startswith(ZIP_MAGICS):
        _refuse_not_zip(head)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(
            _(
                "Tệp .xlsx bị hỏng, không giải nén được. Hãy mở tệp bằng Excel, lưu lại dưới "
                "dạng .xlsx rồi tải lên."
            ),
            "corrupt",
        ) from None
    with archive:
        _check_package(archive)
        sheets, calculation, date1904 = _workbook_sheets(archive)
        percent_styles = _percent_styles(archive)
        for scan in sheets.values():
            _scan_sheet(archive, scan, percent_styles)
        properties = _custom_properties(archive)
    return FileCheck(
        size=size,
        sha256=sha256_of(path),
        sheets=sheets,
        custom_properties=properties,
        calculation=calculation,
        date1904=date1904,
    )


# --- not a zip ----------------------------------------------------------------------------------


def _refuse_ole(path) -> None:
    with open(path, "rb") as handle:
        data = handle.read()
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise UnreadableFile(
            _(
                "Tệp được đặt mật khẩu (mã hoá) nên hệ thống không đọc được. Hãy mở tệp bằng "
                "Excel, gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật "
                "khẩu, xoá mật khẩu), lưu lại rồi tải lên."
            ),
            "encrypted",
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        raise UnreadableFile(
            _(
                "Tệp có định dạng Excel 97–2003 (.xls), hệ thống chỉ nhận .xlsx. Hãy mở tệp "
                "bằng Excel, chọn Lưu thành › Sổ làm việc Excel (*.xlsx), hoặc tốt nhất là tải "
                "mẫu mới từ hệ thống và chép dữ liệu vào."
            ),
            "xls",
        )
    raise UnreadableFile(
        _("Tệp không phải bảng tính Excel (.xlsx). Hãy tải mẫu từ hệ thống, điền và tải lên."),
        "not_xlsx",
    )


def _refuse_not_zip(head: bytes) -> None:
    lowered = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        raise UnreadableFile(
            _(
                "Tệp là trang HTML/XML đổi đuôi thành Excel (thường do phần mềm khác xuất ra), "
                "không phải .xlsx. Hãy mở bằng Excel, chọn Lưu thành › Sổ làm việc Excel "
                "(*.xlsx) rồi tải lên."
            ),
            "html",
        )
    if head.startswith(b"%PDF"):
        raise UnreadableFile(
            _("Tệp là PDF, không phải bảng tính. Hãy tải mẫu Excel từ hệ thống và điền vào."),
            "pdf",
        )
    if _looks_like_text(head):
        raise UnreadableFile(
            _(
                "Tệp là văn bản/CSV, không phải .xlsx. Hãy tải mẫu Excel từ hệ thống, dán dữ "
                "liệu vào các cột tương ứng và lưu dạng .xlsx rồi tải lên."
            ),
            "csv",
        )
    raise UnreadableFile(
        _("Tệp không phải bảng tính Excel (.xlsx). Hãy tải mẫu từ hệ thống, điền và tải lên."),
        "not_xlsx",
    )


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 text (or UTF-16 with a byte-order mark) made of printable characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in head:
        return False
    else:
        encoding = "utf-8"
    text = head.decode(encoding, errors="ignore")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.95


# --- the zip package ----------------------------------------------------------------------------


def _check_package(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    names = {info.filename for info in members}
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:200]
        if b"opendocument.spreadsheet" in mimetype:
            raise UnreadableFile(
                _(
                    "Tệp có định dạng OpenDocument (.ods), hệ thống chỉ nhận .xlsx. Hãy mở "
                    "bằng LibreOffice/Excel, chọn Lưu thành › Excel 2007-365 (.xlsx) rồi tải lên."
                ),
                "ods",
            )
    if "xl/workbook.bin" in names:
        raise UnreadableFile(
            _(
                "Tệp có định dạng Excel nhị phân (.xlsb), hệ thống chỉ nhận .xlsx. Hãy mở bằng "
                "Excel, chọn Lưu thành › Sổ làm việc Excel (*.xlsx) rồi tải lên."
            ),
            "xlsb",
        )
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(
            _(
                "Tệp nén không phải bảng tính Excel (.xlsx) (có thể là tệp Word, PowerPoint "
                "hoặc ZIP). Hãy tải mẫu Excel từ hệ thống, điền và tải lên."
            ),
            "not_xlsx",
        )
    if any(info.flag_bits & 0x1 for info in members):
        raise UnreadableFile(
            _("Tệp nén được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi tải lên."),
            "encrypted",
        )
    bomb = UnreadableFile(
        _(
            "Tệp có cấu trúc bất thường (khi giải nén lớn gấp nhiều lần bình thường, dấu hiệu "
            "“bom nén”) nên bị từ chối. Hãy tải mẫu mới từ hệ thống, chép dữ liệu vào và lưu lại."
        ),
        "zip_bomb",
    )
    if len(members) > MAX_MEMBERS:
        raise bomb
    total = sum(info.file_size for info in members)
    if total > conf.max_uncompressed_bytes():
        raise bomb
    ratio = conf.max_compression_ratio()
    for info in members:
        if info.file_size > SMALL_MEMBER and info.file_size > ratio * max(info.compress_size, 1):
            raise bomb


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_PART:
        raise UnreadableFile(
            _("Tệp có cấu trúc bất thường (phần %(part)s quá lớn).") % {"part": name},
            "corrupt",
        )
    return archive.read(name)


def _parse_xml(data: bytes, name: str):
    try:
        return ElementTree.fromstring(data)
    except Exception:  # defusedxml raises several types for hostile or broken XML  # noqa: BLE001
        raise UnreadableFile(
            _(
                "Tệp .xlsx bị hỏng (phần %(part)s không đọc được). Hãy mở bằng Excel, lưu lại "
                "rồi tải lên."
            )
            % {"part": name},
            "corrupt",
        ) from None


def _calculation(workbook) -> str:
    """Why the cached values of formulas cannot be trusted, from ``<calcPr>`` ("" if they can).

    Excel and LibreOffice save the values they computed; a writer that does not compute
    (XlsxWriter, report generators, openpyxl) caches 0 or nothing and sets ``fullCalcOnLoad``;
    Excel in manual calculation mode saves whatever was last computed."""
    calc = workbook.find(f"{NS_MAIN}calcPr")
    if calc is None:
        return ""
    if calc.get("fullCalcOnLoad", "").lower() in ("1", "true"):
        return CALC_ON_LOAD
    if calc.get("calcMode", "").lower() == "manual":
        return CALC_MANUAL
    return ""


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (``s="…"``) whose number format is a percentage."""
    name = "xl/styles.xml"
    if name not in archive.namelist():
        return frozenset()
    try:
        styles = _parse_xml(_read_small(archive, name), name)
    except UnreadableFile:
        return frozenset()
    percent_formats = {9, 10}  # Excel's built-in 0% and 0.00%
    for number_format in styles.iter(f"{NS_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", number_format.get("formatCode", ""))
        if "%" in code:
            try:
                percent_formats.add(int(number_format.get("numFmtId", "")))
            except ValueError:
                continue
    cell_formats = styles.find(f"{NS_MAIN}cellXfs")
    if cell_formats is None:
        return frozenset()
    found = set()
    for index, xf in enumerate(cell_formats.iter(f"{NS_MAIN}xf")):
        try:
            if int(xf.get("numFmtId", "0")) in percent_formats:
                found.add(index)
        except ValueError:
            continue
    return frozenset(found)


def _date1904(workbook) -> bool:
    properties = workbook.find(f"{NS_MAIN}workbookPr")
    return properties is not None and properties.get("date1904", "").lower() in ("1", "true")


def _workbook_sheets(archive: zipfile.ZipFile) -> tuple[dict[str, SheetScan], str, bool]:
    workbook = _parse_xml(_read_small(archive, "xl/workbook.xml"), "xl/workbook.xml")
    targets = {}
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name in archive.namelist():
        rels = _parse_xml(_read_small(archive, rels_name), rels_name)
        for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                target = target.lstrip("/")
            elif not target.startswith("xl/"):
                target = f"xl/{target}"
            targets[rel.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
    sheets = {}
    names = set(archive.namelist())
    for index, sheet in enumerate(workbook.iter(f"{NS_MAIN}sheet"), start=1):
        name = sheet.get("name", "")
        part = targets.get(sheet.get(f"{NS_REL}id"), f"xl/worksheets/sheet{index}.xml")
        if part not in names:
            continue  # chart sheets and the like
        sheets[name] = SheetScan(name=name, part=part, state=sheet.get("state", "visible"))
    return sheets, _calculation(workbook), _date1904(workbook)


def _scan_sheet(archive: zipfile.ZipFile, scan: SheetScan, percent_styles=frozenset()) -> None:
    """Stream the sheet XML once: rows, largest row/column, hidden rows, declared dimension."""
    tail = b""
    implicit_row = 0
    first = True
    patterns = Patterns.for_prefix(b"")
    percent = (
        re.compile(rb'\ss="(' + b"|".join(str(i).encode() for i in sorted(percent_styles)) + rb')"')
        if percent_styles
        else None
    )
    with archive.open(scan.part) as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            # Keep the end of the previous chunk so a tag cut in two is seen whole.
            cut = tail + chunk
            boundary = cut.rfind(b"<")
            if boundary <= 0:
                tail = cut
                continue
            buffer, tail = cut[:boundary], cut[boundary:]
            if first:
                root = ROOT_TAG.search(buffer)
                patterns = Patterns.for_prefix((root.group(1) or b"") if root else b"")
                match = DIMENSION.search(buffer)
                if match and match.group(1):
                    scan.declared_rows = int(match.group(1))
                first = False
            implicit_row = _scan_buffer(buffer, scan, implicit_row, patterns)
            if percent is not None:
                _scan_percent_cells(buffer, scan, patterns, percent)
        if tail:
            _scan_buffer(tail, scan, implicit_row, patterns)
            if percent is not None:
                _scan_percent_cells(tail, scan, patterns, percent)
    if scan.max_row > conf.max_rows():
        raise UnreadableFile(
            _(
                "Trang tính “%(sheet)s” có dữ liệu tới dòng %(rows)s, vượt giới hạn %(limit)s "
                "dòng. Thường do có ô lạc ở cuối trang hoặc định dạng cả cột: hãy xoá các dòng "
                "thừa bên dưới dữ liệu (chọn các dòng, Xoá dòng), lưu lại rồi tải lên."
            )
            % {
                "sheet": scan.name,
                "rows": vi_number(scan.max_row),
                "limit": vi_number(conf.max_rows()),
            },
            "too_many_rows",
            sheet=scan.name,
        )
    if scan.max_row * (scan.max_column + 1) > conf.max_cells():
        raise UnreadableFile(
            _(
                "Trang tính “%(sheet)s” quá lớn (%(rows)s dòng × %(columns)s cột). Hãy xoá các "
                "cột, dòng thừa ngoài vùng dữ liệu, lưu lại rồi tải lên."
            )
            % {
                "sheet": scan.name,
                "rows": vi_number(scan.max_row),
                "columns": vi_number(scan.max_column + 1),
            },
            "too_many_cells",
            sheet=scan.name,
        )


def _scan_buffer(buffer: bytes, scan: SheetScan, implicit_row: int, patterns: Patterns) -> int:
    found = patterns.row.findall(buffer)
    if found:
        scan.rows += len(found)
        if all(number for number, _attributes in found):
            numbers = [int(number) for number, _attributes in found]
            scan.max_row = max(scan.max_row, *numbers)
            implicit_row = numbers[-1]
        else:
            numbers = []
            for number, attributes in found:
                other = ROW_NUMBER.search(attributes)
                if number:
                    implicit_row = int(number)
                elif other is not None:
                    implicit_row = int(other.group(1))
                else:
                    implicit_row += 1
                numbers.append(implicit_row)
            scan.max_row = max(scan.max_row, *numbers)
        if b"hidden" in buffer:
            for number, (_number, attributes) in zip(numbers, found, strict=True):
                if HIDDEN.search(attributes):
                    scan.hidden_rows.add(number)
    if patterns.formula_hint in buffer:
        _scan_formulas(buffer, scan, patterns)
    widest = max(scan.max_column, NARROW_WIDTH)
    for match in patterns.wide_cell.finditer(buffer):
        widest = max(widest, column_index(match.group(1).decode()))
    scan.max_column = widest
    return implicit_row


def _scan_formulas(buffer: bytes, scan: SheetScan, patterns: Patterns) -> None:
    for match in patterns.formula.finditer(buffer):
        cell_start = None
        window = max(0, match.start() - 400)
        for candidate in patterns.cell_start.finditer(buffer, window, match.start()):
            cell_start = candidate
        end = patterns.cell_end.search(buffer, match.end())
        if cell_start is None or end is None:
            continue
        cell = (int(cell_start.group(2)), column_index(cell_start.group(1).decode()))
        cached = CACHED_VALUE.search(buffer, match.end(), end.start())
        if cached is None:
            scan.uncached_formulas.add(cell)
            scan.formulas[cell] = ""
        else:
            scan.formulas[cell] = cached.group(1).decode("utf-8", "replace")


def _scan_percent_cells(buffer: bytes, scan: SheetScan, patterns: Patterns, percent) -> None:
    """Cells styled as a percentage: the style attribute is searched (a literal start, so
    files without such cells cost one pass at C speed), then its cell tag before it."""
    for match in percent.finditer(buffer):
        start = buffer.rfind(b"<", 0, match.start())
        cell = patterns.cell_start.match(buffer, start) if start >= 0 else None
        if cell is not None and buffer.find(b">", cell.end(), match.start()) < 0:
            scan.percent_cells.add((int(cell.group(2)), column_index(cell.group(1).decode())))


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    name = "docProps/custom.xml"
    if name not in archive.namelist():
        return {}
    try:
        root = _parse_xml(_read_small(archive, name), name)
    except UnreadableFile:
        return {}
    properties = {}
    for prop in root.iter(f"{NS_CUSTOM}property"):
        values = [child.text or "" for child in prop]
        properties[prop.get("name", "")] = values[0] if values else ""
    return properties
