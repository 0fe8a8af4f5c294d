"""The PostgreSQL full-text search backend, for deployments with several app servers sharing
one PostgreSQL database (docs/deploy.md).

Tables (migrations ``search/0001``, ``0004`` to ``0006``): ``search_pg_decision`` (one row per
decision: scope, sort keys, facet values as ``text[]``, a ``tsvector`` of metadata, summary and
cited provisions; its scope index covers what a search reads of every decision in scope) and
``search_pg_paragraph`` (one row per paragraph with its ``tsvector`` s, read only by its
decision's ``uid``: no index on its words). tsvectors are built from ``search.query.tokens``
(the same tokens the tantivy backend and the query parser use) with the ``simple``
configuration, so both backends match the same documents.

A query matches at decision level (docs/decisions/0160): each word or prefix of the query is
one GIN lookup in ``search_pg_words`` (every lexeme of the decision, search/postgres_words.py),
a phrase is checked on the paragraphs of the decisions holding all its words; they are combined
with the query's AND/OR/NOT. One statement returns the count, the matching decisions' row
numbers (their facet ids, kept by number in each worker, are counted here: ``_FacetIds``; a
ticked facet's under the other filters, see ``_PAGE``) and the page.
Relevance is the metadata's ``ts_rank`` plus the number of matching paragraphs, scored exactly
for the decisions with the most paragraphs up to ``RANK_PARAGRAPHS`` paragraphs (all of them
when the matches are few). Snippets: the best paragraphs (by
``ts_rank``) of the decisions on the page, marked by ``search.snippets`` (HTML-escaped
``<mark>``), like the tantivy backend.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from django.db import connection, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

from cicnet.access.policy import DecisionScope
from cicnet.search import query as q
from cicnet.search.analysis import DEFAULT_LANGUAGE, query_stems, stem_text
from cicnet.search.documents import DecisionRecord, all_records, as_records
from cicnet.search.labels import facet_label
from cicnet.search.postgres_words import facet_ids, facet_keys, fill_words
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

SNIPPETS_PER_HIT = 3
SNIPPETS_IN_DECISION = 100
_LOCK_KEY = 7_351_002  # pg_advisory_xact_lock key serialising index writers
BATCH = 200
# Relevance is scored exactly for the matching decisions with the most paragraphs, up to this many
# paragraphs and decisions: every matching decision when they are few (docs/decisions/0160).
RANK_PARAGRAPHS = 5_000
RANK_DECISIONS = 1_000
# A field of the query with more values than this (crime:war_crimes) is looked up in the
# facet_keys index first, like a word.
FEW_KEYS = 8
# The page of a search, with the count and the numbers of all matching decisions (``m``; a
# number stands for one row's facet ids, ``_FacetIds``). A facet with ticked values is counted
# under every filter but its own (values of one facet are ORed): ``b`` holds the decisions that
# pass all ticked facets but at most one, flagged per ticked facet (``k0``, ``k1`` …), and
# ``ticked`` each such facet's numbers; one statement, where each ticked facet took one more,
# matching the query's words again.
_PAGE = (
    "WITH b AS MATERIALIZED (SELECT d.uid, d.date_key, d.paragraphs, {numbers} AS n"
    "{flags} FROM search_pg_decision d WHERE {where}), m AS (SELECT * FROM b WHERE {in_m}), "
    "{page}, agg AS (SELECT count(*) FILTER (WHERE {in_m}) AS n, string_agg(int4send(b.n), "
    "''::bytea) FILTER (WHERE {in_m}) AS blob, ARRAY[{ticked}]::bytea[] AS ticked FROM b) "
    "SELECT agg.n, CASE WHEN pg.k IS NULL OR pg.k = 1 THEN agg.blob END, (SELECT "
    "array_agg(ARRAY[v.id::text, v.facet, v.value]) FROM search_pg_facet_value v "
    "WHERE v.id > %s), CASE WHEN pg.k IS NULL OR pg.k = 1 THEN agg.ticked END, d.uid, d.title, "
    "d.court, d.country, d.decision_date, d.summary, d.date_display, d.case_name, d.f_has_text, "
    "pg.score, pg.top FROM agg LEFT JOIN pg ON true LEFT JOIN search_pg_decision d "
    "ON d.uid = pg.uid ORDER BY pg.k"
)
_BY_DATE = (
    "pg AS (SELECT x.uid, 0.0::float8 AS score, NULL::bigint[] AS top, row_number() OVER "
    "(ORDER BY x.{order}, x.uid) "
    "AS k FROM (SELECT m.uid, m.date_key FROM m ORDER BY m.{order}, m.uid LIMIT %s OFFSET %s) x)"
)
# The order of a decision's paragraphs for its snippets (``{p_rank}``: their rank for the query),
# the same in the ranking's pass (``_RELEVANCE``) and in the snippets' own statement.
_SNIPPET_ORDER = "{p_rank} DESC, p.language, p.number"
# Relevance: the matching decisions with the most paragraphs, at most RANK_DECISIONS of them and
# RANK_PARAGRAPHS paragraphs in all, get the exact score (metadata rank + matching paragraphs, as
# before 0160) and come first; the rest follow by paragraph count. Only the first
# max(RANK_DECISIONS, offset + page size) decisions by paragraph count can be on the page (``t``).
# The pass that counts a scored decision's matching paragraphs also keeps the ids of its best
# ones (``top``, by the snippets' order), so its snippets need no second pass over its
# paragraphs; ``top`` is NULL for a decision that was not scored.
_RELEVANCE = (
    "t AS (SELECT m.uid, m.date_key, m.paragraphs FROM m ORDER BY m.paragraphs DESC, "
    "m.date_key DESC NULLS LAST, m.uid LIMIT %s), "
    "o AS (SELECT t.uid, t.date_key, t.paragraphs, sum(t.paragraphs) OVER w - t.paragraphs "
    "AS before, row_number() OVER w AS pos FROM t WINDOW w AS (ORDER BY t.paragraphs DESC, "
    "t.date_key DESC NULLS LAST, t.uid)), "
    "w AS MATERIALIZED (SELECT o.uid, (SELECT ts_rank(d.meta_tsv, to_tsquery('simple', %s)) FROM "
    "search_pg_decision d WHERE d.uid = o.uid) + s.n AS score, s.top FROM o, LATERAL (SELECT "
    f"count(*) AS n, COALESCE((array_agg(p.id ORDER BY {_SNIPPET_ORDER}))"
    "[1:%s::integer], '{{}}') AS top FROM search_pg_paragraph p WHERE p.uid = o.uid "
    "AND {p_match}) s WHERE o.before < %s AND o.pos <= %s), "
    "r AS (SELECT o.uid, o.date_key, (w.uid IS NOT NULL) AS in_w, CASE WHEN w.uid IS NULL "
    "THEN o.paragraphs ELSE 0 END AS bound, COALESCE(w.score, 0) AS score, w.top FROM o "
    "LEFT JOIN w ON w.uid = o.uid "
    "ORDER BY in_w DESC, score DESC, bound DESC, o.date_key DESC NULLS LAST, o.uid "
    "LIMIT %s OFFSET %s), "
    "pg AS (SELECT r.uid, r.score, r.top, row_number() OVER (ORDER BY r.in_w DESC, "
    "r.score DESC, r.bound DESC, r.date_key DESC NULLS LAST, r.uid) AS k FROM r)"
)
# The best paragraphs of decisions the ranking did not score (sorted by date, or below the
# scored ones), by the same order.
_SNIPPETS = (
    "SELECT uid, language, number, body FROM (SELECT p.uid, p.language, p.number, p.body, "
    f"row_number() OVER (PARTITION BY p.uid ORDER BY {_SNIPPET_ORDER}) AS rn "
    "FROM search_pg_paragraph p WHERE p.uid = ANY(%s) AND {p_match}) x WHERE rn <= %s "
    "ORDER BY uid, rn"
)


def _tsv_text(text: str) -> str:
    return " ".join(q.tokens(text))


def _leaf_tsquery(node: q.Term | q.Phrase) -> str:
    # Tokens are letters and digits only, so quoting them is safe.
    if isinstance(node, q.Term):
        return f"'{node.word}':*" if node.prefix else f"'{node.word}'"
    return "(" + " <-> ".join(f"'{w}'" for w in node.words) + ")"


def _stem_tsquery(node: q.Term | q.Phrase, languages: tuple[str, ...]) -> str | None:
    """The word forms of a plain word (its stems in the languages searched); None for a
    phrase or a prefix, which match exact forms only."""
    if isinstance(node, q.Phrase) or node.prefix or node.exact:
        return None
    return " | ".join(f"'{s}'" for s in query_stems(node.word, languages))


def _phrase_tsquery(words: str) -> str:
    return " <-> ".join(f"'{w}'" for w in words.split())


def _languages(params: SearchParams) -> tuple[str, ...]:
    return tuple(sorted(params.filters.get("language", ())))


@dataclass(frozen=True)
class _Leaf:
    """A word, prefix or phrase of the query, or many facet keys: the call of the
    migration-0007 function that lists the numbers of the decisions holding it (run with
    sequential scans off: for a common word the planner would otherwise read and decompress
    every decision's words)."""

    call: str
    args: tuple[str, ...]
    # The call returns decision numbers, made a bitmap (``_bitmap``); else a string of uids
    # separated by spaces (a phrase: see ``_translate``).
    bitmap: bool = True


def _bitmap(ords: bytes | memoryview | None) -> bytes:
    """The bitmap of these decision numbers (4-byte big-endian each, repeats allowed): bit
    ``ord`` is the lowest bit of byte ``ord // 8`` plus ``ord % 8``, as ``get_bit`` reads it
    (``search_pg_has``, migration ``search/0007``)."""
    numbers = np.frombuffer(bytes(ords or b""), dtype=">i4")
    if not numbers.size:
        return b""
    bits = np.zeros(int(numbers.max()) + 1, dtype=bool)
    bits[numbers] = True
    return np.packbits(bits, bitorder="little").tobytes()


def _resolve(cursor: Any, args: list[Any], found: dict[_Leaf, bytes | str]) -> list[Any]:
    """``args`` with each leaf replaced by the decisions holding it (a bitmap, or uids); the
    leaves not in ``found`` are looked up in one statement."""
    missing = list(dict.fromkeys(a for a in args if isinstance(a, _Leaf) and a not in found))
    if missing:
        cursor.execute(
            "SELECT " + ", ".join(leaf.call for leaf in missing),
            [a for leaf in missing for a in leaf.args],
        )
        values = cursor.fetchone()
        found.update(
            (leaf, _bitmap(v) if leaf.bitmap else v)
            for leaf, v in zip(missing, values, strict=True)
        )
    return [found[a] if isinstance(a, _Leaf) else a for a in args]


def _reads_rows(node: q.Node) -> bool:
    """Whether ``node`` holds a condition read from the decision rows themselves (a phrase, a
    court or provision phrase). Then the query's words come as lists of uids, not bitmaps, so
    that PostgreSQL can fetch the candidates by primary key: with bitmaps it read every decision
    in scope from the table ("court:appeal torture": 119-134 ms against 28-34 with lists)."""
    if isinstance(node, q.Phrase):
        return True
    if isinstance(node, q.FieldMatch):
        return node.field in ("court", "provision_text")
    if isinstance(node, q.Not):
        return _reads_rows(node.child)
    if isinstance(node, q.And | q.Or):
        return any(_reads_rows(c) for c in node.children)
    return False


class _UnpreparedCursor(psycopg.Cursor[Any]):
    """Never a prepared statement, whatever ``prepare_threshold`` the deployment sets: a
    prepared statement may get a generic plan, in which a word's list of uids is a parameter
    the executor cannot hash, and each decision row would search the list one by one."""

    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Any:
        return super().execute(query, params, prepare=False, binary=binary)


class _LoggedCursor(CursorDebugWrapper):
    """Django's query log for a statement bound on the server: psycopg keeps only the text it
    sent ("$1", "$2" …), so the log would show neither the words nor the filters; this one logs
    the statement with its parameters in place, as Django shows its own statements."""

    @contextlib.contextmanager
    def debug_sql(
        self,
        sql: Any = None,
        params: Any = None,
        use_last_executed_query: bool = False,
        many: bool = False,
    ) -> Iterator[None]:
        if use_last_executed_query and not many:
            sql = self.db.ops.compose_sql(sql, params)
        with super().debug_sql(sql, params, use_last_executed_query=False, many=many):
            yield


@contextlib.contextmanager
def _binary_cursor() -> Iterator[Any]:
    """A cursor that binds its parameters on the server and reads results in PostgreSQL's binary
    format: a search's facet ids of thousands of decisions come as bytes instead of hex text of
    twice the size (the ids of 17,000 decisions, 1.6 MB: 8 ms instead of 20). Wrapped the way
    Django wraps its own cursors, so query logging and counting see its statements. The
    statement is planned once with its parameters' values (PostgreSQL's unnamed statement), so
    a word's list of uids is still a constant the executor hashes."""
    connection.ensure_connection()
    raw = _UnpreparedCursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    wrapper = _LoggedCursor if connection.queries_logged else CursorWrapper
    cursor = wrapper(raw, connection)
    try:
        yield cursor
    finally:
        raw.close()


def _ticked_facets(
    params: SearchParams, active: list[str]
) -> tuple[str, str, str, list[Any], tuple[str, list[Any]] | None]:
    """The parts of ``_PAGE`` that count each ticked facet (``active``) under the other filters:
    the flags of ``b``'s rows (SQL and arguments), ``m``'s condition, the ``ticked``
    aggregates, and the condition (with its arguments) that keeps in ``b`` only the rows that
    pass all ticked facets but at most one (None for fewer than two). A facet's decisions are
    looked up in the ``facet_keys`` index first, like a word, so ``b`` is still read from the
    scope index alone."""
    flag = "search_pg_has(%s, d.ord)"
    flag_args: list[Any] = [
        _Leaf(
            "search_pg_facets_ords(%s)",
            ("\x1f".join(facet_keys({name: list(params.filters[name])})),),
        )
        for name in active
    ]
    n = len(active)
    flags = "".join(f", {flag} AS k{i}" for i in range(n))
    in_m = " AND ".join(f"b.k{i}" for i in range(n)) or "true"
    ticked = ", ".join(
        "string_agg(int4send(b.n), ''::bytea) FILTER (WHERE "
        + (" AND ".join(f"b.k{j}" for j in range(n) if j != i) or "true")
        + ")"
        for i in range(n)
    )
    at_least = (
        ("(" + " + ".join(f"({flag})::int" for _ in range(n)) + ") >= %s", [*flag_args, n - 1])
        if n > 1
        else None
    )
    return flags, in_m, ticked, flag_args, at_least


class PostgresBackend:
    name = "postgres"

    def __init__(self) -> None:
        # Facet value ids -> (facet, value); ids are never reused (search/postgres_words.py).
        self._facet_values: dict[int, tuple[str, str]] = {}
        self._facet_lock = threading.Lock()
        self._facet_ids = _FacetIds()

    # --- writing -----------------------------------------------------------------------------

    def _write(self, cursor: Any, records: Iterable[DecisionRecord]) -> int:
        n = 0
        batch: list[DecisionRecord] = []

        def flush() -> None:
            if not batch:
                return
            cursor.execute(
                "DELETE FROM search_pg_decision WHERE uid = ANY(%s)", [[r.uid for r in batch]]
            )
            cursor.executemany(
                "INSERT INTO search_pg_decision (uid, title, court, country, decision_date, "
                "date_key, year, access, state, updated_at, summary, date_display, case_name, "
                "meta_tsv, meta_stem_tsv, court_tsv, provision_tsv, paragraphs, facet_ids, "
                "facet_keys, " + ", ".join(f"f_{f}" for f in FACETS) + ") VALUES (%s, %s, %s, "
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, to_tsvector('simple', %s), "
                "to_tsvector('simple', %s), "
                "to_tsvector('simple', %s), to_tsvector('simple', %s), %s, %s, %s, "
                + ", ".join("%s" for _ in FACETS)
                + ")",
                [
                    (
                        r.uid,
                        r.title,
                        r.court,
                        r.country,
                        r.decision_date,
                        (
                            r.decision_date.year * 10000
                            + r.decision_date.month * 100
                            + r.decision_date.day
                        )
                        if r.decision_date
                        else None,
                        r.year,
                        r.access,
                        r.state,
                        r.updated_at,
                        r.summary,
                        r.date_display,
                        r.case_name,
                        _tsv_text("\n".join([r.meta_text, r.summary, r.provision_text])),
                        stem_text(
                            DEFAULT_LANGUAGE, "\n".join([r.meta_text, r.summary, r.provision_text])
                        ),
                        _tsv_text(r.court_text or r.court),
                        _tsv_text(r.provision_text),
                        len(r.paragraphs),
                        ids,
                        facet_keys(r.facets),
                        *[list(r.facets.get(f, [])) for f in FACETS],
                    )
                    for r, ids in zip(
                        batch, facet_ids(cursor, [r.facets for r in batch]), strict=True
                    )
                ],
            )
            rows = [
                (
                    r.uid,
                    p.language,
                    p.number,
                    p.body,
                    _tsv_text(p.body),
                    stem_text(p.language, p.body),
                )
                for r in batch
                for p in r.paragraphs
            ]
            if rows:
                cursor.executemany(
                    "INSERT INTO search_pg_paragraph (uid, language, number, body, tsv, stem_tsv) "
                    "VALUES (%s, %s, %s, %s, to_tsvector('simple', %s), "
                    "to_tsvector('simple', %s))",
                    rows,
                )
            fill_words(cursor, [r.uid for r in batch])
            batch.clear()

        for rec in records:
            batch.append(rec)
            n += 1
            if len(batch) >= BATCH:
                flush()
        flush()
        return n

    def index_decisions(self, decisions: Iterable[DecisionRecord | Any]) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            return self._write(cursor, as_records(decisions))

    def remove(self, uids: Iterable[str]) -> int:
        uid_list = list(uids)
        if not uid_list:
            return 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            cursor.execute("DELETE FROM search_pg_decision WHERE uid = ANY(%s)", [uid_list])
            return int(cursor.rowcount)

    def rebuild(self, decisions: Iterable[DecisionRecord] | None = None) -> int:
        records = all_records() if decisions is None else decisions
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            cursor.execute("TRUNCATE search_pg_words, search_pg_paragraph, search_pg_decision")
            n = self._write(cursor, records)
        with connection.cursor() as cursor:
            # VACUUM marks the decisions' pages all-visible, so that a search scans the scope
            # index alone (migration 0005), and moves the words' GIN entries out of the pending
            # list a bulk write leaves, which every search would otherwise read through (291
            # pages after a rebuild of 2,000 decisions: "torture" looked up in 1.8 ms instead of
            # 0.4). It cannot run inside a transaction (a caller's atomic block, a test's), where
            # ANALYZE is what can be done; autovacuum does the rest later.
            tables = "search_pg_decision, search_pg_words"
            cursor.execute(
                f"ANALYZE {tables}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {tables}"
            )
            cursor.execute("ANALYZE search_pg_paragraph")
        return n

    def indexed_stamps(self, uids: Iterable[str]) -> dict[str, int]:
        from cicnet.search.tantivy_backend import micros

        wanted = list(uids)
        if not wanted:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT uid, updated_at FROM search_pg_decision WHERE uid = ANY(%s)", [wanted]
            )
            return {uid: micros(updated) for uid, updated in cursor.fetchall()}

    def status(self) -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('search_pg_decision') IS NOT NULL")
            exists = bool(cursor.fetchone()[0])
            if not exists:
                return {
                    "backend": self.name,
                    "exists": False,
                    "schema_ok": False,
                    "decisions": 0,
                    "max_updated_at": None,
                    "hint": "run `cicnet migrate` to create the search tables",
                }
            cursor.execute("SELECT count(*), max(updated_at) FROM search_pg_decision")
            count, latest = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM search_pg_paragraph")
            paragraphs = cursor.fetchone()[0]
        return {
            "backend": self.name,
            "exists": True,
            "schema_ok": True,
            "decisions": count,
            "max_updated_at": latest,
            "paragraphs": paragraphs,
        }

    # --- reading -----------------------------------------------------------------------------

    def _translate(
        self, node: q.Node, params: list[Any], langs: tuple[str, ...] = (), bitmaps: bool = True
    ) -> str:
        if isinstance(node, q.Term | q.Phrase):
            # The decisions holding the word or phrase: looked up first (one GIN lookup per
            # leaf, ``_resolve``) and given to the statement as a bitmap of their numbers,
            # tested per row with ``search_pg_has`` (migration 0007). A list of uids, folded
            # into a constant array, was hashed once but planned element by element (12.5 ms
            # for "applicant"); as "uid IN (SELECT f(...))" the planner probed the primary key
            # once per match.
            if isinstance(node, q.Phrase):
                # A phrase (positions needed): among the decisions holding all its words (GIN
                # on the words), those whose metadata or one of whose paragraphs holds it. The
                # check runs row by row after every cheaper condition of the statement (a
                # scalar subquery, which PostgreSQL cannot turn into a scan of every paragraph
                # holding the words, as it did with EXISTS): a common phrase with a filter
                # reads only the filtered decisions' paragraphs. Its decisions come as uids, not
                # a bitmap: the check reads each candidate's row, and a list lets PostgreSQL
                # fetch the candidates by primary key instead of every decision in scope
                # ("pre-trial detention": 677 rows instead of 11,897, 50 against 73 ms).
                phrase = _leaf_tsquery(node)
                params.extend(
                    [
                        _Leaf(
                            "search_pg_words_matching(%s)",
                            (" & ".join(f"'{w}'" for w in node.words),),
                            bitmap=False,
                        ),
                        phrase,
                        phrase,
                    ]
                )
                return (
                    "(d.uid = ANY(string_to_array(%s, ' ')) AND (d.meta_tsv @@ "
                    "to_tsquery('simple', %s) OR (SELECT 1 FROM search_pg_paragraph p WHERE "
                    "p.uid = d.uid AND p.tsv @@ to_tsquery('simple', %s) LIMIT 1) IS NOT NULL))"
                )
            tsq = _leaf_tsquery(node)
            stq = _stem_tsquery(node, langs)
            args = (tsq,) if stq is None else (tsq, stq)
            marks = ", ".join("%s" for _ in args)
            if not bitmaps:
                params.append(_Leaf(f"search_pg_words_matching({marks})", args, bitmap=False))
                return "d.uid = ANY(string_to_array(%s, ' '))"
            params.append(_Leaf(f"search_pg_words_ords({marks})", args))
            return "search_pg_has(%s, d.ord)"
        if isinstance(node, q.FieldMatch):
            f = node.field
            if f == "year":
                params.extend(
                    [
                        node.low if node.low is not None else q.YEAR_MIN,
                        node.high if node.high is not None else q.YEAR_MAX,
                    ]
                )
                return "COALESCE(d.year BETWEEN %s AND %s, false)"
            if f in ("court", "provision_text"):
                column = "court_tsv" if f == "court" else "provision_tsv"
                params.append(_phrase_tsquery(node.values[0]))
                return f"(d.{column} @@ to_tsquery('simple', %s))"
            keys = facet_keys({f: list(node.values)})
            if len(keys) > FEW_KEYS:
                # A crime group is some ninety crime ids: compared row by row against every
                # key of every decision that took 92 ms at 20,000 decisions; the index first.
                if not bitmaps:
                    params.append(
                        _Leaf("search_pg_facets_matching(%s)", ("\x1f".join(keys),), bitmap=False)
                    )
                    return "d.uid = ANY(string_to_array(%s, ' '))"
                params.append(_Leaf("search_pg_facets_ords(%s)", ("\x1f".join(keys),)))
                return "search_pg_has(%s, d.ord)"
            params.append(keys)
            return "(d.facet_keys && %s::text[])"
        if isinstance(node, q.Not):
            return f"(NOT {self._translate(node.child, params, langs, bitmaps)})"
        joiner = " AND " if isinstance(node, q.And) else " OR "
        return (
            "("
            + joiner.join(self._translate(c, params, langs, bitmaps) for c in node.children)
            + ")"
        )

    def _where(
        self,
        params: SearchParams,
        scope: DecisionScope,
        parsed: q.ParsedQuery,
        *,
        without: Iterable[str] = (),
    ) -> tuple[str, list[Any]]:
        """The WHERE clause of ``params`` in ``scope`` and its arguments; the facets named in
        ``without`` are left out (the caller flags them, see ``_PAGE``)."""
        args: list[Any] = [sorted(scope.tiers)]
        parts = ["d.access = ANY(%s)"]
        if scope.published_only:
            parts.append("d.state = 'published'")
        text = (
            self._translate(
                parsed.root, args, _languages(params), bitmaps=not _reads_rows(parsed.root)
            )
            if parsed.root is not None
            else None
        )
        if params.extra_uids:
            args.append(list(params.extra_uids))
            text = "d.uid = ANY(%s)" if text is None else f"({text} OR d.uid = ANY(%s))"
        if text is not None:
            parts.append(text)
        if params.only_uids is not None:
            parts.append("d.uid = ANY(%s)")
            args.append(list(params.only_uids))
        for name, values in params.filters.items():
            if values and name not in without:
                parts.append("d.facet_keys && %s::text[]")
                args.append(facet_keys({name: list(values)}))
        if params.year_from is not None:
            parts.append("d.year >= %s")
            args.append(params.year_from)
        if params.year_to is not None:
            parts.append("d.year <= %s")
            args.append(params.year_to)
        if params.decision_uid:
            parts.append("d.uid = %s")
            args.append(params.decision_uid)
        return " AND ".join(parts), args

    def search(self, params: SearchParams, scope: DecisionScope) -> SearchPage:
        parsed = q.parse(params.q)
        if not params.match_words:
            parsed = parsed.fields_only()
        wanted = facet_names(params)
        facets_empty: dict[str, tuple[FacetValue, ...]] = {n: () for n in wanted}
        if not scope.tiers:
            return SearchPage(
                count=0, hits=(), facets=facets_empty, page=params.page, page_size=params.page_size
            )
        wanted_active = [n for n, v in params.filters.items() if v and n in wanted]
        wanted_plain = [n for n in wanted if n not in wanted_active]
        where, args = self._where(params, scope, parsed, without=wanted_active)
        flags, in_m, ticked, flag_args, at_least = _ticked_facets(params, wanted_active)
        if at_least:
            where += f" AND {at_least[0]}"
            args.extend(at_least[1])
        leaves = parsed.positive_text()
        any_q = " | ".join(_leaf_tsquery(leaf) for leaf in leaves)
        langs = _languages(params)
        any_stem = " | ".join(
            stq for leaf in leaves if (stq := _stem_tsquery(leaf, langs)) is not None
        )
        # A paragraph matches a word of the query in its exact form or in any form of it.
        p_match, p_rank, p_args = (
            "p.tsv @@ to_tsquery('simple', %s)",
            "ts_rank(p.tsv, to_tsquery('simple', %s))",
            [any_q],
        )
        if any_stem:
            p_match = f"({p_match} OR p.stem_tsv @@ to_tsquery('simple', %s))"
            p_rank = f"({p_rank} + ts_rank(p.stem_tsv, to_tsquery('simple', %s)))"
            p_args = [any_q, any_stem]
        sort = params.sort
        if sort == "relevance" and not leaves:
            sort = "date_desc"
        offset = (params.page - 1) * params.page_size
        limit = SNIPPETS_IN_DECISION if params.decision_uid else SNIPPETS_PER_HIT
        with _binary_cursor() as cursor:
            leaf_uids: dict[_Leaf, bytes | str] = {}
            resolved = _resolve(cursor, [*flag_args, *args], leaf_uids)
            flag_args, args = resolved[: len(flag_args)], resolved[len(flag_args) :]
            # One statement: the matching decisions once, their count, their facet ids and the
            # page (search/postgres_words.py, docs/decisions/0160).
            if sort == "relevance":
                page_sql = _RELEVANCE.format(p_match=p_match, p_rank=p_rank)
                page_args: list[Any] = [
                    max(RANK_DECISIONS, offset + params.page_size),
                    any_q,
                    *p_args,
                    limit if params.snippets else 0,
                    *p_args,
                    RANK_PARAGRAPHS,
                    RANK_DECISIONS,
                    params.page_size,
                    offset,
                ]
            else:
                order = (
                    "date_key DESC NULLS LAST" if sort == "date_desc" else "date_key ASC NULLS LAST"
                )
                page_sql = _BY_DATE.format(order=order)
                page_args = [params.page_size, offset]
            known = self._facet_values
            cursor.execute(
                _PAGE.format(
                    where=where,
                    numbers="d.n" if wanted else "NULL::integer",
                    flags=flags,
                    in_m=in_m,
                    ticked=ticked,
                    page=page_sql,
                ),
                [*flag_args, *args, *page_args, max(known, default=0)],
            )
            result = cursor.fetchall()
            count = int(result[0][0])
            facets = self._facets(cursor, result[0][1], result[0][2], wanted_plain)
            for name, blob in zip(wanted_active, result[0][3] or (), strict=True):
                facets.update(self._facets(cursor, blob, None, [name]))
            facets = {name: facets[name] for name in wanted}
            rows = [row[4:] for row in result if row[4] is not None]
            snippets: dict[str, list[Snippet]] = {}
            if leaves and rows and params.snippets:
                top = {row[0]: row[10] for row in rows if row[10] is not None}
                paragraphs: list[tuple[str, str, int, str]] = []
                if any(top.values()):
                    cursor.execute(
                        "SELECT id, uid, language, number, body FROM search_pg_paragraph "
                        "WHERE id = ANY(%s)",
                        [[i for ids in top.values() for i in ids]],
                    )
                    by_id = {row[0]: row[1:] for row in cursor.fetchall()}
                    paragraphs = [by_id[i] for ids in top.values() for i in ids if i in by_id]
                unscored = [row[0] for row in rows if row[0] not in top]
                if unscored:
                    cursor.execute(
                        _SNIPPETS.format(p_rank=p_rank, p_match=p_match),
                        [*p_args, unscored, *p_args, limit],
                    )
                    paragraphs.extend(cursor.fetchall())
                for uid, language, number, body in paragraphs:
                    html = highlight(body, leaves, language=language, languages=langs)
                    if html:
                        snippets.setdefault(uid, []).append(
                            Snippet(language=language, paragraph=number, html=html)
                        )
        hits = []
        for row in rows:
            uid, title, court, country, date, summary, date_display, case_name, has_text = row[:9]
            score = row[9]  # row[10]: the scored decision's best paragraphs (``top``)
            found = snippets.get(uid, [])
            if leaves and params.snippets and not found and summary:
                html = highlight(summary, leaves, languages=langs)
                if html:
                    found = [Snippet(language="en", paragraph=0, html=html, source="summary")]
            hits.append(
                Hit(
                    uid=uid,
                    title=title,
                    court=court,
                    country=country,
                    decision_date=date.isoformat() if date else None,
                    score=float(score or 0.0),
                    snippets=tuple(found),
                    date_display=date_display,
                    case_name=case_name,
                    has_text=(has_text or [""])[0],
                )
            )
        return SearchPage(
            count=count,
            hits=tuple(hits),
            facets=facets,
            page=params.page,
            page_size=params.page_size,
        )

    def _facets(
        self,
        cursor: Any,
        blob: bytes | None,
        new_values: list[list[str]] | None,
        names: list[str],
    ) -> dict[str, tuple[FacetValue, ...]]:
        """Counts of ``names``' values over the matching decisions (``blob``: their numbers,
        4 bytes each); ``new_values`` are the id → value rows this process did not know yet."""
        known = self._facet_values
        if new_values:
            with self._facet_lock:
                for new_id, facet, value in new_values:
                    known[int(new_id)] = (facet, value)
        out: dict[str, list[FacetValue]] = {f: [] for f in names}
        if blob and names:
            numbers = np.frombuffer(bytes(blob), dtype=">i4").astype(np.int64)
            counts = np.bincount(self._facet_ids.of(cursor, numbers))
            ids = np.flatnonzero(counts)
            for id_, count in zip(ids.tolist(), counts[ids].tolist(), strict=True):
                facet, value = known[int(id_)]
                if facet in out:
                    out[facet].append(
                        FacetValue(value=value, label=facet_label(facet, value), count=count)
                    )
        return {f: tuple(sorted(v, key=lambda x: (-x.count, x.value))) for f, v in out.items()}


