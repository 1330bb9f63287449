"""The API's JSON parser: a body nested too deeply for Python's JSON reader is a client error.

DRF's ``JSONParser`` lets ``RecursionError`` escape (``"[" * 100000 + "]" * 100000`` gave HTTP 500
with a traceback logged on every request, without authentication); here it is a ``ParseError``,
answered as HTTP 400 ``parse_error`` like any other malformed body (``api.errors``).
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from django.utils.translation import gettext as _


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu.")) from error
