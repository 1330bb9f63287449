"""Model-level guard: inputs of a closed or locked period cannot be created, changed or deleted.

Bulk queryset operations (``update()``, ``bulk_create()``) bypass model methods; services that
use them call :func:`ensure_period_open` themselves.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext


def closed_period_error(period) -> ValidationError:
    return ValidationError(
        gettext(
            "Kỳ đánh giá %(period)s đã khóa sổ (%(status)s): không thể thay đổi dữ liệu đầu vào."
        )
        % {"period": period.label, "status": period.get_status_display()},
        code="period_closed",
    )


def ensure_period_open(period) -> None:
    if period is not None and not period.accepts_inputs:
        raise closed_period_error(period)


class PeriodInputMixin(models.Model):
    """For rows that are scoring inputs of one period.

    ``period_path`` is the ORM path from the row to its ``Period`` (``"period"`` or
    ``"line__period"``). Both the period the row points to now and the one stored in the
    database must be open, so a row can neither be edited inside nor moved out of a closed
    period.
    """

    period_path = "period"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_period_open()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_period_open()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        self.check_period_open()

    def input_period(self):
        obj = self
        for part in self.period_path.split("__"):
            if getattr(obj, f"{part}_id", None) is None:
                return None
            obj = getattr(obj, part)
        return obj

    def check_period_open(self) -> None:
        current = self.input_period()
        ensure_period_open(current)
        if self.pk is None:
            return
        stored_id = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list(f"{self.period_path}__id", flat=True)
            .first()
        )
        if stored_id is not None and (current is None or stored_id != current.pk):
            from scoring.models.period import Period

            ensure_period_open(Period.objects.filter(pk=stored_id).first())
