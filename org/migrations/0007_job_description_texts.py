"""The free texts of the old ``JobPosition.description`` and ``competency_framework`` become a
version 1 of the position's job description, as a **draft**: they were never approved as
structured data (no decision number, date or signer was stored with them), so approving them
here would invent a decision. Each non-empty line of the description becomes a task (list
marks and numbering removed); the competency text is kept whole in the version's note, for Sở
Nội vụ to turn into rows of the competency dictionary before submitting the version.
"""

import re

from django.db import migrations

MARK = re.compile(r"^\s*(?:[-–—•*+·]|\d+[.)]|[a-zđ][.)])\s*", re.IGNORECASE)
NOTE_PREFIX = "Khung năng lực (văn bản cũ, cần chuẩn hóa thành năng lực yêu cầu):\n"


def tasks_of(text: str) -> list[str]:
    lines = []
    for line in (text or "").splitlines():
        line = MARK.sub("", line).strip()
        if line:
            lines.append(line)
    return lines


def forwards(apps, schema_editor):
    JobPosition = apps.get_model("org", "JobPosition")
    JobDescription = apps.get_model("org", "JobDescription")
    JobDescriptionTask = apps.get_model("org", "JobDescriptionTask")
    positions = JobPosition.objects.exclude(description="", competency_framework="").order_by("pk")
    for position in positions:
        if JobDescription.objects.filter(job_position=position).exists():
            continue
        competencies = (position.competency_framework or "").strip()
        version = JobDescription.objects.create(
            job_position=position,
            number=1,
            status="draft",
            note=NOTE_PREFIX + competencies if competencies else "",
        )
        JobDescriptionTask.objects.bulk_create(
            JobDescriptionTask(description=version, name=name, sort_order=order)
            for order, name in enumerate(tasks_of(position.description))
        )


def backwards(apps, schema_editor):
    JobDescription = apps.get_model("org", "JobDescription")
    for version in JobDescription.objects.filter(number=1, status="draft").select_related(
        "job_position"
    ):
        position = version.job_position
        position.description = "\n".join(task.name for task in version.tasks.order_by("sort_order"))
        note = version.note or ""
        position.competency_framework = note.removeprefix(NOTE_PREFIX)
        position.save(update_fields=["description", "competency_framework"])


class Migration(migrations.Migration):
    dependencies = [("org", "0006_job_descriptions")]

    operations = [migrations.RunPython(forwards, backwards)]
