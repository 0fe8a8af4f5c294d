"""The decision-level tables of the PostgreSQL backend, filled from its paragraph rows
(docs/decisions/0160).

- ``search_pg_words``: per decision, the set of its lexemes — exact tokens (``words``) and word
  forms (``stems``), as stripped ``tsvector`` s with GIN indexes: the metadata,
  summary and provisions (from ``meta_tsv`` / ``meta_stem_tsv``) and its paragraphs, cut into
  consecutive groups (parts 1, 2, …) so that no part nears PostgreSQL's 1 MB limit of a
  ``tsvector``: one row for every decision but a huge one. The lexemes are those of the paragraph
  rows' own ``tsvector`` s, so a word or prefix matches a decision here exactly when it matches
  its metadata or one of its paragraphs there (a phrase needs positions: it is checked on the
  metadata and paragraphs of the decisions holding all its words, ``postgres_backend``).
- ``search_pg_decision.paragraphs``: how many paragraphs a decision has (the ranking's bound).
- ``search_pg_decision.facet_keys``: its facet values as ``facet:value`` (``facet_keys``), one
  GIN index for every facet filter and ``country:`` / ``crime:`` / ``provision:`` field.
- ``search_pg_decision.facet_ids`` + ``search_pg_facet_value``: the decision's facet values as
  ids (4-byte big-endian integers, the same values in the same order as the ``f_*`` arrays), so
  that a search sums the facets of thousands of matching decisions in one ``string_agg``
  instead of one ``unnest`` per facet. Ids are only ever added, never reused (a reader caches
  the id → value table and fetches only ids above the largest it knows).

Every write path of the backend goes through ``PostgresBackend._write``, which stores
``paragraphs`` and ``facet_ids`` with the decision row and runs ``fill_words`` after the batch's
paragraph rows; migration ``search/0004`` fills rows written before it (``fill_words``,
``fill_counts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cicnet.search.types import FACETS

# Bytes of lexemes (counted per paragraph, so words repeated across paragraphs count again) after
# which a decision's paragraphs start a new part: well under the 1 MB a tsvector may hold.
PART_BYTES = 400_000

# Every facet column as (name, values) rows, for the uids in %s.
_FACET_PAIRS = " UNION ALL ".join(
    f"SELECT d.uid, {i} AS f, '{name}' AS facet, v.value, v.n FROM search_pg_decision d, "
    f"unnest(d.f_{name}) WITH ORDINALITY AS v(value, n) WHERE d.uid = ANY(%(uids)s)"
    for i, name in enumerate(FACETS)
)

WORDS = [
    "DELETE FROM search_pg_words WHERE uid = ANY(%(uids)s)",
    # Parts 1…: the decision's own fields, then its paragraphs, cut where the running size of
    # their lexemes passes PART_BYTES (one part for all but huge decisions).
    "WITH t AS (SELECT uid, 0::bigint AS id, meta_tsv AS tsv, meta_stem_tsv AS stem_tsv "
    "FROM search_pg_decision WHERE uid = ANY(%(uids)s) UNION ALL SELECT uid, id, tsv, "
    "stem_tsv FROM search_pg_paragraph WHERE uid = ANY(%(uids)s)), "
    "p AS (SELECT uid, tsvector_to_array(tsv) AS w, tsvector_to_array(stem_tsv) AS s, "
    "1 + (sum(length(tsv::text) + length(stem_tsv::text)) OVER (PARTITION BY uid ORDER BY id) "
    "/ %(part_bytes)s)::int AS part FROM t), "
    "w AS (SELECT uid, part, array_agg(DISTINCT x) AS xs FROM p, unnest(p.w) x "
    "GROUP BY uid, part), "
    "s AS (SELECT uid, part, array_agg(DISTINCT x) AS xs FROM p, unnest(p.s) x "
    "GROUP BY uid, part), "
    "parts AS (SELECT DISTINCT uid, part FROM p) "
    "INSERT INTO search_pg_words (uid, part, words, stems) "
    "SELECT parts.uid, parts.part, COALESCE(array_to_tsvector(w.xs), ''::tsvector), "
    "COALESCE(array_to_tsvector(s.xs), ''::tsvector) FROM parts "
    "LEFT JOIN w ON w.uid = parts.uid AND w.part = parts.part "
    "LEFT JOIN s ON s.uid = parts.uid AND s.part = parts.part",
]
# For rows written before migration 0004 (a write computes both in ``facet_ids``).
COUNTS = [
    # New facet values get the next ids (writers hold the index lock, so ids never race).
    f"INSERT INTO search_pg_facet_value (facet, value) SELECT DISTINCT facet, value FROM "
    f"({_FACET_PAIRS}) x ON CONFLICT (facet, value) DO NOTHING",
    "UPDATE search_pg_decision d SET paragraphs = COALESCE(pc.n, 0), "
    "facet_ids = COALESCE(fi.ids, ''::bytea), facet_keys = COALESCE(fi.keys, '{}') "
    "FROM search_pg_decision u "
    "LEFT JOIN (SELECT uid, count(*) AS n FROM search_pg_paragraph WHERE uid = ANY(%(uids)s) "
    "GROUP BY uid) pc ON pc.uid = u.uid "
    "LEFT JOIN (SELECT x.uid, string_agg(int4send(fv.id), ''::bytea ORDER BY x.f, x.n) AS ids, "
    "array_agg(x.facet || ':' || x.value ORDER BY x.f, x.n) AS keys "
    f"FROM ({_FACET_PAIRS}) x JOIN search_pg_facet_value fv ON fv.facet = x.facet AND "
    "fv.value = x.value GROUP BY x.uid) fi ON fi.uid = u.uid "
    "WHERE u.uid = ANY(%(uids)s) AND d.uid = u.uid",
]


def fill_words(cursor: Any, uids: Sequence[str]) -> None:
    """(Re)build the words of these decisions from their decision and paragraph rows."""
    if uids:
        args = {"uids": list(uids), "part_bytes": PART_BYTES}
        for statement in WORDS:
            cursor.execute(statement, args)


def fill_counts(cursor: Any, uids: Sequence[str]) -> None:
    """Paragraph counts and facet ids of decision rows written before they existed."""
    if uids:
        for statement in COUNTS:
            cursor.execute(statement, {"uids": list(uids)})


def facet_keys(facets: dict[str, list[str]]) -> list[str]:
    """``facet:value`` for every value: the GIN-indexed column every facet filter and
    ``country:`` / ``crime:`` / ``provision:`` field of a query is matched against (a facet name
    has no colon, so the first one ends it)."""
    return [f"{f}:{v}" for f in FACETS for v in facets.get(f, [])]


def facet_ids(cursor: Any, facets: Sequence[dict[str, list[str]]]) -> list[bytes]:
    """The ``facet_ids`` of decisions with these facet values (adding the values not seen
    before): one id per value, in the order of ``FACETS`` and of each list."""
    pairs = sorted({(f, v) for values in facets for f in FACETS for v in values.get(f, [])})
    ids: dict[tuple[str, str], int] = {}
    if pairs:
        names, values = [p[0] for p in pairs], [p[1] for p in pairs]
        cursor.execute(
            "INSERT INTO search_pg_facet_value (facet, value) SELECT * FROM "
            "unnest(%s::text[], %s::text[]) ON CONFLICT (facet, value) DO NOTHING",
            [names, values],
        )
        cursor.execute(
            "SELECT v.id, v.facet, v.value FROM search_pg_facet_value v JOIN "
            "unnest(%s::text[], %s::text[]) AS x(facet, value) ON v.facet = x.facet AND "
            "v.value = x.value",
            [names, values],
        )
        ids = {(facet, value): id_ for id_, facet, value in cursor.fetchall()}
    return [
        b"".join(ids[(f, v)].to_bytes(4, "big") for f in FACETS for v in values.get(f, []))
        for values in facets
    ]
