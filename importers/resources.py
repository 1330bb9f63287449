"""django-import-export resources: the reference data (units, civil servants, postings, catalogs)
and the admin exports.

The importer validates and normalises every row first (:mod:`importers.reading.frame` and the
kind's rules), then hands clean values to these resources, which match rows on their natural
keys and report new / updated / skipped (unchanged) rows. They run inside the pipeline's
transaction (``use_transactions = False``).
"""

from import_export import fields, resources, widgets

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy

from catalog_pages.models import CatalogVersionItem
from org.models import Agency, CivilServant, JobPosition, Posting
from scoring.models import AssignmentLine, Period


class UnitResource(resources.ModelResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Agency, "code")
    )

    class Meta:
        model = Agency
        fields = ("code", "name", "kind", "parent", "is_active")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = False
        clean_model_instances = False


class CivilServantResource(resources.ModelResource):
    class Meta:
        model = CivilServant
        fields = ("official_id", "full_name", "gender", "date_of_birth", "email", "phone")
        import_id_fields = ("official_id",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = False


class PostingResource(resources.ModelResource):
    civil_servant = fields.Field(
        attribute="civil_servant",
        column_name="civil_servant",
        widget=widgets.ForeignKeyWidget(CivilServant, "official_id"),
    )
    agency = fields.Field(
        attribute="agency", column_name="agency", widget=widgets.ForeignKeyWidget(Agency, "code")
    )
    job_position = fields.Field(
        attribute="job_position",
        column_name="job_position",
        widget=widgets.ForeignKeyWidget(JobPosition, "code"),
    )

    class Meta:
        model = Posting
        fields = (
            "civil_servant",
            "agency",
            "job_position",
            "role",
            "title",
            "start_date",
            "end_date",
            "is_concurrent",
            "category",
        )
        import_id_fields = ("civil_servant", "agency", "job_position", "start_date")
        skip_unchanged = True
        report_skipped = True
        use_transactions = False


class CatalogVersionItemResource(resources.ModelResource):
    """Export of an approved catalog version (admin export)."""

    version = fields.Field(attribute="version__number", column_name=gettext_lazy("phiên bản"))
    agency = fields.Field(attribute="version__agency__code", column_name=gettext_lazy("mã cơ quan"))
    job_positions = fields.Field(
        attribute="job_positions",
        column_name=gettext_lazy("vị trí việc làm"),
        widget=widgets.ManyToManyWidget(JobPosition, separator=", ", field="code"),
    )

    class Meta:
        model = CatalogVersionItem
        fields = (
            "agency",
            "version",
            "code",
            "name",
            "output_unit",
            "complexity_group",
            "coefficient",
            "standard_minutes",
            "evidence_required",
            "is_standard",
            "job_positions",
        )
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        """The model's Vietnamese verbose names instead of field names."""
        headers = []
        for field in self.get_export_fields(selected_fields):
            try:
                label = CatalogVersionItem._meta.get_field(field.attribute).verbose_name
            except Exception:  # declared fields (agency, version…) carry their own label  # noqa: BLE001
                label = field.column_name
            label = force_str(label)
            headers.append(label[:1].upper() + label[1:])
        return headers


def assignment_line_resource():
    """Resource for assignment lines (admin export; the benchmark's import-export bulk mode)."""

    class AssignmentLineResource(resources.ModelResource):
        civil_servant = fields.Field(
            attribute="civil_servant",
            column_name="civil_servant",
            widget=widgets.ForeignKeyWidget(CivilServant, "official_id"),
        )
        period = fields.Field(
            attribute="period", column_name="period", widget=widgets.ForeignKeyWidget(Period, "pk")
        )
        item = fields.Field(
            attribute="item",
            column_name="item",
            widget=widgets.ForeignKeyWidget(CatalogVersionItem, "pk"),
        )
        unit = fields.Field(
            attribute="unit", column_name="unit", widget=widgets.ForeignKeyWidget(Agency, "code")
        )

        class Meta:
            model = AssignmentLine
            fields = (
                "civil_servant",
                "period",
                "item",
                "unit",
                "assigned_quantity",
                "completed_quantity",
                "deadline",
                "completed_on",
                "failed_reviews",
                "delays",
                "source",
                "external_id",
                "note",
            )
            import_id_fields = ("source", "external_id")

    return AssignmentLineResource
