"""A real ``cicnet serve`` (gunicorn, several workers) in a subprocess, and a small HTTP client.

Used by the tests of state shared between processes. The server runs against the same database
as the test: on PostgreSQL the test database itself; on SQLite (whose pytest database lives in
memory and cannot be shared) a migrated file database (``database_env``).
"""

from __future__ import annotations

import atexit
import functools
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_url(settings_dict: dict[str, Any]) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


def cicnet(args: list[str], *, env: dict[str, str], cwd: Path, timeout: int = 120) -> str:
    """Run ``cicnet ARGS`` in a subprocess; fail with its output when it fails."""
    proc = subprocess.run(  # noqa: S603  # our own console command, fixed arguments
        [sys.executable, "-m", "cicnet", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"cicnet {' '.join(args[:1])} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """One browser-like client: keeps its cookies; a new connection per request, so successive
    requests are free to land on different workers."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=hdrs)
            raw = conn.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, form: dict[str, str]) -> Response:
        """POST a form with the CSRF token from the cookie, as the browser form would."""
        return self.request(
            "POST", path, form={"csrfmiddlewaretoken": self.cookies["csrftoken"], **form}
        )

    def log_in(self, username: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        return self.request(
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
            },
        )


@dataclass
class LiveServer:
    process: subprocess.Popen[str]
    port: int
    log: Path

    def client(self) -> Client:
        return Client(self.port)

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def assert_both_workers_answer(self, wait_s: float = 60) -> set[int]:
        """Ask ``/healthz`` until both workers have answered (the second may still be booting,
        and which worker accepts a connection is the kernel's choice: under load one took 60 in
        a row); fails after ``wait_s``. Returns their pids."""
        pids: set[int] = set()
        deadline = time.monotonic() + wait_s
        while len(pids) < 2 and time.monotonic() < deadline:
            pids.add(self.client().get("/healthz").json()["pid"])
            time.sleep(0.02)
        assert len(pids) == 2, f"only worker(s) {pids} answered"
        return pids

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_server(
    *, env: dict[str, str], cwd: Path, workers: int = 2, wait_s: float = 60
) -> LiveServer:
    """Start ``cicnet serve`` and wait until /healthz answers."""
    port = free_port()
    log = cwd / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603  # our own console command, fixed arguments
            [
                sys.executable,
                "-m",
                "cicnet",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                "2",
                # No background embedding: the tests that use a live server decide what is
                # embedded (search/embeddings.py), so their results do not change under them.
                "--no-embedder",
            ],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = LiveServer(process, port, log)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"cicnet serve exited with {process.returncode}:\n{server.output()}"
            )
        try:
            if server.client().get("/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"cicnet serve did not answer within {wait_s}s:\n{server.output()}")


def database_env(tmp_path: Path, *, var: str = "var", **settings: str) -> dict[str, str]:
    """The environment of a ``cicnet`` subprocess on the test's database, with ``settings``
    added and ``tmp_path / var`` as its var folder: on PostgreSQL the test database itself; on
    SQLite (whose pytest database lives in memory) a file database there, migrated (a copy of
    one database this test run migrated once: ``migrated_sqlite``)."""
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    env = subprocess_env(
        var_dir=tmp_path / var,
        database_url=postgres_url(connection.settings_dict) if on_postgres else None,
    )
    env.update(settings)
    if not on_postgres:
        (tmp_path / var).mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(migrated_sqlite())) as source,
            closing(sqlite3.connect(tmp_path / var / SQLITE_NAME)) as copy,
        ):
            source.backup(copy)
    return env


SQLITE_NAME = "cicnet.sqlite3"  # the settings' database in CICNET_VAR_DIR


@functools.cache
def migrated_sqlite() -> Path:
    """A SQLite database that ``cicnet migrate`` built in a subprocess, once per test run (ten
    seconds each time; the subprocesses' databases are copies of it)."""
    folder = Path(tempfile.mkdtemp(prefix="cicnet-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    env = subprocess_env(var_dir=folder / "var", database_url=None)
    cicnet(["migrate", "--noinput", "-v", "0"], env=env, cwd=folder)
    return folder / "var" / SQLITE_NAME


@contextmanager
def serving(*, env: dict[str, str], cwd: Path, workers: int = 2) -> Iterator[LiveServer]:
    """``start_server``, stopped when the block ends."""
    server = start_server(env=env, cwd=cwd, workers=workers)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def serving_after(
    setup: str, tmp_path: Path, **settings: str
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A server of two workers on the test's database (``database_env``) after ``setup`` ran
    in a ``cicnet shell`` of its own; yields the server and the environment, for a second
    process that writes while it serves."""
    env = database_env(tmp_path, **settings)
    cicnet(["shell", "-c", setup], env=env, cwd=tmp_path)
    with serving(env=env, cwd=tmp_path) as server:
        yield server, env


@contextmanager
def two_servers(*, env: dict[str, str], cwd: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two ``cicnet serve`` of one worker each on one database (folders ``one`` and ``two``
    under ``cwd``): which server takes a request is the client's choice, so a proof that state
    is shared across processes does not hang on the gunicorn master's. The database must be
    migrated, with its cache table."""
    started: list[LiveServer] = []
    try:
        for name in ("one", "two"):
            (cwd / name).mkdir()
            started.append(start_server(env=env, cwd=cwd / name, workers=1))
        yield started[0], started[1]
    finally:
        for live in started:
            live.stop()


def subprocess_env(*, var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CICNET_", "PYTEST_"))}
    env.pop("DATABASE_URL", None)
    env["CICNET_VAR_DIR"] = str(var_dir)
    env["PYTHONUNBUFFERED"] = "1"
    # These servers are driven by scripted clients that log in with a password only; the second
    # factor itself is tested in tests/accounts/test_two_factor.py.
    env["CICNET_REQUIRE_2FA"] = "0"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env
