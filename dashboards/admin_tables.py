"""The tables of the admin dashboards, as plain data (rendered as HTML or written to Excel).

Everything here runs for one node of the agency tree (the province, an agency or a unit) that
the caller has already checked the user may see (``org.access``); person rows are filtered
again through ``org.access``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.formats.values import shown
from dashboards import conf, national_sync, statistics, submissions
from dashboards.presenters import BAND_LABELS, kind_label
from dashboards.publication import percent
from org import access
from org.models import LeadershipRole, PositionGroup
from scoring.aggregates import BANDS, Tally, Tree, display_order
from scoring.engine import DECREE_335_DEFAULT
from scoring.engine.quota import allowed_excellent
from scoring.models import AnnualScore, Period, PeriodKind, PeriodScore
from scoring.services.frameworks import FrameworkResolver
from scoring.services.quota_groups import QuotaGrouper

GROUP_LABELS = dict(PositionGroup.choices)
ROLE_LABELS = dict(LeadershipRole.choices)


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    numeric: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    note: str = ""
    empty: str = ""

    def cells(self):
        """Rows as lists of (value, url, numeric) for the template."""
        for row in self.rows:
            links = row.get("_links", {})
            yield [(row.get(c.key), links.get(c.key, ""), c.numeric) for c in self.columns]


def _band_columns() -> list[Column]:
    counts = [Column(band, BAND_LABELS[band], True) for band in BANDS]
    shares = [
        Column(f"{band}_pct", _("%(band)s (%%)") % {"band": BAND_LABELS[band]}, True)
        for band in BANDS
    ]
    return counts + shares


def _band_values(tally: Tally) -> dict:
    values: dict[str, int | Decimal | None] = {band: tally.counts[band] for band in BANDS}
    values.update({f"{band}_pct": percent(tally.counts[band], tally.rated) for band in BANDS})
    return values


def node_url(node_id: int, period) -> str:
    return f"{reverse('dashboards_node', args=[node_id])}?ky={period.code}"


# --------------------------------------------------------------------------------------------


def children_table(node, tree: Tree, per_child: dict[int, Tally], period) -> Table:
    """Scores and bands of each child of ``node`` (the node's own people in a row of its own)."""
    rows = []
    ordered = sorted(per_child.items(), key=lambda item: display_order(tree.nodes[item[0]]))
    for child_id, tally in ordered:
        child = tree.nodes[child_id]
        own = child_id == node.id
        name = _("%(name)s (trực tiếp)") % {"name": child.name} if own else child.name
        rows.append(
            {
                "name": name,
                "kind": kind_label(child.kind),
                "rated": tally.rated,
                "mean": tally.mean,
                **_band_values(tally),
                "_links": {} if own else {"name": node_url(child_id, period)},
            }
        )
    return Table(
        "children",
        str(_("Điểm và xếp loại theo cơ quan, đơn vị trực thuộc")),
        [
            Column("name", _("Cơ quan, đơn vị")),
            Column("kind", _("Loại")),
            Column("rated", _("Số người được xếp loại"), True),
            Column("mean", _("Điểm trung bình"), True),
            *_band_columns(),
        ],
        rows,
        empty=str(_("Chưa có kết quả chấm điểm trong kỳ này.")),
    )


def groups_table(per_group: dict[str, Tally]) -> Table:
    rows = [
        {
            "group": GROUP_LABELS.get(group, group or _("Chưa xác định")),
            "rated": tally.rated,
            "mean": tally.mean,
            **_band_values(tally),
        }
        for group, tally in sorted(per_group.items(), key=lambda kv: kv[0] or "")
    ]
    return Table(
        "groups",
        str(_("Điểm và xếp loại theo nhóm vị trí việc làm")),
        [
            Column("group", _("Nhóm vị trí việc làm")),
            Column("rated", _("Số người được xếp loại"), True),
            Column("mean", _("Điểm trung bình"), True),
            *_band_columns(),
        ],
        rows,
        empty=str(_("Chưa có kết quả chấm điểm trong kỳ này.")),
    )


def outliers_table(tree: Tree, per_child: dict[int, Tally], reference: Tally, period) -> Table:
    """Children ranked by how far their band distribution departs from the node's."""
    limit = conf.outlier_tvd()  # shown with its decimal comma below (ux L2)
    ranked: list[tuple[Decimal, str, dict[str, object]]] = []  # (distance, name, row)
    for child_id, tally in per_child.items():
        if not tally.rated:
            continue
        distance = statistics.total_variation(tally.counts, reference.counts, BANDS)
        chi, df = statistics.chi_square(tally.counts, reference.counts, BANDS)
        tvd = Decimal(str(round(distance, 3)))
        name = tree.nodes[child_id].name
        row: dict[str, object] = {
            "name": name,
            "rated": tally.rated,
            "tvd": tvd,
            "chi2": Decimal(str(round(chi, 2))),
            "p": Decimal(str(round(statistics.chi_square_p(chi, df), 4))),
            "flag": _("Khác biệt lớn") if distance >= limit else "",
            **{band: tally.counts[band] for band in BANDS},
            "_links": {"name": node_url(child_id, period)},
        }
        ranked.append((tvd, name, row))
    ranked.sort(key=lambda entry: (-entry[0], entry[1]))
    rows = [row for _distance, _name, row in ranked]
    return Table(
        "outliers",
        str(_("Cơ cấu xếp loại khác biệt so với toàn cấp")),
        [
            Column("name", _("Cơ quan, đơn vị")),
            Column("rated", _("Số người"), True),
            Column("tvd", _("Khoảng cách (TVD)"), True),
            Column("chi2", _("Khi bình phương"), True),
            Column("p", _("Giá trị p"), True),
            Column("flag", _("Đánh giá")),
            *[Column(band, BAND_LABELS[band], True) for band in BANDS],
        ],
        rows,
        note=str(
            _(
                "Khoảng cách biến thiên toàn phần (TVD) = một nửa tổng chênh lệch tỷ lệ các mức "
                "so với cơ cấu chung; từ %(limit)s trở lên được đánh dấu. Giá trị p nhỏ (dưới "
                "0,05) cho thấy khác biệt khó do ngẫu nhiên."
            )
            % {"limit": shown(limit)}
        ),
        empty=str(_("Chưa có kết quả chấm điểm trong kỳ này.")),
    )


def quota_table(tree: Tree, per_member: dict[tuple, Tally], node, period, rules=None) -> Table:
    """Quota groups (Art. 20 cl. 5) touching ``node`` where excellent reaches the cap.

    ``per_member`` is keyed ``(agency_id, role, position_group)`` for the whole province; the
    groups are those of ``scoring.services.quota_groups`` — the same as the annual rating and
    the decision guard — under the framework of ``node`` (``rules``)."""

    rules = rules or framework_rules(node, period)
    ratio = Decimal(str(rules.quota.ratio.value))
    grouper = QuotaGrouper()
    groups: dict = {}
    touching: set = set()
    inside = tree.nodes[node.pk].path
    for (agency_id, role, position_group), tally in per_member.items():
        key = grouper.group_of(agency_id, role, position_group, rules)
        groups.setdefault(key, Tally()).merge(tally)
        member = tree.nodes.get(agency_id)
        if member is not None and member.path.startswith(inside):
            touching.add(key)
    rows = []
    for key in touching:
        tally = groups[key]
        candidates, good = tally.counts["excellent"], tally.counts["good"]
        if not candidates or key.agency_id not in tree.nodes:
            continue
        allowed = allowed_excellent(
            candidates,
            good,
            ratio,
            base=rules.quota.base.value,
            rounding=rules.quota.rounding.value,
        )
        if candidates < allowed:
            continue
        rows.append(
            {
                "name": tree.nodes[key.agency_id].name,
                "group": GROUP_LABELS.get(key.position_group, key.position_group),
                "candidates": candidates,
                "good": good,
                "allowed": allowed,
                "status": _("Vượt mức trần") if candidates > allowed else _("Đúng mức trần"),
                "_links": {"name": node_url(key.agency_id, period)},
            }
        )
    rows.sort(key=lambda row: (row["allowed"] - row["candidates"], row["name"]))
    basis = (
        _("xếp loại năm trước khi áp dụng tỷ lệ")
        if period.kind == PeriodKind.YEAR
        else _("mức theo điểm của kỳ (tỷ lệ áp dụng khi xếp loại năm)")
    )
    return Table(
        "quota",
        str(_("Nhóm chạm mức trần tỷ lệ hoàn thành xuất sắc")),
        [
            Column("name", _("Cơ quan, đơn vị tính tỷ lệ")),
            Column("group", _("Nhóm vị trí việc làm")),
            Column("candidates", _("Số đạt mức xuất sắc"), True),
            Column("good", _("Số hoàn thành tốt"), True),
            Column("allowed", _("Số xuất sắc tối đa"), True),
            Column("status", _("Tình trạng")),
        ],
        rows,
        note=str(
            _(
                "Nghị định 335, Điều 20 khoản 5: số hoàn thành xuất sắc không quá %(ratio)s số "
                "hoàn thành tốt trong cùng cơ quan, tổ chức, đơn vị và nhóm vị trí việc làm; nhóm "
                "tính như khi xếp loại năm và khi quyết định (%(grouping)s). Căn cứ: %(basis)s."
            )
            % {
                "ratio": f"{ratio * 100:.0f}%",
                "basis": basis,
                "grouping": QUOTA_GROUPING_LABELS.get(
                    rules.quota.group_by.value, rules.quota.group_by.value
                ),
            }
        ),
        empty=str(_("Không có đơn vị nào chạm mức trần.")),
    )


def submissions_table(tree: Tree, agency_ids: list[int], period) -> Table | None:
    """One row per agency: the status of each kind of input and the paths it came by."""
    kinds = submissions.submission_kinds()
    by_agency: dict[int, dict[str, submissions.Submission]] = {}
    for item in submissions.statuses(agency_ids, period, tree=tree):
        by_agency.setdefault(item.agency_id, {})[item.kind] = item
    rows = []
    for agency_id in agency_ids:
        items = by_agency.get(agency_id, {})
        row: dict[str, object] = {"name": tree.nodes[agency_id].name}
        uploads = errors = 0
        last = None
        sources = []
        for kind, _label in kinds:
            item = items[kind]
            row[f"status_{kind}"] = item.label
            row[f"_status_{kind}"] = item.status
            uploads += item.uploads
            errors += item.errors
            for moment in (item.last_upload, item.last_entry):
                if moment and (last is None or moment > last):
                    last = moment
            if item.sources_text:
                sources.append(item.sources_text)
        row.update(
            sources="; ".join(sources) or None,
            uploads=uploads,
            errors=errors,
            last=last,
        )
        rows.append(row)
    due = submissions.deadline(period)
    return Table(
        "submissions",
        str(_("Tình hình nộp kết quả của kỳ")),
        [
            Column("name", _("Cơ quan")),
            Column(f"status_{kinds[0][0]}", _("Kết quả nhiệm vụ")),
            Column(f"status_{kinds[1][0]}", _("Điểm tiêu chí chung")),
            Column("sources", _("Dữ liệu đã có theo nguồn")),
            Column("uploads", _("Số lần tải Excel"), True),
            Column("errors", _("Số lỗi Excel"), True),
            Column("last", _("Cập nhật gần nhất")),
        ],
        rows,
        note=str(
            _(
                "Tính mọi cách nhập: giao việc, API, nhập điểm trên màn hình và tải Excel. "
                "Hạn nộp: %(day)s (%(n)d ngày sau khi kết thúc kỳ)."
            )
            % {"day": due.strftime("%d/%m/%Y"), "n": conf.submission_deadline_days()}
        ),
        empty=str(_("Không có cơ quan nào.")),
    )


def national_panel(tree: Tree) -> Table | None:
    """Overdue national-database exports per agency, kind and period (``None`` while there is
    no outbox to read)."""
    items = national_sync.overdue_exports()
    if items is None:
        return None

    labels = national_sync.kind_labels()
    # An item without a period (an annual result) finds none and shows its year.
    periods: dict[int | None, str] = {
        p.pk: p.label for p in Period.objects.filter(pk__in={i.period_id for i in items})
    }
    merged: dict[tuple, dict] = {}
    for item in items:
        top = tree.top_of(item.agency_id) if item.agency_id else None
        key = (top, item.kind, item.period_id, item.year)
        row = merged.setdefault(
            key,
            {
                "agency": tree.nodes[top].name if top else _("Không xác định"),
                "kind": labels.get(item.kind, item.kind),
                "period": periods.get(item.period_id, item.year),
                "records": 0,
                "failed": 0,
                "oldest_due": item.oldest_due,
            },
        )
        row["records"] += item.records
        row["failed"] += item.failed
        row["oldest_due"] = min(row["oldest_due"], item.oldest_due)
    return Table(
        "national",
        str(_("Kết quả quá hạn đồng bộ lên Cơ sở dữ liệu quốc gia")),
        [
            Column("agency", _("Cơ quan")),
            Column("kind", _("Loại kết quả")),
            Column("period", _("Kỳ")),
            Column("records", _("Số kết quả quá hạn"), True),
            Column("failed", _("Trong đó gửi lỗi"), True),
            Column("oldest_due", _("Hạn sớm nhất")),
        ],
        sorted(merged.values(), key=lambda row: (row["oldest_due"], str(row["agency"]))),
        note=str(_("Kết quả phải được gửi chậm nhất 5 ngày sau khi có kết quả.")),
        empty=str(_("Không có kết quả nào quá hạn đồng bộ.")),
    )


def people_scores(node, period, user):
    """The scores of ``node``'s own people that ``user`` reads, the score's field and whether a
    row links to its explanation (the people table's rows; their ``count()`` its size)."""
    if period.kind == PeriodKind.YEAR:
        annual = AnnualScore.objects.filter(year=period.year, agency_id=node.id)
        return access.visible(user, annual), "score", False
    scores = PeriodScore.objects.filter(period=period, agency_id=node.id)
    return access.visible(user, scores), "total", True


def people_table(node, period, user) -> Table:
    """People whose score belongs to ``node`` itself (not its sub-units)."""
    columns = [
        Column("name", _("Họ và tên")),
        Column("official_id", _("Mã số công chức")),
        Column("group", _("Nhóm vị trí việc làm")),
        Column("role", _("Chức vụ")),
        Column("total", _("Tổng điểm"), True),
        Column("rating", _("Xếp loại")),
    ]
    queryset, score_field, link = people_scores(node, period, user)
    queryset = queryset.select_related("civil_servant")
    rows = [
        {
            "name": score.civil_servant.full_name,
            "official_id": score.civil_servant.official_id,
            "group": GROUP_LABELS.get(score.position_group, score.position_group),
            "role": ROLE_LABELS.get(score.role, score.role),
            "total": getattr(score, score_field),
            "rating": BAND_LABELS.get(score.rating, _("Chưa xếp loại")),
            "_links": {"name": reverse("scoring_explain", args=[score.pk])} if link else {},
            "_person": score.civil_servant_id,
        }
        for score in queryset.order_by("civil_servant__full_name")
    ]
    return Table(
        "people",
        str(_("Công chức của %(name)s") % {"name": node.name}),
        columns,
        rows,
        empty=str(_("Không có công chức nào được chấm điểm trực tiếp tại đây trong kỳ này.")),
    )


def framework_rules(node, period):
    """The civil-servant framework in force for ``node`` (the engine's default if none)."""

    kind = PeriodKind.MONTH if period.kind == PeriodKind.YEAR else period.kind
    resolved = FrameworkResolver().resolve(node.path, kind, period.start_date)
    return resolved.rules if resolved else DECREE_335_DEFAULT


QUOTA_GROUPING_LABELS = {
    "rater_agency": _("theo cơ quan có thẩm quyền xếp loại"),
    "owning_agency": _("theo cơ quan sở, ngành, xã"),
    "posting_unit": _("theo đơn vị công tác"),
}


def overall(per_child: dict[int, Tally]) -> Tally:
    total = Tally()
    for tally in per_child.values():
        total.merge(tally)
    return total
