"""A province with two departments (Sở Tư pháp, Sở Y tế), units, people, approved catalogs and an
open period March 2026; users for each access level; helpers to build and tweak workbooks."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from django.contrib.auth.models import Group

from catalog_pages.setup import editor_group_name, setup_catalogs
from importers.kinds import get_kind
from importers.kinds.base import Context
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CivilServantFactory,
    JobPositionFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    make_item,
    post,
    publish,
)
from tests.importers.producers import libreoffice  # noqa: F401 (a session fixture)

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def vietnamese():
    """Messages are asserted in Vietnamese, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def world(db):
    from scoring.models import Period, PeriodKind

    province = ProvinceFactory()
    justice = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    health = AgencyFactory(parent=province, code="SYT", name="Sở Y tế")
    office = UnitFactory(parent=justice, code="STP-VP", name="Văn phòng Sở")
    legal = UnitFactory(parent=justice, code="STP-PC", name="Phòng Pháp chế")
    clinic = UnitFactory(parent=health, code="SYT-VP", name="Văn phòng Sở Y tế")
    setup_catalogs()
    position = JobPositionFactory(code="CV-PC", name="Chuyên viên pháp chế")
    other_position = JobPositionFactory(code="CV-VP", name="Chuyên viên văn phòng")

    home_affairs = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    justice_admin = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=justice_admin, agency=justice)
    health_admin = UserFactory(username="quantri.syt", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=health_admin, agency=health)
    justice_editor = UserFactory(username="bientap.stp")
    justice_editor.groups.add(Group.objects.get(name=editor_group_name(justice)))
    outsider = UserFactory(username="nguoingoai", groups=[AGENCY_ADMIN_GROUP])

    def person(code, name):
        return CivilServantFactory(official_id=code, full_name=name)

    people = {
        "an": post(
            office,
            LeadershipRole.HEAD,
            person=person("CT0001", "Nguyễn Văn An"),
            job_position=position,
        ),
        "binh": post(legal, person=person("CT0002", "Trần Thị Bình"), job_position=position),
        "cuong": post(legal, person=person("CT0003", "Lê Văn Cường"), job_position=other_position),
        "dung": post(clinic, person=person("YT0001", "Phạm Thị Dung"), job_position=position),
    }

    from catalog_pages.models import AgencyCatalogPage

    justice_page = AgencyCatalogPage.objects.get(agency=justice)
    health_page = AgencyCatalogPage.objects.get(agency=health)
    publish(
        justice_page,
        home_affairs,
        [
            make_item("STP-001", "Văn bản hành chính thông thường", "1", 1, True, [position]),
            make_item("STP-002", "Báo cáo thẩm định dự thảo nghị quyết", "8", 3, False, [position]),
            make_item("STP-003", "Hồ sơ hộ tịch có yếu tố nước ngoài", "2.5", 2, False, [position]),
        ],
        effective=datetime.date(2026, 1, 1),
    )
    publish(
        health_page,
        home_affairs,
        [make_item("SYT-001", "Văn bản thông thường", "1", 1, True, [position])],
        effective=datetime.date(2026, 1, 1),
    )
    march = Period.objects.create(kind=PeriodKind.MONTH, year=2026, number=3)
    return {
        "province": province,
        "justice": justice,
        "health": health,
        "office": office,
        "legal": legal,
        "position": position,
        "other_position": other_position,
        "home_affairs": home_affairs,
        "justice_admin": justice_admin,
        "health_admin": health_admin,
        "justice_editor": justice_editor,
        "outsider": outsider,
        "people": people,
        "march": march,
        "justice_page": justice_page,
    }


def template_bytes(kind_code, agency, period=None, user=None) -> bytes:
    kind = get_kind(kind_code)
    context = Context(
        agency=agency, period=period, period_code=period.code if period else "", user=user
    )
    return kind.build_template(context)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def fill_results(workbook, rows, start_row=3):
    """Overwrite the data area of "Kết quả" with ``rows`` (lists of cell values from column A)."""
    sheet = workbook["Kết quả"]
    for row in range(start_row, sheet.max_row + 1):
        for column in range(1, 13):
            sheet.cell(row, column).value = None
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(start_row + offset, column).value = value
    return workbook


def results_file(world, tmp_path, rows, name="ket-qua.xlsx", agency=None, period=None):
    data = template_bytes("results", agency or world["justice"], period or world["march"])
    workbook = fill_results(load(data), rows)
    return save(workbook, tmp_path / name)


def rewrite_zip(source: Path, target: Path, edit) -> Path:
    """Copy a zip, passing every member through ``edit(name, bytes) -> bytes | None``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
    return target


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip member name of a worksheet."""
    from importers.reading.inspect import inspect_file

    return inspect_file(path).sheets[sheet_name].part


def snapshot():
    """Everything an import could touch, to prove a refused file changed nothing."""
    from wagtail.models import Revision

    from catalog_pages.models import CatalogItem
    from importers.models import ImportJob
    from org.models import Agency, CivilServant, Posting
    from scoring.models import AssignmentLine, GeneralCriteriaMark

    return {
        "lines": sorted(
            AssignmentLine.objects.values_list(
                "id",
                "external_id",
                "assigned_quantity",
                "completed_quantity",
                "deadline",
                "completed_on",
                "item_id",
                "note",
            )
        ),
        "marks": sorted(
            GeneralCriteriaMark.objects.values_list(
                "id", "criterion", "self_mark", "evaluator_mark"
            )
        ),
        "people": sorted(
            CivilServant.objects.values_list("id", "official_id", "full_name", "email")
        ),
        "postings": sorted(Posting.objects.values_list("id", "agency_id", "role", "end_date")),
        "agencies": sorted(Agency.objects.values_list("id", "code", "name", "parent_id")),
        "catalog_items": sorted(CatalogItem.objects.values_list("id", "code", "name")),
        "revisions": Revision.objects.count(),
        "committed_jobs": ImportJob.objects.filter(status="committed").count(),
    }


def run_command(*args) -> tuple[int, str, str]:
    """A management command as the shell sees it: (exit status, stdout, stderr + message)."""
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()
