from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký và lịch sử thay đổi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from audit.reads import describe_rows
        from cms.read_audit import personal_data_read, set_describer

        personal_data_read.connect(_record_announced, dispatch_uid="audit.record_announced")
        set_describer(describe_rows)


def _record_announced(sender, request, kind, details, **kwargs):
    """Reads announced by the pieces below this app in the layers (``cms.read_audit``)."""
    from audit.reads import record_read  # apps.py loads before the models; audit.reads needs them

    record_read(request, kind, **details)
