"""Spreadsheet files made the way clerks' tools make them (issue 29): openpyxl (a filled
template), XlsxWriter (a report generator: formulas cached as 0 with ``fullCalcOnLoad``, or a
workbook in manual calculation) and LibreOffice Calc headless (a file re-saved by LibreOffice,
or recalculated and saved as a clerk does after Ctrl+Shift+F9).

LibreOffice is looked for once per test session (``scripts/ensure-libreoffice.sh`` installs
Debian's ``libreoffice-calc-nogui`` in the test setup); its user profiles are made once per
session, and a conversion of the same bytes is done once per session.
"""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

SOFFICE_NAMES = ("soffice", "libreoffice")
# "Recalculation on file load" for Excel 2007+ files: 0 = always (what Ctrl+Shift+F9 then
# saving does), LibreOffice's default being "never" for files saved by Excel.
_RECALC_ALWAYS = (
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
    '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>'
)


def soffice_path() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class LibreOffice:
    """``soffice --headless --convert-to xlsx``, with a private profile per mode."""

    def __init__(self, binary: str, root: Path):
        self.binary = binary
        self.root = root
        self._cache: dict[tuple[str, bool], bytes] = {}

    def _profile(self, recalc: bool) -> Path:
        profile = self.root / ("profile-recalc" if recalc else "profile")
        if not profile.exists():
            # A first run creates the profile; the recalculation setting is then added to it.
            self._run(profile, self.root / "warm-up.xlsx", self.root / "warm-up-out")
            if recalc:
                settings = profile / "user" / "registrymodifications.xcu"
                text = settings.read_text(encoding="utf-8")
                settings.write_text(
                    text.replace("</oor:items>", _RECALC_ALWAYS + "</oor:items>"),
                    encoding="utf-8",
                )
        return profile

    def _run(self, profile: Path, source: Path, outdir: Path) -> Path:
        if not source.exists():
            openpyxl.Workbook().save(source)
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 (soffice found on PATH, arguments are ours)
            [
                self.binary,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return outdir / (source.stem + ".xlsx")

    def resave(self, source: Path, target: Path, recalc: bool = False) -> Path:
        """``source`` opened and saved as .xlsx by LibreOffice Calc (``recalc``: after
        recalculating every formula, as Ctrl+Shift+F9 does)."""
        data = source.read_bytes()
        key = (hashlib.sha256(data).hexdigest(), recalc)
        if key not in self._cache:
            work = Path(tempfile.mkdtemp(dir=self.root))
            copy = work / "in.xlsx"
            copy.write_bytes(data)
            converted = self._run(self._profile(recalc), copy, work / "out")
            self._cache[key] = converted.read_bytes()
        target.write_bytes(self._cache[key])
        return target


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    binary = soffice_path()
    if binary is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: the LibreOffice-produced files are not "
            "tested. Run scripts/ensure-libreoffice.sh as root (apt-get install "
            "libreoffice-calc-nogui)."
        )
    return LibreOffice(binary, tmp_path_factory.mktemp("libreoffice"))


def xlsxwriter_copy(source: Path, target: Path, cells=None, calc_mode=None) -> Path:
    """``source`` (a filled template) written again by XlsxWriter, as a report generator
    writes it: every value, the sheets' visibility, the custom properties; ``cells`` maps
    ``(sheet, "E3")`` to a value, a ``("=formula", cached)`` pair (XlsxWriter caches 0 unless
    told otherwise, and sets ``fullCalcOnLoad``), or ``(value, "0%")`` for a number format.
    ``calc_mode="manual"`` saves the workbook in manual calculation, as Excel does."""
    import datetime

    import xlsxwriter

    cells = dict(cells or {})
    original = openpyxl.load_workbook(source)
    workbook = xlsxwriter.Workbook(str(target))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    formats = {}
    for sheet in original.worksheets:
        out = workbook.add_worksheet(sheet.title)
        if sheet.sheet_state == "veryHidden":
            out.very_hidden()
        elif sheet.sheet_state == "hidden":
            out.hide()
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if isinstance(cell.value, datetime.datetime | datetime.date):
                    out.write_datetime(cell.row - 1, cell.column - 1, cell.value, date_format)
                elif isinstance(cell.value, str):
                    out.write_string(cell.row - 1, cell.column - 1, cell.value)
                else:
                    out.write(cell.row - 1, cell.column - 1, cell.value)
        for (name, reference), value in cells.items():
            if name != sheet.title:
                continue
            if isinstance(value, tuple) and str(value[0]).startswith("="):
                formula, cached = value
                out.write_formula(reference, formula, None, cached)
            elif isinstance(value, tuple):
                number, number_format = value
                if number_format not in formats:
                    formats[number_format] = workbook.add_format({"num_format": number_format})
                out.write(reference, number, formats[number_format])
            else:
                out.write(reference, value)
    for prop in original.custom_doc_props:
        workbook.set_custom_property(prop.name, str(prop.value))
    if calc_mode:
        workbook.set_calc_mode(calc_mode)
    workbook.close()
    return target
