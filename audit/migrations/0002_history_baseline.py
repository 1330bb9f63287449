"""The starting point of the change history: every existing row of a tracked model gets one
historical row ("+", reason "trạng thái khi bắt đầu ghi lịch sử"), so the first change made
afterwards shows from what to what. One INSERT … SELECT per table; nothing to do on a new
database. (Rows loaded later by raw SQL or bulk paths that skip the history can be given the
same starting point with ``manage.py populate_history --auto``.)"""

from django.db import migrations
from django.utils import timezone

REASON = "Trạng thái khi bắt đầu ghi lịch sử"
TRACKED = [
    ("org", "CivilServant"),
    ("org", "Posting"),
    ("org", "DeputyCharge"),
    ("org", "AgencyAccess"),
    ("scoring", "AssignmentLine"),
    ("scoring", "Deduction"),
    ("scoring", "GeneralCriteriaMark"),
    ("scoring", "LeaderMark"),
    ("scoring", "Disqualification"),
    ("org_scoring", "OrganisationTask"),
    ("org_scoring", "OrganisationGeneralMark"),
    ("org_scoring", "OrganisationShortcoming"),
    ("org_scoring", "OrganisationDisqualification"),
    ("org_scoring", "OutstandingRecognition"),
]
HISTORY_FIELDS = {"history_id", "history_date", "history_type", "history_user", "history_change_reason"}


def _param(connection, field):
    if connection.vendor == "sqlite":
        return "%s"
    return f"CAST(%s AS {field.db_type(connection)})"


def baseline(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for app_label, name in TRACKED:
            model = apps.get_model(app_label, name)
            history = apps.get_model("audit", f"Historical{name}")
            copied = [
                f for f in history._meta.concrete_fields if f.name not in HISTORY_FIELDS
            ]
            date = history._meta.get_field("history_date")
            kind = history._meta.get_field("history_type")
            reason = history._meta.get_field("history_change_reason")
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
                f"({', '.join(quote(f.column) for f in copied)}, {quote(date.column)}, "
                f"{quote(kind.column)}, {quote(reason.column)}) "
                f"SELECT {', '.join('src.' + quote(f.column) for f in copied)}, "
                f"{_param(connection, date)}, {_param(connection, kind)}, "
                f"{_param(connection, reason)} FROM {quote(model._meta.db_table)} src",
                [now, "+", REASON],
            )
        # The deputy charges' units and people, as they were, on the starting rows.
        charge = apps.get_model("audit", "HistoricalDeputyCharge")
        for relation in ("units", "people"):
            through = apps.get_model("org", "DeputyCharge")._meta.get_field(relation)
            through = through.remote_field.through
            history = apps.get_model("audit", f"HistoricalDeputyCharge_{relation}")
            copied = [
                f
                for f in history._meta.concrete_fields
                if f.name not in ("m2m_history_id", "history")
            ]
            link = history._meta.get_field("history")
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
                f"({', '.join(quote(f.column) for f in copied)}, {quote(link.column)}) "
                f"SELECT {', '.join('src.' + quote(f.column) for f in copied)}, h.history_id "
                f"FROM {quote(through._meta.db_table)} src "
                f"JOIN {quote(charge._meta.db_table)} h ON h.id = src.deputycharge_id "
                f"AND h.history_change_reason = %s",
                [REASON],
            )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
