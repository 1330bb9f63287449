"""Production seeds of org: the default evaluation-authority rules, called by the data
migrations 0002 and 0005 and by ``demo.base_data``. Each function takes an app registry (a
migration's historical ``apps`` or ``django.apps.apps``) and updates or creates its rows.

``STATE_RULES`` (migration 0002): default evaluation-authority rules, after the Gia Lai plan
(Kế hoạch UBND tỉnh Gia Lai, §IV.1).

Rows marked "[suy luận]" cover cases the plan does not name (staff posted directly at a department
or commune, units nested in units); Sở Nội vụ can edit or deactivate any of them.

``POLITICAL_RULES`` (migration 0005): default evaluation-authority rules for the Party bodies,
the Fatherland Front, the socio-political organisations and the public-service units (issue 18,
docs/scope.md §3).

No plan of the five seeds states who evaluates whom inside these bodies: Nghệ An §II.1–2 and
Gia Lai §V.6 only bring them into the shared software, and Regulation 366-QĐ/TW (which governs
them) is not among the seeds. Every row is therefore the state-administration pattern of the
Gia Lai plan §IV.1 carried over — the head of the body above evaluates and rates a head; the head
of the body evaluates and rates its deputies (with the opinion of the body above) and its staff;
the head of a unit evaluates its staff, the head of the body rates them — and is marked
"[giả định — tỉnh cần xác nhận]". Sở Nội vụ (with Ban Tổ chức Tỉnh ủy) edits or deactivates any
row in the admin. The heads of the province-level roots (Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ
tỉnh) are evaluated by the central level: no rule, so the software names no authority for them.
"""

GL = "Kế hoạch đánh giá, xếp loại của UBND tỉnh Gia Lai"
GLT = "KH Gia Lai §IV.1 áp dụng tương tự"
ASSUMED = "[giả định — tỉnh cần xác nhận]"

# (name, kind, parent_kind, role, evaluator, rater, opinion, citation)
# evaluator/rater/opinion: (relation, kind)
STATE_RULES = [
    ("Giám đốc sở và tương đương", "department", "", "head",
     ("nearest_of_kind", "province"), ("nearest_of_kind", "province"), ("", ""),
     f"{GL}, mục IV.1.1.a và IV.1.2.a"),
    ("Chủ tịch UBND xã, phường", "commune", "", "head",
     ("nearest_of_kind", "province"), ("nearest_of_kind", "province"), ("", ""),
     f"{GL}, mục IV.1.1.a và IV.1.2.a"),
    ("Phó Giám đốc sở và tương đương", "department", "", "deputy",
     ("own", ""), ("own", ""), ("nearest_of_kind", "province"),
     f"{GL}, mục IV.1.1.b và IV.1.2.b; ý kiến Chủ tịch UBND tỉnh theo mục IV.4"),
    ("Công chức làm việc trực tiếp tại sở [suy luận]", "department", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL}, mục IV.1 [suy luận]"),
    ("Trưởng phòng, chi cục thuộc sở", "unit", "department", "head",
     ("parent", ""), ("nearest_of_kind", "department"), ("", ""),
     f"{GL}, mục IV.1.1.b và IV.1.2.b"),
    ("Cấp phó phòng, chi cục thuộc sở", "unit", "department", "deputy",
     ("own", ""), ("nearest_of_kind", "department"), ("", ""),
     f"{GL}, mục IV.1.1.c và IV.1.2.b"),
    ("Công chức thuộc phòng, chi cục của sở", "unit", "department", "staff",
     ("own", ""), ("nearest_of_kind", "department"), ("", ""),
     f"{GL}, mục IV.1.1.c và IV.1.2.b"),
    ("Trưởng đơn vị thuộc chi cục [suy luận]", "unit", "unit", "head",
     ("parent", ""), ("nearest_of_kind", "department"), ("", ""), f"{GL}, mục IV.1 [suy luận]"),
    ("Cấp phó đơn vị thuộc chi cục [suy luận]", "unit", "unit", "deputy",
     ("own", ""), ("nearest_of_kind", "department"), ("", ""), f"{GL}, mục IV.1 [suy luận]"),
    ("Công chức đơn vị thuộc chi cục [suy luận]", "unit", "unit", "staff",
     ("own", ""), ("nearest_of_kind", "department"), ("", ""), f"{GL}, mục IV.1 [suy luận]"),
    ("Phó Chủ tịch UBND xã, phường", "commune", "", "deputy",
     ("own", ""), ("own", ""), ("nearest_of_kind", "province"),
     f"{GL}, mục IV.1.1.d và IV.1.2.c; ý kiến Chủ tịch UBND tỉnh theo mục IV.4"),
    ("Công chức làm việc trực tiếp tại UBND xã [suy luận]", "commune", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL}, mục IV.1 [suy luận]"),
    ("Trưởng phòng thuộc UBND xã, phường", "unit", "commune", "head",
     ("parent", ""), ("nearest_of_kind", "commune"), ("", ""),
     f"{GL}, mục IV.1.1.d và IV.1.2.c"),
    ("Cấp phó phòng thuộc UBND xã, phường", "unit", "commune", "deputy",
     ("own", ""), ("nearest_of_kind", "commune"), ("", ""),
     f"{GL}, mục IV.1.1.e và IV.1.2.c"),
    ("Công chức thuộc phòng của UBND xã, phường", "unit", "commune", "staff",
     ("own", ""), ("nearest_of_kind", "commune"), ("", ""),
     f"{GL}, mục IV.1.1.e và IV.1.2.c"),
]  # fmt: skip