class _FacetIds:
    """The facet ids of decision rows, by the row's number (``n``, migration ``search/0006``),
    kept by each worker: a search's statement returns the matching decisions' numbers (4 bytes
    each) instead of their facet ids (about 100 bytes), and they are counted here.

    A number stands for one set of facet ids for ever (a write inserts a new row, an update of
    ``facet_ids`` renumbers it), so what is kept cannot go stale; numbers not seen yet are read
    when a search returns them. Rows deleted since the search's statement are not found and
    not counted (a decision rewritten at that moment, for that one search). Numbers of deleted
    rows stay until the kept rows outnumber twice those of the last full read (plus ``slack``);
    then the next read is a full one. Arrays are replaced, never changed, so a search counts
    on the ones it took while another thread reads more."""

    def __init__(self, slack: int = 1024) -> None:
        self._slack = slack  # kept rows allowed beyond twice those of the last full read
        self._lock = threading.Lock()
        self._numbers = np.empty(0, dtype=np.int64)  # sorted
        self._offsets = np.zeros(1, dtype=np.int64)  # row k's ids: _ids[_offsets[k]:_offsets[k+1]]
        self._ids = np.empty(0, dtype=np.int64)
        self._full = 0  # rows of the last full read

    def of(self, cursor: Any, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The facet ids of the rows ``numbers``, concatenated."""
        kept, offsets, ids = self._numbers, self._offsets, self._ids
        pos, found = _positions(kept, numbers)
        if not found.all():
            with self._lock:
                self._read(cursor, numbers[~found])
                kept, offsets, ids = self._numbers, self._offsets, self._ids
            pos, found = _positions(kept, numbers)
        return _segments(offsets, ids, pos[found])

    def _read(self, cursor: Any, missing: npt.NDArray[np.int64]) -> None:
        _, found = _positions(self._numbers, missing)
        missing = missing[~found]  # another thread may have read them meanwhile
        if not len(missing):
            return
        full = not len(self._numbers) or len(self._numbers) > 2 * self._full + self._slack
        if full:
            cursor.execute("SELECT n, facet_ids FROM search_pg_decision")
        else:
            cursor.execute(
                "SELECT n, facet_ids FROM search_pg_decision WHERE n = ANY(%s)",
                [missing.tolist()],
            )
        rows = cursor.fetchall()
        numbers = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        blobs = [np.frombuffer(bytes(r[1]), dtype=">i4") for r in rows]
        lengths = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(rows))
        ids = np.concatenate(blobs).astype(np.int64) if blobs else np.empty(0, dtype=np.int64)
        if not full:
            old_lengths = np.diff(self._offsets)
            numbers = np.concatenate([self._numbers, numbers])
            ids = np.concatenate([self._ids, ids])
            lengths = np.concatenate([old_lengths, lengths])
        order = np.argsort(numbers, kind="stable")
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        new_offsets = np.concatenate([[0], np.cumsum(lengths[order])])
        self._ids = _segments(offsets, ids, order)
        self._offsets = new_offsets
        self._numbers = numbers[order]
        if full:
            self._full = len(rows)


def _positions(
    kept: npt.NDArray[np.int64], numbers: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Where each of ``numbers`` is in the sorted ``kept``, and whether it is there."""
    if not len(kept):
        return np.zeros(len(numbers), dtype=np.int64), np.zeros(len(numbers), dtype=np.bool_)
    pos = np.minimum(np.searchsorted(kept, numbers), len(kept) - 1)
    return pos, kept[pos] == numbers


def _segments(
    offsets: npt.NDArray[np.int64], values: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """``values[offsets[k]:offsets[k + 1]]`` for each k of ``rows``, concatenated."""
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    # Each output position's source: its segment's start, plus its place within the segment.
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    result: npt.NDArray[np.int64] = values[shift + np.arange(total)]
    return result
