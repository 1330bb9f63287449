"""Default evaluation-authority rules for the Party bodies, the Fatherland Front, the
socio-political organisations and the public-service units (issue 18, docs/scope.md §3).

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

from django.db import migrations

GL = "KH Gia Lai §IV.1 áp dụng tương tự"
ASSUMED = "[giả định — tỉnh cần xác nhận]"

# (name, kind, parent_kind, role, evaluator, rater, opinion, citation)
RULES = [
    # Party committees of communes/wards (under the Tỉnh ủy) and their advisory bodies.
    ("Bí thư Đảng ủy xã, phường", "party", "party", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GL} (IV.1.1.a); Quy định 366-QĐ/TW {ASSUMED}"),
    ("Phó Bí thư Đảng ủy xã, phường", "party", "party", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GL} (IV.1.1.d, IV.4) {ASSUMED}"),
    ("Cán bộ, công chức làm việc trực tiếp tại cấp ủy", "party", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL} {ASSUMED}"),
    ("Trưởng ban, Chánh Văn phòng, Chủ nhiệm Ủy ban Kiểm tra của cấp ủy", "party_body", "",
     "head", ("parent", ""), ("parent", ""), ("", ""), f"{GL} (IV.1.1.a) {ASSUMED}"),
    ("Cấp phó cơ quan tham mưu, giúp việc cấp ủy", "party_body", "", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GL} (IV.1.1.b, IV.4) {ASSUMED}"),
    ("Công chức làm việc trực tiếp tại cơ quan tham mưu cấp ủy", "party_body", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL} {ASSUMED}"),
    ("Trưởng phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "head",
     ("parent", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GL} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "deputy",
     ("own", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GL} (IV.1.1.c) {ASSUMED}"),
    ("Công chức phòng thuộc cơ quan tham mưu cấp ủy", "unit", "party_body", "staff",
     ("own", ""), ("nearest_of_kind", "party_body"), ("", ""), f"{GL} (IV.1.1.c) {ASSUMED}"),
    # Fatherland Front committees (commune/ward ones under the province one).
    ("Chủ tịch Ủy ban MTTQ xã, phường", "front", "front", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GL} (IV.1.1.a) {ASSUMED}"),
    ("Phó Chủ tịch Ủy ban MTTQ", "front", "", "deputy",
     ("own", ""), ("own", ""), ("", ""), f"{GL} (IV.1.1.b) {ASSUMED}"),
    ("Cán bộ, công chức cơ quan Ủy ban MTTQ", "front", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL} {ASSUMED}"),
    ("Trưởng ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "head",
     ("parent", ""), ("nearest_of_kind", "front"), ("", ""), f"{GL} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "deputy",
     ("own", ""), ("nearest_of_kind", "front"), ("", ""), f"{GL} (IV.1.1.c) {ASSUMED}"),
    ("Công chức ban thuộc cơ quan Ủy ban MTTQ", "unit", "front", "staff",
     ("own", ""), ("nearest_of_kind", "front"), ("", ""), f"{GL} (IV.1.1.c) {ASSUMED}"),
    # Socio-political organisations (under the Front of their level).
    ("Người đứng đầu tổ chức chính trị - xã hội", "socio_political", "", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GL} (IV.1.1.a) {ASSUMED}"),
    ("Cấp phó tổ chức chính trị - xã hội", "socio_political", "", "deputy",
     ("own", ""), ("own", ""), ("parent", ""), f"{GL} (IV.1.1.b, IV.4) {ASSUMED}"),
    ("Cán bộ, công chức tổ chức chính trị - xã hội", "socio_political", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL} {ASSUMED}"),
    # Public-service units (viên chức; their heads are appointed by the managing body).
    ("Người đứng đầu đơn vị sự nghiệp công lập", "public_service", "", "head",
     ("parent", ""), ("parent", ""), ("", ""), f"{GL} (IV.1.1.b) {ASSUMED}"),
    ("Cấp phó đơn vị sự nghiệp công lập", "public_service", "", "deputy",
     ("own", ""), ("own", ""), ("", ""), f"{GL} (IV.1.1.c) {ASSUMED}"),
    ("Người làm việc trực tiếp tại đơn vị sự nghiệp công lập", "public_service", "", "staff",
     ("own", ""), ("own", ""), ("", ""), f"{GL} {ASSUMED}"),
    ("Trưởng khoa, phòng thuộc đơn vị sự nghiệp công lập", "unit", "public_service", "head",
     ("parent", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GL} {ASSUMED}"),
    ("Cấp phó khoa, phòng thuộc đơn vị sự nghiệp công lập", "unit", "public_service", "deputy",
     ("own", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GL} {ASSUMED}"),
    ("Người làm việc tại khoa, phòng của đơn vị sự nghiệp", "unit", "public_service", "staff",
     ("own", ""), ("nearest_of_kind", "public_service"), ("", ""), f"{GL} {ASSUMED}"),
]  # fmt: skip


def create_rules(apps, schema_editor):
    AuthorityRule = apps.get_model("org", "AuthorityRule")
    for name, kind, parent_kind, role, evaluator, rater, opinion, citation in RULES:
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


def remove_rules(apps, schema_editor):
    AuthorityRule = apps.get_model("org", "AuthorityRule")
    for _name, kind, parent_kind, role, *_rest in RULES:
        AuthorityRule.objects.filter(
            subject_agency_kind=kind, subject_parent_kind=parent_kind, subject_role=role
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0004_person_categories_political_bodies")]

    operations = [migrations.RunPython(create_rules, remove_rules)]
