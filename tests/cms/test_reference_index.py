"""Wagtail's reference index ("Sử dụng", the delete view's count) holds content an editor curates,
not records (docs/architecture.md, the admin idiom). Every admin viewset takes a side here: a new
model registered in the admin is in neither list until someone decides, and this test says so."""

import importlib
import uuid

import pytest

from django.urls import resolve

from wagtail.models.reference_index import ReferenceIndex

from tests.factories.org import CivilServantFactory, PostingFactory, UnitFactory

# Content: its "usage" tells an editor where it is used before they change or delete it.
CONTENT = {
    "catalog_pages.AgencyCatalogPage",
    "catalog_pages.CatalogIndexPage",
    "cms.HomePage",
    "dashboards.AgencyResultsPage",
    "dashboards.MethodPage",
    "dashboards.TransparencyIndexPage",
    "org.Agency",
    "org.JobDescription",
    "ratings.BonusRegulation",
    "scoring.FrameworkProposal",
    "wagtailcore.Page",
    "wagtaildocs.Document",
    "wagtailimages.Image",
}

# Records: people, grants, assignments, lines, scores, runs, agency-year inputs, work plans,
# inspections. Their history is their own (audit, versions); they are written in bulk; a
# reference-index task per save (a queue row in production) bought nothing.
RECORDS = {
    "org.AgencyAccess",
    "org.BlocLead",
    "org.CivilServant",
    "org.DeputyCharge",
    "org_scoring.OrganisationDisqualification",
    "org_scoring.OrganisationGeneralMark",
    "org_scoring.OrganisationShortcoming",
    "org_scoring.OrganisationTask",
    "org_scoring.OutstandingRecognition",
    "oversight.Inspection",
    "oversight.MilestoneRecord",
    "scoring.AnnualScore",
    "scoring.AssignmentLine",
    "scoring.Disqualification",
    "scoring.FrameworkAssignment",
    "scoring.PeriodScore",
    "scoring.ScoringRun",
    "workplans.WorkPlan",
}


def _indexed_models() -> set[str]:
    resolve("/admin/")  # the admin's viewsets register their models when its URLs load
    return {
        model._meta.label
        for model in ReferenceIndex.tracked_models
        if ReferenceIndex.model_is_indexable(model)
    }


def test_only_content_is_in_the_reference_index():
    indexed = _indexed_models()
    assert indexed & RECORDS == set(), "a record's viewset needs add_to_reference_index = False"
    undecided = indexed - CONTENT
    assert undecided == set(), (
        f"{sorted(undecided)}: content (CONTENT above) or a record (add_to_reference_index = "
        "False on its viewset, RECORDS above)?"
    )


@pytest.mark.django_db
def test_saving_a_person_writes_no_reference_row_and_a_unit_keeps_its_usage():
    _indexed_models()
    person = CivilServantFactory()
    PostingFactory(civil_servant=person)
    person.full_name = "Nguyễn Văn Đổi"
    person.save()
    unit = UnitFactory()
    unit.save()

    def rows(obj):
        return ReferenceIndex.objects.filter(
            base_content_type=ReferenceIndex._get_base_content_type(obj), object_id=str(obj.pk)
        ).count()

    assert rows(person) == 0
    assert rows(unit) >= 1  # the unit names its parent agency: "usage" of that agency shows it


def test_the_migration_forgets_records_and_no_content():
    """The migration's list is frozen history: every model it forgets is a record, none is
    content. A record added to RECORDS later needs a migration of its own for the rows its
    earlier saves wrote; this one is never edited."""
    migration = importlib.import_module("cms.migrations.0007_records_out_of_reference_index")
    frozen = {f"{app}.{model}" for app, model in migration.RECORDS}
    assert frozen == {label.lower() for label in RECORDS} - LATER_RECORDS
    assert not frozen & {label.lower() for label in CONTENT}


#: Records added to RECORDS after cms 0007, each with the migration that forgets its old rows.
LATER_RECORDS: set[str] = set()


@pytest.mark.django_db
def test_the_migration_removes_what_earlier_saves_wrote_for_records():
    """A database from before the change holds reference rows of people: the migration removes
    them and leaves the units' own."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    migration = importlib.import_module("cms.migrations.0007_records_out_of_reference_index")
    person = CivilServantFactory()
    PostingFactory(civil_servant=person)
    unit = UnitFactory()
    unit.save()
    person_type = ContentType.objects.get_for_model(person)
    ReferenceIndex.objects.create(  # a row an earlier save of the person wrote
        content_type=person_type,
        base_content_type=person_type,
        object_id=str(person.pk),
        to_content_type=ContentType.objects.get_for_model(unit),
        to_object_id=str(unit.pk),
        model_path="agency",
        content_path="agency",
        content_path_hash=uuid.uuid4(),
    )

    migration.forget_records(apps, None)

    assert not ReferenceIndex.objects.filter(
        base_content_type=ReferenceIndex._get_base_content_type(person)
    ).exists()
    assert ReferenceIndex.objects.filter(
        base_content_type=ReferenceIndex._get_base_content_type(unit), object_id=str(unit.pk)
    ).exists()
