"""What an agency/unit is scored on for a year (Gia Lai plan §III.2–III.3; docs/scoring.md §6).

* ``OrganisationTask``: a task the province (or the parent agency) assigned, with its outcome.
  ``pending`` tasks (not yet due or not yet reported) are stored but not scored.
* ``OrganisationGeneralMark``: the general criteria (30 points), one row per sub-criterion of
  the framework's ``organisation.general`` component: the agency's self mark and the appraised
  mark (Sở Nội vụ for departments and communes; the parent agency's personnel unit for its
  units). The appraised mark, where given, is the one that counts.
* ``OrganisationShortcoming``: a shortcoming pointed out by the previous evaluation or by an
  inspection; "all shortcomings remedied" (a condition of "excellent") is derived from them.
* ``OrganisationDisqualification``: a conclusion that forces "not completed" (e.g. wrongdoing in
  personnel work, internal disunity), with its reference and reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from org_scoring.frameworks import organisation_framework
from org_scoring.models.choices import COMPLETED_OUTCOMES, TaskOutcome

MARK = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0)]}
USER_FK = {
    "to": settings.AUTH_USER_MODEL,
    "null": True,
    "blank": True,
    "on_delete": models.SET_NULL,
    "related_name": "+",
}


def agency_field(related_name: str):
    return models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def year_field():
    return models.PositiveSmallIntegerField(_("năm đánh giá"))


class AgencyYearMixin(models.Model):
    """Shared checks: the province itself is not scored as an organisation."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        agency = getattr(self, "agency", None) if self.agency_id else None
        if agency is not None and agency.parent_id is None:
            raise ValidationError(
                {
                    "agency": _(
                        "UBND tỉnh không được đánh giá như một tổ chức; hãy chọn sở, ban, "
                        "ngành, UBND xã, phường hoặc đơn vị trực thuộc."
                    )
                }
            )


