"""The change history of score inputs, for Sở Nội vụ: every change of a tracked model
(``audit.history``) with who, when, how and each field's old → new value, filterable by kind
of record, the civil servant it is about, the person who changed it and the dates."""

import datetime
from collections import defaultdict
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from audit.history import CHANGED, CREATED, DELETED, history_model, tracked_models
from cms.admin_views import TitledAdminMixin
from cms.formats.values import shown
from org.access import is_declared, is_home_affairs, scope_of

PER_PAGE = 50
TYPES = {
    CREATED: gettext_lazy("Thêm mới"),
    CHANGED: gettext_lazy("Sửa"),
    DELETED: gettext_lazy("Xoá"),
}


def _day(value: str) -> datetime.date | None:
    """A day typed dd/mm/yyyy (the only form the page offers); anything else is ignored."""
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _shown(value) -> str:
    return shown(value, with_time=True, exact=True) or "—"


def _previous_records(history, records) -> dict:
    """history_id → the record before it of the same row, for the changes among ``records``,
    in one query (``record.prev_record`` costs one query per row)."""
    changed = [r for r in records if r.history_type == CHANGED]
    if not changed:
        return {}
    key = attrgetter("history_date", "history_id")
    earlier = defaultdict(list)
    for row in history.objects.filter(
        id__in={r.id for r in changed}, history_date__lte=max(r.history_date for r in changed)
    ):
        earlier[row.id].append(row)
    previous = {}
    for record in changed:
        before = [r for r in earlier[record.id] if key(r) < key(record)]
        if before:
            previous[record.history_id] = max(before, key=key)
    return previous


def _foreign_keys(history) -> list[str]:
    """The copied foreign keys of a historical table (all nullable: an outer join)."""
    return [
        f.name
        for f in history._meta.fields
        if f.many_to_one and f.name != "history_user" and f.null
    ]


def _instance(record):
    """The row as it was, with the related rows the page fetched with it (a row's ``__str__``
    names its product, period…: one query each otherwise). Built from the tracked fields only:
    ``record.instance`` reads the live row again for every field the history leaves out."""
    instance = record.instance_type(
        **{field.attname: getattr(record, field.attname) for field in record.tracked_fields}
    )
    for field in record._meta.fields:
        if field.many_to_one and field.is_cached(record):
            try:
                own = instance._meta.get_field(field.name)
            except FieldDoesNotExist:
                continue
            if own.many_to_one:
                own.set_cached_value(instance, field.get_cached_value(record))
    return instance


def _changes(record, previous, labels: dict) -> list[dict]:
    if previous is None:
        return []
    return [
        {
            "field": labels.get(change.field, change.field),
            "old": _shown(change.old),
            "new": _shown(change.new),
        }
        for change in record.diff_against(previous).changes
    ]


class ChangeHistoryView(TitledAdminMixin, TemplateView):
    template_name = "audit/change_history.html"
    page_title = gettext_lazy("Lịch sử thay đổi dữ liệu chấm điểm")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not is_home_affairs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = sorted(tracked_models(), key=lambda m: str(m._meta.verbose_name_plural))
        choices = [
            (m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in models
        ]
        params = self.request.GET
        chosen = params.get("model") or choices[0][0]
        model = next((m for m in models if m._meta.label_lower == chosen), models[0])
        history = history_model(model)
        records = history.objects.select_related("history_user", *_foreign_keys(history)).order_by(
            "-history_date", "-history_id"
        )
        official_id = (params.get("official_id") or "").strip()
        if official_id:
            path = scope_of(model).person if is_declared(model) else None
            if path is None:
                records = records.none()
            else:
                field = f"{path}__official_id" if path else "official_id"
                records = records.filter(**{field: official_id})
        username = (params.get("username") or "").strip()
        if username:
            records = records.filter(history_user__username__icontains=username)
        if kind := params.get("type"):
            records = records.filter(history_type=kind)
        if start := _day(params.get("from", "")):
            records = records.filter(history_date__date__gte=start)
        if end := _day(params.get("to", "")):
            records = records.filter(history_date__date__lte=end)
        page = Paginator(records, PER_PAGE).get_page(params.get("p"))
        records = list(page.object_list)
        previous = _previous_records(history_model(model), records)
        labels = {
            f.name: str(f.verbose_name)
            for f in model._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        context.update(
            models=choices,
            chosen=model._meta.label_lower,
            types=list(TYPES.items()),
            filters={
                k: params.get(k, "") for k in ("official_id", "username", "type", "from", "to")
            },
            page=page,
            rows=[
                {
                    "record": record,
                    "type": TYPES.get(record.history_type, record.history_type),
                    "object": str(_instance(record)),
                    "changes": _changes(record, previous.get(record.history_id), labels),
                }
                for record in records
            ],
        )
        return context
