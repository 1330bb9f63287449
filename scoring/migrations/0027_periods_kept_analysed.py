"""PostgreSQL: autovacuum analyses the periods' table after any change (``cms.postgres.
keep_analysed``): a province adds a few periods a year, never the 50 rows that make autovacuum
look again, and the planner's stale idea of the periods' ids sent a unit's lines down the wrong
index (issue 48). Nothing on other databases."""

from django.db import migrations

from cms.postgres import keep_analysed


class Migration(migrations.Migration):
    dependencies = [("scoring", "0026_scoringrun_leaders")]

    operations = [migrations.RunPython(*keep_analysed("scoring_period"))]
