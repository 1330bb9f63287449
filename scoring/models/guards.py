"""Model-level guard: inputs of a closed or locked period cannot be created, changed or deleted.

Bulk queryset operations (``update()``, ``bulk_create()``) bypass model methods; services that
use them call :func:`ensure_period_open` themselves.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from org.models import Posting
from scoring.models.choices import PeriodStatus


def closed_period_error(period) -> ValidationError:
    """The one sentence of a closed period, whether the province closed it or the lead body of
    the writer's bloc did (then the period itself is still open for the other blocs: the
    status named is "đã khóa sổ" all the same)."""
    status = (
        period.get_status_display()
        if period.status != PeriodStatus.OPEN
        else PeriodStatus.CLOSED.label
    )
    return ValidationError(
        gettext(
            "Kỳ đánh giá %(period)s đã khóa sổ (%(status)s): không thể thay đổi dữ liệu đầu vào."
        )
        % {"period": period.label, "status": status},
        code="period_closed",
    )


def ensure_period_open(period, agency=None) -> None:
    """Refuse when ``period`` no longer accepts inputs — province-wide, or (given the agency
    the input belongs to) for that agency's bloc."""
    if period is None:
        return
    if not (period.accepts_inputs_for(agency) if agency is not None else period.accepts_inputs):
        raise closed_period_error(period)


def governing_agency(person_id, period):
    """The agency of ``person_id``'s main posting held last in ``period`` (None: none): the
    bloc a person's marks belong to."""
    posting = (
        Posting.objects.filter(
            civil_servant_id=person_id, start_date__lte=period.end_date, is_concurrent=False
        )
        .exclude(end_date__lt=period.start_date)
        .select_related("agency")
        .order_by("-start_date")
        .first()
    )
    return posting.agency if posting is not None else None


class PeriodInputMixin(models.Model):
    """For rows that are scoring inputs of one period.

    ``period_path`` is the ORM path from the row to its ``Period`` (``"period"`` or
    ``"line__period"``). Both the period the row points to now and the one stored in the
    database must be open, so a row can neither be edited inside nor moved out of a closed
    period.
    """

    period_path = "period"
    #: The ORM path from the row to the agency whose bloc it belongs to (``None``: the row's
    #: person, see :meth:`input_agency`).
    agency_path: str | None = None

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

    def input_agency(self):
        """The agency whose bloc the row belongs to (asked only when a bloc closed the
        period): the row's unit, or the person's governing agency in the period."""
        if self.agency_path is None:
            period = self.input_period()
            person_id = getattr(self, "civil_servant_id", None)
            if period is None or person_id is None:
                return None
            return governing_agency(person_id, period)
        obj = self
        for part in self.agency_path.split("__"):
            if getattr(obj, f"{part}_id", None) is None:
                return None
            obj = getattr(obj, part)
        return obj

    def check_period_open(self) -> None:
        current = self.input_period()
        ensure_period_open(current)
        if current is not None and current.closed_blocs:
            ensure_period_open(current, self.input_agency())
        if self.pk is None:
            return
        stored_id = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list(f"{self.period_path}__id", flat=True)
            .first()
        )
        if stored_id is not None and (current is None or stored_id != current.pk):
            # Deferred: at the top it would register Period before the models that
            # scoring.models lists first, changing the order of apps.get_models().
            from scoring.models.period import Period

            stored = Period.objects.filter(pk=stored_id).first()
            ensure_period_open(stored)
            if stored is not None and stored.closed_blocs:
                ensure_period_open(stored, self.input_agency())
