"""The embedded search backend: a tantivy index on disk (``settings.CICNET_INDEX_DIR``).

Two kinds of documents (docs/decisions/0010-search-design.md):

- one **decision document** per decision: metadata, summary, cited provisions and the text of
  every paragraph in one field (``all``), plus the facet fields as fast fields. Queries match and
  roll up here, so counts, facet counts (a terms aggregation over matching decision documents)
  and sorting are per decision and exact;
- one **paragraph document** per paragraph (stored text, language, number): used to find the
  best-matching paragraphs of the decisions on the page, for snippets and search within a
  decision.

Every document carries ``uid``, ``access`` and ``state``; the scope filter is part of every query,
so a hidden decision is never counted, faceted or snippeted.

Several app processes share one index directory. tantivy allows one writer at a time: writers
take an ``fcntl`` lock on ``.cicnet-writer.lock`` (waiting at most
``settings.CICNET_INDEX_LOCK_TIMEOUT`` seconds, default 30), commit, and release the writer.

Every read sees every commit, from any process: before each search the reader compares tantivy's
``meta.json`` (rewritten atomically on every commit) with the one it last loaded and reloads when
it changed — one ``stat`` per search. An opened index never crosses a fork: a process that finds
an index opened by its parent (a gunicorn worker forked from the master, which checked the index
at start-up) opens its own. tantivy's own file watcher is not relied on: its thread does not
survive a fork, which is how workers once served a stale index for as long as they lived.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import tantivy
from django.conf import settings

from cicnet.access.policy import DecisionScope
from cicnet.search import query as q
from cicnet.search.analysis import DEFAULT_LANGUAGE, query_stems, stem_text
from cicnet.search.documents import DecisionRecord, all_records, as_records
from cicnet.search.labels import facet_label
from cicnet.search.snippets import highlight
from cicnet.search.types import (
    FACETS,
    FacetValue,
    Hit,
    SearchPage,
    SearchParams,
    Snippet,
    facet_names,
)

# 2: decision titles, summaries and keywords are indexed masked (anonymisation/headings.py)
# 3: the court facet holds court ids; date_display and case_name stored for results
# 4: has_text is "excerpt" for a decision whose texts are all excerpts
# 5: the stems of every text in the analyzer of its language (``stem``, search/analysis.py)
# 6: a decision's stems in ``all_stem``, apart from the paragraphs' ``stem``: one shared field made
#    every word form of a decision search walk the stems of all 2.5M paragraph documents too
# 7: a decision's tier and state also in decision-only fields (``d_access``, ``d_scope``): the
#    scope clauses of a decision search walked postings that list every paragraph document
# 8: the facets a decision may hold several values of also as one value for their shared set
#    (``k_``) and one per value outside it (``x_``), counted in place of ``f_`` (decision 0191)
# 9: the facets packed into four columns (``p_``), one key per decision for the values of several
#    facets, and the values outside a key in ``x_``; counted in place of ``f_`` (decision 0193)
SCHEMA_VERSION = 9
META_FILE = "cicnet-index.json"
LOCK_FILE = ".cicnet-writer.lock"
TOKENIZER = "cic"
FACET_SIZE = 1000
# Facets counted from packs (decision 0193): every terms aggregation costs tantivy about as much
# per matching decision as any other, whatever its column holds, so a decision's values of
# several facets are written as one key of a column (``p_<pack>``) and counted with one
# aggregation, then summed per value. A pack keeps together facets whose values go together (a
# court is in one country; a provision's crimes come with it), so its keys stay few.
PACKS: dict[str, tuple[str, ...]] = {
    "place": ("country", "court", "language"),
    "case": ("outcome", "instance", "terrorism", "has_text"),
    "law": ("provision", "crime"),
    "groups": ("crime_group",),
}
PACK_OF = {name: pack for pack, names in PACKS.items() for name in names}
# Facets a decision may hold several values of: tantivy reads a column of several values per
# document many times slower than one of a single value (decision 0191), so these are counted
# from their pack even when no other facet of it is asked for.
MULTI_VALUED = ("crime_group", "crime", "provision", "language")
# Joins a key's tokens; a token is a facet's name and a value, joined by NAME_SEPARATOR. A value
# holding either is never in a key (it is counted in ``x_``).
KEY_SEPARATOR = "\x1f"
NAME_SEPARATOR = "\x1e"
# The most keys of one pack counted at once; a search whose matches hold more of a pack's keys
# (in one segment) counts that pack's facets from their values instead, exactly as before.
PACK_KEYS = 2000
SNIPPETS_PER_HIT = 3
SNIPPETS_IN_DECISION = 100
# The page's snippet search asks for this many times the paragraphs the page shows, so that a
# decision whose best paragraphs rank below the others' rarely needs a search of its own.
PAGE_SNIPPET_DEPTH = 4
MISSING_DATE_DESC = 0
# Where the word forms of a text field are indexed.
STEM_FIELD = {"all": "all_stem", "text": "stem"}
MISSING_DATE_ASC = 99991231


def rebuild_heap_bytes() -> int:
    """The writer's memory for a rebuild: ``CICNET_INDEX_REBUILD_HEAP_MB``, else a quarter of
    the machine's memory up to 2,000 MB. A larger heap writes fewer, larger segments, and a
    search walks every segment (at 100,000 decisions 256 MB gave 8 segments and 2,000 MB 2:
    the engine's time with all twelve facets 10.2 → 8.5 ms; docs/performance.md)."""
    configured = str(getattr(settings, "CICNET_INDEX_REBUILD_HEAP_MB", "") or "")
    if configured:
        if not configured.strip().isdigit() or not 16 <= int(configured) <= 4_000:
            raise ValueError(
                f"CICNET_INDEX_REBUILD_HEAP_MB={configured!r}: give a whole number of megabytes "
                "from 16 to 4000 (e.g. 1000), or unset it for a quarter of the memory"
            )
        return int(configured) * 1_000_000
    try:
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1_000_000
    except (ValueError, OSError):
        memory_mb = 1_000
    return max(64, min(2_000, memory_mb // 4)) * 1_000_000


class IndexBusy(RuntimeError):
    """Another process held the index writer for longer than the configured wait."""


_facet_pool: ThreadPoolExecutor | None = None
_facet_pool_pid = 0
_facet_pool_lock = threading.Lock()


def _usable_cpus() -> int:
    """The cores this process may run on: a container or ``taskset`` may allow fewer than the
    machine has (``os.cpu_count()``)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def facet_pool() -> ThreadPoolExecutor | None:
    """Threads that count a search's facets while the request's thread finds the page and cuts
    its snippets (tantivy releases the GIL while it aggregates, so the two run on two cores);
    None on a single core. Made in the process that uses it, never inherited across a fork
    (gunicorn forks its workers after the app is loaded)."""
    global _facet_pool, _facet_pool_pid
    if _usable_cpus() < 2:
        return None
    with _facet_pool_lock:
        if _facet_pool is None or _facet_pool_pid != os.getpid():
            _facet_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cicnet-facets")
            _facet_pool_pid = os.getpid()
        return _facet_pool


def _facet_field(name: str) -> str:
    return f"f_{name}"


def _pack_field(pack: str) -> str:
    return f"p_{pack}"


def _extra_field(name: str) -> str:
    return f"x_{name}"


def _pack_values(
    facets: dict[str, list[str]], base: dict[str, list[str]], names: tuple[str, ...]
) -> tuple[str | None, dict[str, list[str]]]:
    """A decision's values of the facets ``names`` (one pack) as the pack's key (the sorted
    tokens ``name NAME_SEPARATOR value`` joined by ``KEY_SEPARATOR``; None when there is none)
    and, per facet, the values outside it: those outside the facet's ``base`` where it has one
    (``DecisionRecord.facet_base``: what many decisions share) and those holding a separator."""
    tokens: list[str] = []
    extra: dict[str, list[str]] = {}
    for name in names:
        values = list(dict.fromkeys(facets.get(name, [])))
        shared = set(base[name]) if name in base else set(values)
        for value in values:
            if value in shared and KEY_SEPARATOR not in value and NAME_SEPARATOR not in value:
                tokens.append(f"{name}{NAME_SEPARATOR}{value}")
            else:
                extra.setdefault(name, []).append(value)
    return (KEY_SEPARATOR.join(sorted(tokens)) if tokens else None), extra


class _PackVocabulary:
    """The tokens (facet, value) of one pack met by this process, numbered, and each key's
    tokens as an array of those numbers, so a terms aggregation's buckets of keys are summed per
    value in numpy. Only grows; replaced arrays are never changed, so threads may read while one
    adds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tokens: list[tuple[str, str]] = []
        self._number: dict[str, int] = {}
        self._keys: dict[str, npt.NDArray[np.int64]] = {}

    def numbers(self, key: str) -> npt.NDArray[np.int64]:
        found = self._keys.get(key)
        if found is not None:
            return found
        with self._lock:
            parts = key.split(KEY_SEPARATOR)
            for token in parts:
                if token not in self._number:
                    self._number[token] = len(self.tokens)
                    name, _, value = token.partition(NAME_SEPARATOR)
                    self.tokens.append((name, value))
            found = np.array([self._number[t] for t in parts], dtype=np.int64)
            if len(self._keys) < 100_000:
                self._keys[key] = found
            return found


_pack_vocabularies: dict[str, _PackVocabulary] = {pack: _PackVocabulary() for pack in PACKS}


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("kind", tokenizer_name="raw")
    sb.add_text_field("uid", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("access", tokenizer_name="raw")
    sb.add_text_field("state", tokenizer_name="raw")
    # decision documents only: the tier, and "tier:state" (a decision search's scope clause)
    sb.add_text_field("d_access", tokenizer_name="raw")
    sb.add_text_field("d_scope", tokenizer_name="raw")
    # decision documents
    sb.add_text_field("all", tokenizer_name=TOKENIZER)
    # the stems of "all" (decision documents) and of "text" (paragraph documents), apart so that
    # a decision query's postings hold decision documents only
    sb.add_text_field("all_stem", tokenizer_name=TOKENIZER)
    sb.add_text_field("stem", tokenizer_name=TOKENIZER)
    sb.add_text_field("court_text", tokenizer_name=TOKENIZER)
    sb.add_text_field("provision_text", tokenizer_name=TOKENIZER)
    sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("court", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("country", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("date", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("summary", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("date_display", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("case_name", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year_num", indexed=True, fast=True)
    sb.add_integer_field("date_desc", fast=True)
    sb.add_integer_field("date_asc", fast=True)
    sb.add_integer_field("updated", fast=True, indexed=True)
    for name in FACETS:
        sb.add_text_field(
            _facet_field(name), tokenizer_name="raw", fast=True, stored=name == "has_text"
        )
    for pack in PACKS:
        sb.add_text_field(_pack_field(pack), tokenizer_name="raw", fast=True, index_option="basic")
    for name in PACK_OF:
        sb.add_text_field(_extra_field(name), tokenizer_name="raw", fast=True, index_option="basic")
    # paragraph documents
    sb.add_text_field("text", stored=True, tokenizer_name=TOKENIZER)
    sb.add_text_field("lang", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("num", stored=True)
    return sb.build()


def _analyzer() -> tantivy.TextAnalyzer:
    # Same tokens as search.query.tokens(): split on non-alphanumerics, lowercase, fold accents.
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _date_int(d: dt.date | None) -> int | None:
    return d.year * 10000 + d.month * 100 + d.day if d else None


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def micros(t: dt.datetime) -> int:
    """Microseconds since the epoch, exactly (no float rounding)."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return (t - _EPOCH) // dt.timedelta(microseconds=1)


def _languages(params: SearchParams) -> tuple[str, ...]:
    """The languages a query's words are analysed for: the language filter's, else all."""
    return tuple(sorted(params.filters.get("language", ())))


class TantivyBackend:
    name = "tantivy"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.schema = _schema()
        self.analyzer = _analyzer()
        self._index: tantivy.Index | None = None
        self._pid = os.getpid()  # the process that opened ``_index``
        self._loaded: tuple[int, int, int] | None = None  # meta.json as last loaded
        self._open_lock = threading.Lock()

    # --- index files -------------------------------------------------------------------------

    def _meta(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.path / META_FILE).read_text("utf-8"))
            return data
        except (OSError, ValueError):
            return {}

    def _schema_ok(self) -> bool:
        return self._meta().get("schema_version") == SCHEMA_VERSION and tantivy.Index.exists(
            str(self.path)
        )

    def _commit_stamp(self) -> tuple[int, int, int] | None:
        """Identifies the last commit: tantivy replaces ``meta.json`` on every commit."""
        try:
            st = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _reload_if_committed(self, index: tantivy.Index) -> None:
        """Reload the reader when any process committed since it was last loaded."""
        stamp = self._commit_stamp()
        if stamp != self._loaded:
            # The stamp is taken before reloading: a commit in between is seen next time.
            index.reload()
            self._loaded = stamp

    def _open(self, *, create: bool = False) -> tantivy.Index | None:
        """The index, opened once per process; None when there is none yet (and not create)."""
        with self._open_lock:
            if self._index is not None and self._pid != os.getpid():
                # Opened by the process this one was forked from: its reader and threads do not
                # belong to this process. Open afresh.
                self._index, self._loaded = None, None
            if self._index is not None and create and not self._schema_ok():
                # A writer finds the files replaced by an index of another schema version since
                # this process opened them: start afresh rather than write into it.
                self._index, self._loaded = None, None
            if self._index is not None:
                return self._index
            if not self._schema_ok():
                if not create:
                    return None
                # A missing or older index: start afresh (the caller holds the writer lock).
                if self.path.exists():
                    for child in self.path.iterdir():
                        if child.name == LOCK_FILE:
                            continue
                        if child.is_dir():
                            shutil.rmtree(child)
                        else:
                            child.unlink()
                self.path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
                (self.path / META_FILE).write_text(
                    json.dumps({"schema_version": SCHEMA_VERSION}), "utf-8"
                )
            else:
                index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            index.register_tokenizer(TOKENIZER, self.analyzer)
            index.config_reader(reload_policy="manual")
            self._loaded = self._commit_stamp()
            index.reload()
            self._index, self._pid = index, os.getpid()
            return index

    @contextlib.contextmanager
    def _writer(self, *, heap: int = 64_000_000, threads: int = 1) -> Iterator[Any]:
        """The index writer, under an inter-process lock with a bounded wait."""
        self.path.mkdir(parents=True, exist_ok=True)
        timeout = float(getattr(settings, "CICNET_INDEX_LOCK_TIMEOUT", 30))
        deadline = time.monotonic() + timeout
        with open(self.path / LOCK_FILE, "a+") as fh:
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"The search index at {self.path} is being written by another "
                            f"process; waited {timeout:g} s (CICNET_INDEX_LOCK_TIMEOUT). Try again."
                        ) from exc
                    time.sleep(0.05)
            try:
                index = self._open(create=True)
                assert index is not None
                writer = index.writer(heap_size=heap, num_threads=threads)
                try:
                    yield writer
                    writer.commit()
                except BaseException:
                    writer.rollback()
                    raise
                finally:
                    # Releases tantivy's own writer lock before ours.
                    writer.wait_merging_threads()
                self._reload_if_committed(index)
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    # --- writing -----------------------------------------------------------------------------

    def _documents(self, rec: DecisionRecord) -> Iterator[tantivy.Document]:
        common = {"uid": rec.uid, "access": rec.access, "state": rec.state}
        date = _date_int(rec.decision_date)
        stems = [stem_text(p.language, p.body) for p in rec.paragraphs]
        doc = tantivy.Document(
            kind="d",
            d_access=rec.access,
            d_scope=f"{rec.access}:{rec.state}",
            all=[rec.meta_text, rec.summary, rec.provision_text] + [p.body for p in rec.paragraphs],
            all_stem=[
                stem_text(
                    DEFAULT_LANGUAGE, "\n".join([rec.meta_text, rec.summary, rec.provision_text])
                ),
                *stems,
            ],
            court_text=rec.court_text or rec.court,
            provision_text=rec.provision_text,
            title=rec.title,
            court=rec.court,
            country=rec.country,
            date=rec.decision_date.isoformat() if rec.decision_date else "",
            summary=rec.summary,
            date_display=rec.date_display,
            case_name=rec.case_name,
            date_desc=date if date is not None else MISSING_DATE_DESC,
            date_asc=date if date is not None else MISSING_DATE_ASC,
            updated=micros(rec.updated_at),
            **common,
        )
        if rec.year is not None:
            doc.add_integer("year_num", rec.year)
        for name in FACETS:
            for value in rec.facets.get(name, []):
                doc.add_text(_facet_field(name), value)
        for pack, names in PACKS.items():
            key, extra = _pack_values(rec.facets, rec.facet_base, names)
            if key is not None:
                doc.add_text(_pack_field(pack), key)
            for name, values in extra.items():
                for value in values:
                    doc.add_text(_extra_field(name), value)
        yield doc
        for p, stemmed in zip(rec.paragraphs, stems, strict=True):
            yield tantivy.Document(
                kind="p", text=p.body, stem=stemmed, lang=p.language, num=p.number, **common
            )

    def index_decisions(self, decisions: Iterable[DecisionRecord | Any]) -> int:
        n = 0
        with self._writer() as writer:
            for rec in as_records(decisions):
                writer.delete_documents_by_term("uid", rec.uid)
                for doc in self._documents(rec):
                    writer.add_document(doc)
                n += 1
        return n

    def remove(self, uids: Iterable[str]) -> int:
        uid_list = list(uids)
        if not uid_list or self._open() is None:
            return 0
        with self._writer() as writer:
            for uid in uid_list:
                writer.delete_documents_by_term("uid", uid)
        return len(uid_list)

    def rebuild(self, decisions: Iterable[DecisionRecord] | None = None) -> int:
        n = 0
        records = all_records() if decisions is None else decisions
        with self._writer(heap=rebuild_heap_bytes(), threads=min(2, os.cpu_count() or 1)) as writer:
            writer.delete_all_documents()
            for rec in records:
                for doc in self._documents(rec):
                    writer.add_document(doc)
                n += 1
        return n

    def indexed_stamps(self, uids: Iterable[str]) -> dict[str, int]:
        index = self._open()
        if index is None:
            return {}
        self._reload_if_committed(index)
        searcher = index.searcher()
        Q, Must = tantivy.Query, tantivy.Occur.Must
        kind_d = Q.term_query(self.schema, "kind", "d")
        out: dict[str, int] = {}
        for uid in uids:
            query = Q.boolean_query([(Must, kind_d), (Must, Q.term_query(self.schema, "uid", uid))])
            res = searcher.search(query, 1, order_by_field="updated", order=tantivy.Order.Desc)
            if res.hits and res.hits[0][0] is not None:
                out[uid] = int(res.hits[0][0])
        return out

    def status(self) -> dict[str, Any]:
        index = self._open()
        if index is None:
            return {
                "backend": self.name,
                "path": str(self.path),
                # An index of another schema version is not opened, but it is there.
                "exists": (self.path / "meta.json").exists(),
                "schema_ok": False,
                "decisions": 0,
                "max_updated_at": None,
                "documents": 0,
            }
        self._reload_if_committed(index)
        searcher = index.searcher()
        kind_d = tantivy.Query.term_query(self.schema, "kind", "d")
        count = int(getattr(searcher.search(kind_d, 1, count=True), "count", 0) or 0)
        max_updated = None
        if count:
            res = searcher.search(kind_d, 1, order_by_field="updated", order=tantivy.Order.Desc)
            value = res.hits[0][0] if res.hits else None
            if value is not None:
                max_updated = _EPOCH + dt.timedelta(microseconds=int(value))
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return {
            "backend": self.name,
            "path": str(self.path),
            "exists": True,
            "schema_ok": self._schema_ok(),
            "decisions": count,
            "max_updated_at": max_updated,
            "documents": searcher.num_docs,
            "segments": searcher.num_segments,
            "size_bytes": size,
        }

    # --- reading -----------------------------------------------------------------------------

    def _tokens(self, word: str) -> list[str]:
        return self.analyzer.analyze(word)

    def _text(self, field: str, words: tuple[str, ...] | list[str]) -> tantivy.Query:
        toks = [t for w in words for t in self._tokens(w)]
        if not toks:
            return tantivy.Query.empty_query()
        if len(toks) == 1:
            return tantivy.Query.term_query(self.schema, field, toks[0])
        return tantivy.Query.phrase_query(self.schema, field, list[str | tuple[int, str]](toks))

    def _leaf(
        self, node: q.Term | q.Phrase, field: str, languages: tuple[str, ...] = ()
    ) -> tantivy.Query:
        if isinstance(node, q.Term):
            if node.prefix:
                toks = self._tokens(node.word) or [node.word]
                return tantivy.Query.regex_query(self.schema, field, f"{toks[0]}.*")
            # A word: its exact token, or any word form (its stem in any language searched).
            exact = self._text(field, [node.word])
            if node.exact:
                return exact
            stems = query_stems(node.word, languages)
            Q, Should = tantivy.Query, tantivy.Occur.Should
            stem_field = STEM_FIELD[field]
            return Q.boolean_query(
                [
                    (Should, exact),
                    *((Should, Q.term_query(self.schema, stem_field, s)) for s in stems),
                ]
            )
        # A quoted phrase keeps its exact forms.
        return self._text(field, node.words)

    def _translate(self, node: q.Node, langs: tuple[str, ...] = ()) -> tantivy.Query:
        Q, Occur = tantivy.Query, tantivy.Occur
        if isinstance(node, q.Term | q.Phrase):
            return self._leaf(node, "all", langs)
        if isinstance(node, q.FieldMatch):
            f = node.field
            if f == "year":
                return self._years(node.low, node.high)
            if f in ("court", "provision_text"):
                # words of the court's names or of the provisions: scored like the text's
                field = "court_text" if f == "court" else "provision_text"
                return self._text(field, node.values[0].split())
            return self._filter(self._any_of(_facet_field(f), node.values))
        if isinstance(node, q.Not):
            return Q.boolean_query(
                [(Occur.Must, Q.all_query()), (Occur.MustNot, self._translate(node.child, langs))]
            )
        if isinstance(node, q.And):
            clauses = []
            positives = 0
            for c in node.children:
                if isinstance(c, q.Not):
                    clauses.append((Occur.MustNot, self._translate(c.child, langs)))
                else:
                    clauses.append((Occur.Must, self._translate(c, langs)))
                    positives += 1
            if not positives:
                clauses.append((Occur.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        assert isinstance(node, q.Or)
        return Q.boolean_query([(Occur.Should, self._translate(c, langs)) for c in node.children])

    def _any_of(self, field: str, values: Iterable[str]) -> tantivy.Query:
        """``field`` is one of ``values``: a union of term queries. (tantivy's term_set_query
        builds a bitset over every document of the index per query, which cost ~5 ms per call
        at 2.5M documents; term postings are skipped through instead.)"""
        Q = tantivy.Query
        terms = [Q.term_query(self.schema, field, v) for v in sorted(set(values))]
        if len(terms) == 1:
            return terms[0]
        return Q.boolean_query([(tantivy.Occur.Should, t) for t in terms])

    @staticmethod
    def _filter(query: tantivy.Query) -> tantivy.Query:
        """``query`` as a clause that selects without scoring. A filter's terms scored with BM25
        cost the scorer's work on every match (the scope clause alone: about 1 ms of "detention
        police" at 100,000 decisions) and, on a field of several values (``crime``), would rank
        a decision higher the fewer values it holds."""
        return tantivy.Query.const_score_query(query, 0.0)

    def _years(self, low: int | None, high: int | None) -> tantivy.Query:
        """Decisions of the years from ``low`` to ``high`` (either open), as a filter."""
        return self._filter(
            tantivy.Query.range_query(
                self.schema,
                "year_num",
                tantivy.FieldType.Integer,
                low if low is not None else q.YEAR_MIN,
                high if high is not None else q.YEAR_MAX,
            )
        )

    def _scope_clauses(self, scope: DecisionScope) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        Q, Must = tantivy.Query, tantivy.Occur.Must
        clauses = [(Must, self._filter(self._any_of("access", scope.tiers)))]
        if scope.published_only:
            clauses.append((Must, self._filter(Q.term_query(self.schema, "state", "published"))))
        return clauses

    def _decision_scope(self, scope: DecisionScope) -> tantivy.Query:
        """The decision documents ``scope`` admits, from decision-only fields (so also "this is
        a decision document"): their postings list 100,000 documents where ``access`` and
        ``state``, shared with the paragraphs, list 2.5 million."""
        if not scope.tiers:
            return tantivy.Query.empty_query()
        if scope.published_only:
            return self._any_of("d_scope", [f"{tier}:published" for tier in scope.tiers])
        return self._any_of("d_access", scope.tiers)

    def _decision_query(
        self, params: SearchParams, scope: DecisionScope, parsed: q.ParsedQuery
    ) -> tantivy.Query:
        Q, Must = tantivy.Query, tantivy.Occur.Must
        clauses = [(Must, self._filter(self._decision_scope(scope)))]
        text = self._translate(parsed.root, _languages(params)) if parsed.root is not None else None
        if params.extra_uids:
            extra = self._any_of("uid", params.extra_uids)
            text = (
                extra
                if text is None
                else Q.boolean_query([(tantivy.Occur.Should, text), (tantivy.Occur.Should, extra)])
            )
        if text is not None:
            clauses.append((Must, text))
        if params.only_uids is not None:
            clauses.append(
                (
                    Must,
                    self._filter(self._any_of("uid", params.only_uids))
                    if params.only_uids
                    else Q.empty_query(),
                )
            )
        for name, values in params.filters.items():
            if values:
                clauses.append((Must, self._filter(self._any_of(_facet_field(name), values))))
        if params.year_from is not None or params.year_to is not None:
            clauses.append((Must, self._years(params.year_from, params.year_to)))
        if params.decision_uid:
            clauses.append(
                (Must, self._filter(Q.term_query(self.schema, "uid", params.decision_uid)))
            )
        return Q.boolean_query(clauses)

    def search(self, params: SearchParams, scope: DecisionScope) -> SearchPage:
        parsed = q.parse(params.q)
        if not params.match_words:
            parsed = parsed.fields_only()
        index = self._open()
        wanted = facet_names(params)
        empty = SearchPage(
            count=0,
            hits=(),
            facets={n: () for n in wanted},
            page=params.page,
            page_size=params.page_size,
        )
        if index is None or not scope.tiers:
            return empty
        self._reload_if_committed(index)
        searcher = index.searcher()
        query = self._decision_query(params, scope, parsed)
        # The facets are counted first, in other threads, while this one finds the page.
        counting = self._count_facets(searcher, params, scope, parsed, query, wanted)
        offset = (params.page - 1) * params.page_size
        sort = params.sort
        if sort == "relevance" and not parsed.positive_text():
            sort = "date_desc"
        if sort == "relevance":
            result = searcher.search(query, params.page_size, count=True, offset=offset)
        else:
            field, order = (
                ("date_desc", tantivy.Order.Desc)
                if sort == "date_desc"
                else ("date_asc", tantivy.Order.Asc)
            )
            result = searcher.search(
                query,
                params.page_size,
                count=True,
                offset=offset,
                order_by_field=field,
                order=order,
            )
        leaves = parsed.positive_text()
        docs = [(score, searcher.doc(address)) for score, address in result.hits]
        snippets_of: dict[str, tuple[Snippet, ...]] = {}
        if leaves and params.snippets and docs:
            snippets_of = self._snippets(
                searcher,
                scope,
                {str(doc.get_first("uid")): doc.get_first("summary") or "" for _, doc in docs},
                leaves,
                many=bool(params.decision_uid),
                langs=_languages(params),
            )
        hits = []
        for score, doc in docs:
            uid = str(doc.get_first("uid"))
            snippets = snippets_of.get(uid, ())
            hits.append(
                Hit(
                    uid=uid,
                    title=doc.get_first("title") or "",
                    court=doc.get_first("court") or "",
                    country=doc.get_first("country") or "",
                    decision_date=doc.get_first("date") or None,
                    score=float(score) if sort == "relevance" and score is not None else 0.0,
                    snippets=snippets,
                    date_display=doc.get_first("date_display") or "",
                    case_name=doc.get_first("case_name") or "",
                    has_text=doc.get_first(_facet_field("has_text")) or "",
                )
            )
        facets: dict[str, tuple[FacetValue, ...]] = {}
        for part in counting:
            facets.update(part.result())
        facets = {name: facets[name] for name in wanted}
        count = int(getattr(result, "count", 0) or 0)
        return SearchPage(
            count=count,
            hits=tuple(hits),
            facets=facets,
            page=params.page,
            page_size=params.page_size,
        )

    def _count_facets(
        self,
        searcher: tantivy.Searcher,
        params: SearchParams,
        scope: DecisionScope,
        parsed: q.ParsedQuery,
        query: tantivy.Query,
        wanted: tuple[str, ...],
    ) -> list[Future[dict[str, tuple[FacetValue, ...]]]]:
        """The counts of the ``wanted`` facets' values, started on ``facet_pool`` (here, one
        after the other, on a single core). Values of one facet are ORed, so a facet with ticked
        values is counted under every filter but its own: ticking France keeps Germany visible,
        with its count."""
        active = [n for n, v in params.filters.items() if v and n in wanted]
        pool = facet_pool()
        # The facets without ticked values in one job: each job walks the query's matches once
        # (decision 0190, amended by 0191).
        jobs = [(query, [n for n in wanted if n not in active])]
        for name in active:
            others = replace(params, filters={k: v for k, v in params.filters.items() if k != name})
            jobs.append((self._decision_query(others, scope, parsed), [name]))
        parts: list[Future[dict[str, tuple[FacetValue, ...]]]] = []
        for job_query, names in jobs:
            if not names:
                continue
            if pool is not None:
                parts.append(pool.submit(self._facets, searcher, job_query, names))
            else:
                done: Future[dict[str, tuple[FacetValue, ...]]] = Future()
                done.set_result(self._facets(searcher, job_query, names))
                parts.append(done)
        return parts

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, names: list[str]
    ) -> dict[str, tuple[FacetValue, ...]]:
        """The counts of the facets ``names`` under ``query``: one aggregation request
        (``facet_aggregations``), each pack's keys summed per value, plus the values counted
        outside a key. Counts are of decisions either way: a decision holds a value once, in its
        key or outside it. A pack whose keys did not all come back (more than ``PACK_KEYS`` in a
        segment) has its facets counted from their values, in a second request."""
        if not names:
            return {}
        aggs, packs = facet_aggregations(names)
        result = searcher.aggregate(query, aggs)
        whole = {
            pack
            for pack in packs
            if int(result.get("p:" + pack, {}).get("sum_other_doc_count") or 0)
        }
        if whole:
            by_values = [name for pack in whole for name in packs[pack]]
            result.update(
                searcher.aggregate(query, {n: _terms(_facet_field(n)) for n in by_values})
            )
        out: dict[str, tuple[FacetValue, ...]] = {}
        for pack, members in packs.items():
            if pack not in whole:
                out.update(_summed(pack, members, result))
        for name in names:
            if name not in out:
                buckets = result.get(name, {}).get("buckets", [])
                out[name] = _facet_values(
                    name, ((str(b["key"]), int(b["doc_count"])) for b in buckets)
                )
        return out

    def _snippets(
        self,
        searcher: tantivy.Searcher,
        scope: DecisionScope,
        summaries: dict[str, str],
        leaves: list[q.Term | q.Phrase],
        *,
        many: bool,
        langs: tuple[str, ...] = (),
    ) -> dict[str, tuple[Snippet, ...]]:
        """The best-matching paragraphs of each decision of ``summaries`` (uid -> summary, the
        page's hits), highlighted; the summary when no paragraph matched.

        One search for the whole page: the top paragraphs of all its decisions, grouped by
        decision. BM25 scores do not depend on which decisions are asked for, so a decision's
        best paragraphs among them are its best overall; only a decision with fewer than it
        needs when that search was cut off is asked again on its own."""
        Q, Occur = tantivy.Query, tantivy.Occur
        limit = SNIPPETS_IN_DECISION if many else SNIPPETS_PER_HIT
        text_q = Q.boolean_query(
            [(Occur.Should, self._leaf(leaf, "text", langs)) for leaf in leaves]
        )

        def top(uids: list[str], n: int) -> tuple[dict[str, list[Any]], bool]:
            query = Q.boolean_query(
                [
                    (Occur.Must, self._filter(Q.term_query(self.schema, "kind", "p"))),
                    (Occur.Must, self._filter(self._any_of("uid", uids))),
                    *self._scope_clauses(scope),
                    (Occur.Must, text_q),
                ]
            )
            found = searcher.search(query, n, count=False).hits
            grouped: dict[str, list[Any]] = {}
            full = 0
            for _score, address in found:
                doc = searcher.doc(address)
                rows = grouped.setdefault(str(doc.get_first("uid")), [])
                if len(rows) < limit:
                    rows.append(doc)
                    full += len(rows) == limit
                    if full == len(uids):  # every decision has its snippets: read no further
                        break
            return grouped, len(found) >= n

        uids = list(summaries)
        batch = limit * len(uids) * PAGE_SNIPPET_DEPTH if len(uids) > 1 else limit
        grouped, cut = top(uids, batch)
        if cut and len(uids) > 1:
            for uid in uids:
                if len(grouped.get(uid, ())) < limit:
                    grouped.update(top([uid], limit)[0])
        out: dict[str, tuple[Snippet, ...]] = {}
        for uid, summary in summaries.items():
            snippets: list[Snippet] = []
            for doc in grouped.get(uid, ()):
                lang = doc.get_first("lang") or ""
                html = highlight(
                    doc.get_first("text") or "", leaves, language=lang, languages=langs
                )
                if html:
                    snippets.append(
                        Snippet(language=lang, paragraph=int(doc.get_first("num") or 0), html=html)
                    )
            if not snippets and summary:
                html = highlight(summary, leaves, languages=langs)
                if html:
                    snippets.append(
                        Snippet(language="en", paragraph=0, html=html, source="summary")
                    )
            out[uid] = tuple(snippets)
        return out


def _terms(field: str, size: int = FACET_SIZE) -> dict[str, Any]:
    return {"terms": {"field": field, "size": size}}


def facet_aggregations(names: Iterable[str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The aggregation request that counts the facets ``names``, and the packs it counts them
    from (pack -> its facets among ``names``). A pack is counted (``p:<pack>``, with ``x:<facet>``
    for the values outside its keys) when several of its facets are asked for or one of several
    values per decision; a lone single-valued facet from its own column (``<facet>``), which
    returns fewer buckets for the same cost."""
    wanted = list(names)
    aggs: dict[str, Any] = {}
    packs: dict[str, list[str]] = {}
    for name in wanted:
        pack = PACK_OF.get(name)
        members = [n for n in PACKS[pack] if n in wanted] if pack else []
        if pack is not None and (len(members) > 1 or name in MULTI_VALUED):
            if pack not in packs:
                packs[pack] = members
                aggs["p:" + pack] = _terms(_pack_field(pack), PACK_KEYS)
            aggs["x:" + name] = _terms(_extra_field(name))
        else:
            aggs[name] = _terms(_facet_field(name))
    return aggs, packs


def _summed(
    pack: str, names: list[str], result: dict[str, Any]
) -> dict[str, tuple[FacetValue, ...]]:
    """The facets ``names`` of ``pack`` with their counts: each key's count added to each of its
    values, then the values counted outside a key; by count, then value, as many as
    ``FACET_SIZE`` (the order and the cut of a terms aggregation)."""
    vocabulary = _pack_vocabularies[pack]
    buckets = result.get("p:" + pack, {}).get("buckets", [])
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    if buckets:
        parts = [vocabulary.numbers(str(b["key"])) for b in buckets]
        weights = np.repeat(
            np.array([int(b["doc_count"]) for b in buckets], dtype=np.int64),
            [len(p) for p in parts],
        )
        summed = np.bincount(np.concatenate(parts), weights=weights).astype(np.int64)
        tokens = vocabulary.tokens
        for number in np.flatnonzero(summed).tolist():
            name, value = tokens[number]
            if name in counts:
                counts[name][value] = int(summed[number])
    out: dict[str, tuple[FacetValue, ...]] = {}
    for name in names:
        mine = counts[name]
        for b in result.get("x:" + name, {}).get("buckets", []):
            value = str(b["key"])
            mine[value] = mine.get(value, 0) + int(b["doc_count"])
        ranked = sorted(mine.items(), key=lambda vc: (-vc[1], vc[0]))[:FACET_SIZE]
        out[name] = _facet_values(name, ranked)
    return out


def _facet_values(name: str, counted: Iterable[tuple[str, int]]) -> tuple[FacetValue, ...]:
    """Facet ``name``'s (value, count) pairs as labelled facet values, in their order."""
    return tuple(FacetValue(value=v, label=facet_label(name, v), count=c) for v, c in counted)
