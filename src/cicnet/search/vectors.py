"""The vector index: the paragraph embeddings the search may use, with the scope of each
decision, searched by brute force (a flat index; docs/decisions/0132).

Two stores, chosen with the search backend:

- **file** (tantivy deployments): one ``vectors.npz`` in ``CICNET_VECTOR_DIR`` (default: beside
  the tantivy index, ``<index>-vectors``), built from the ``ParagraphEmbedding`` rows and the
  decisions' tiers and states by :func:`publish`, written to a temporary file and renamed over the
  old one under an ``fcntl`` lock, so readers never see half a file and two writing processes
  never interleave. Every search compares the file's inode, size and mtime with the loaded one and
  reloads on change (one ``stat``), like the tantivy reader; a forked worker inherits only arrays.
- **database** (PostgreSQL deployments, several app servers): the rows themselves, loaded into
  each process and reloaded when the sum of the change counters that writers bump in their own
  transaction changes (``_db_stamp``; triggers of migration ``search/0008``). pgvector is not
  installed on the project's PostgreSQL, so the vectors are ``bytea`` scored in numpy.

Tier safety: every search takes the policy's ``DecisionScope`` and masks out, before ranking,
every paragraph of a decision outside it, so a hidden text's vector never contributes to a
result, a count or a "similar" list; the service layer also re-checks the matches against the
search index with the same scope (services.py).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection

from cicnet.access.policy import DecisionScope
from cicnet.search.embeddings import model_name

FILE = "vectors.npz"
LOCK = ".cicnet-vectors.lock"


@dataclass(frozen=True)
class SemanticMatch:
    """A paragraph close in meaning, with its decision and similarity (cosine, -1..1)."""

    uid: str
    language: str
    number: int
    score: float
    excerpt: str


class VectorIndex:
    """Paragraph vectors and decision vectors (the mean of a decision's paragraphs)."""

    def __init__(
        self,
        *,
        model: str,
        matrix: np.ndarray,
        row_decision: np.ndarray,
        row_number: np.ndarray,
        row_language: list[str],
        excerpts: list[str],
        uids: list[str],
        access: list[str],
        state: list[str],
    ) -> None:
        self.model = model
        self.matrix = matrix.astype(np.float32, copy=False)
        self.row_decision = row_decision.astype(np.int64, copy=False)
        self.row_number = row_number
        self.row_language = row_language
        self.excerpts = excerpts
        self.uids = uids
        self.access = np.array(access, dtype=object)
        self.state = np.array(state, dtype=object)
        self.position = {uid: i for i, uid in enumerate(uids)}
        n_dec = len(uids)
        dim = self.matrix.shape[1] if self.matrix.ndim == 2 else 0
        dec = np.zeros((n_dec, dim), dtype=np.float32)
        if len(self.row_decision):
            np.add.at(dec, self.row_decision, self.matrix)
        norms = np.linalg.norm(dec, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.decision_matrix = dec / norms
        self.rows_of: dict[int, np.ndarray] = {}
        order = np.argsort(self.row_decision, kind="stable")
        bounds = np.searchsorted(self.row_decision[order], np.arange(n_dec + 1))
        for i in range(n_dec):
            self.rows_of[i] = order[bounds[i] : bounds[i + 1]]

    @property
    def paragraphs(self) -> int:
        return int(self.matrix.shape[0])

    def nbytes(self) -> int:
        return int(self.matrix.nbytes + self.decision_matrix.nbytes)

    # --- scope ---------------------------------------------------------------------------------

    def _allowed(self, scope: DecisionScope) -> np.ndarray:
        """Per decision: inside ``scope`` (deny by default: no tiers, nothing)."""
        if not scope.tiers or not self.uids:
            return np.zeros(len(self.uids), dtype=bool)
        ok = np.isin(self.access, list(scope.tiers))
        if scope.published_only:
            ok &= self.state == "published"
        return np.asarray(ok, dtype=bool)

    def has(self, uid: str) -> bool:
        i = self.position.get(uid)
        return i is not None and len(self.rows_of[i]) > 0

    def vector(self, uid: str, language: str, number: int) -> np.ndarray | None:
        i = self.position.get(uid)
        if i is None:
            return None
        for r in self.rows_of[i]:
            if self.row_language[r] == language and int(self.row_number[r]) == number:
                vec: np.ndarray = self.matrix[r]
                return vec
        return None

    # --- search --------------------------------------------------------------------------------

    def _match(self, r: int, score: float) -> SemanticMatch:
        return SemanticMatch(
            uid=self.uids[int(self.row_decision[r])],
            language=self.row_language[r],
            number=int(self.row_number[r]),
            score=float(score),
            excerpt=self.excerpts[r],
        )

    def best_paragraphs(
        self,
        query: np.ndarray,
        scope: DecisionScope,
        *,
        decisions: int,
        min_score: float = -1.0,
        margin: float | None = None,
        exclude_uid: str | None = None,
        only_uid: str | None = None,
    ) -> list[SemanticMatch]:
        """The best paragraph of each of the ``decisions`` decisions closest to ``query``,
        best first, among decisions inside ``scope``; only those scoring at least ``min_score``
        and, with ``margin``, within ``margin`` of the best."""
        if not self.paragraphs or decisions <= 0:
            return []
        allowed = self._allowed(scope)
        if exclude_uid is not None and exclude_uid in self.position:
            allowed[self.position[exclude_uid]] = False
        if only_uid is not None:
            keep = self.position.get(only_uid)
            allowed[:] = False
            if keep is not None:
                allowed[keep] = allowed[keep] or bool(self._allowed(scope)[keep])
        row_ok = allowed[self.row_decision]
        if not row_ok.any():
            return []
        # One product over every row (BLAS), then rows outside the scope set to -inf before any
        # ranking: copying the allowed rows out first cost more than the product itself.
        scores = self.matrix @ query.astype(np.float32)
        scores[~row_ok] = -np.inf
        rows = np.arange(len(scores))
        # Best paragraph per decision: the top rows first (a partial sort), all rows only when
        # those do not hold enough decisions.
        top = min(len(scores), max(decisions * 40, 200))
        if top < len(scores):
            head = np.argpartition(-scores, top - 1)[:top]
            order = head[np.argsort(-scores[head], kind="stable")]
            order = order[np.isfinite(scores[order])]
            if len(set(self.row_decision[order].tolist())) < decisions:
                order = np.argsort(-scores, kind="stable")
        else:
            order = np.argsort(-scores, kind="stable")
        order = order[np.isfinite(scores[order])]
        if margin is not None and len(order):
            min_score = max(min_score, float(scores[order[0]]) - margin)
        out: list[SemanticMatch] = []
        seen: set[int] = set()
        for j in order:
            s = float(scores[j])
            if s < min_score:
                break
            r = int(rows[j])
            d = int(self.row_decision[r])
            if d in seen:
                continue
            seen.add(d)
            out.append(self._match(r, s))
            if len(out) >= decisions:
                break
        return out

    def similar_paragraphs(
        self, uid: str, language: str, number: int, scope: DecisionScope, *, limit: int
    ) -> list[SemanticMatch] | None:
        """Paragraphs of other decisions closest to one paragraph (one per decision); None when
        that paragraph has no vector (not embedded yet, or not embedded at all)."""
        vec = self.vector(uid, language, number)
        if vec is None:
            return None
        return self.best_paragraphs(vec, scope, decisions=limit, exclude_uid=uid)

    def similar_decisions(
        self, uid: str, scope: DecisionScope, *, limit: int
    ) -> list[tuple[str, float]] | None:
        """Other decisions closest to this one (their mean paragraph vectors); None when it
        has no vector yet."""
        i = self.position.get(uid)
        if i is None or not len(self.rows_of[i]):
            return None
        allowed = self._allowed(scope)
        allowed[i] = False
        has_rows = np.array([len(self.rows_of[k]) > 0 for k in range(len(self.uids))], dtype=bool)
        candidates = np.flatnonzero(allowed & has_rows)
        if not len(candidates):
            return []
        scores = self.decision_matrix[candidates] @ self.decision_matrix[i]
        order = np.argsort(-scores, kind="stable")[:limit]
        return [(self.uids[int(candidates[j])], float(scores[j])) for j in order]


def _empty(model: str) -> VectorIndex:
    return VectorIndex(
        model=model,
        matrix=np.zeros((0, 0), dtype=np.float32),
        row_decision=np.zeros(0, dtype=np.int64),
        row_number=np.zeros(0, dtype=np.int32),
        row_language=[],
        excerpts=[],
        uids=[],
        access=[],
        state=[],
    )


def _from_database(model: str) -> VectorIndex:
    """Build the index from the ``ParagraphEmbedding`` rows of ``model`` and the decisions."""
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.models import ParagraphEmbedding

    decisions = list(Decision.objects.order_by("id").values_list("id", "uid", "access", "state"))
    position = {did: i for i, (did, *_rest) in enumerate(decisions)}
    rows = ParagraphEmbedding.objects.filter(model=model).order_by(
        "decision_id", "language", "number"
    )
    dec_idx: list[int] = []
    numbers: list[int] = []
    languages: list[str] = []
    excerpts: list[str] = []
    buf = io.BytesIO()
    for did, lang, number, excerpt, vec in rows.values_list(
        "decision_id", "language", "number", "excerpt", "vector"
    ).iterator(chunk_size=2000):
        if did not in position:
            continue
        dec_idx.append(position[did])
        numbers.append(number)
        languages.append(lang)
        excerpts.append(excerpt)
        buf.write(bytes(vec))
    if not dec_idx:
        return _empty(model)
    flat = np.frombuffer(buf.getvalue(), dtype=np.float16)
    matrix = flat.reshape(len(dec_idx), -1).astype(np.float32)
    return VectorIndex(
        model=model,
        matrix=matrix,
        row_decision=np.array(dec_idx, dtype=np.int64),
        row_number=np.array(numbers, dtype=np.int32),
        row_language=languages,
        excerpts=excerpts,
        uids=[u for _, u, _, _ in decisions],
        access=[a for _, _, a, _ in decisions],
        state=[s for _, _, _, s in decisions],
    )


# --- the file store ----------------------------------------------------------------------------


def vector_dir() -> Path:
    configured = getattr(settings, "CICNET_VECTOR_DIR", None)
    if configured:
        return Path(configured)
    index = Path(settings.CICNET_INDEX_DIR)
    return index.with_name(index.name + "-vectors")


@contextlib.contextmanager
def _locked(path: Path, timeout: float = 60.0) -> Iterator[None]:
    path.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with open(path / LOCK, "a+") as fh:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _write_file(path: Path, index: VectorIndex) -> None:
    meta = {
        "model": index.model,
        "languages": index.row_language,
        "excerpts": index.excerpts,
        "uids": index.uids,
        "access": [str(a) for a in index.access],
        "state": [str(s) for s in index.state],
    }
    fd, tmp = tempfile.mkstemp(dir=path, prefix=".vectors-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(
                fh,
                matrix=index.matrix.astype(np.float16),
                row_decision=index.row_decision.astype(np.int32),
                row_number=index.row_number.astype(np.int32),
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            )
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path / FILE)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_file(file: Path) -> VectorIndex:
    with np.load(file, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        matrix = data["matrix"].astype(np.float32)
        return VectorIndex(
            model=meta["model"],
            matrix=matrix if matrix.size else np.zeros((0, 0), dtype=np.float32),
            row_decision=data["row_decision"],
            row_number=data["row_number"],
            row_language=meta["languages"],
            excerpts=meta["excerpts"],
            uids=meta["uids"],
            access=meta["access"],
            state=meta["state"],
        )


_cache_lock = threading.Lock()
_cache: dict[tuple[str, str, str], tuple[Any, VectorIndex]] = {}


def _file_stamp(file: Path) -> tuple[int, int, int] | None:
    try:
        st = file.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _db_stamp() -> int:
    """The sum of the counters that every write of an embedding, and every decision's new uid,
    tier or state, bumps in its own transaction (one row per database session; migration
    ``search/0008``). Outside a transaction it only grows, by each such write as it commits.
    Read before the rows, so a write committed in between only makes the next search read them
    again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(sum(n), 0) FROM search_vector_stamp")
        row = cursor.fetchone()
    return int(row[0])


def _uses_file() -> bool:
    from cicnet.search.backend import get_backend

    return get_backend().name == "tantivy"


def load() -> VectorIndex:
    """The current vector index of the configured model (empty when semantic search is off)."""
    model = model_name()
    if model == "off":
        return _empty(model)
    if _uses_file():
        file = vector_dir() / FILE
        key = ("file", str(file), model)
        stamp: Any = _file_stamp(file)
        if stamp is None:
            return _empty(model)
    else:
        if connection.in_atomic_block:
            # A transaction may see writes of its own that are not committed (and may be rolled
            # back): what it reads is neither taken from the cache nor kept in it.
            index = _from_database(model)
            return index if index.model == model else _empty(model)
        key = ("db", str(connection.settings_dict.get("NAME") or ""), model)
        stamp = _db_stamp()
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    index = _read_file(vector_dir() / FILE) if key[0] == "file" else _from_database(model)
    if index.model != model:
        index = _empty(model)
    with _cache_lock:
        _cache[key] = (stamp, index)
    return index


def publish() -> dict[str, Any]:
    """Make the vector index show the database's embeddings and decision scopes now. The file
    store rewrites its file (atomically, under a lock); the database store has nothing to do."""
    model = model_name()
    if model == "off" or not _uses_file():
        return {"store": "database" if model != "off" else "off"}
    path = vector_dir()
    with _locked(path):
        index = _from_database(model)
        _write_file(path, index)
    return {"store": "file", "paragraphs": index.paragraphs, "bytes": (path / FILE).stat().st_size}


def status() -> dict[str, Any]:
    index = load()
    out: dict[str, Any] = {
        "model": index.model,
        "paragraphs": index.paragraphs,
        "decisions": sum(1 for i in range(len(index.uids)) if len(index.rows_of[i])),
        "memory_bytes": index.nbytes(),
    }
    if index.model != "off" and _uses_file():
        file = vector_dir() / FILE
        out["path"] = str(file)
        out["size_bytes"] = file.stat().st_size if file.exists() else 0
    return out
