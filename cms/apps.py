from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Trang thông tin")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from .cache_table import create_cache_table
        from .formats import dates
        from .formats.fields import use_in_wagtail_admin_forms
        from .postgres import read_json_as_text

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="cms.cache_table")
        connection_created.connect(read_json_as_text, dispatch_uid="cms.json_as_text")
        use_in_wagtail_admin_forms()  # decimals typed and shown with the comma (cms/formats)
        dates.use_in_wagtail_admin_forms()  # dates typed dd/mm/yyyy, impossible ones refused

        from cms import jobs, listing_exports  # noqa: F401 (registers the listing export kind)
        from cms.exports import health_items, live_export_tasks, sweep_exports
        from cms.models import ExportJob

        jobs.register_check("exports", sweep_exports)
        jobs.register_live_tasks("exports", live_export_tasks)
        jobs.register_health("exports", health_items)
        jobs.register_kind(
            jobs.JobKind("exports", ExportJob._meta.verbose_name, ExportJob, url=_export_job_url)
        )


def _export_job_url(job, user) -> str | None:
    """An export's page opens only for who asked (``cms.exports.may_open``)."""
    from django.urls import reverse

    from cms.exports import may_open  # apps.py loads before the models; cms.exports needs them

    return reverse("cms_export_job", args=[job.pk]) if may_open(user, job) else None
