"""Evidence vault: upload throughput and server memory through the HTTP upload path, and the
time to export and verify a signed package.

    .venv/bin/python bench/evidence.py [--size-mb 2048] [--items 1000] [--keep]

Everything lives in a temporary directory (``CICNET_HOME``/``CICNET_VAR_DIR``: SQLite database,
vault, keys), migrated with ``cicnet migrate``; two-factor is off (``CICNET_REQUIRE_2FA=0``: the
benchmark measures the upload path, not the login). A setup process (this script run with
``--setup-world``, Django configured) creates a fictional network, a civil-society organisation,
a user who represents it, a draft submission and a logged-in session, then a second submission
with ``--items`` small items (2-20 KB each) made through the real upload services
(``uploads.upload_start/upload_chunk/upload_complete``), timed.

Upload: ``cicnet serve --workers 1`` (gunicorn) on a free loopback port; the client sends a file
of ``--size-mb`` MiB generated on the fly (a fixed pseudo-random block of the server's chunk size,
the chunk number written into its first bytes; nothing on the client's disk) over one persistent
``http.client`` connection, exactly as ``static/cicnet/evidence-upload.js`` does: POST the
metadata, PUT each chunk at its offset, POST the SHA-256 it computed while sending. The server
re-reads and hashes the whole encrypted file on completion; both phases are timed. A thread
samples the RSS of the gunicorn master and worker every 50 ms (``/proc``); their ``VmHWM`` is read
at the end.

Export: ``cicnet evidence export`` of the items' submission, then ``cicnet verify-package`` of the
zip against the instance's public key (both subprocesses, start-up included). Prints JSON; exits
non-zero, with the server's log tail, when a step fails. MB = 2**20 bytes. Settings that point at
data or keys are always the temporary ones; tuning settings pass through from the environment
(``CICNET_EVIDENCE_CHUNK_BYTES=33554432 … --items 0`` measures another chunk size alone).

Goals (issue 5): at least 100 MB/s upload on loopback; the server's peak memory under 200 MB
whatever the file size. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20
USERNAME = "bench-cso"
SETUP_FLAG = "--setup-world"
ISOLATED = frozenset(
    {
        "DATABASE_URL",
        "CICNET_INDEX_DIR",
        "CICNET_EVIDENCE_DIR",
        "CICNET_KEYS_DIR",
        "CICNET_EVIDENCE_KEYS",
        "CICNET_SIGNING_KEY_FILE",
        "CICNET_SECRET_KEY",
    }
)


class BenchError(Exception):
    """A step failed; the message says which and why."""


# --------------------------------------------------------------------- setup (Django process)


def _metadata(description: str) -> dict[str, Any]:
    """Item metadata as ``forms.ItemMetadataForm.metadata`` returns it."""
    return {
        "description": description,
        "captured_at": "2022-03-05T10:00:00+00:00",
        "captured_note": "",
        "capture_place": "Fictional town",
        "capture_method": "phone camera",
        "collector": "Collector A (pseudonym)",
        "source": "",
        "source_anonymous": True,
        "consent_reference": "CONSENT-BENCH",
        "consent_scope": "use by national prosecutors",
        "handling_code": "unrestricted",
        "source_reliability": "X",
        "information_reliability": "4",
        "sensitive_sgbv": False,
        "sensitive_child": False,
        "sensitive_protected_witness": False,
        "parent": "",
        "derivation": "",
        "related": [],
    }


def setup_world(items: int, public_key_out: Path) -> dict[str, Any]:
    """Run inside the setup process (Django configured by the environment): the fictional world,
    a session for its user, and a submission holding ``items`` items. Returns what the client
    needs, as JSON-able values."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from cicnet.access import policy
    from cicnet.evidence import crypto, selectors, services, uploads
    from cicnet.network.models import Membership, Network, Organisation, Person

    network = Network.objects.create(
        slug="bench", name="Fictional benchmark network", is_fictional=True
    )
    cso = Organisation.objects.create(
        network=network,
        name="Fictional Documentation Centre (bench)",
        org_type="civil_society",
        country="",
        is_fictional=True,
    )
    authority = Organisation.objects.create(
        network=network,
        name="Fictional Prosecutor (bench)",
        org_type="national_authority",
        country="DE",
        is_fictional=True,
    )
    user = get_user_model().objects.create_user(username=USERNAME, password=None, role="member")
    Membership.objects.create(
        person=Person.objects.create(user=user, name="Fictional Bench Person", is_fictional=True),
        network=network,
        organisation=cso,
        role="cso_representative",
    )
    actor = policy.actor_for(user)

    def draft(title: str) -> str:
        data = services.SubmissionData(
            title=title,
            narrative="A fictional account of events, for a benchmark.",
            places="Fictional town",
            period_start=None,
            period_end=None,
            period_note="spring 2022",
            crimes=["8(2)(b)(ix)"],
            persons=[{"ref": "W-1", "role": "witness", "note": ""}],
            victims_count=3,
            languages=["uk"],
            assessment="",
            addressees=[authority],
        )
        return services.submission_create(actor=actor, organisation=cso, data=data).uid

    upload_uid = draft("Fictional submission for the upload benchmark")
    export_uid = draft("Fictional submission for the export benchmark")

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    context = selectors.submission_context(actor=actor, uid=export_uid)
    if context is None:
        raise BenchError(f"setup: {USERNAME} cannot read {export_uid}")
    rng = random.Random(5)
    total = 0
    started = time.perf_counter()
    for i in range(items):
        head = f"cicnet bench item {i:05d}\n".encode()
        content = head + rng.randbytes(rng.randint(2048, 20480) - len(head))
        total += len(content)
        upload = uploads.upload_start(
            actor=actor,
            context=context,
            filename=f"item-{i:05d}.dat",
            size=len(content),
            metadata=_metadata(f"Fictional benchmark item {i}."),
        )
        uploads.upload_chunk(actor=actor, upload_id=upload.upload_id, offset=0, data=content)
        uploads.upload_complete(
            actor=actor,
            context=context,
            upload_id=upload.upload_id,
            declared_sha256=hashlib.sha256(content).hexdigest(),
        )
    items_s = time.perf_counter() - started
    public_key_out.write_text(crypto.public_key_pem(crypto.signing_key()), "ascii")
    return {
        "session_key": session.session_key,
        "upload_submission": upload_uid,
        "export_submission": export_uid,
        "username": USERNAME,
        "items": items,
        "items_bytes": total,
        "items_s": items_s,
    }


