"""The dashboards' people table as Excel, built in the background by the export kit when it
lists more people than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``, issue 47). Registered when
the app starts (``dashboards.apps``). The view and the task call the same ``people_export``,
which builds the people table alone (not the whole dashboard); the kind asks the node view's
own rule again; the read log and Wagtail's log entry (``dashboards.export``) are written when
the file is downloaded, as the download at once writes them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms import exports
from dashboards import admin_tables, xlsx
from org.access import can_access_agency
from org.models import Agency
from scoring.models import Period

PEOPLE = "dashboards.people"
#: Wagtail's log entry of an export of the people table.
EXPORT_ACTION = "dashboards.export"


def people_file_name(node, period) -> str:
    return f"thong-ke-{node.code.lower()}-{period.code}-people.xlsx"


def people_title(node, period) -> str:
    return f"{_('Công chức của %(name)s') % {'name': node.name}} — {period.label}"


def people_export(node, period, user, progress=None) -> tuple[bytes, str, dict]:
    """The people table of ``node`` in ``period`` as ``user`` reads it: the workbook, its name
    and what the logs keep of it — the one builder of the download at once and of the job."""
    table = admin_tables.people_table(node, period, user)
    if progress is not None:
        progress(len(table.rows))
    content = xlsx.table_workbook(table, f"{node.name} — {period.label}")
    read = {
        "label": table.title,
        "subjects": [row["_person"] for row in table.rows if row.get("_person")],
        "count": len(table.rows),
    }
    return content, people_file_name(node, period), read


def record_people_export(request, node, period, read: dict) -> None:
    """The read log and Wagtail's log entry of a download of the people table."""
    record_read(
        request,
        ReadKind.DASHBOARD,
        format=ReadFormat.XLSX,
        model="scoring.periodscore",
        label=read["label"],
        subjects=read["subjects"],
        count=read["count"],
        agency=node,
    )
    log(
        instance=node,
        action=EXPORT_ACTION,
        user=request.user,
        data={"table": "people", "period": period.code, "rows": read["count"]},
    )


def people_params(user, node, period) -> dict:
    return {"user": user.pk, "node": node.pk, "period": period.pk}


def _node(params: dict) -> Agency:
    return Agency.objects.get(pk=params["node"])


def _period(params: dict) -> Period:
    return Period.objects.get(pk=params["period"])


def _build(params: dict, progress) -> bytes:
    user = get_user_model().objects.get(pk=params["user"])
    content, _name, read = people_export(_node(params), _period(params), user, progress)
    params[exports.READ] = read
    return content


def _record(request, params: dict) -> None:
    record_people_export(request, _node(params), _period(params), params[exports.READ])


def _allowed(user, params: dict) -> bool:
    """``NodeView``'s rule (signed in, the node in reach), for the person who asked."""
    node_id = params.get("node")
    node = Agency.objects.filter(pk=node_id).first() if node_id is not None else None
    return (
        user.pk == params.get("user")
        and user.is_authenticated
        and node is not None
        and can_access_agency(user, node)
    )


exports.register(
    exports.ExportKind(
        name=PEOPLE,
        title=lambda params: people_title(_node(params), _period(params)),
        build=_build,
        allowed=_allowed,
        file_name=lambda params: people_file_name(_node(params), _period(params)),
        record=_record,
    )
)
