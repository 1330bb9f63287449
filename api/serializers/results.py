"""Response shapes of the results: assignment lines, period and annual scores, decided ratings."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from api import framework_names
from api.schema import choice_ref, describe
from api.serializers.common import FieldsBuiltOnce, rating_field, role_field
from catalog_pages.common_catalog import effective_for_lines
from catalog_pages.models import CatalogVersionItem
from importers.lines.records import line_version
from org_scoring.models import QuarterlyAssessment
from ratings.models import RatingCase, RelatedOpinion
from scoring.engine import ROLES
from scoring.explain import render_step
from scoring.models import AnnualScore, AssignmentLine, PeriodScore
from scoring.models.assignment import LINE_VALUE_FIELDS
from scoring.services.freshness import annual_stale_map, annual_stale_since


class _RecomputingList(serializers.ListSerializer):
    """A page of annual figures: when each is being recomputed, read for the whole page at once
    (``freshness.annual_stale_map``) and kept on each row for :func:`_recomputing_field`."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, QuerySet) else data)
        stale = annual_stale_map(
            (row.civil_servant_id, row.year) for row in rows if row.civil_servant_id
        )
        for row in rows:
            row._recomputing_since = stale.get((row.civil_servant_id, row.year))
        return super().to_representation(rows)


def recomputing_since(row):
    """When the inputs of the row's annual figure changed, while it is older than them."""
    if not hasattr(row, "_recomputing_since"):
        row._recomputing_since = (
            annual_stale_since(row.civil_servant_id, row.year) if row.civil_servant_id else None
        )
    return row._recomputing_since


class _RecomputingField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        since = recomputing_since(value)
        return None if since is None else super().to_representation(since)


def _recomputing_field():
    return _RecomputingField(
        help_text=_(
            "Thời điểm số liệu đầu vào thay đổi khi điểm năm đang được tính lại (null khi điểm "
            "đã theo kịp số liệu). Khi có giá trị, điểm trả về là điểm cũ: không dùng để quyết "
            "định, in hoặc chi trả; hãy đọc lại sau ít phút."
        )
    )


@describe(_("Sản phẩm/công việc của dòng giao việc (theo phiên bản danh mục)."))
class LineItemSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CatalogVersionItem
        fields = ["id", "code", "name", "coefficient", "version"]


@describe(
    _(
        "Hệ số quy đổi và đơn vị tính dùng để chấm điểm dòng: của danh mục dùng chung khi một "
        "quyết định ban hành đang có hiệu lực vào ngày đầu kỳ và sản phẩm đã được gộp, nếu "
        "không thì của chính danh mục cơ quan."
    )
)
class EffectiveCoefficientSerializer(serializers.Serializer):
    coefficient = serializers.DecimalField(
        max_digits=9, decimal_places=4, help_text=_("Hệ số quy đổi dùng để chấm điểm.")
    )
    output_unit = serializers.CharField(help_text=_("Đơn vị tính dùng để chấm điểm."))
    own_coefficient = serializers.DecimalField(
        max_digits=9, decimal_places=4, help_text=_("Hệ số trong danh mục của cơ quan.")
    )
    from_common_catalog = serializers.BooleanField(
        help_text=_("Hệ số lấy từ danh mục dùng chung đã ban hành.")
    )
    common_code = serializers.CharField(help_text=_("Mã sản phẩm dùng chung (rỗng nếu không)."))
    adoption = serializers.IntegerField(
        allow_null=True, help_text=_("Mã quyết định ban hành danh mục dùng chung được áp dụng.")
    )


