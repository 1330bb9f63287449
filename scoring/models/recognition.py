"""Recognition of an organisation's excellent, outstanding, breakthrough achievements for a year
(Decree 335 Art. 20 cl. 5(b)).

The decree lets such an organisation rate up to 25 % (instead of 20 %) of its civil servants
finally rated "good" as "excellent". The only copy of the clause is cut off where it names the
condition and who decides [unknown — decree-335-notes §5]; we record the recognising decision
(number, date, achievements; the admin history keeps who entered it). It applies to the
recognised agency and every unit under it; the ratio itself is the framework's
``quota.outstanding_ratio`` (25 % by default).

An input of the annual scoring (the excellent quota), so it lives here, below ``org_scoring``
(which lists it in its admin menu) and ``ratings`` (whose decision guard applies the same
quota). It was ``org_scoring.OutstandingRecognition``; the table kept its name
(``org_scoring_outstandingrecognition``), so moving it moved no row.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.statements import Read, kept_rows, read


class OutstandingRecognition(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="outstanding_recognitions",
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    decision_ref = models.CharField(_("số quyết định công nhận"), max_length=64)
    decided_on = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("thành tích"), blank=True)

    class Meta:
        db_table = "org_scoring_outstandingrecognition"
        verbose_name = _("công nhận tổ chức có thành tích xuất sắc, nổi trội")
        verbose_name_plural = _("công nhận tổ chức có thành tích xuất sắc, nổi trội")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], name="one_outstanding_recognition_per_agency_year"
            )
        ]

    def __str__(self):
        return f"{self.agency} — {self.year} ({self.decision_ref})"

    def clean(self):
        super().clean()
        agency = self.agency if self.agency_id else None
        if agency is not None and agency.parent_id is None:
            raise ValidationError(
                {
                    "agency": _(
                        "UBND tỉnh không được đánh giá như một tổ chức; hãy chọn sở, ban, "
                        "ngành, UBND xã, phường hoặc đơn vị trực thuộc."
                    )
                }
            )


def recognised_paths(year: int) -> tuple[str, ...]:
    """Tree paths of the agencies recognised for ``year``; each covers its subtree."""
    return tuple(kept_rows(_recognised_rows, year=year))


def recognised_read(year: int) -> Read:
    """:func:`recognised_paths`' read, to send with others (``cms.statements``; its rows as
    a tuple are the paths)."""
    return read(_recognised_rows, year=year)


def _recognised_rows(year):
    return OutstandingRecognition.objects.filter(year=year).values_list("agency__path", flat=True)


def is_recognised(agency_path: str, paths: tuple[str, ...]) -> bool:
    return bool(paths) and agency_path.startswith(paths)


def recognised_outstanding(agency_path: str, year: int) -> bool:
    """Whether the agency at ``agency_path``, or an agency above it, is recognised for ``year``."""
    return is_recognised(agency_path, recognised_paths(year))
