"""The allowed changes of agencies' variants of the default framework (docs/scoring.md §13.7).

The values are the model's defaults, written out so a running province sees (and may change)
them in the admin. [giả định — tỉnh cần xác nhận]: the plans say agencies build their own
criteria on the province's common framework "bảo đảm tính thống nhất, đồng bộ và khả năng so
sánh" (ĐL §II.2) and Sở Nội vụ appraises them (ĐL §IV.1, LC §III.1, NA §IV.1.2); none says
which parts an agency may change.
"""

from decimal import Decimal

from django.db import migrations

NOTE = (
    "Cơ quan được sửa nội dung, phân bổ lại điểm và thêm tối đa 3 tiêu chí thành phần trong "
    "mỗi thành phần chấm điểm; tổng điểm thành phần (30/70, Nghị định 335/2025/NĐ-CP Điều 12), "
    "cách tính kết quả nhiệm vụ (Điều 14–16), mức xếp loại và tỷ lệ (Điều 20) giữ nguyên. "
    "[giả định — tỉnh cần xác nhận]"
)


def forwards(apps, schema_editor):
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    VariantPolicy = apps.get_model("scoring", "VariantPolicy")
    base = CriteriaFramework.objects.filter(code="nghi-dinh-335-mac-dinh").first()
    if base is None or VariantPolicy.objects.filter(base=base).exists():
        return
    VariantPolicy.objects.create(
        base=base,
        may_reword=True,
        may_change_points=True,
        may_add_criteria=True,
        max_added_criteria=3,
        may_remove_criteria=False,
        min_criterion_points=Decimal("0.5"),
        note=NOTE,
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0012_framework_proposals")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
