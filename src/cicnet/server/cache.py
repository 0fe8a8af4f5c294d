"""The database cache, with an ``incr`` that other processes cannot undo.

Django's ``DatabaseCache`` inherits ``incr`` from ``BaseCache``: a read, then a write of the
new value. Two workers counting the same key at once both read *n* and both write *n + 1*, so a
throttle counted with it (anonymous API calls, failed log-ins, wrong two-factor codes) let
through more than its limit under concurrent requests. Here the read and the write are one
transaction that holds the row: ``BEGIN IMMEDIATE`` on SQLite (the settings' transaction mode
takes the write lock first), ``SELECT … FOR UPDATE`` elsewhere. Redis, when configured
(``CICNET_REDIS_URL``), counts atomically by itself.

On PostgreSQL a count in a transaction of its own commits without waiting for its write-ahead
log to reach the disk (``SET LOCAL synchronous_commit TO OFF``, for that transaction only):
other sessions see the new count at once, as with any commit, and a crash of the database
server can lose at most its last fraction of a second of counts, which only lets a throttled
client a few more requests. The count's statements took 0.57-0.63 ms waiting for the disk and
0.29-0.30 ms without (docs/performance.md). Inside a caller's transaction nothing changes.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """The value of ``key`` plus ``delta``, stored and returned; ``ValueError`` when the key
        is missing or expired (as every Django cache)."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Only a transaction of its own: inside a caller's, the setting would last to that
        # transaction's end and its other writes would not wait for the disk either.
        unsynced = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if unsynced:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "  # noqa: S608  # quoted names
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode()))  # noqa: S301  # our own rows
            new = value + delta
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608  # quoted names
                f"WHERE {quote_name('cache_key')} = %s",
                [base64.b64encode(pickle.dumps(new, self.pickle_protocol)).decode("latin1"), key],
            )
        return new

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < tz_now())
