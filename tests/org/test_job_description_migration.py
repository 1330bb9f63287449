"""Migration org/0007: the old free texts of a job position become a draft version 1 of its
job description (each line of the description a task, the competency text kept in the note),
before org/0008 removes the two fields."""

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("org", "0006_job_descriptions")]
AFTER = [("org", "0008_remove_jobposition_texts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Back to every app's latest migration afterwards: going back to org 0006 also unapplies
    other apps' migrations that depend on later org ones (scoring 0012's VariantPolicy …);
    leaving them out broke the next transactional test on the same worker ("relation
    scoring_variantpolicy does not exist", CI of session 12)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_old_texts_become_a_draft_version_1():
    old = migrate(BEFORE)
    JobPosition = old.get_model("org", "JobPosition")
    JobPosition.objects.create(
        code="VT-CU",
        name="Chuyên viên cũ",
        group="professional",
        level="province",
        description="1. Thẩm định dự thảo\n- Kiểm tra văn bản\n\n• Báo cáo định kỳ",
        competency_framework="Soạn thảo văn bản: cấp độ 3",
    )
    JobPosition.objects.create(
        code="VT-TRONG", name="Không có mô tả", group="support", level="province"
    )
    new = migrate(AFTER)
    JobDescription = new.get_model("org", "JobDescription")
    version = JobDescription.objects.get(job_position__code="VT-CU")
    assert (version.number, version.status) == (1, "draft")
    tasks = list(version.tasks.order_by("sort_order").values_list("name", flat=True))
    assert tasks == ["Thẩm định dự thảo", "Kiểm tra văn bản", "Báo cáo định kỳ"]
    assert version.note.endswith("Soạn thảo văn bản: cấp độ 3")
    assert not JobDescription.objects.filter(job_position__code="VT-TRONG").exists()
    field_names = {f.name for f in new.get_model("org", "JobPosition")._meta.get_fields()}
    assert not {"description", "competency_framework"} & field_names
