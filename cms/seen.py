"""What the user saw: optimistic concurrency for every form that changes stored rows.

A form that edits rows carries, in a hidden field, a signed snapshot of the stored values it was
shown (:func:`token`). When it is saved, the rows are read again: if someone else changed them
in between, the save is refused and the form comes back with the differences
(:func:`differences`) and a fresh token, so that a second "Lưu" — made knowing what changed —
goes through. Nobody silently reverts a colleague's work by saving an old page.

The snapshot is of values, not of a version counter, so it needs no column on any model and
also covers rows written by the importers and the API (which have no form of their own to
carry a token: their previews carry a fingerprint of the same kind, ``importers.pipeline``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django import forms
from django.core import signing
from django.db import models
from django.utils.translation import gettext as _

FIELD = "kpi_seen"
SALT = "kpi.seen"


def _value(instance, field) -> str:
    value = field.value_from_object(instance)
    if isinstance(field, models.ManyToManyField):
        value = sorted(getattr(v, "pk", v) for v in value)
    return "" if value is None else str(value)


def _fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and not getattr(field, "auto_now", False)
    ]


def snapshot(instance, children: Iterable[str] = ()) -> dict:
    """The stored values of ``instance`` (and of its inline ``children`` relations), as text."""
    data = {field.name: _value(instance, field) for field in _fields(type(instance))}
    for name in children:
        rows = getattr(instance, name).all().order_by("pk")
        data[name] = [
            {"pk": row.pk, **{f.name: _value(row, f) for f in _fields(type(row))}} for row in rows
        ]
    return data


def stored(instance, children: Iterable[str] = ()) -> dict | None:
    """The snapshot of the row as it is in the database now (None when it was deleted)."""
    fresh = type(instance)._default_manager.filter(pk=instance.pk).first()
    return None if fresh is None else snapshot(fresh, children)


def version(instance, children: Iterable[str] = ()) -> str:
    """A short digest of :func:`snapshot`: the version of a row where no form carries the
    snapshot itself (the API's ``version`` field and ``ETag``/``If-Match`` headers)."""
    text = json.dumps(snapshot(instance, children), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def token(data: dict) -> str:
    return signing.dumps(data, salt=SALT, compress=True)


def read(value: str | None) -> dict | None:
    """The snapshot a form was shown, or None when there is none (or it was tampered with)."""
    if not value:
        return None
    try:
        return signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None


def _label(model, name: str) -> str:
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A field, or a child relation (a person's postings): its model's plural name.
    return str(
        getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    )


def differences(model, seen: dict, now: dict | None) -> list[str]:
    """Sentences naming each field whose stored value differs from what the form showed."""
    if now is None:
        return [_("Dòng này đã bị người khác xoá.")]
    lines = []
    for name, was in seen.items():
        is_now = now.get(name)
        if was == is_now:
            continue
        if isinstance(was, list) or isinstance(is_now, list):
            lines.append(_("%(field)s: đã có thay đổi.") % {"field": _label(model, name)})
        else:
            lines.append(
                _("%(field)s: lúc bạn mở trang là “%(was)s”, nay là “%(now)s”.")
                % {"field": _label(model, name), "was": was or "—", "now": is_now or "—"}
            )
    return lines


def conflict_message(lines: list[str]) -> str:
    return _(
        "Dữ liệu này đã được người khác thay đổi từ lúc bạn mở trang: %(changes)s Hãy xem lại; "
        "nếu vẫn muốn ghi nội dung của bạn, bấm Lưu một lần nữa."
    ) % {"changes": " ".join(lines)}


def add_field(form, instance, children: Iterable[str] = ()) -> None:
    """Give ``form`` the hidden field with the snapshot of ``instance`` as stored now (used on
    display; a bound form keeps the value it was posted with)."""
    if instance is None or instance.pk is None:
        return
    form.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.fields[FIELD].initial = token(stored(instance, children) or {})


def check(form, instance, children: Iterable[str] = ()) -> bool:
    """On save: False (with the differences as a form error, and a fresh token for a second,
    informed save) when the stored row changed since the form was shown."""
    if instance is None or instance.pk is None or not form.is_bound:
        return True
    seen = read(form.data.get(FIELD))
    if seen is None:
        return True
    now = stored(instance, children)
    if now == seen:
        return True
    form.add_error(None, conflict_message(differences(type(instance), seen, now)))
    refresh(form, now)
    return False


def refresh(form, now: dict | None) -> None:
    """Put the snapshot of what is stored ``now`` in the bound form, so that the page shown
    with the differences carries it: a second save is made knowing them."""
    data = form.data.copy()
    data[FIELD] = token(now or {})
    form.data = data
