"""Agencies and their units, as one tree.

The province People's Committee is the root; departments (sở, ban, ngành) and commune/ward
People's Committees hang under it; units (phòng, ban, chi cục…) hang under those, possibly nested.
The tree is stored as an adjacency list (``parent``) plus a materialised ``path`` of primary keys
("/1/7/42/") so that "all descendants" is one indexed prefix query on every database.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.search import index

from org.text import fold_for_search, normalize_text


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường")
    UNIT = "unit", _("Phòng, ban, chi cục")
    PARTY = "party", _("Cấp ủy Đảng (Tỉnh ủy, Đảng ủy xã, phường)")
    PARTY_BODY = "party_body", _("Cơ quan tham mưu, giúp việc của cấp ủy Đảng")
    FRONT = "front", _("Ủy ban Mặt trận Tổ quốc Việt Nam (tỉnh, xã, phường)")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")


# Which kinds may sit under which parent kinds. The political system has three trees, each with
# one province-level root (ROOT_KINDS): the People's Committee (state administration), the
# provincial Party Committee (Tỉnh ủy) with its advisory bodies and the commune/ward Party
# Committees, and the provincial Fatherland Front Committee with the commune/ward Front
# Committees and the socio-political organisations (docs/scope.md §3 gives the sources).
# A node's level (province or commune) follows from where it hangs: a Party Committee under
# the Tỉnh ủy is a commune/ward one.
ALLOWED_PARENT_KINDS = {
    AgencyKind.PROVINCE: set(),
    AgencyKind.DEPARTMENT: {AgencyKind.PROVINCE},
    AgencyKind.COMMUNE: {AgencyKind.PROVINCE},
    AgencyKind.UNIT: {
        AgencyKind.DEPARTMENT,
        AgencyKind.COMMUNE,
        AgencyKind.UNIT,
        AgencyKind.PARTY,
        AgencyKind.PARTY_BODY,
        AgencyKind.FRONT,
        AgencyKind.SOCIO_POLITICAL,
        AgencyKind.PUBLIC_SERVICE,
    },
    AgencyKind.PARTY: {AgencyKind.PARTY},
    AgencyKind.PARTY_BODY: {AgencyKind.PARTY},
    AgencyKind.FRONT: {AgencyKind.FRONT},
    AgencyKind.SOCIO_POLITICAL: {AgencyKind.FRONT},
    AgencyKind.PUBLIC_SERVICE: {
        AgencyKind.PROVINCE,
        AgencyKind.DEPARTMENT,
        AgencyKind.COMMUNE,
        AgencyKind.PARTY,
        AgencyKind.PARTY_BODY,
        AgencyKind.FRONT,
    },
}
# Kinds that may be a root of the tree (one root of each kind: the province level).
ROOT_KINDS = (AgencyKind.PROVINCE, AgencyKind.PARTY, AgencyKind.FRONT)
# Kinds that are evaluated as a whole agency and own a product catalog.
AGENCY_KINDS = (
    AgencyKind.PROVINCE,
    AgencyKind.DEPARTMENT,
    AgencyKind.COMMUNE,
    AgencyKind.PARTY,
    AgencyKind.PARTY_BODY,
    AgencyKind.FRONT,
    AgencyKind.SOCIO_POLITICAL,
    AgencyKind.PUBLIC_SERVICE,
)
# The kinds of the state administration (Decree 335 rates these as agencies).
STATE_KINDS = (AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.COMMUNE, AgencyKind.UNIT)


def _root_paths(roots) -> list[str]:
    """The tree paths of ``roots``: one agency or path, or an iterable of them."""
    if roots is None:
        return []
    if isinstance(roots, str | Agency):
        roots = [roots]
    return [root if isinstance(root, str) else root.path for root in roots]


def within_q(roots, field: str = "") -> models.Q:
    """The one subtree filter: rows whose agency (at the lookup ``field``; ``""`` for an agency
    itself) lies in the subtree of one of ``roots`` (an agency or a path, or an iterable of
    them), roots included. One indexed prefix condition per root; with no root it holds for no
    row (and stays false when OR-ed)."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    query = models.Q(pk__in=[])
    for path in _root_paths(roots):
        query |= models.Q(**{lookup: path})
    return query


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def within(self, roots):
        """Every agency in the subtrees rooted at ``roots`` (an agency or a path, or an
        iterable of them; roots included): :func:`within_q`."""
        paths = _root_paths(roots)
        return self.filter(within_q(paths)) if paths else self.none()


