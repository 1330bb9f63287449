"""The Nghệ An four-group framework (a draft shipped by scoring 0002) gains its coordination
feed: the related units' ratings on shared tasks feed its criterion C.2 "Phối hợp với cơ quan,
đơn vị liên quan" (issue 33 item 3; ``scoring.engine`` rule ``coordination``). Copied here as a
literal, as scoring 0016 does for the satisfaction feed; a framework a province has already
given a ``coordination`` entry is left as it is. Kept in the worklog's migrations (the app of
the ratings) so that the scoring app's numbering is not contended."""

from django.db import migrations

COORDINATION = {'criteria': ['coordination.C.2'], 'level_percents': {'5': '100', '4': '75', '3': '50', '2': '25', '1': '0'}, 'min_ratings': {'value': '2', 'citation': 'Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1 (nhóm chỉ số năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Cần ít nhất 2 đánh giá của đơn vị phối hợp (mỗi đơn vị, mỗi việc phối hợp một đánh giá): một đánh giá không tự quyết định điểm tiêu chí (tỉnh có thể đổi).'}, 'below_min': {'value': 'evaluator_mark', 'citation': 'Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1 (nhóm chỉ số năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Chưa đủ số đánh giá tối thiểu: giữ điểm của người đánh giá cho tiêu chí. Chọn full_marks để cho điểm tối đa.'}, 'weight': {'value': '1', 'citation': 'Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1 (nhóm chỉ số năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Tỷ trọng của đánh giá của các đơn vị phối hợp trong điểm tiêu chí (1 = thay điểm của người đánh giá; 0,5 = một nửa đánh giá, một nửa điểm người đánh giá).'}, 'citation': 'Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1', 'confidence': 'inferred', 'note': 'Tiêu chí phối hợp với cơ quan, đơn vị liên quan lấy điểm từ đánh giá của lãnh đạo các đơn vị phối hợp trên những việc được giao có phối hợp; chưa đủ số đánh giá tối thiểu thì giữ điểm của người đánh giá.'}


def add_coordination(apps, schema_editor):
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    Revision = apps.get_model("wagtailcore", "Revision")
    framework = CriteriaFramework.objects.filter(code="nghe-an-bon-nhom-chi-so").first()
    if framework is None or "coordination" in (framework.rules or {}):
        return
    framework.rules = {**framework.rules, "coordination": COORDINATION}
    framework.save(update_fields=["rules"])
    if framework.latest_revision_id:
        revision = Revision.objects.get(pk=framework.latest_revision_id)
        rules = revision.content.get("rules") or {}
        if "coordination" not in rules:
            revision.content = {**revision.content, "rules": {**rules, "coordination": COORDINATION}}
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("worklog", "0003_coordinating_units"),
        ("scoring", "0017_scoring_settings_transfer_rule"),
    ]

    operations = [migrations.RunPython(add_coordination, migrations.RunPython.noop)]
