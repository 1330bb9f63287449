"""Re-create the rows our data migrations seed, when they are missing.

Migrations seed the home page, the default authority rules, the Decree 335 framework, the
2026 holidays and the default quarterly rule. A database flush (transactional tests) or an
operator deleting them would leave the demo, and the app, without them; this puts them back by
running the same migration code.
Idempotent: each seed function skips what already exists.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from wagtail.models import Collection, Locale, Page

SEEDS = [
    ("cms.migrations.0002_create_homepage", "create_homepage", "cms", "HomePage"),
    ("org.migrations.0002_default_authority_rules", "create_rules", "org", "AuthorityRule"),
    (
        "org.migrations.0005_political_bodies_authority_rules",
        "create_rules",
        "org",
        "AuthorityRule",
        {"subject_agency_kind__in": ["party", "party_body", "front", "public_service"]},
    ),
    (
        "scoring.migrations.0002_default_frameworks",
        "create_frameworks",
        "scoring",
        "CriteriaFramework",
    ),
    # After the frameworks: the policy of the Decree 335 framework's variants.
    ("scoring.migrations.0013_default_variant_policy", "forwards", "scoring", "VariantPolicy"),
    ("worklog.migrations.0002_holidays_2026", "seed_2026", "worklog", "Holiday"),
    (
        "org_scoring.migrations.0006_quarterly_default_rule",
        "add_default",
        "org_scoring",
        "QuarterlyRule",
    ),
]


def ensure_wagtail_roots() -> None:
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
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
        getattr(import_module(module), function)(apps, None)
        applied.append(f"{app_label}.{model}")
    return applied
