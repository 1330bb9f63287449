"""What an import would change, row by row, for the preview: old → new values and deletions.

The counts (new / changed / unchanged / removed) say how much; these say what. Every kind that
updates or deletes stored rows reports a :class:`Change` per changed or removed row, with the
values a person recognises (codes, names, dates as dd/mm/yyyy, numbers with a decimal comma).
The job keeps at most ``KPI_IMPORT_MAX_STORED_CHANGES`` of them; the counts stay exact.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.formats.values import shown

CHANGED = "changed"
REMOVED = "removed"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    action: str  # CHANGED or REMOVED
    subject: str  # which row, in words: "CT0001 Nguyễn Văn An · STP-001 · hạn 31/03/2026"
    fields: list[FieldChange] = field(default_factory=list)
    sheet: str | None = None
    row: int | None = None  # Excel row of a changed row (a removed row has none)

    @property
    def removed(self) -> bool:
        return self.action == REMOVED

    def as_dict(self) -> dict:
        return {
            "action": self.action,
            "subject": self.subject,
            "fields": [[f.label, f.old, f.new] for f in self.fields],
            "sheet": self.sheet,
            "row": self.row,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Change":
        return cls(
            action=data.get("action", CHANGED),
            subject=data.get("subject", ""),
            fields=[FieldChange(*item) for item in data.get("fields") or []],
            sheet=data.get("sheet"),
            row=data.get("row"),
        )

    def line(self) -> str:
        """The CLI form."""
        where = f"{self.sheet or '-'}!{self.row if self.row is not None else '-'} "
        if self.removed:
            return _("XOÁ") + f" {self.subject}"
        details = "; ".join(f"{f.label}: “{f.old}” → “{f.new}”" for f in self.fields)
        return f"{where}{self.subject}: {details}"


def field_changes(pairs) -> list[FieldChange]:
    """``[(label, old, new), …]`` → the ones whose shown values differ."""
    found = []
    for label, old, new in pairs:
        old_text, new_text = shown(old), shown(new)
        if old_text != new_text:
            found.append(FieldChange(str(label), old_text, new_text))
    return found


def since_preview(before: dict, after: dict) -> list[Change]:
    """What changed in the stored rows between a preview (``before``) and now (``after``), both
    ``{subject: {field label: shown value}}``: a row added, removed or with fields changed."""
    found = []
    for subject in sorted(set(before) | set(after)):
        old, new = before.get(subject), after.get(subject)
        if old == new:
            continue
        old, new = old or {}, new or {}
        fields = [
            FieldChange(label, str(old.get(label, "") or "—"), str(new.get(label, "") or "—"))
            for label in sorted(set(old) | set(new), key=lambda k: (k not in old, k))
            if old.get(label) != new.get(label)
        ]
        found.append(Change(CHANGED, subject, fields))
    return found