class OrganisationTask(AgencyYearMixin, models.Model):
    agency = agency_field("organisation_tasks")
    year = year_field()
    document_ref = models.CharField(
        _("số, ký hiệu văn bản giao nhiệm vụ"),
        max_length=64,
        help_text=_("Ví dụ: 125/QĐ-UBND, Kế hoạch 45/KH-UBND."),
    )
    document_title = models.CharField(
        _("trích yếu văn bản giao nhiệm vụ"), max_length=255, blank=True
    )
    description = models.TextField(_("nội dung nhiệm vụ"))
    is_key_task = models.BooleanField(
        _("nhiệm vụ trọng tâm"),
        default=False,
        help_text=_(
            "Nhiệm vụ trọng tâm của sở, ngành, địa phương theo kế hoạch của tỉnh: tính với "
            "hệ số “trọng số nhiệm vụ trọng tâm” của khung tiêu chí (mặc định 1)."
        ),
    )
    key_task = models.CharField(
        _("tiêu chí nhiệm vụ trọng tâm của cơ quan"),
        max_length=32,
        blank=True,
        help_text=_(
            "Mã nhiệm vụ trọng tâm trong tiêu chí đánh giá tổ chức mà cơ quan đã đề xuất và được "
            "phê duyệt (ví dụ NV.1): nhiệm vụ được tính với hệ số của tiêu chí đó. Để trống nếu "
            "không thuộc tiêu chí nào."
        ),
    )
    deadline = models.DateField(_("hạn hoàn thành"))
    outcome = models.CharField(
        _("kết quả thực hiện"),
        max_length=16,
        choices=TaskOutcome.choices,
        default=TaskOutcome.PENDING,
        help_text=_("Nhiệm vụ chưa đến hạn hoặc chưa báo cáo kết quả không được tính điểm."),
    )
    delays = models.PositiveSmallIntegerField(
        _("số lần trễ hạn"),
        default=0,
        help_text=_("Chỉ nhập cho nhiệm vụ trễ hạn; mỗi lần trễ bị trừ theo khung đánh giá."),
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    quality_ensured = models.BooleanField(
        _("bảo đảm chất lượng, hiệu quả"),
        null=True,
        blank=True,
        choices=[
            (None, _("Chưa nhận xét")),
            (True, _("Bảo đảm chất lượng, hiệu quả")),
            (False, _("Chưa bảo đảm chất lượng, hiệu quả")),
        ],
        help_text=_(
            "Nhiệm vụ chưa bảo đảm chất lượng, hiệu quả thì tổ chức không đạt mức hoàn thành "
            "xuất sắc, hoàn thành tốt (kế hoạch Gia Lai mục III.3 a, b; tùy chọn của khung)."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    certified_by = models.ForeignKey(verbose_name=_("người xác nhận kết quả"), **USER_FK)
    certified_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ được giao của tổ chức")
        verbose_name_plural = _("nhiệm vụ được giao của tổ chức")
        ordering = ["-year", "agency__path", "deadline", "id"]
        indexes = [models.Index(fields=["year", "agency"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(outcome=TaskOutcome.LATE, delays__gte=1)
                    | (~models.Q(outcome=TaskOutcome.LATE) & models.Q(delays=0))
                ),
                name="org_task_delays_only_when_late",
            )
        ]

    def __str__(self):
        return f"{self.document_ref} — {self.description[:60]}"

    @property
    def is_certified(self) -> bool:
        return self.certified_at is not None

    @property
    def counts(self) -> bool:
        """Whether the task enters the score (everything but ``pending``)."""
        return self.outcome != TaskOutcome.PENDING

    def clean(self):
        super().clean()
        errors = {}
        if self.deadline and self.year and self.deadline.year != self.year:
            errors["deadline"] = _("Hạn hoàn thành phải thuộc năm đánh giá %(year)d.") % {
                "year": self.year
            }
        if self.outcome == TaskOutcome.LATE:
            if not self.delays:
                errors["delays"] = _("Nhiệm vụ trễ hạn phải có ít nhất 1 lần trễ hạn.")
        elif self.delays:
            errors["delays"] = _("Chỉ nhiệm vụ trễ hạn mới có số lần trễ hạn.")
        if self.outcome in COMPLETED_OUTCOMES:
            if self.completed_on is None:
                errors["completed_on"] = _("Nhiệm vụ đã hoàn thành phải có ngày hoàn thành.")
            elif self.deadline:
                late = self.completed_on > self.deadline
                if late and self.outcome != TaskOutcome.LATE:
                    errors["outcome"] = _(
                        "Ngày hoàn thành sau hạn: kết quả phải là “Hoàn thành nhưng trễ hạn”."
                    )
                elif not late and self.outcome == TaskOutcome.LATE:
                    errors["outcome"] = _(
                        "Ngày hoàn thành không sau hạn: nhiệm vụ không thể là trễ hạn."
                    )
        elif self.completed_on is not None:
            errors["completed_on"] = _(
                "Nhiệm vụ chưa hoàn thành hoặc chưa báo cáo thì không có ngày hoàn thành."
            )
        self.key_task = (self.key_task or "").strip()
        if self.key_task and self.agency_id and self.year:
            problem = self._key_task_problem()
            if problem:
                errors["key_task"] = problem
        if errors:
            raise ValidationError(errors)

    def _key_task_problem(self) -> str:
        """Why ``key_task`` names no key-task criterion of the agency's rules for the year."""
        criteria = organisation_framework(self.agency, self.year).organisation.key_tasks
        named = next((c for c in criteria if c.code == self.key_task), None)
        if named is not None and named.plan_fulfilment:
            # Đắk Lắk §III.3: measured from the agency's work plans, never from linked tasks.
            return _(
                "Tiêu chí nhiệm vụ trọng tâm của cơ quan: “%(code)s — %(label)s” được đo bằng kết "
                "quả thực hiện kế hoạch công tác năm của cơ quan, không gắn với nhiệm vụ; để trống "
                "ô này."
            ) % {"code": named.code, "label": named.label}
        if named is not None:
            return ""
        if not criteria:
            return _(
                "Tiêu chí nhiệm vụ trọng tâm của cơ quan: %(agency)s chưa có tiêu chí đánh giá "
                "tổ chức được phê duyệt áp dụng cho năm %(year)d; để trống ô này hoặc đề xuất "
                "tiêu chí (Chấm điểm → Khung tiêu chí đề xuất)."
            ) % {"agency": self.agency, "year": self.year}
        return _(
            "Tiêu chí nhiệm vụ trọng tâm của cơ quan: không có mã “%(code)s” trong tiêu chí "
            "được phê duyệt áp dụng năm %(year)d; chọn một trong: %(known)s."
        ) % {
            "code": self.key_task,
            "year": self.year,
            "known": "; ".join(f"{c.code} — {c.label}" for c in criteria),
        }


class OrganisationGeneralMark(AgencyYearMixin, models.Model):
    agency = agency_field("organisation_general_marks")
    year = year_field()
    criterion = models.CharField(
        _("mã tiêu chí"),
        max_length=16,
        help_text=_("Mã tiêu chí chung của tổ chức trong khung đánh giá, ví dụ G.1."),
    )
    self_mark = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **MARK)
    appraised_mark = models.DecimalField(
        _("điểm sau thẩm định"),
        null=True,
        blank=True,
        help_text=_(
            "Do Sở Nội vụ (với sở, ban, ngành, UBND xã, phường) hoặc bộ phận tổ chức, cán bộ "
            "của cơ quan cấp trên (với đơn vị trực thuộc) chấm; khi có, đây là điểm được tính."
        ),
        **MARK,
    )
    appraised_by = models.ForeignKey(verbose_name=_("người thẩm định"), **USER_FK)
    appraised_at = models.DateTimeField(_("thời điểm thẩm định"), null=True, blank=True)
    note = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("điểm tiêu chí chung của tổ chức")
        verbose_name_plural = _("điểm tiêu chí chung của tổ chức")
        ordering = ["-year", "agency__path", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "criterion"], name="unique_organisation_general_mark"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.effective_mark}"

    @property
    def effective_mark(self):
        """The mark that counts: the appraised mark where given, else the self mark."""
        return self.appraised_mark if self.appraised_mark is not None else self.self_mark

    def clean(self):
        super().clean()
        if not (self.agency_id and self.year and self.criterion):
            return
        general = organisation_framework(self.agency, self.year).organisation.general
        maxima = {c.code: c.max_points for c in general.criteria}
        if self.criterion not in maxima:
            raise ValidationError(
                {
                    "criterion": _(
                        "Tiêu chí “%(code)s” không có trong tiêu chí chung của tổ chức; các mã "
                        "hợp lệ: %(codes)s."
                    )
                    % {"code": self.criterion, "codes": ", ".join(maxima)}
                }
            )
        errors = {}
        for name in ("self_mark", "appraised_mark"):
            value = getattr(self, name)
            if value is not None and value > maxima[self.criterion]:
                errors[name] = _("Điểm không được vượt quá điểm tối đa %(max)s của tiêu chí.") % {
                    "max": maxima[self.criterion]
                }
        if errors:
            raise ValidationError(errors)


class OrganisationShortcoming(AgencyYearMixin, models.Model):
    agency = agency_field("organisation_shortcomings")
    year = year_field()
    description = models.TextField(_("hạn chế, khuyết điểm"))
    source = models.CharField(
        _("nguồn"),
        max_length=255,
        help_text=_(
            "Kỳ đánh giá trước hoặc kết luận thanh tra, kiểm tra chỉ ra hạn chế, ví dụ "
            "Kết luận 12/KL-TTr."
        ),
    )
    remedied_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    remedy_note = models.TextField(_("kết quả khắc phục"), blank=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("hạn chế, khuyết điểm cần khắc phục")
        verbose_name_plural = _("hạn chế, khuyết điểm cần khắc phục")
        ordering = ["-year", "agency__path", "id"]
        indexes = [models.Index(fields=["year", "agency"])]

    def __str__(self):
        return self.description[:80]

    @property
    def remedied(self) -> bool:
        return self.remedied_on is not None


class OrganisationDisqualification(AgencyYearMixin, models.Model):
    agency = agency_field("organisation_disqualifications")
    year = year_field()
    kind = models.CharField(
        _("trường hợp"),
        max_length=64,
        default="personnel_work_violation",
        help_text=_("Mã trường hợp trong khung đánh giá, ví dụ personnel_work_violation."),
    )
    reference = models.CharField(_("số kết luận, quyết định"), max_length=64)
    decided_on = models.DateField(_("ngày kết luận"))
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("trường hợp tổ chức không hoàn thành nhiệm vụ")
        verbose_name_plural = _("trường hợp tổ chức không hoàn thành nhiệm vụ")
        ordering = ["-year", "agency__path", "id"]
        indexes = [models.Index(fields=["year", "agency"])]

    def __str__(self):
        return f"{self.kind} ({self.reference})"

    def clean(self):
        super().clean()
        if not (self.agency_id and self.year and self.kind):
            return
        codes = [
            d.code
            for d in organisation_framework(self.agency, self.year).organisation.disqualifiers
        ]
        if self.kind not in codes:
            raise ValidationError(
                {
                    "kind": _("Mã không có trong khung đánh giá tổ chức. Các mã hợp lệ: %(codes)s.")
                    % {"codes": ", ".join(codes) or "—"}
                }
            )
