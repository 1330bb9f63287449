"""The HR flags (``ratings.hr_flags``) on both sides of each boundary, evaluated on plain
year results (no database): run length, a gap year, provisional vs decided, categories and
the deployment's overrides."""

import pytest

from django.core.exceptions import ImproperlyConfigured

from ratings.hr_flags import active_rules, all_rules, rule_by_code
from ratings.services.hr_history import YearResult, evaluate

CS, PE, CW, CADRE = "civil_servant", "public_employee", "contract_worker", "cadre"


def years(*levels, first=2022, category=CS, provisional=()):
    """Year results from ``first`` on: a level per year ("" for no result); years listed in
    ``provisional`` carry the level as a provisional (not decided) rating."""
    results = []
    for offset, level in enumerate(levels):
        year = first + offset
        if year in provisional:
            results.append(YearResult(year=year, provisional_level=level, category=category))
        else:
            results.append(YearResult(year=year, decided_level=level, category=category))
    return results


def codes(results, **kwargs):
    return {flag.code: flag.years for flag in evaluate(results, **kwargs)}


# --- two consecutive years not completed ----------------------------------------------------


def test_one_year_not_completed_is_not_two():
    found = codes(years("good", "good", "not_completed"))
    assert "dismissal_review" not in found
    assert found["not_completed_year"] == (2024,)


def test_two_consecutive_years_not_completed():
    found = codes(years("good", "not_completed", "not_completed"))
    assert found["dismissal_review"] == (2023, 2024)
    assert found["not_completed_year"] == (2024,)


def test_a_year_between_breaks_the_run():
    assert "dismissal_review" not in codes(years("not_completed", "good", "not_completed"))


def test_a_gap_year_without_a_decision_breaks_the_run():
    assert "dismissal_review" not in codes(years("not_completed", "", "not_completed"))


def test_the_run_must_end_at_the_latest_decided_year():
    found = codes(years("not_completed", "not_completed", "completed"))
    assert "dismissal_review" not in found
    assert "not_completed_year" not in found
    assert found["training_need"] == (2024,)


def test_the_current_year_not_decided_yet_does_not_end_the_run():
    found = codes(years("not_completed", "not_completed", "", first=2024))
    assert found["dismissal_review"] == (2024, 2025)


# --- provisional vs decided -----------------------------------------------------------------


def test_a_provisional_year_raises_no_flag_by_default():
    results = years("not_completed", "not_completed", provisional=(2023,))
    found = codes(results)
    # 2023 is not counted: the latest counted year is 2022, alone.
    assert "dismissal_review" not in found
    assert found["not_completed_year"] == (2022,)


def test_a_setting_lets_provisional_years_count(settings):
    settings.KPI_HR_FLAGS_COUNT_PROVISIONAL = True
    flags = {
        f.code: f for f in evaluate(years("not_completed", "not_completed", provisional=(2023,)))
    }
    assert flags["dismissal_review"].years == (2022, 2023)
    assert flags["dismissal_review"].provisional is True


def test_a_setting_per_flag_lets_provisional_years_count(settings):
    settings.KPI_HR_FLAGS = {"dismissal_review": {"count_provisional": True}}
    found = codes(years("not_completed", "not_completed", provisional=(2023,)))
    assert found["dismissal_review"] == (2022, 2023)
    assert found["not_completed_year"] == (2022,)


# --- categories -----------------------------------------------------------------------------


def test_civil_service_law_flags_do_not_apply_to_public_employees():
    found = codes(years("not_completed", "not_completed", category=PE))
    assert "dismissal_review" not in found
    assert "not_completed_year" not in found
    assert found["public_employee_termination"] == (2022, 2023)
    assert found["training_need"] == (2023,)


def test_contract_workers_get_training_and_streamlining_only():
    found = codes(years("not_completed", "not_completed", category=CW))
    assert set(found) == {"training_need", "streamlining_review"}


def test_cadres_are_under_the_civil_service_law():
    found = codes(years("not_completed", "not_completed", category=CADRE))
    assert "dismissal_review" in found
    assert "public_employee_termination" not in found


def test_the_category_of_the_reference_year_decides():
    results = years("not_completed", category=CW) + years("not_completed", first=2023, category=CS)
    assert codes(results)["dismissal_review"] == (2022, 2023)


# --- excellent several years ----------------------------------------------------------------


def test_one_excellent_year_is_not_a_streak():
    assert "recognition_streak" not in codes(years("good", "excellent"))


def test_two_excellent_years_are_a_streak():
    assert codes(years("good", "excellent", "excellent"))["recognition_streak"] == (2023, 2024)


def test_the_streak_length_is_a_setting(settings):
    settings.KPI_HR_FLAGS = {"recognition_streak": {"min_years": 3}}
    assert "recognition_streak" not in codes(years("good", "excellent", "excellent"))
    assert codes(years("excellent", "excellent", "excellent"))["recognition_streak"] == (
        2022,
        2023,
        2024,
    )


def test_contract_workers_get_no_recognition_flag():
    assert "recognition_streak" not in codes(years("excellent", "excellent", category=CW))


# --- switched off, wrong settings, the registry itself -----------------------------------------


def test_a_flag_switched_off_is_never_raised(settings):
    settings.KPI_HR_FLAGS = {"streamlining_review": {"enabled": False}}
    assert "streamlining_review" not in codes(years("completed"))
    assert "streamlining_review" not in {r.code for r in active_rules()}
    assert rule_by_code("streamlining_review").enabled is False


def test_an_unknown_flag_or_field_is_refused(settings):
    settings.KPI_HR_FLAGS = {"no_such_flag": {}}
    with pytest.raises(ImproperlyConfigured, match="no_such_flag"):
        all_rules()
    settings.KPI_HR_FLAGS = {"dismissal_review": {"colour": "red"}}
    with pytest.raises(ImproperlyConfigured, match="colour"):
        all_rules()
    settings.KPI_HR_FLAGS = {"dismissal_review": {"min_years": 0}}
    with pytest.raises(ImproperlyConfigured, match="min_years"):
        all_rules()


def test_every_rule_has_a_citation_purposes_and_categories():
    for rule in all_rules():
        assert rule.citation and rule.purposes and rule.categories and rule.levels, rule.code
        assert str(rule.label) and str(rule.consequence)


def test_good_years_raise_nothing():
    assert codes(years("good", "good", "good")) == {}
