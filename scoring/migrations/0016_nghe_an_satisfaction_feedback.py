"""The Nghệ An four-group framework (a draft shipped by 0002) gains its satisfaction feed:
citizens' answers to one-time feedback codes feed its criteria S.1 and S.2 (issue 33 item 3;
``scoring.engine`` rule ``feedback``). Copied here as a literal, as 0002 does; a framework a
province has already edited (its rules carry a ``feedback`` entry, or it is no longer the
shipped draft) is left as it is."""

from django.db import migrations

FEEDBACK = {'satisfaction_criteria': ['satisfaction.S.1', 'satisfaction.S.2'], 'level_percents': {'5': '100', '4': '75', '3': '50', '2': '25', '1': '0'}, 'min_answers': {'value': '5', 'citation': 'Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Dưới 5 ý kiến thì không đủ tin cậy và dễ lộ người trả lời: không dùng ý kiến, số ý kiến không hiển thị (tỉnh có thể đổi).'}, 'below_min': {'value': 'evaluator_mark', 'citation': 'Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Chưa đủ số ý kiến tối thiểu: giữ điểm của người đánh giá cho tiêu chí. Chọn full_marks để cho điểm tối đa (không có ý kiến không hài lòng).'}, 'weight': {'value': '1', 'citation': 'Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)', 'confidence': 'inferred', 'note': 'Tỷ trọng của ý kiến người dân, doanh nghiệp trong điểm tiêu chí (1 = thay điểm của người đánh giá; 0,5 = một nửa ý kiến, một nửa điểm người đánh giá).'}, 'citation': 'Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.2', 'confidence': 'inferred', 'note': 'Nhóm chỉ số mức độ hài lòng lấy từ ý kiến của người dân, doanh nghiệp (mã phản hồi, khảo sát của bộ phận một cửa); chưa đủ số ý kiến tối thiểu thì giữ điểm của người đánh giá.'}


def add_feedback(apps, schema_editor):
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    Revision = apps.get_model("wagtailcore", "Revision")
    framework = CriteriaFramework.objects.filter(code="nghe-an-bon-nhom-chi-so").first()
    if framework is None or "feedback" in (framework.rules or {}):
        return
    framework.rules = {**framework.rules, "feedback": FEEDBACK}
    framework.save(update_fields=["rules"])
    if framework.latest_revision_id:
        revision = Revision.objects.get(pk=framework.latest_revision_id)
        rules = revision.content.get("rules") or {}
        if "feedback" not in rules:
            revision.content = {**revision.content, "rules": {**rules, "feedback": FEEDBACK}}
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0015_stale_figures_and_recoverable_runs"),
    ]

    operations = [migrations.RunPython(add_feedback, migrations.RunPython.noop)]
