"""A draft of an agency's next catalog from last year's actual work (issue 45 item 5; coverage
C4: the catalog is built "trên cơ sở kết quả thực hiện năm trước", Đắk Lắk §III.2.2, Gia Lai
§IV.2.1.a, Lào Cai §II.2.2).

What was actually done comes from the apps above this one through the hook
``catalog_last_year_evidence`` — ``(user, agency, year) -> list[Evidence]``, each reading only
the rows the user reaches in the agency's subtree (``org.access.visible``): the assignment lines
of the year (``workplans.wagtail_hooks``: one piece per catalog product used, with the quantity
assigned and completed) and the documents received that became no line (``connectors``: their
subjects). :func:`propose` groups the pieces with the catalog's own duplicate matcher
(``consolidation.matching.match``, the one that finds the same product written differently),
keeps the existing product (its code, coefficient, positions, duties and identity) where a group
has one, and lists the products of the catalog in force that nobody used, not kept by default.
:func:`write_draft` turns the clerk's confirmed rows into a new draft revision of the catalog page
— the same write as the catalog's Excel import — which then goes through the appraisal workflow
and becomes the next version on approval (``catalog_pages.versioning.freeze_version``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail import hooks

from catalog_pages.consolidation.matching import MatchItem, match
from catalog_pages.models import AgencyCatalogPage, CatalogItem
from catalog_pages.models.pages import MIN_COEFFICIENT

HOOK = "catalog_last_year_evidence"
#: Pieces scoring at least this are taken as one product (the consolidation's own threshold).
THRESHOLD = 0.8


@dataclass
class Evidence:
    """One piece of last year's work as a provider saw it."""

    name: str
    unit: str = ""
    #: The catalog product it was recorded under (its ``uid``), when it was one.
    uid: uuid.UUID | None = None
    code: str = ""
    assigned: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    lines: int = 0
    documents: int = 0
    #: e.g. "12 dòng giao việc" or "văn bản 125/STP-VP".
    label: str = ""


@dataclass
class Proposal:
    """One product of the draft: what it is, what it was made from, whether it is kept."""

    key: str
    code: str
    name: str
    unit: str
    complexity_group: int = 1
    coefficient: Decimal = Decimal(1)
    keep: bool = True
    #: The current catalog item it continues (its positions, duties and identity), if any.
    current: CatalogItem | None = None
    assigned: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    lines: int = 0
    documents: int = 0
    merged: list[str] = field(default_factory=list)

    @property
    def unused(self) -> bool:
        return not self.lines and not self.documents


def evidence(user, agency, year: int) -> list[Evidence]:
    pieces: list[Evidence] = []
    for provider in hooks.get_hooks(HOOK):
        pieces.extend(provider(user, agency, year))
    return pieces


def _current_items(page: AgencyCatalogPage) -> list[CatalogItem]:
    return list(page.get_latest_revision_as_object().items.all())


def _next_code(agency, taken: set[str]) -> str:
    prefix = re.sub(r"[^A-Za-z0-9]+", "-", agency.code or "SP").strip("-").upper() or "SP"
    n = 1
    while f"{prefix}-M{n:02d}" in taken:
        n += 1
    code = f"{prefix}-M{n:02d}"
    taken.add(code)
    return code


def propose(user, page: AgencyCatalogPage, year: int) -> list[Proposal]:
    """The draft's products, used ones first (most lines first), then the unused ones."""
    agency = page.agency
    current = _current_items(page)
    by_uid = {item.uid: item for item in current}
    by_code = {item.code: item for item in current}
    pieces = evidence(user, agency, year)
    # A product recorded under an item of an older version: the current item of the same code.
    for piece in pieces:
        if piece.uid not in by_uid and piece.code in by_code:
            piece.uid = by_code[piece.code].uid
    items = [
        MatchItem(id=i, agency=agency.code or "", code=p.code, name=p.name, unit=p.unit)
        for i, p in enumerate(pieces)
    ]
    groups = [sorted(m.id for m in g.members) for g in match(items, THRESHOLD).groups]
    grouped = {i for g in groups for i in g}
    groups += [[i] for i in range(len(pieces)) if i not in grouped]
    # The pieces of one catalog product always go together, whatever their names.
    merged: list[list[int]] = []
    owner: dict[uuid.UUID, int] = {}
    for group in groups:
        uids = {pieces[i].uid for i in group if pieces[i].uid is not None}
        target = next((owner[u] for u in uids if u in owner), None)
        if target is None:
            merged.append(list(group))
            target = len(merged) - 1
        else:
            merged[target].extend(group)
        for u in uids:
            owner.setdefault(u, target)
    taken = {item.code for item in current}
    proposals: list[Proposal] = []
    used: set[uuid.UUID] = set()
    for group in merged:
        members = [pieces[i] for i in sorted(set(group))]
        base = next(
            (by_uid[p.uid] for p in sorted(members, key=lambda p: -p.lines) if p.uid in by_uid),
            None,
        )
        head = max(members, key=lambda p: (p.lines, p.documents, -len(p.name)))
        proposal = Proposal(
            key=str(base.uid) if base is not None else f"new-{len(proposals)}",
            code=base.code if base is not None else _next_code(agency, taken),
            name=base.name if base is not None else head.name,
            unit=base.output_unit if base is not None else (head.unit or _("văn bản")),
            complexity_group=base.complexity_group if base is not None else 1,
            coefficient=base.coefficient if base is not None else Decimal(1),
            current=base,
            assigned=sum((p.assigned for p in members), Decimal(0)),
            completed=sum((p.completed for p in members), Decimal(0)),
            lines=sum(p.lines for p in members),
            documents=sum(p.documents for p in members),
            merged=sorted({p.name for p in members} - {base.name if base else head.name}),
        )
        if base is not None:
            used.add(base.uid)
        proposals.append(proposal)
    proposals.sort(key=lambda p: (-p.lines, -p.documents, p.code))
    for item in current:
        if item.uid not in used:
            proposals.append(
                Proposal(
                    key=str(item.uid),
                    code=item.code,
                    name=item.name,
                    unit=item.output_unit,
                    complexity_group=item.complexity_group,
                    coefficient=item.coefficient,
                    keep=False,
                    current=item,
                )
            )
    return proposals


