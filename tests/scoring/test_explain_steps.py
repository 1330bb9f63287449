"""The gettext renderer (scoring/explain.py) of the steps added for review U1, U2, U7, U13."""

import dataclasses

from django.utils import translation

from scoring.engine import DECREE_335_DEFAULT, Choice, Line, PeriodInput, score_period
from scoring.explain import render_step, rounding_note


def _steps(inp, rules=DECREE_335_DEFAULT):
    return score_period(inp, rules).explanation


def test_rounding_line_capped_and_awaiting_evaluator_are_rendered():
    method = dataclasses.replace(
        DECREE_335_DEFAULT.task_method, over_delivery=Choice("cap_each_line")
    )
    capped = dataclasses.replace(DECREE_335_DEFAULT, task_method=method)
    inp = PeriodInput(lines=(Line(1, 4, 5),), marks={"general": 30})
    texts = {s["code"]: render_step(s) for s in _steps(inp, capped)}
    assert texts["rounding"] == (
        "Làm tròn 2 chữ số thập phân (từ 5 trở lên làm tròn lên), từng số in trên Phiếu, số sau "
        "tính từ số đã làm tròn; xếp loại theo tổng điểm đã làm tròn."
    )
    assert "chỉ tính 4 trong 5 sản phẩm hoàn thành" in texts["line_capped"]
    waiting = PeriodInput(
        lines=(Line(1, 1, 1),), marks={"general": 30}, unappraised_marks=("general.I.1",)
    )
    last = _steps(waiting)[-1]
    assert render_step(last).startswith("Đã có điểm tự chấm của tiêu chí I.1, chờ lãnh đạo")


def test_rounding_note_in_english():
    with translation.override("en"):
        note = rounding_note(DECREE_335_DEFAULT.rounding)
    assert note.startswith("Rounded to 2 decimal places")
