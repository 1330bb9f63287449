"""Admin views of the rating process; each one checks access itself (Wagtail only checks
admin access for hooked URLs) and delegates the work to ``ratings.workflow`` and services."""