# (name, kind, parent_kind, role, evaluator, rater, opinion, citation)
POLITICAL_RULES = [
    # Party committees of communes/wards (under the Tỉnh ủy) and their advisory bodies.
    ("Bí thư Đảng ủy xã, phường", "party", "party", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GLT} (IV.1.1.a); Quy định 366-QĐ/TW {ASSUMED}"),
    ("Phó Bí thư Đảng ủy xã, phường", "party", "party", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GLT} (IV.1.1.d, IV.4) {ASSUMED}"),
    ("Cán bộ, công chức làm việc trực tiếp tại cấp ủy", "party", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} {ASSUMED}"),
    ("Trưởng ban, Chánh Văn phòng, Chủ nhiệm Ủy ban Kiểm tra của cấp ủy", "party_body", "",
     "head", ("parent", ""), ("parent", ""), ("", ""), f"{GLT} (IV.1.1.a) {ASSUMED}"),
    ("Cấp phó cơ quan tham mưu, giúp việc cấp ủy", "party_body", "", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GLT} (IV.1.1.b, IV.4) {ASSUMED}"),
    ("Công chức làm việc trực tiếp tại cơ quan tham mưu cấp ủy", "party_body", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} {ASSUMED}"),
    ("Trưởng phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "head",
     ("parent", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GLT} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "deputy",
     ("own", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GLT} (IV.1.1.c) {ASSUMED}"),
    ("Công chức phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "staff",
     ("own", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GLT} (IV.1.1.c) {ASSUMED}"),
    # Fatherland Front committees (commune/ward ones under the province one).
    ("Chủ tịch Ủy ban MTTQ xã, phường", "front", "front", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GLT} (IV.1.1.a) {ASSUMED}"),
    ("Phó Chủ tịch Ủy ban MTTQ", "front", "", "deputy",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} (IV.1.1.b) {ASSUMED}"),
    ("Cán bộ, công chức cơ quan Ủy ban MTTQ", "front", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} {ASSUMED}"),
    ("Trưởng ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "head",
     ("parent", ""), ("nearest_of_kind", "front"), ("", ""), f"{GLT} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "deputy",
     ("own", ""), ("nearest_of_kind", "front"), ("", ""), f"{GLT} (IV.1.1.c) {ASSUMED}"),
    ("Công chức ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "staff",
     ("own", ""), ("nearest_of_kind", "front"), ("", ""), f"{GLT} (IV.1.1.c) {ASSUMED}"),
    # Socio-political organisations (under the Front of their level).
    ("Người đứng đầu tổ chức chính trị - xã hội", "socio_political", "", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GLT} (IV.1.1.a) {ASSUMED}"),
    ("Cấp phó tổ chức chính trị - xã hội", "socio_political", "", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GLT} (IV.1.1.b, IV.4) {ASSUMED}"),
    ("Cán bộ, công chức tổ chức chính trị - xã hội", "socio_political", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} {ASSUMED}"),
    # Public-service units (viên chức; their heads are appointed by the managing body).
    ("Người đứng đầu đơn vị sự nghiệp công lập", "public_service", "", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GLT} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó đơn vị sự nghiệp công lập", "public_service", "", "deputy",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} (IV.1.1.c) {ASSUMED}"),
    ("Người làm việc trực tiếp tại đơn vị sự nghiệp công lập", "public_service", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GLT} {ASSUMED}"),
    ("Trưởng khoa, phòng thuộc đơn vị sự nghiệp công lập", "unit", "public_service", "head",
     ("parent", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GLT} {ASSUMED}"),
    ("Cấp phó khoa, phòng thuộc đơn vị sự nghiệp công lập", "unit", "public_service", "deputy",
     ("own", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GLT} {ASSUMED}"),
    ("Người làm việc tại khoa, phòng của đơn vị sự nghiệp", "unit", "public_service", "staff",
     ("own", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GLT} {ASSUMED}"),
]  # fmt: skip


def _create(AuthorityRule, rules):
    for name, kind, parent_kind, role, evaluator, rater, opinion, citation in rules:
        AuthorityRule.objects.update_or_create(
            subject_agency_kind=kind,
            subject_parent_kind=parent_kind,
            subject_role=role,
            defaults={
                "name": name,
                "evaluator_relation": evaluator[0],
                "evaluator_kind": evaluator[1],
                "rater_relation": rater[0],
                "rater_kind": rater[1],
                "opinion_relation": opinion[0],
                "opinion_kind": opinion[1],
                "citation": citation[:255],
                "is_active": True,
            },
        )


def create_state_rules(apps, schema_editor=None):
    _create(apps.get_model("org", "AuthorityRule"), STATE_RULES)


def create_political_rules(apps, schema_editor=None):
    _create(apps.get_model("org", "AuthorityRule"), POLITICAL_RULES)


def remove_political_rules(apps, schema_editor=None):
    AuthorityRule = apps.get_model("org", "AuthorityRule")
    for _name, kind, parent_kind, role, *_rest in POLITICAL_RULES:
        AuthorityRule.objects.filter(
            subject_agency_kind=kind, subject_parent_kind=parent_kind, subject_role=role
        ).delete()
