"""The change history of score inputs, for Sở Nội vụ: every change of a tracked model
(``audit.history``) with who, when, how and each field's old → new value, filterable by kind
of record, the civil servant it is about, the person who changed it and the dates."""

import datetime

from django.core.exceptions import PermissionDenied
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


def _changes(record) -> list[dict]:
    previous = record.prev_record
    if record.history_type != CHANGED or previous is None:
        return []
    names = {
        f.name: f for f in record.instance_type._meta.get_fields() if hasattr(f, "verbose_name")
    }
    rows = []
    for change in record.diff_against(previous).changes:
        field = names.get(change.field)
        label = str(field.verbose_name) if field is not None else change.field
        rows.append({"field": label, "old": _shown(change.old), "new": _shown(change.new)})
    return rows


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
        records = (
            history_model(model)
            .objects.select_related("history_user")
            .order_by("-history_date", "-history_id")
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
                    "object": str(record.instance),
                    "changes": _changes(record),
                }
                for record in page.object_list
            ],
            query=params.copy(),
        )
        context["query"].pop("p", None)
        return context
