"""The sheet of the general-criteria marks: its name, columns and the leaders' đ/e codes
(read by the kind and by the template builder)."""

from django.utils.translation import gettext_lazy

from importers.columns import (
    PERCENT_POINTS,
    PERSON_COLUMNS,
    ColumnSpec,
    ColumnType,
    SheetSpec,
)
from scoring.services import leader_marks

SHEET = "Tiêu chí chung"
#: The "component" of the rows of the leader criteria đ and e (Decree 335 Art. 15 cl. 3 đ, e):
#: chosen by the evaluator among the framework's levels, stored as ``scoring.LeaderMark``.
LEADER_COMPONENT = "lanh_dao"
#: The "component" of the rows of the competencies the person's position requires, where the
#: framework weighs them (issue 45 item 2): the criterion is the competency's code, the
#: evaluator's column its assessed level (``scoring.CompetencyAssessment``).
COMPETENCY_COMPONENT = "nang_luc"
#: Leader criterion code → the ``LeaderMark`` field it fills (d is computed, never entered): the
#: one mapping of ``scoring.services.leader_marks``, read the other way.
LEADER_FIELDS = {code: field for field, code in leader_marks.FIELDS.items()}
#: How the codes are written in the file ("đ" as on Form 01; "dd" accepted too).
LEADER_SHOWN = {"dd": "đ", "e": "e"}

COLUMNS = (
    *PERSON_COLUMNS,
    ColumnSpec(
        "component",
        gettext_lazy("Mã thành phần"),
        ColumnType.TEXT,
        required=True,
        max_length=32,
        width=12,
    ),
    ColumnSpec(
        "criterion",
        gettext_lazy("Mã tiêu chí"),
        ColumnType.TEXT,
        required=True,
        max_length=16,
        width=10,
    ),
    ColumnSpec("label", gettext_lazy("Nội dung tiêu chí"), informational=True, width=50),
    ColumnSpec("max_points", gettext_lazy("Điểm tối đa"), informational=True, width=10),
    ColumnSpec(
        "self_mark",
        gettext_lazy("Điểm tự chấm"),
        ColumnType.DECIMAL,
        min_value=0,
        width=12,
        help=gettext_lazy("Từ 0 đến điểm tối đa của tiêu chí."),
    ),
    ColumnSpec(
        "evaluator_mark",
        gettext_lazy("Điểm người đánh giá chấm"),
        ColumnType.DECIMAL,
        percent=PERCENT_POINTS,  # leaders' đ/e: "100%" as the template shows, or 100
        min_value=0,
        width=14,
        help=gettext_lazy("Từ 0 đến điểm tối đa; khi có, đây là điểm được tính."),
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET,
    columns=COLUMNS,
    title=gettext_lazy("ĐIỂM TIÊU CHÍ CHUNG"),
    filler_keys=("official_id", "full_name", "component", "criterion"),
)