@describe(_("Một dòng giao việc và kết quả thực hiện."))
class AssignmentLineSerializer(serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    period = serializers.CharField(source="period.code", help_text=_("Mã kỳ, ví dụ 2026-03."))
    unit = serializers.CharField(source="unit.code", help_text=_("Mã đơn vị thực hiện."))
    item = LineItemSerializer(read_only=True)
    effective = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text=_(
            "Phiên bản của dòng như đang lưu: hệ thống tích hợp gửi kèm khi thay đổi dòng của "
            "mình (HTTP 412 nếu dòng đã bị sửa từ đó)."
        )
    )
    external_id = serializers.SerializerMethodField(
        help_text=_(
            "Mã của dòng ở hệ thống nguồn. Với dòng do chính hệ thống đang gọi gửi lên, là "
            "đúng mã hệ thống đã gửi."
        )
    )

    class Meta:
        model = AssignmentLine
        fields = [
            "id",
            "civil_servant",
            "period",
            "unit",
            "item",
            "effective",
            # The line's value fields (one list, ``LINE_VALUE_FIELDS``), the note last as before.
            *(name for name in LINE_VALUE_FIELDS if name != "note"),
            "delays_by_product",
            "source",
            "external_id",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(EffectiveCoefficientSerializer)
    def get_effective(self, line) -> dict:
        """Resolved once for every line of the answer (``effective_for_lines``: a fixed
        number of queries per period of the page)."""
        found = self.context.get("_effective")
        if found is None:
            instance = self.root.instance
            lines = list(instance) if isinstance(instance, list | tuple | QuerySet) else [line]
            found = self.context["_effective"] = effective_for_lines(lines)
        effective = found.get(line.pk)
        if effective is None:
            effective = effective_for_lines([line])[line.pk]
        return EffectiveCoefficientSerializer(
            {
                "coefficient": effective.coefficient,
                "output_unit": effective.output_unit,
                "own_coefficient": effective.own_coefficient,
                "from_common_catalog": effective.from_common,
                "common_code": effective.common_code,
                "adoption": effective.adoption_id,
            }
        ).data

    def get_version(self, line) -> str:
        return line_version(line)

    def get_external_id(self, line) -> str:
        prefix = self.context.get("own_prefix")
        if prefix and line.external_id.startswith(prefix):
            return line.external_id[len(prefix) :]
        return line.external_id


class _ExplainedMixin(serializers.Serializer):
    explanation = serializers.JSONField(
        help_text=_(
            "Diễn giải có cấu trúc như khi tính: các bước (steps), dữ liệu đầu vào đã dùng "
            "(lines, marks, leader…)."
        )
    )
    explanation_text = serializers.SerializerMethodField(
        help_text=_("Các bước tính, bằng tiếng Việt, theo đúng thứ tự tính.")
    )

    def get_explanation_text(self, score) -> list[str]:
        loaded = None
        framework_field = type(score)._meta.get_field("framework")
        if framework_field.is_cached(score) and score.framework is not None:
            # Loaded with the score (the views' select_related): no query for its name.
            loaded = (score.framework.code, score.framework.name)
        return rendered_steps((score.explanation or {}).get("steps", []), loaded)


#: Sentences kept per worker (each a few hundred bytes); all dropped when more accumulate.
MAX_SENTENCES = 20_000
_SENTENCES: dict[tuple, str] = {}


def rendered_steps(steps, loaded: tuple[str, str] | None = None) -> list[str]:
    """``scoring.explain.render_steps(steps, {code: name})``, each sentence rendered once per
    language and step. A step's sentence depends only on the step (numbers, codes), the active
    language and, for the framework step, the framework's name: the name of the framework
    loaded with the score when the step names its code, else the name found by the step's
    code (``api.framework_names``, remembered while no framework changed) — part of the key."""
    language = get_language()
    sentences = []
    for step in steps:
        names: dict[str, str] | None = None
        key: tuple[str, str | None, str]
        if isinstance(step, dict) and step.get("code") == "framework" and "framework" in step:
            code = step["framework"]
            if loaded is not None and code == loaded[0]:
                name = loaded[1]
            else:
                # The name explain.framework_name finds; "" renders its generic label.
                name = framework_names.name(code) or ""
            names = {code: name}
            key = (language, name, repr(step))
        else:
            key = (language, None, repr(step))
        sentence = _SENTENCES.get(key)
        if sentence is None:
            sentence = render_step(step, names)
            if len(_SENTENCES) >= MAX_SENTENCES:
                _SENTENCES.clear()
            _SENTENCES[key] = sentence
        sentences.append(sentence)
    return sentences


@describe(
    _(
        "Một năng lực mà bản mô tả công việc của vị trí việc làm yêu cầu, với cấp độ người đánh "
        "giá đánh giá trên Mẫu 01 (đầu vào của điểm đã lưu)."
    )
)
class AssessedCompetencySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Mã năng lực trong khung năng lực của tỉnh."))
    name = serializers.CharField(help_text=_("Tên năng lực."))
    required_level = serializers.IntegerField(help_text=_("Cấp độ bản mô tả công việc yêu cầu."))
    assessed_level = serializers.IntegerField(
        allow_null=True, help_text=_("Cấp độ người đánh giá đánh giá; rỗng khi chưa đánh giá.")
    )
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "Điểm năng lực này đem lại cho tiêu chí (cấp độ đánh giá / cấp độ yêu cầu, tối đa "
            "100%, của phần điểm của năng lực); rỗng khi chưa đánh giá đủ các năng lực."
        ),
    )


def assessed_competencies(explanation) -> list[dict]:
    """The competencies of the stored explanation's competency line (issue 45 item 2): what the
    figure was computed from, read from the stored score (no query)."""
    for step in (explanation or {}).get("steps", []):
        if isinstance(step, dict) and step.get("code") in (
            "competency_feed",
            "competency_incomplete",
        ):
            return [
                {
                    "code": row.get("code", ""),
                    "name": row.get("name", ""),
                    "required_level": row.get("required"),
                    "assessed_level": row.get("assessed"),
                    "points": row.get("points"),
                }
                for row in step.get("competencies", [])
            ]
    return []


