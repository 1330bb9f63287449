"""A missing field is named in the language of the page that shows the message, not in the
language active when the module was imported (review 2026-11-23, arch.md L1)."""

from django.utils import translation

from ratings.workflow.machine import _missing
from ratings.workflow.transitions import TRANSITIONS


def _needing(field):
    return next(t for t in TRANSITIONS.values() if field in t.required)


def test_the_missing_field_is_named_in_the_request_language():
    transition = _needing("meeting_date")
    with translation.override("en"):
        assert _missing(transition, {}, "x")[0] == "Required information is missing: meeting date."
    with translation.override("vi"):
        assert _missing(transition, {}, "x")[0] == "Thiếu thông tin bắt buộc: ngày họp."
