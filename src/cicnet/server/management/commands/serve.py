"""``cicnet serve``: the production WSGI server (gunicorn), not Django's runserver."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from cicnet.server.gunicorn_app import CicnetServer, ServeOptions
from cicnet.server.startup import search_index_check


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


class Command(BaseCommand):
    help = (
        "Serve cicnet with gunicorn: several worker processes sharing one database, static files "
        "through whitenoise. Checks the search index first. See docs/deploy.md."
    )
    requires_system_checks = []  # run below, so a failing check is printed, not a traceback

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("CICNET_HOST", "127.0.0.1"),
            help="Address to bind (default 127.0.0.1; 0.0.0.0 for all).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=_env_int("PORT", 8000),
            help="Port to bind (default $PORT or 8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("CICNET_WORKERS", 2),
            help="Worker processes (default $CICNET_WORKERS or 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("CICNET_THREADS", 4),
            help="Threads per worker (default $CICNET_THREADS or 4).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=60,
            help="Seconds before a silent worker is restarted (default 60).",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("CICNET_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            help="Reverse proxies trusted for X-Forwarded-* headers (comma-separated).",
        )
        parser.add_argument(
            "--no-reindex",
            action="store_true",
            help="Only warn about a stale search index instead of rebuilding it.",
        )
        parser.add_argument(
            "--no-access-log", action="store_true", help="Do not log each request to stdout."
        )
        parser.add_argument(
            "--no-embedder",
            action="store_true",
            help="Do not start the background embedding stage (`cicnet embed --watch`) beside "
            "the app servers (run it elsewhere, or semantic search lags behind).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 1 <= opts["port"] <= 65535:
            raise CommandError(f"--port: {opts['port']} is not a port number (1-65535)")
        for name in ("workers", "threads", "timeout"):
            if opts[name] < 1:
                raise CommandError(f"--{name}: give a number of 1 or more, not {opts[name]}")
        self.check(display_num_errors=False)
        search_index_check(
            rebuild=not opts["no_reindex"],
            report=lambda msg: self.stdout.write(msg),
            warn=lambda msg: self.stderr.write(self.style.WARNING(msg)),
        )
        options = ServeOptions(
            host=opts["host"],
            port=opts["port"],
            workers=opts["workers"],
            threads=opts["threads"],
            timeout=opts["timeout"],
            forwarded_allow_ips=opts["forwarded_allow_ips"],
            access_log=not opts["no_access_log"],
        )
        # Exports in one worker never take its last thread: a connection that worker accepted
        # (a health check, a page) always finds one free (jurisprudence/export_slots.py). Set
        # before gunicorn forks the workers, which inherit it.
        if not settings.CICNET_EXPORT_MAX_PER_PROCESS:
            settings.CICNET_EXPORT_MAX_PER_PROCESS = max(1, options.threads - 1)
        shown = "127.0.0.1" if opts["host"] in ("0.0.0.0", "::") else opts["host"]  # noqa: S104
        url = f"http://{f'[{shown}]' if ':' in shown else shown}:{opts['port']}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"cicnet is serving at {url} (gunicorn, {options.workers} workers x "
                f"{options.threads} threads; Ctrl-C stops it)"
            )
        )
        self.stdout.flush()
        # No database connection may be inherited by the forked workers.
        connections.close_all()
        embedder = None if opts["no_embedder"] else _start_embedder(self)
        try:
            CicnetServer(options).run()
        finally:
            if embedder is not None and embedder.poll() is None:
                embedder.terminate()
                try:
                    embedder.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    embedder.kill()


def _start_embedder(command: BaseCommand) -> subprocess.Popen[bytes] | None:
    """The embedding stage in a process of its own, at low priority: it embeds what becomes
    pending (new, edited or newly signed-off texts) while the app servers answer requests, and
    resumes where it stopped after a restart (search/embeddings.py)."""
    from cicnet.search.embeddings import model_name

    if model_name() == "off":
        return None
    process = subprocess.Popen(
        [sys.executable, "-m", "cicnet", "embed", "--watch", "--interval", "10"],
        preexec_fn=lambda: os.nice(10),
    )
    command.stdout.write(f"Embedding stage running in the background (pid {process.pid}).")
    return process
