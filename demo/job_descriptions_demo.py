"""The demo's competency dictionary and job descriptions: three positions of Sở Tư pháp's
catalog with an approved version (shown on its catalog page), one of them with a version 2
being written, and one position of Sở Nội vụ waiting for approval. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from audit.history import acting
from demo.data.job_descriptions import (
    COMPETENCIES,
    DESCRIPTIONS,
    LEVEL_SCALE,
    REVISED_POSITION,
)
from org import job_descriptions
from org.models import (
    Competency,
    CompetencyLevel,
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionRequirement,
    JobDescriptionTask,
    JobPosition,
)

REASON = "Dữ liệu mẫu"


def _competencies() -> dict[str, Competency]:
    found = {}
    for code, kind, name, definition in COMPETENCIES:
        competency, _ = Competency.objects.update_or_create(
            code=code, defaults={"kind": kind, "name": name, "definition": definition}
        )
        for level, text in LEVEL_SCALE.items():
            CompetencyLevel.objects.update_or_create(
                competency=competency,
                level=level,
                defaults={"descriptor": text.format(name=name.lower()), "sort_order": level},
            )
        found[code] = competency
    return found


def _write(position, spec, competencies, user) -> JobDescription:
    version = JobDescription.objects.create(
        job_position=position, purpose=spec["purpose"], created_by=user
    )
    for order, (name, output) in enumerate(spec["tasks"]):
        JobDescriptionTask.objects.create(
            description=version, name=name, output=output, sort_order=order
        )
    for order, (kind, text) in enumerate(spec["requirements"]):
        JobDescriptionRequirement.objects.create(
            description=version, kind=kind, text=text, sort_order=order
        )
    for order, (code, level) in enumerate(spec["competencies"]):
        JobDescriptionCompetency.objects.create(
            description=version,
            competency=competencies[code],
            required_level=level,
            sort_order=order,
        )
    return version


@transaction.atomic
def load_job_descriptions_demo() -> int:
    approver = get_user_model().objects.filter(username="sonoivu").first()
    with acting(approver, REASON):
        competencies = _competencies()
        written = 0
        for code, spec in DESCRIPTIONS.items():
            position = JobPosition.objects.filter(code=code).first()
            if position is None or position.descriptions.exists():
                continue
            version = job_descriptions.submit(
                _write(position, spec, competencies, approver), approver
            )
            written += 1
            if spec["decision"] is None:
                continue
            number, signed, signer, effective = spec["decision"]
            version = job_descriptions.appraise(version, approver)
            job_descriptions.approve(
                version,
                job_descriptions.Decision(
                    number=number,
                    date=datetime.date.fromisoformat(signed),
                    signer=signer,
                    effective_from=datetime.date.fromisoformat(effective),
                ),
                approver,
            )
            if code == REVISED_POSITION:
                job_descriptions.new_version(position, approver)
    return written
