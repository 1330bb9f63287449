"""What the demo loader (``demo.loader``) and the ``*_demo`` modules it calls share: they import
it from here, the loader imports them, and none of them imports the loader back."""

#: The password of every demo sign-in (printed by ``load_demo``: demo data only).
DEMO_PASSWORD = "kpi-congvu-2026"  # noqa: S105 - printed on purpose: demo data only
