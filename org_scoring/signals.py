"""Organisation score inputs saved or deleted through the ORM mark the agency's organisation
score of that year stale, in the same transaction (``scoring.services.freshness``): its tasks,
general marks, shortcomings, conclusions, the province tasks of the confirmed quarters and the
decided level of a sub-unit (a parent's "no direct sub-unit not completed" condition). The
background refresh then rescores the agency and the agencies above it
(``org_scoring.services.freshness``)."""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from org_scoring.models import (
    DecidedRating,
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    ProvinceTask,
)
from scoring.services.freshness import mark_organisation

INPUTS = (
    OrganisationTask,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationDisqualification,
    ProvinceTask,
    DecidedRating,
)


def _input_changed(sender, instance, **kwargs):
    if kwargs.get("raw") or not instance.agency_id or not instance.year:
        return
    mark_organisation(
        [(instance.agency_id, instance.year)],
        _("Sửa dữ liệu đánh giá tổ chức (%(what)s)") % {"what": sender._meta.verbose_name},
    )


def connect() -> None:
    for model in INPUTS:
        post_save.connect(_input_changed, sender=model, dispatch_uid=f"stale-org-{model}")
        post_delete.connect(_input_changed, sender=model, dispatch_uid=f"stale-org-d-{model}")
