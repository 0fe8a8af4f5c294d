"""What ``/healthz`` reports: this process, its database and its search backend.

Behind a load balancer every app process answers for itself; the ``pid`` shows which worker
answered, which is how the multi-node test proves that several workers share one database.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError, connection


@dataclass(frozen=True)
class Health:
    status: str  # "ok" or "error"
    db: str  # database vendor: "sqlite" or "postgresql"
    pid: int  # the worker process that answered
    search_backend: str
    authenticated: bool  # whether this request's session (read from the database) is logged in
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        if not self.error:
            del out["error"]
        return out


def health_check(*, authenticated: bool = False) -> Health:
    """Check the database with a round trip; never raises."""
    error = ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        error = f"database unreachable: {exc.__class__.__name__}"
    return Health(
        status="error" if error else "ok",
        db=connection.vendor,
        pid=os.getpid(),
        search_backend=str(settings.CICNET_SEARCH_BACKEND),
        authenticated=authenticated,
        error=error,
    )
