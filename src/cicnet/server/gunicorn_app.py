"""Run cicnet's WSGI application under gunicorn, configured from Python (no config file).

Several worker processes (each with a few threads) share one database; on PostgreSQL several
such servers on several machines can run behind one reverse proxy (docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

MAX_REQUEST_LINE = 8190  # bytes: gunicorn's upper bound for limit_request_line


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    timeout: int = 60
    forwarded_allow_ips: str = "127.0.0.1,::1"
    access_log: bool = True

    @property
    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def gunicorn_settings(self) -> dict[str, Any]:
        return {
            "bind": [self.bind],
            "workers": self.workers,
            "worker_class": "gthread",
            "threads": self.threads,
            "timeout": self.timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            # The longest request line gunicorn accepts (its default, 4094, answered a maximal
            # search query with an HTML 414); search/query.py sizes the query to fit.
            "limit_request_line": MAX_REQUEST_LINE,
            # Recycle workers now and then so a slow leak cannot grow without bound.
            "max_requests": 2000,
            "max_requests_jitter": 200,
            "forwarded_allow_ips": self.forwarded_allow_ips,
            "accesslog": "-" if self.access_log else None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "cicnet",
            # One control socket per user would collide when several servers run on one host.
            "control_socket_disable": True,
            # Workers import the app after forking: no database connection crosses a fork.
            "preload_app": False,
        }


class CicnetServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn application serving ``cicnet.config.wsgi.application``."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.gunicorn_settings().items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from cicnet.config.wsgi import application

        return application
