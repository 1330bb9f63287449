"""Re-create the rows our data migrations seed, when they are missing.

The production seeds live in each app's ``seeds.py`` (the home page, the default authority
rules, the Decree 335 framework and its variant policy, the 2026 holidays, the default
quarterly rule); the data migrations call the same functions with their historical ``apps``.
A database flush (transactional tests) or an operator deleting the rows would leave the demo,
and the app, without them; this puts them back by calling the seeds with the live registry.
Idempotent: each seed function skips (or updates) what already exists.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings

from wagtail.models import Collection, Locale, Page

#: (seeds module, function, app label, model[, lookup that shows the seed was applied]).
SEEDS = [
    ("cms.seeds", "create_homepage", "cms", "HomePage"),
    ("org.seeds", "create_state_rules", "org", "AuthorityRule"),
    (
        "org.seeds",
        "create_political_rules",
        "org",
        "AuthorityRule",
        {"subject_agency_kind__in": ["party", "party_body", "front", "public_service"]},
    ),
    ("scoring.seeds", "create_frameworks", "scoring", "CriteriaFramework"),
    # After the frameworks: the policy of the Decree 335 framework's variants.
    ("scoring.seeds", "create_variant_policy", "scoring", "VariantPolicy"),
    ("worklog.seeds", "seed_holidays_2026", "worklog", "Holiday"),
    ("org_scoring.seeds", "create_quarterly_default_rule", "org_scoring", "QuarterlyRule"),
]


def ensure_wagtail_roots() -> None:
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        # No root page: the tables were emptied (a transactional test's flush), and the content
        # types cached in this process may name rows that are gone; read them anew.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        Page.add_root(title="Root", slug="root", draft_title="Root", live=True)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


def ensure_base_data() -> list[str]:
    """Returns the seeds that had to be re-applied."""
    ensure_wagtail_roots()
    applied = []
    for module, function, app_label, model, *marker in SEEDS:
        # An optional lookup names the rows that show this seed was applied.
        if (
            apps.get_model(app_label, model)
            .objects.filter(**(marker[0] if marker else {}))
            .exists()
        ):
            continue
        getattr(import_module(module), function)(apps)
        applied.append(f"{app_label}.{model}")
    return applied
