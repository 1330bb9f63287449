"""gunicorn's configuration file for kpi-web.service (``--config``): with ``KPI_LOG_FORMAT=json``
gunicorn's own access and error logs are JSON lines with a zoned time, like the application's
(``cms.observability.gunicorn_logconfig``); otherwise gunicorn's plain text, as before.

Request limits: nginx (deploy/nginx/kpi.conf, ``large_client_header_buffers 4 8k``) is the only
client and refuses a longer request line or header itself, in the API's JSON error shape. gunicorn
must never refuse first with its own HTML 414/400 (its defaults are 4,094 bytes for the request
line, 8,190 per header, 100 headers: reliability review §5), so its limits are lifted here; it
binds 127.0.0.1 only. Every other option stays on the unit's command line."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cms.observability import gunicorn_logconfig

_json = gunicorn_logconfig()
if _json is not None:
    logconfig_dict = _json

# 0 = no limit of gunicorn's own (nginx's apply); 32768 is gunicorn's largest header count.
limit_request_line = 0
limit_request_field_size = 0
limit_request_fields = 32768

# Before a worker's 2nd, 11th, 101st, 201st… request, the objects it keeps are set
# aside from the garbage collector's passes (``cms.memory.settle``: a page reading many rows no
# longer walks the 270,000 objects of Django and Wagtail again and again). Before the next
# request, not after the last: the last one's objects are gone by then, none of them is set
# aside. Every 100th request, the memory its requests freed goes back to the system
# (``cms.memory.release``: glibc keeps freed blocks otherwise, and a worker's size creeps up with
# its requests), after the response has been written. ``--max-requests`` on the unit's command
# line still recycles workers.
_TRIM_EVERY = 100
_served = 0


def pre_request(worker, req):
    # Only with one request at a time (a sync worker): with threads (gthread), another thread's
    # request would be in flight and set aside with its objects.
    if getattr(getattr(worker, "cfg", None), "threads", 1) == 1:
        from cms import memory

        memory.settle_due(_served)


def post_request(worker, req, environ, resp):
    global _served
    _served += 1
    if _served % _TRIM_EVERY == 0:
        from cms import memory

        memory.release()
