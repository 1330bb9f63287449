"""The shared cache of production: Django's database cache, with a cheaper ``set`` of a key it
already holds.

Django's ``DatabaseCache.set`` runs five statements on every call — ``SELECT COUNT(*)`` of the
whole table (to decide whether to cull), then, in a transaction, ``SELECT`` the key and
``UPDATE`` or ``INSERT`` it. The values rewritten on every request (the integration throttle's
window, issue 34) already exist: here one ``UPDATE`` of that key does, in autocommit, with the
same value encoding and expiry. Only when no row was updated (a new key) does Django's own
path run, counting and culling as before: the table grows only through it, so its
``MAX_ENTRIES`` bound is kept exactly.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router


class DatabaseCache(DjangoDatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        if not self._update(made, value, timeout):
            self._base_set("set", made, value, timeout)

    def _update(self, key: str, value, timeout) -> bool:
        """``UPDATE`` the stored ``key`` as Django's ``_base_set("set", …)`` would; False when
        no row holds the key."""
        expires = self.get_backend_timeout(timeout)
        if expires is None:
            exp = datetime.max
        else:
            exp = datetime.fromtimestamp(expires, tz=UTC if settings.USE_TZ else None)
        exp = exp.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                # The table's name from the settings, quoted; every value is a parameter.
                f"UPDATE {quote(self._table)} SET {quote('value')} = %s, "  # noqa: S608
                f"{quote('expires')} = %s WHERE {quote('cache_key')} = %s",
                [encoded, connection.ops.adapt_datetimefield_value(exp), key],
            )
            return cursor.rowcount > 0
