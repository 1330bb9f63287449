"""Catalog products traced to the duties of the approved job descriptions in force (issue 45
item 1; Lào Cai §I.2 "KPI phải gắn với … bản mô tả vị trí việc làm", Đắk Lắk §I.2, P2 §II.1:
the description is "cơ sở xây dựng Danh mục nhiệm vụ gắn với sản phẩm/công việc đầu ra").

The duties a catalog's products may serve are the tasks of the descriptions in force, for the
catalog's agency (its own where it wrote one, else the province's common one:
``org.job_descriptions.in_force_for``), of the job positions its products may name
(``catalog_pages.status.agency_job_positions``). The editor says which of those duties no
product serves yet and which products serve no duty; neither refuses the draft (the catalog
is the agency's, the gaps are for it to close).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.status import agency_job_positions
from org import job_descriptions
from org.models import JobDescription, JobDescriptionTask


def reference_day(page) -> datetime.date:
    """The day whose descriptions the draft is traced to: the day it takes effect, or today
    when that is later (a draft still carrying the date of the version in force is written
    against the descriptions approved since)."""
    today = timezone.localdate()
    return max(getattr(page, "effective_from", None) or today, today)


def descriptions_for(page, day: datetime.date | None = None) -> dict[int, JobDescription]:
    """Job position id → the description in force for ``page``'s agency (tasks loaded)."""

    if page is None or not getattr(page, "agency_id", None) or not page.pk:
        return {}
    positions = list(agency_job_positions(page).values_list("pk", flat=True))
    return job_descriptions.in_force_for(page.agency, positions, day or reference_day(page))


def duty_label(task: JobDescriptionTask) -> str:
    """A duty as the editor and the explanation name it: its position, then the task."""
    return _("%(position)s: %(task)s") % {
        "position": task.description.job_position.name,
        "task": task.name,
    }


def duty_choices(page, day: datetime.date | None = None):
    """The duties ``page``'s products may serve, as a queryset (for a form field)."""
    ids = [task.pk for d in descriptions_for(page, day).values() for task in d.tasks.all()]
    return (
        JobDescriptionTask.objects.filter(pk__in=ids)
        .select_related("description__job_position")
        .order_by("description__job_position__code", "sort_order", "pk")
    )


def position_problem(duty: JobDescriptionTask, positions) -> str | None:
    """Why ``duty`` does not fit a product naming ``positions`` (none named: any fits)."""
    named = {p.pk for p in positions}
    if named and duty.description.job_position_id not in named:
        return _(
            "Nhiệm vụ “%(task)s” thuộc vị trí “%(position)s”, nhưng sản phẩm này không gắn với "
            "vị trí đó: chọn thêm vị trí “%(position)s” hoặc bỏ nhiệm vụ này."
        ) % {"task": duty.name, "position": duty.description.job_position.name}
    return None


@dataclass
class Coverage:
    #: (description, task) of each duty no product serves.
    uncovered: list = field(default_factory=list)
    #: Products serving no duty.
    without_duty: list = field(default_factory=list)
    #: Descriptions in force that the check read (none: nothing to trace to).
    descriptions: list = field(default_factory=list)
    #: Products serving a duty no longer in force (a newer description was approved since).
    outdated: list = field(default_factory=list)


def coverage(page, items=None, day: datetime.date | None = None) -> Coverage:
    """Which duties of the descriptions in force no product of ``page`` serves, and which
    products serve none (``items``: the draft's items, as edited; default the page's)."""
    items = list(page.items.all() if items is None else items)
    descriptions = descriptions_for(page, day)
    in_force = {task.pk for d in descriptions.values() for task in d.tasks.all()}
    served: set[int] = set()
    result = Coverage(descriptions=sorted(descriptions.values(), key=lambda d: d.job_position.code))
    for item in items:
        duties = {duty.pk for duty in item.duties.all()}
        served |= duties
        if not duties:
            result.without_duty.append(item)
        elif not duties & in_force:
            result.outdated.append(item)
    for description in result.descriptions:
        for task in description.tasks.all():
            if task.pk not in served:
                result.uncovered.append((description, task))
    return result
