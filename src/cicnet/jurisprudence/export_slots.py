"""How many exports may stream at once: per client and in total, across every worker process.

A CSV/JSON Lines export holds a worker thread for as long as it streams. Eight of them from one
anonymous client once took every thread of a two-worker server, and ``/healthz`` went from 5 ms
to 5 s. So an export first takes a **slot**: one of ``CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT``
slots of its client and one of ``CICNET_EXPORT_MAX_CONCURRENT`` slots in total; without a free
one the caller gets ``ExportBusy`` (429 with ``Retry-After``, config/api.py).

A slot is an exclusive ``flock`` on a file under ``CICNET_EXPORT_SLOTS_DIR`` (default
``$CICNET_VAR_DIR/export-slots``), so every process of one ``cicnet serve`` shares the count:

- ``flock``, not ``fcntl``/``lockf`` record locks: a ``flock`` belongs to the open file, so two
  threads of one worker exclude each other too (record locks belong to the process, and a
  thread would "take" a slot its sibling holds);
- the OS drops the lock when its holder closes the file or dies, so a worker killed mid-export
  (timeout, OOM, SIGKILL) never leaks a slot: nothing to clean up;
- a client's slots are files named after a hash of its key in ``CLIENT_BUCKETS`` buckets, so
  the directory holds a bounded number of files (two clients in one bucket share a limit);
- within one worker process, at most ``CICNET_EXPORT_MAX_PER_PROCESS`` exports (``cicnet serve``
  sets it to its threads - 1): gunicorn's threaded worker accepts connections while its threads
  are busy, so a worker whose every thread streamed an export would leave the health checks it
  had accepted waiting, even with free threads in the other worker;
- several machines (PostgreSQL deployments) each have their own directory: the limits are per
  machine (docs/deploy.md).
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

CLIENT_BUCKETS = 4096
RETRY_AFTER_SECONDS = 5


class ExportBusy(Exception):
    """No export slot is free: the message says which limit and what to do."""

    def __init__(self, message: str, *, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


_process_lock = threading.Lock()
_process_active = 0  # exports streaming in this process


@dataclass
class ExportSlot:
    """The locks one export holds; ``release()`` (idempotent) frees them."""

    handles: list[IO[bytes]] = field(default_factory=list)
    in_process: bool = False

    def release(self) -> None:
        global _process_active
        while self.handles:
            self.handles.pop().close()  # closing the file drops its flock
        if self.in_process:
            self.in_process = False
            with _process_lock:
                _process_active -= 1


def _take_process_slot(slot: ExportSlot) -> bool:
    global _process_active
    limit = int(settings.CICNET_EXPORT_MAX_PER_PROCESS)
    with _process_lock:
        if limit > 0 and _process_active >= limit:
            return False
        _process_active += 1
        slot.in_process = True
    return True


def _slots_dir() -> Path:
    directory = Path(settings.CICNET_EXPORT_SLOTS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _take_one(directory: Path, names: list[str]) -> IO[bytes] | None:
    for name in names:
        handle = (directory / f"{name}.lock").open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return handle
    return None


def export_slot_acquire(*, client: str) -> ExportSlot:
    """Take a slot for ``client`` (a stable key: ``user:<id>`` or the client address), or raise
    ``ExportBusy``. A limit of 0 switches that limit off."""
    per_client = int(settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT)
    total = int(settings.CICNET_EXPORT_MAX_CONCURRENT)
    directory = _slots_dir()
    slot = ExportSlot()
    if per_client > 0:
        bucket = int(hashlib.sha256(client.encode()).hexdigest()[:8], 16) % CLIENT_BUCKETS
        handle = _take_one(directory, [f"client-{bucket:04d}-{i}" for i in range(per_client)])
        if handle is None:
            raise ExportBusy(
                f"Too many exports at once: at most {per_client} per client may run at the same "
                f"time. Wait for yours to finish (retry after {RETRY_AFTER_SECONDS} seconds)."
            )
        slot.handles.append(handle)
    busy = ExportBusy(
        f"The server is running its maximum of exports ({total} in all); retry after "
        f"{RETRY_AFTER_SECONDS} seconds."
    )
    if not _take_process_slot(slot):
        slot.release()
        raise busy
    if total > 0:
        handle = _take_one(directory, [f"total-{i}" for i in range(total)])
        if handle is None:
            slot.release()
            raise busy
        slot.handles.append(handle)
    return slot
