"""gunicorn's configuration file for kpi-web.service (``--config``): with ``KPI_LOG_FORMAT=json``
gunicorn's own access and error logs are JSON lines with a zoned time, like the application's
(``cms.observability.gunicorn_logconfig``); otherwise gunicorn's plain text, as before. Every
other option stays on the unit's command line."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cms.observability import gunicorn_logconfig

_json = gunicorn_logconfig()
if _json is not None:
    logconfig_dict = _json
