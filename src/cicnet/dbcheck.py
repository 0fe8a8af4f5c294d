"""``python -m cicnet.dbcheck URL``: exit 0 when the PostgreSQL at URL accepts a connection."""

from __future__ import annotations

import sys


def reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error:
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if len(sys.argv) == 2 and reachable(sys.argv[1]) else 1)