class Agency(index.Indexed, models.Model):
    code = models.CharField(
        _("mã"),
        max_length=32,
        unique=True,
        help_text=_("Mã định danh duy nhất trong tỉnh, ví dụ SNV hoặc SNV-TCBC."),
    )
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=AgencyKind.choices)
    applies_to_contract_workers = models.BooleanField(
        _("áp dụng cho người lao động hợp đồng"),
        default=False,
        help_text=_(
            "Theo dõi, đánh giá cả người làm việc theo chế độ hợp đồng lao động của cơ quan "
            "(Kế hoạch Gia Lai mục V.1.e: mỗi cơ quan tự quyết định). Áp dụng cho cả các "
            "phòng, đơn vị trực thuộc."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    counterparts = models.ManyToManyField(
        "self",
        verbose_name=_("cơ quan cùng cấp, cùng địa bàn ở khối khác"),
        blank=True,
        symmetrical=True,
        help_text=_(
            "Ví dụ: Đảng ủy xã, UBND xã và Ủy ban MTTQ xã của cùng một xã. Dùng cho quy tắc "
            "thẩm quyền đánh giá giữa các khối (người đứng đầu Đảng ủy xã đánh giá Chủ tịch "
            "Ủy ban MTTQ xã) khi tỉnh quy định như vậy."
        ),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    name_folded = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = AgencyQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_folded"),
        index.AutocompleteField("name_folded"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("kind"),
        index.FilterField("is_active"),
        index.FilterField("path"),
        # The admin searches scoped rows by their ids (org.admin_scope.searchable).
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan, đơn vị")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self):
        return self.name

    # --- tree maintenance ---------------------------------------------------------------------

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.short_name = normalize_text(self.short_name)
        self.name_folded = fold_for_search(self.name)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._refresh_path()

    def _refresh_path(self):
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        new_depth = new_path.count("/") - 2
        if new_path == self.path and new_depth == self.depth:
            return
        old_path, old_depth = self.path, self.depth
        Agency.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        if old_path:
            # Move the whole subtree: replace the old prefix with the new one.
            Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (new_depth - old_depth),
            )
        self.path, self.depth = new_path, new_depth

    # --- validation -------------------------------------------------------------------------

    def clean(self):
        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code).upper()
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if self.parent is None:
            if self.kind not in ROOT_KINDS:
                raise ValidationError(
                    {"parent": _("Cơ quan, đơn vị loại này phải trực thuộc một cơ quan cấp trên.")}
                )
            roots = Agency.objects.filter(kind=self.kind, parent__isnull=True).exclude(pk=self.pk)
            if self.kind != AgencyKind.PROVINCE and roots.exists():
                raise ValidationError(
                    {
                        "parent": _(
                            "Đã có “%(kind)s” cấp tỉnh (%(name)s); cấp xã, phường phải trực "
                            "thuộc cấp tỉnh."
                        )
                        % {"kind": self.get_kind_display(), "name": roots.first().name}
                    }
                )
        else:
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {
                        "parent": _("Không thể đặt “%(kind)s” trực thuộc “%(parent_kind)s”.")
                        % {
                            "kind": self.get_kind_display(),
                            "parent_kind": self.parent.get_kind_display(),
                        }
                    }
                )
            if self.pk and self.parent.path.startswith(self.path):
                raise ValidationError(
                    {
                        "parent": _(
                            "Không thể đặt một đơn vị trực thuộc chính nó hoặc cấp dưới của nó."
                        )
                    }
                )
        if self.kind == AgencyKind.PROVINCE:
            others = Agency.objects.filter(kind=AgencyKind.PROVINCE).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"kind": _("Mỗi hệ thống chỉ có một UBND tỉnh.")})

    # --- tree queries -------------------------------------------------------------------------

    @property
    def is_agency(self) -> bool:
        return self.kind in AGENCY_KINDS

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self, include_self: bool = False):
        ids = self.ancestor_ids() + ([self.pk] if include_self else [])
        return Agency.objects.filter(pk__in=ids).order_by("depth")

    def descendants(self, include_self: bool = False):
        qs = Agency.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def nearest_of_kind(self, kind: str, include_self: bool = True):
        """The closest agency of ``kind`` going up the tree (self first when allowed)."""
        if include_self and self.kind == kind:
            return self
        return self.ancestors().filter(kind=kind).order_by("-depth").first()

    @property
    def is_commune_level(self) -> bool:
        """A commune/ward body: a commune, or a Party/Front committee under the province one
        (or anything under those)."""
        if self.kind == AgencyKind.COMMUNE:
            return True
        if self.kind in (AgencyKind.PARTY, AgencyKind.FRONT) and self.parent_id:
            return True
        return (
            self.ancestors()
            .filter(
                models.Q(kind=AgencyKind.COMMUNE)
                | models.Q(kind__in=(AgencyKind.PARTY, AgencyKind.FRONT), parent__isnull=False)
            )
            .exists()
        )

    @property
    def owning_agency(self):
        """The agency (province, department or commune) this node belongs to."""
        if self.is_agency:
            return self
        return self.ancestors().filter(kind__in=AGENCY_KINDS).order_by("-depth").first()

    @staticmethod
    def owning_agencies(units) -> dict[int, "Agency | None"]:
        """unit id → :attr:`owning_agency` of each of ``units`` (agencies), in one query
        however many there are (the property asks one query a node)."""
        above = {pk for unit in units if not unit.is_agency for pk in unit.ancestor_ids()}
        candidates = sorted(
            Agency.objects.filter(pk__in=above, kind__in=AGENCY_KINDS),
            key=lambda agency: -agency.depth,
        )
        found = {}
        for unit in units:
            if unit.is_agency:
                found[unit.pk] = unit
                continue
            chain = set(unit.ancestor_ids())
            found[unit.pk] = next((a for a in candidates if a.pk in chain), None)
        return found

    def breadcrumb(self) -> str:
        return " › ".join(a.name for a in self.ancestors(include_self=True))