def refusal(user, page: AgencyCatalogPage) -> str | None:
    """Why ``user`` may not draft ``page`` now (None when they may): the page's own editing
    right (the catalog editors of the agency, Sở Nội vụ), not while it is in appraisal or
    locked by someone else."""
    if not page.permissions_for_user(user).can_edit():
        return _("Bạn không được biên tập danh mục của %(agency)s.") % {"agency": page.agency.name}
    if page.workflow_in_progress:
        return _(
            "Danh mục của %(agency)s đang chờ thẩm định; chỉ soạn bản mới sau khi có kết quả "
            "thẩm định (hoặc rút lại yêu cầu)."
        ) % {"agency": page.agency.name}
    if page.locked and page.locked_by_id != user.pk:
        return _("Danh mục của %(agency)s đang bị khoá để chỉnh sửa bởi người khác.") % {
            "agency": page.agency.name
        }
    return None


@dataclass
class Row:
    """One row as the clerk confirmed it on the preview."""

    key: str
    keep: bool
    code: str
    name: str
    unit: str
    coefficient: str


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None


def check_rows(rows: list[Row]) -> list[str]:
    """The preview's rules, each message naming the row and how to fix it."""
    errors = []
    seen: dict[str, int] = {}
    kept = [r for r in rows if r.keep]
    if not kept:
        errors.append(_("Chọn ít nhất một sản phẩm/công việc để đưa vào bản mới."))
    for n, row in enumerate(rows, start=1):
        if not row.keep:
            continue
        where = _("Dòng %(n)d") % {"n": n}
        if not row.code.strip():
            errors.append(_("%(where)s: nhập mã sản phẩm.") % {"where": where})
        elif row.code.strip() in seen:
            errors.append(
                _("%(where)s: mã “%(code)s” trùng với dòng %(other)d; sửa một trong hai mã.")
                % {"where": where, "code": row.code.strip(), "other": seen[row.code.strip()]}
            )
        else:
            seen[row.code.strip()] = n
        if not row.name.strip():
            errors.append(_("%(where)s: nhập tên sản phẩm/công việc.") % {"where": where})
        if not row.unit.strip():
            errors.append(_("%(where)s: nhập đơn vị tính, ví dụ “văn bản”.") % {"where": where})
        coefficient = _decimal(row.coefficient)
        if coefficient is None or coefficient < Decimal(str(MIN_COEFFICIENT)):
            errors.append(
                _(
                    "%(where)s: hệ số “%(value)s” không hợp lệ; nhập số từ %(min)s trở lên, "
                    "ví dụ 1,5."
                )
                % {
                    "where": where,
                    "value": row.coefficient,
                    "min": str(MIN_COEFFICIENT).replace(".", ","),
                }
            )
    return errors


@transaction.atomic
def write_draft(user, page: AgencyCatalogPage, year: int, rows: list[Row]):
    """A new draft revision of ``page`` with the kept rows (the current item's positions,
    duties and identity kept where a row continues one); returns the revision."""
    page = AgencyCatalogPage.objects.select_for_update().get(pk=page.pk)
    reason = refusal(user, page)
    if reason:
        raise PermissionDenied(reason)
    errors = check_rows(rows)
    if errors:
        raise ValidationError(errors)
    draft = page.get_latest_revision_as_object()
    current = {str(item.uid): item for item in draft.items.all()}
    items = []
    for order, row in enumerate(r for r in rows if r.keep):
        base = current.get(row.key)
        item = CatalogItem(
            uid=base.uid if base is not None else uuid.uuid4(),
            code=row.code.strip(),
            name=row.name.strip(),
            output_unit=row.unit.strip(),
            complexity_group=base.complexity_group if base is not None else 1,
            coefficient=_decimal(row.coefficient),
            standard_minutes=base.standard_minutes if base is not None else None,
            evidence_required=base.evidence_required if base is not None else "",
            is_standard=base.is_standard if base is not None else False,
            sort_order=order,
        )
        if base is not None:
            item.job_positions = list(base.job_positions.all())
            item.duties = list(base.duties.all())
        items.append(item)
    draft.items = items
    return draft.save_revision(
        user=user,
        log_action=True,
    )
