"""Who is covered by which rule: the person categories and their rules, as data.

A person's category (cán bộ, công chức, viên chức, người lao động hợp đồng — Law on Cadres and
Civil Servants 2025, Law on Public Employees, Decree 111/2022) is stored on the POSTING
(``Posting.category``): a contract worker who passes the recruitment exam, or a public employee
moved to a civil-servant post, changes category by a decision that also opens a new posting, and
the years before keep the category they were evaluated under. Every rule below is read for the
posting that governs the period or year (``scoring.services.postings.pick_governing``).

The rules are a registry with documented defaults (``DEFAULT_RULES``), overridable per field in
settings (``KPI_PERSON_CATEGORY_RULES = {"public_employee": {"quota": True}}``): they follow
the law (who Decree 335 and its Art. 20 quota apply to, Decree 111/2022), not a local choice,
so they change with a deployment setting reviewed by Sở Nội vụ rather than with a screen
anyone with the role can edit. The one local choice the plans give to each agency — whether
contract workers are tracked (Gia Lai plan §V.1.e) — is a field of the agency
(``Agency.applies_to_contract_workers``), edited in the admin. docs/scope.md explains every
default and its source.

Rules per category:

* ``framework`` — which criteria framework scores the person: ``FRAMEWORK_AGENCY`` (the
  civil-servant framework in force for the posting's agency, as for công chức),
  ``FRAMEWORK_PUBLIC_EMPLOYEE`` (the framework for viên chức in force for the posting's agency
  — ``scoring.AppliesTo.PUBLIC_EMPLOYEE`` — and, where none is assigned for the period, the
  civil-servant one) or ``FRAMEWORK_NONE`` (not evaluated by this software: no period score,
  no annual score).
* ``needs_agency_opt_in`` — evaluated only where the owning agency switched it on.
* ``quota`` — counted in the excellent quota and its groups (Decree 335 Art. 20 cl. 5).
* ``national_export`` — sent to the national civil-servant database outbox.
* ``public_statistics`` — counted in the published statistics of the public pages (means and
  shares of the Decree 335 ratings of an agency's civil servants).
* ``leader_counts`` — the categories of the people in a leader's charge counted in the leader's
  criterion d and pooled a, b, c (Art. 15 cl. 3 d: công chức; a contract worker never, a viên
  chức only under a viên chức leader).
* ``national_id`` — ``official_id`` is the national database number; otherwise it is an internal
  code that must start with ``INTERNAL_ID_PREFIX`` so that it can never be taken for one.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.text import fold_for_search


class PersonCategory(models.TextChoices):
    """Who a person is under the law (stored on the posting; the rules below). Here, below
    the models, so that a posting's ``clean`` asks its category's rule without a cycle."""

    CADRE = "cadre", gettext_lazy("Cán bộ")
    CIVIL_SERVANT = "civil_servant", gettext_lazy("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", gettext_lazy("Viên chức")
    CONTRACT_WORKER = "contract_worker", gettext_lazy("Người lao động hợp đồng")


FRAMEWORK_AGENCY = "agency"
# Same value as ``scoring.AppliesTo.PUBLIC_EMPLOYEE`` (org sits below scoring: no import).
FRAMEWORK_PUBLIC_EMPLOYEE = "public_employee"
FRAMEWORK_NONE = ""
INTERNAL_ID_PREFIX = "HD-"


@dataclass(frozen=True)
class CategoryRules:
    framework: str
    quota: bool
    national_export: bool
    national_id: bool
    needs_agency_opt_in: bool = False
    public_statistics: bool = True
    source: str = ""
    #: The categories of the people in a leader's charge who count in the leader's criterion d
    #: and whose lines join the leader's a, b, c (Decree 335 Art. 15 cl. 3 d [confirmed]: "toàn
    #: bộ công chức thuộc phạm vi quản lý"): a leader of this category counts these.
    leader_counts: tuple[str, ...] = ()

    @property
    def evaluated(self) -> bool:
        return self.framework != FRAMEWORK_NONE


DEFAULT_RULES: dict[str, CategoryRules] = {
    # The subjects of Decree 335 (its excellent quota: Art. 20 cl. 5).
    PersonCategory.CIVIL_SERVANT: CategoryRules(
        framework=FRAMEWORK_AGENCY,
        quota=True,
        national_export=True,
        national_id=True,
        source="Nghị định 335/2025/NĐ-CP; KH Gia Lai §II.1.b",
        leader_counts=(PersonCategory.CIVIL_SERVANT, PersonCategory.CADRE),
    ),
    # Elected/appointed cadres (e.g. the commune chairman) are rated by the same process in the
    # plans (Lào Cai §I.2 and its closing, Nghệ An §II.2); the Decree 335 quota and the national
    # database (of cán bộ, công chức, viên chức) include them [giả định — tỉnh cần xác nhận].
    PersonCategory.CADRE: CategoryRules(
        framework=FRAMEWORK_AGENCY,
        quota=True,
        national_export=True,
        national_id=True,
        source="KH Lào Cai §I.2; KH Nghệ An §II.2 [giả định — tỉnh cần xác nhận]",
        leader_counts=(PersonCategory.CIVIL_SERVANT, PersonCategory.CADRE),
    ),
    # Public employees: KPI tracked (Nghệ An §II.2), but rated under the rules for viên chức:
    # their own framework where the province assigned one (else the agency's), never in a
    # Decree 335 quota group, in the public civil-servant statistics nor exported as civil
    # servants [giả định — tỉnh cần xác nhận].
    PersonCategory.PUBLIC_EMPLOYEE: CategoryRules(
        framework=FRAMEWORK_PUBLIC_EMPLOYEE,
        quota=False,
        national_export=False,
        national_id=True,
        public_statistics=False,
        source="KH Nghệ An §II.2; NĐ 335 không áp dụng cho viên chức",
        # A leader who is a viên chức (a public-service unit's head) answers for the viên chức
        # of the unit, by the same rule for their own category [giả định — tỉnh cần xác nhận].
        leader_counts=(PersonCategory.PUBLIC_EMPLOYEE,),
    ),
    # Contract workers (Decree 111/2022): only where the agency decides so (Gia Lai §V.1.e);
    # no national number, no quota, no national export.
    PersonCategory.CONTRACT_WORKER: CategoryRules(
        framework=FRAMEWORK_AGENCY,
        quota=False,
        national_export=False,
        national_id=False,
        needs_agency_opt_in=True,
        public_statistics=False,
        source="NĐ 111/2022/NĐ-CP; KH Gia Lai §V.1.e",
    ),
}


def category_label(category: str | None) -> str:
    """ "Viên chức", "Cán bộ"…: how screens and printed forms name a person of ``category`` (an
    empty category is a civil servant, as in :func:`rules_for`)."""
    try:
        return str(PersonCategory(category or PersonCategory.CIVIL_SERVANT).label)
    except ValueError:
        return str(PersonCategory.CIVIL_SERVANT.label)


def rules_for(category: str) -> CategoryRules:
    """The rules of ``category`` (defaults, then the settings override); an unknown or empty
    category is a civil servant, the category every posting had before categories existed."""
    base = DEFAULT_RULES.get(category) or DEFAULT_RULES[PersonCategory.CIVIL_SERVANT]
    override = getattr(settings, "KPI_PERSON_CATEGORY_RULES", {}).get(category)
    return replace(base, **override) if override else base


def categories_where(flag: str) -> list[str]:
    """The categories whose rule ``flag`` is true (e.g. ``"quota"``)."""
    return [c for c in PersonCategory.values if getattr(rules_for(c), flag)]


def is_evaluated(category: str, agency_opted_in: bool) -> bool:
    """Does this software score a person of ``category`` whose owning agency has (or has not)
    switched on contract workers?"""
    rules = rules_for(category)
    return rules.evaluated and (agency_opted_in or not rules.needs_agency_opt_in)


def coverage_error(category: str, agency, agency_opted_in: bool) -> str | None:
    """Why this software takes no results of a person of ``category`` whose owning agency is
    ``agency`` (``None`` when it does) — the reason a door that refuses them shows."""
    if is_evaluated(category, agency_opted_in):
        return None
    label = str(PersonCategory(category).label)
    label = label[:1].lower() + label[1:]  # inside a sentence
    if rules_for(category).evaluated:
        return _(
            "%(agency)s chưa áp dụng đánh giá đối với %(category)s (mục “Áp dụng cho người lao "
            "động hợp đồng” của cơ quan đang tắt — KH Gia Lai §V.1.e): phần mềm không nhận kết "
            "quả của người này."
        ) % {"agency": agency.name, "category": label}
    return _(
        "Phần mềm không đánh giá %(category)s (quy định về đối tượng áp dụng của tỉnh): không "
        "nhận kết quả của người này."
    ) % {"category": label}


def official_id_error(official_id: str, category: str) -> str | None:
    """Why ``official_id`` cannot identify a person of ``category`` (``None`` if it can)."""
    internal = (official_id or "").upper().startswith(INTERNAL_ID_PREFIX)
    if rules_for(category).national_id:
        if internal:
            return _(
                "Mã “%(id)s” bắt đầu bằng “%(prefix)s” là mã nội bộ của người lao động hợp "
                "đồng; %(category)s phải dùng mã số trong Cơ sở dữ liệu quốc gia."
            ) % {
                "id": official_id,
                "prefix": INTERNAL_ID_PREFIX,
                "category": PersonCategory(category).label,
            }
        return None
    if not internal:
        return _(
            "Người lao động hợp đồng không có mã số công chức: hãy dùng mã nội bộ bắt đầu bằng "
            "“%(prefix)s” (ví dụ %(prefix)s0001) thay cho “%(id)s”."
        ) % {"id": official_id, "prefix": INTERNAL_ID_PREFIX}
    return None


def parse_category(value) -> str | None:
    """A category from an Excel cell: its code or its Vietnamese label, any case and spacing
    (empty → civil servant); ``None`` when it is none of them."""
    from django.utils import translation

    text = fold_for_search(str(value or "")).strip()
    if not text:
        return PersonCategory.CIVIL_SERVANT
    labels = {choice.value: fold_for_search(str(choice.label)) for choice in PersonCategory}
    with translation.override("vi"):
        vietnamese = {choice.value: fold_for_search(str(choice.label)) for choice in PersonCategory}
    for choice in PersonCategory:
        if text in (choice.value, labels[choice.value], vietnamese[choice.value]):
            return choice.value
    return ALIASES.get(text)


# Other spellings seen in HR sheets (folded: lower case, no diacritics).
ALIASES = {
    "cb": PersonCategory.CADRE,
    "cc": PersonCategory.CIVIL_SERVANT,
    "vc": PersonCategory.PUBLIC_EMPLOYEE,
    "hd": PersonCategory.CONTRACT_WORKER,
    "hdld": PersonCategory.CONTRACT_WORKER,
    "hop dong": PersonCategory.CONTRACT_WORKER,
    "lao dong hop dong": PersonCategory.CONTRACT_WORKER,
    "nguoi lao dong hop dong": PersonCategory.CONTRACT_WORKER,
}
