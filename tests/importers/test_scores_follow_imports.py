"""A confirmed results file rescores its agency in the background (issue 13, "Scores without a
shell"): after the commit the person's stored score exists, and a corrected file changes it —
nobody runs ``score_period``."""

import pytest

from scoring.models import PeriodScore, RunStatus, ScoringRun
from tests.importers.conftest import results_file
from tests.importers.test_silent_wrong_data import accepted, line

pytestmark = pytest.mark.django_db


def test_a_confirmed_import_rescores_the_agency(
    world, tmp_path, django_capture_on_commit_callbacks
):
    binh = world["people"]["binh"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted(
            results_file(world, tmp_path, [line("CT0002", assigned=4, completed=2)]),
            user=world["justice_admin"],
        )
    run = ScoringRun.objects.get()
    assert run.status == RunStatus.DONE and run.agency == world["justice"]
    assert run.reason.startswith("Nhập Excel, lần nhập số")
    # Stored from the file's line (general marks are not entered yet: the score says so).
    first = PeriodScore.objects.get(civil_servant=binh, period=world["march"])
    assert first.explanation["lines"] and first.input_errors

    with django_capture_on_commit_callbacks(execute=True):
        accepted(
            results_file(world, tmp_path, [line("CT0002", assigned=4, completed=4)], "v2.xlsx"),
            user=world["justice_admin"],
        )
    assert ScoringRun.objects.count() == 2
    second = PeriodScore.objects.get(civil_servant=binh, period=world["march"])
    assert second.inputs_hash != first.inputs_hash and second.computed_at > first.computed_at