# ------------------------------------------------------------------------------ bench process


def _env(tmp: Path) -> dict[str, str]:
    # Settings that point at data or keys never come from the caller's environment (a benchmark
    # must not write into a real vault); tuning ones (CICNET_EVIDENCE_CHUNK_BYTES …) do.
    env = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    env.update(
        {
            # The code of this checkout, whatever the virtualenv has installed.
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "DJANGO_SETTINGS_MODULE": "cicnet.config.settings",
            "CICNET_HOME": str(tmp),
            "CICNET_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": f"sqlite:///{tmp / 'var' / 'bench.sqlite3'}",
            "CICNET_REQUIRE_2FA": "0",
            "CICNET_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _run(env: dict[str, str], args: list[str], what: str) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(
            f"{what} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return elapsed, proc.stdout


def _cicnet(env: dict[str, str], *args: str) -> tuple[float, str]:
    exe = Path(sys.executable).with_name("cicnet")
    return _run(env, [str(exe), *args], f"cicnet {' '.join(args)}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in KiB (empty when it is gone)."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids.extend(int(p) for p in task.read_text().split())
        except OSError:
            pass
    return kids


class MemorySampler(threading.Thread):
    """Samples the RSS of the server (the gunicorn master) and its workers every ``interval``."""

    def __init__(self, master: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.interval = interval
        self.peak_kib: dict[int, int] = {}
        self.samples = 0
        self._halt = threading.Event()

    def pids(self) -> list[int]:
        return [self.master, *_children(self.master)]

    def run(self) -> None:
        while not self._halt.is_set():
            for pid in self.pids():
                rss = _status(pid).get("VmRSS")
                if rss is not None:
                    self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), rss)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


class Server:
    """``cicnet serve --workers 1`` on a free port, its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.log = log
        self._log = log.open("wb")
        exe = Path(sys.executable).with_name("cicnet")
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(self.port), "--workers", "1", "--no-access-log"],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError("the server did not become healthy on /healthz")
            time.sleep(0.3)

    def worker(self) -> int | None:
        kids = _children(self.proc.pid)
        return kids[0] if kids else None

    def tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


class Client:
    """One persistent HTTP connection, logged in by the session cookie, with a CSRF pair."""

    def __init__(self, port: int, session_key: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        # Django accepts a cookie/header pair it did not issue when both match (32 letters or
        # digits, the length of a CSRF secret).
        token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.headers = {
            "Cookie": f"sessionid={session_key}; csrftoken={token}",
            "X-CSRFToken": token,
        }

    def call(
        self, method: str, url: str, body: Any = b"", content_type: str = ""
    ) -> tuple[int, dict[str, Any]]:
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(memoryview(body)) if body else 0)
        self.conn.request(method, url, body=body, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"error": raw[:500].decode(errors="replace")}
        return response.status, payload

    def form(self, url: str, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
        body = urllib.parse.urlencode(fields).encode()
        return self.call("POST", url, body, "application/x-www-form-urlencoded")


def upload(server: Server, world: dict[str, Any], size: int) -> dict[str, Any]:
    """The file through the HTTP upload path; timings, chunk latencies and server memory."""
    client = Client(server.port, world["session_key"])
    uid = world["upload_submission"]
    status, start = client.form(
        f"/cooperation/{uid}/uploads/",
        {
            "filename": "bench-video.dat",
            "size": str(size),
            "description": "Fictional benchmark file.",
            "handling_code": "unrestricted",
            "source_reliability": "X",
            "information_reliability": "4",
        },
    )
    if status != 201:
        raise BenchError(f"upload start answered {status}: {start}")
    chunk = int(start["chunk_bytes"])
    block = bytearray(random.Random(7).randbytes(chunk))
    worker = server.worker()
    sampler = MemorySampler(server.proc.pid)
    sampler.start()
    digest = hashlib.sha256()
    latencies: list[float] = []
    offset = 0
    index = 0
    try:
        started = time.perf_counter()
        while offset < size:
            # The chunk number in the first bytes makes every chunk differ.
            head = f"cicnet bench chunk {index:08d}\n".encode()
            block[: len(head)] = head
            piece = memoryview(block)[: min(chunk, size - offset)]
            digest.update(piece)
            sent = time.perf_counter()
            status, answer = client.call(
                "PUT",
                f"{start['chunk_url']}?offset={offset}",
                piece,
                "application/octet-stream",
            )
            latencies.append(time.perf_counter() - sent)
            if status != 200:
                raise BenchError(f"chunk at offset {offset} answered {status}: {answer}")
            offset += len(piece)
            index += 1
            if answer.get("received") != offset:
                raise BenchError(f"chunk at {offset}: server says {answer}")
        chunks_s = time.perf_counter() - started
        declared = digest.hexdigest()
        done = time.perf_counter()
        status, item = client.form(start["complete_url"], {"sha256": declared})
        complete_s = time.perf_counter() - done
        if status != 201 or item.get("sha256") != declared:
            raise BenchError(f"upload complete answered {status}: {item}")
    finally:
        sampler.stop()
        client.conn.close()
    pids = sampler.pids()
    hwm = {pid: _status(pid).get("VmHWM", 0) for pid in pids}
    worker_peak = sampler.peak_kib.get(worker or -1, 0)
    tenth = max(1, len(latencies) // 10)
    # Whether a chunk costs more the further into the file it lands (the first and last tenth).
    early = sorted(latencies[:tenth])[tenth // 2]
    late = sorted(latencies[-tenth:])[tenth // 2]
    latencies.sort()
    total_s = chunks_s + complete_s
    return {
        "chunk_bytes": chunk,
        "chunks": index,
        "item": item["uid"],
        "sha256_matches": True,
        "chunks_s": round(chunks_s, 2),
        "chunks_mb_per_s": round(size / MB / chunks_s, 1),
        "chunk_latency_ms": {
            "p50": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000, 1),
            "max": round(latencies[-1] * 1000, 1),
            "first_tenth_p50": round(early * 1000, 1),
            "last_tenth_p50": round(late * 1000, 1),
        },
        "complete_s": round(complete_s, 2),
        "complete_mb_per_s": round(size / MB / complete_s, 1),
        "total_s": round(total_s, 2),
        "total_mb_per_s": round(size / MB / total_s, 1),
        "server_memory_mb": {
            "worker_peak_rss_sampled": round(worker_peak / 1024, 1),
            "worker_vm_hwm": round(hwm.get(worker or -1, 0) / 1024, 1),
            "master_peak_rss_sampled": round(sampler.peak_kib.get(server.proc.pid, 0) / 1024, 1),
            "master_vm_hwm": round(hwm.get(server.proc.pid, 0) / 1024, 1),
            "samples": sampler.samples,
        },
    }


def export_and_verify(env: dict[str, str], tmp: Path, world: dict[str, Any]) -> dict[str, Any]:
    out = tmp / "package.zip"
    export_s, _ = _cicnet(
        env,
        "evidence",
        "export",
        world["export_submission"],
        "--out",
        str(out),
        "--as",
        world["username"],
        "--purpose",
        "bench",
    )
    verify_s, report = _cicnet(
        env, "verify-package", str(out), "--public-key", str(tmp / "instance.pem"), "--json"
    )
    verified = json.loads(report)
    return {
        "export_s": round(export_s, 2),
        "verify_s": round(verify_s, 2),
        "package_mb": round(out.stat().st_size / MB, 1),
        "verify_exit": 0,
        "verify_ok": verified["ok"],
        "verify_checks": len(verified["checks"]),
    }


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=int, default=2048, help="size of the uploaded file, MiB")
    p.add_argument(
        "--items", type=int, default=1000, help="items in the exported package (0: no export)"
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return p.parse_args()


def main() -> int:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-evidence-"))
    env = _env(tmp)
    server: Server | None = None
    try:
        _cicnet(env, "migrate", "--noinput", "-v", "0")
        setup_s, out = _run(
            env,
            [sys.executable, __file__, SETUP_FLAG, str(args.items), str(tmp / "instance.pem")],
            "the setup process",
        )
        world = json.loads(out.strip().splitlines()[-1])
        server = Server(env, tmp / "server.log")
        server.wait_ready()
        result = upload(server, world, args.size_mb * MB)
        packaged = export_and_verify(env, tmp, world) if args.items else None
    except (BenchError, OSError, ValueError, KeyError, http.client.HTTPException) as exc:
        print(f"bench/evidence.py: {exc}", file=sys.stderr)
        if server is not None:
            print(f"--- server log (tail) ---\n{server.tail()}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        json.dumps(
            {
                "benchmark": "evidence",
                "database": "sqlite",
                "cpus": os.cpu_count(),
                "size_mb": args.size_mb,
                "upload": result,
                "items": {
                    "count": world["items"],
                    "mb": round(world["items_bytes"] / MB, 1),
                    "create_s": round(world["items_s"], 2),
                    "create_per_s": round(world["items"] / world["items_s"], 1)
                    if world["items_s"]
                    else None,
                    "setup_process_s": round(setup_s, 2),
                },
                "package": packaged,
                "client_peak_rss_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
                "goals": {"upload_mb_per_s": 100, "server_peak_mb": 200},
                "note": "MB = 2**20 bytes; export and verify are whole commands, start-up included",
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == SETUP_FLAG:
        print(json.dumps(setup_world(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        sys.exit(main())
