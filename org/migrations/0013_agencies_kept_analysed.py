"""PostgreSQL: autovacuum analyses the agencies' table after any change (``cms.postgres.
keep_analysed``): agencies are added a few at a time, never the 50 rows and 10 % that make
autovacuum look again, while every scoped listing joins or filters by them (issue 48). Nothing
on other databases."""

from django.db import migrations

from cms.postgres import keep_analysed


class Migration(migrations.Migration):
    dependencies = [("org", "0012_job_description_drafted_by_agencies")]

    operations = [migrations.RunPython(*keep_analysed("org_agency"))]
