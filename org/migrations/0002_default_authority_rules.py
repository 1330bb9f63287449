"""Default evaluation-authority rules, after the Gia Lai plan (Kế hoạch UBND tỉnh Gia Lai, §IV.1).

Rows marked "[suy luận]" cover cases the plan does not name (staff posted directly at a department
or commune, units nested in units); Sở Nội vụ can edit or deactivate any of them.
"""

from django.db import migrations

GL = "Kế hoạch đánh giá, xếp loại của UBND tỉnh Gia Lai"

# (name, kind, parent_kind, role, evaluator, rater, opinion, citation)
# evaluator/rater/opinion: (relation, kind)
RULES = [
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
]


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
                "citation": citation,
                "is_active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