@describe(_("Kết quả chấm điểm đã lưu của một công chức trong một kỳ, kèm diễn giải."))
class PeriodScoreSerializer(FieldsBuiltOnce, _ExplainedMixin, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    period = serializers.CharField(source="period.code", help_text=_("Mã kỳ."))
    agency = serializers.CharField(
        source="agency.code", help_text=_("Mã cơ quan, đơn vị nơi công tác trong kỳ.")
    )
    role = role_field()
    category = serializers.CharField(
        source="posting.category",
        default="civil_servant",
        help_text=_(
            "Đối tượng theo quá trình công tác quyết định kỳ: cadre (cán bộ), civil_servant "
            "(công chức), public_employee (viên chức), contract_worker (người lao động hợp đồng)."
        ),
    )
    rating = rating_field(_("Mức xếp loại theo điểm (RatingEnum); rỗng khi không được chấm điểm."))
    general_points = serializers.DecimalField(
        source="points_outside_tasks",
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text=_(
            "Điểm tiêu chí chung: điểm ngoài kết quả thực hiện nhiệm vụ (với khung có nhiều nhóm "
            "chỉ số, như bốn nhóm của Nghệ An, là tổng các nhóm đó); tổng điểm = điểm này + "
            "điểm kết quả nhiệm vụ."
        ),
    )
    competencies = serializers.SerializerMethodField(
        help_text=_(
            "Năng lực theo vị trí việc làm đã tính vào điểm (khi khung đánh giá dùng): mỗi năng "
            "lực với cấp độ yêu cầu, cấp độ được đánh giá và điểm đem lại; rỗng khi khung không "
            "dùng."
        )
    )

    @extend_schema_field(AssessedCompetencySerializer(many=True))
    def get_competencies(self, score) -> list[dict]:
        return assessed_competencies(score.explanation)

    class Meta:
        model = PeriodScore
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "period",
            "agency",
            "role",
            "category",
            *PeriodScore.FIGURES,
            "component_points",
            "competencies",
            "input_errors",
            "framework_revision",
            "engine_version",
            "computed_at",
            "explanation",
            "explanation_text",
        ]


@describe(_("Kết quả theo dõi, đánh giá năm của một công chức (điểm năm và mức dự kiến)."))
class AnnualScoreSerializer(FieldsBuiltOnce, _ExplainedMixin, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan xếp loại."))
    role = role_field()
    score_rating = rating_field(_("Mức theo điểm năm (RatingEnum)."))
    rating_before_quota = rating_field(_("Mức trước khi áp tỷ lệ xuất sắc (RatingEnum)."))
    rating = rating_field(_("Mức sau khi áp tỷ lệ, dự kiến (RatingEnum)."))
    recomputing_since = _recomputing_field()

    class Meta:
        model = AnnualScore
        list_serializer_class = _RecomputingList
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "year",
            "agency",
            "role",
            "position_group",
            "scored",
            *AnnualScore.FIGURES,
            "recomputing_since",
            "framework_revision",
            "engine_version",
            "computed_at",
            "explanation",
            "explanation_text",
        ]


@describe(_("Ý kiến của một cơ quan, tổ chức có liên quan về hồ sơ xếp loại (Mẫu 02, mục IV.1)."))
class RelatedOpinionSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.code", help_text=_("Mã cơ quan được xin ý kiến."))
    answered_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "Thời điểm trả lời; null và hạn trả lời đã qua: cơ quan không có ý kiến (im lặng)."
        ),
    )

    class Meta:
        model = RelatedOpinion
        fields = ["body", "question", "deadline", "answer", "answered_at"]


@describe(_("Kết quả xếp loại chất lượng năm đã được cấp có thẩm quyền quyết định."))
class AnnualRatingSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan, đơn vị."))
    role = choice_ref("RoleEnum", ROLES, allow_blank=True, help_text=_("Chức vụ (RoleEnum)."))
    decision_level = rating_field(_("Mức xếp loại được quyết định (RatingEnum)."))
    score = serializers.DecimalField(
        source="current_score",
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text=_("Điểm năm hiện tại của công chức (điểm in trên Mẫu 02 và gửi CSDL quốc gia)."),
    )
    related_opinions = RelatedOpinionSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Ý kiến của các cơ quan, tổ chức có liên quan mà bộ phận thẩm định đã xin (Kế hoạch "
            "Gia Lai §IV.4.2.c)."
        ),
    )

    recomputing_since = _recomputing_field()

    class Meta:
        model = RatingCase
        list_serializer_class = _RecomputingList
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "year",
            "agency",
            "role",
            "position_group",
            "score",
            "recomputing_since",
            "decision_level",
            "decision_ref",
            "decision_date",
            "state",
            "notified_at",
            "related_opinions",
        ]


@describe(
    _(
        "Kết quả đánh giá quý của một sở, ngành, UBND xã, phường (và người đứng đầu) đã được Chủ "
        "tịch UBND tỉnh xác nhận, tính từ các nhiệm vụ UBND tỉnh giao do Văn phòng UBND tỉnh nhập."
    )
)
class QuarterlyAssessmentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan."))
    level = rating_field(_("Mức độ hoàn thành của quý (RatingEnum). Rỗng khi chưa đánh giá."))
    tasks = serializers.SerializerMethodField(help_text=_("Các nhiệm vụ đã dùng để tính."))

    class Meta:
        model = QuarterlyAssessment
        fields = [
            "id",
            "agency",
            "year",
            "quarter",
            "assessed",
            "tasks_counted",
            "score",
            "level",
            "tasks",
            "computed_at",
            "confirmed_at",
        ]

    def get_tasks(self, obj) -> list[dict]:
        return list(obj.inputs.get("tasks", []))
