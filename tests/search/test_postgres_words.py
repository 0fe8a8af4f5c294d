"""The PostgreSQL backend's decision-level tables (search/postgres_words.py, docs/decisions/0160):
words cut into parts, what the migration fills against what a write stores, facet values added
after a process cached them, and relevance scored in a window.

PostgreSQL only; the corpus is conftest.py's (alpha 4 paragraphs, beta 2 + 2, gamma none,
delta 1).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cicnet.access import policy
from cicnet.search import postgres_backend, postgres_words
from cicnet.search.services import rebuild_index, search_decisions
from cicnet.search.types import SearchParams
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

CURATOR = policy.Actor(role="curator", user_id=1)


@pytest.fixture
def pg_corpus(backend: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    if backend != "postgres":
        pytest.skip("the decision-level tables belong to the PostgreSQL backend")
    corpus: dict[str, Any] = request.getfixturevalue("corpus")
    return corpus


def run(q: str = "", **kwargs: Any) -> Any:
    return search_decisions(actor=CURATOR, params=SearchParams(q=q, mode="lexical", **kwargs))


def parts(uid: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_pg_words WHERE uid = %s", [uid])
        return int(cursor.fetchone()[0])


def test_one_words_row_per_decision(pg_corpus: dict[str, Any]) -> None:
    assert [parts(uid) for uid in ("alpha", "beta", "gamma", "delta")] == [1, 1, 1, 1]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("torture prison civilians", {"alpha"}),  # words of different parts
        ('"crimes against humanity"', {"alpha"}),  # a phrase inside one paragraph
        ('"torture of detainees"', {"alpha"}),
        ('"humanity against crimes"', set()),
        ('"prison crimes"', set()),  # last word of one paragraph, first of the next
        ("tortur*", {"alpha", "delta"}),
        ("pillaging -nortavia", {"beta"}),
    ],
)
def test_a_decision_cut_into_parts_matches_as_one(
    pg_corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch, q: str, expected: set[str]
) -> None:
    monkeypatch.setattr(postgres_words, "PART_BYTES", 60)
    rebuild_index()
    assert parts("alpha") >= 3
    page = run(q)
    assert {h.uid for h in page.hits} == expected
    assert page.count == len(expected)


def test_migration_fill_gives_what_a_write_stores(pg_corpus: dict[str, Any]) -> None:
    query = (
        "SELECT d.uid, d.paragraphs, d.facet_ids, d.facet_keys, "
        "array_agg(w.words::text ORDER BY w.part), array_agg(w.ord - d.ord), "
        "array_agg(w.stems::text ORDER BY w.part) FROM search_pg_decision d "
        "JOIN search_pg_words w ON w.uid = d.uid GROUP BY d.uid ORDER BY d.uid"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        written = cursor.fetchall()
        cursor.execute("DELETE FROM search_pg_words")
        cursor.execute(
            "UPDATE search_pg_decision SET paragraphs = 0, facet_ids = ''::bytea, facet_keys = '{}'"
        )
        uids = [row[0] for row in written]
        postgres_words.fill_words(cursor, uids)
        postgres_words.fill_counts(cursor, uids)
        cursor.execute(query)
        filled = cursor.fetchall()
    assert [(r[0], r[1]) for r in written] == [
        ("alpha", 4),
        ("beta", 4),
        ("delta", 1),
        ("gamma", 0),
    ]
    assert "country:DE" in written[0][3]
    assert [(r[0], r[1], bytes(r[2]), r[3], r[4], r[5], r[6]) for r in filled] == [
        (r[0], r[1], bytes(r[2]), r[3], r[4], r[5], r[6]) for r in written
    ]
    assert all(set(r[5]) == {0} for r in written)  # words rows carry their decision's number


def test_facet_values_indexed_after_a_search_are_counted(pg_corpus: dict[str, Any]) -> None:
    assert {f.value for f in run("").facets["country"]} == {"DE", "NL", "FR"}
    late = DecisionFactory(uid="late", country="SE", situation="Eastmarch", summary="Late torture.")
    ParagraphFactory(text=TextFactory(decision=late), number=1, body="torture again")
    rebuild_index()
    page = run("torture")
    assert {f.value: f.count for f in page.facets["country"]} == {"DE": 1, "FR": 1, "SE": 1}
    assert {f.value: f.count for f in page.facets["situation"]} == {
        "Nortavia": 1,
        "Westmark": 1,
        "Eastmarch": 1,
    }


def test_relevance_outside_the_window_follows_paragraph_count(
    pg_corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = "torture OR pillaging OR nortavia OR acquittal"
    exact = [h.uid for h in run(everything).hits]
    monkeypatch.setattr(postgres_backend, "RANK_PARAGRAPHS", 1)
    page = run(everything)
    # The window holds the decision with the most paragraphs (alpha and beta have 4; alpha is
    # newer); the others follow by paragraph count (delta 1, gamma 0), each with score 0.
    assert [h.uid for h in page.hits] == ["alpha", "beta", "delta", "gamma"]
    assert page.hits[0].score > 0
    assert [h.score for h in page.hits[1:]] == [0.0, 0.0, 0.0]
    assert page.count == 4
    paged = [run(everything, page=n, page_size=1).hits[0].uid for n in (1, 2, 3, 4)]
    assert paged == [h.uid for h in page.hits]
    monkeypatch.setattr(postgres_backend, "RANK_PARAGRAPHS", 10_000)
    assert [h.uid for h in run(everything).hits] == exact


def test_snippets_of_scored_and_unscored_decisions_are_the_same(
    pg_corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scored decision's snippets come from the pass that scores it (no second pass over its
    paragraphs); a decision outside the window still gets its own, by the same order: the
    same snippets either way, and the same as searching within the decision."""
    everything = "torture OR pillaging OR nortavia OR acquittal"

    def shown(**kwargs: Any) -> dict[str, list[tuple[str, int, str]]]:
        return {
            h.uid: [(s.language, s.paragraph, s.html) for s in h.snippets]
            for h in run(everything, **kwargs).hits
        }

    with CaptureQueriesContext(connection) as queries:
        scored = shown()
    assert any(scored.values())
    assert not [q for q in queries.captured_queries if "PARTITION BY p.uid" in q["sql"]]
    for uid, snippets in scored.items():
        within = run(everything, decision_uid=uid).hits[0].snippets
        assert snippets == [(s.language, s.paragraph, s.html) for s in within][:3], uid
    monkeypatch.setattr(postgres_backend, "RANK_PARAGRAPHS", 1)
    with CaptureQueriesContext(connection) as queries:
        assert shown() == scored
    assert [q for q in queries.captured_queries if "PARTITION BY p.uid" in q["sql"]]
    assert shown(sort="date_desc") == scored


def test_paragraphs_are_read_only_through_their_decision(pg_corpus: dict[str, Any]) -> None:
    # Migration 0005: no index on the paragraphs' words, so the planner cannot scan a rare
    # phrase's paragraphs of the whole index once per candidate decision; uid is the way in.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_pg_paragraph' "
            "ORDER BY indexname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == ["search_pg_paragraph_pkey", "search_pg_paragraph_uid"]


def test_the_scope_index_covers_what_a_search_reads_of_every_decision(
    pg_corpus: dict[str, Any],
) -> None:
    # Migrations 0005, 0006, 0007: the in-scope decisions are read from this index alone (an
    # index-only scan), so it must hold every column the statement's ``b`` reads.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_pg_decision_scope'"
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith("(state, access) INCLUDE (uid, date_key, paragraphs, n, ord, year)")
    assert "d.uid, d.date_key, d.paragraphs, {numbers} AS n" in postgres_backend._PAGE


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_vacuums_the_tables_a_search_reads_through_indexes(settings: Any) -> None:
    # Outside a transaction the rebuild vacuums: the scope index can then be read alone, and the
    # words' GIN pending list (which every search would read through) is emptied. Inside one
    # (a caller's atomic block) it can only analyse, and must not fail.
    if connection.vendor != "postgresql":
        pytest.skip("the decision-level tables belong to the PostgreSQL backend")
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    settings.CICNET_SEARCH_BACKEND = "postgres"
    DecisionFactory(uid="vacuumed")
    with CaptureQueriesContext(connection) as outside:
        rebuild_index()
    assert "VACUUM (ANALYZE) search_pg_decision, search_pg_words" in [
        q["sql"] for q in outside.captured_queries
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        rebuild_index()
    statements = [q["sql"] for q in inside.captured_queries]
    assert "ANALYZE search_pg_decision, search_pg_words" in statements
    assert not any(s.startswith("VACUUM") for s in statements)


def test_a_search_is_never_a_prepared_statement(pg_corpus: dict[str, Any]) -> None:
    # A prepared statement may get a generic plan, where a word's list of uids is a parameter the
    # executor cannot hash; so even a deployment that prepares every statement does not here.
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepare every statement, from its first execution
    try:
        first = [run("torture").count for _ in range(3)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            (prepared,) = cursor.fetchone()
    finally:
        raw.prepare_threshold = before
    assert first == [2, 2, 2]
    assert prepared == 0


def test_the_query_log_shows_a_search_with_its_values(pg_corpus: dict[str, Any]) -> None:
    # The statements are bound on the server, where psycopg keeps only "$1"; Django's query log
    # (DEBUG, the test client's query counts) must still show what was searched.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = run("torture", filters={"country": ("DE",)})
    assert page.count >= 1
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements and not any("$1" in s for s in statements), statements
    assert any("'torture'" in s for s in statements)
    assert any("'country:DE'" in s for s in statements)


def _row(uid: str, column: str = "n") -> int:
    """A decision row's number: ``n`` (its version, 0006) or ``ord`` (its uid's, 0007)."""
    assert column in ("n", "ord")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM search_pg_decision WHERE uid = %s", [uid])  # noqa: S608
        return int(cursor.fetchone()[0])


def test_a_row_whose_facet_ids_change_in_place_gets_a_new_number(
    pg_corpus: dict[str, Any],
) -> None:
    # Migration 0006: workers keep facet ids by row number (postgres_backend._FacetIds), so a
    # number must stand for one set of facet ids for ever.
    before = _row("alpha")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_pg_decision SET paragraphs = paragraphs WHERE uid = 'alpha'")
    assert _row("alpha") == before  # other columns: the same number
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_pg_decision SET facet_ids = facet_ids || '\\x00000001'::bytea "
            "WHERE uid = 'alpha'"
        )
    assert _row("alpha") > before


def test_facet_counts_follow_a_decision_written_again(pg_corpus: dict[str, Any]) -> None:
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.services import reindex_decisions

    countries = {v.value: v.count for v in run().facets["country"]}
    old = Decision.objects.get(uid="alpha").country
    Decision.objects.filter(uid="alpha").update(country="SE" if old != "SE" else "FI")
    reindex_decisions(["alpha"])
    after = {v.value: v.count for v in run().facets["country"]}
    new = "SE" if old != "SE" else "FI"
    assert after.get(old, 0) == countries[old] - 1
    assert after[new] == countries.get(new, 0) + 1


def test_kept_facet_ids_are_read_whole_again_once_mostly_of_deleted_rows(
    pg_corpus: dict[str, Any],
) -> None:
    # The numbers of rows written again are never asked for again; past twice the rows of the
    # last full read (plus the slack, none here) the next miss reads every row, not the missing.
    import numpy as np
    from django.test.utils import CaptureQueriesContext

    from cicnet.search.services import reindex_decisions

    kept = postgres_backend._FacetIds(slack=0)

    def count(uid: str) -> tuple[list[int], list[str]]:
        with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
            ids = kept.of(cursor, np.array([_row(uid)], dtype=np.int64)).tolist()
        reads = [q["sql"] for q in queries.captured_queries if "facet_ids FROM" in q["sql"]]
        return ids, ["some" if "WHERE n" in sql else "full" for sql in reads]

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_pg_decision")
        rows = int(cursor.fetchone()[0])
    first, reads = count("alpha")
    assert first and reads == ["full"]
    assert count("alpha") == (first, [])  # kept
    for _ in range(rows + 1):  # up to twice the rows of the full read
        reindex_decisions(["alpha"])  # a new row, a new number; the old one is left behind
        assert count("alpha") == (first, ["some"])
    reindex_decisions(["alpha"])
    assert count("alpha") == (first, ["full"])  # more than twice
    with connection.cursor() as cursor:
        assert kept.of(cursor, np.array([10**9], dtype=np.int64)).tolist() == []  # no such row


def test_a_decision_keeps_its_number_for_bitmaps_when_written_again(
    pg_corpus: dict[str, Any],
) -> None:
    # Migration 0007: a query's words reach the statement as bitmaps over ``ord``; a decision
    # written again keeps its number, its words rows carry it, a new decision gets a new one.
    from cicnet.search.services import reindex_decisions

    before = {uid: _row(uid, "ord") for uid in ("alpha", "beta", "gamma", "delta")}
    assert len(set(before.values())) == 4
    reindex_decisions(["alpha"])
    assert _row("alpha", "ord") == before["alpha"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT ord FROM search_pg_words WHERE uid = 'alpha'")
        assert [row[0] for row in cursor.fetchall()] == [before["alpha"]]
    DecisionFactory(uid="epsilon", summary="torture of prisoners")
    reindex_decisions(["epsilon"])
    assert _row("epsilon", "ord") > max(before.values())
    assert "epsilon" in {h.uid for h in run("torture").hits}
    assert "epsilon" not in {h.uid for h in run("torture -prisoners").hits}


def test_a_bitmap_is_read_by_postgresql_as_it_was_made(pg_corpus: dict[str, Any]) -> None:
    numbers = [1, 7, 8, 9, 63, 64, 1000, 9]
    bitmap = postgres_backend._bitmap(b"".join(n.to_bytes(4, "big") for n in numbers))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(i ORDER BY i) FROM generate_series(0, 2000) i "
            "WHERE search_pg_has(%s, i)",
            [bitmap],
        )
        assert cursor.fetchone()[0] == sorted(set(numbers))
        cursor.execute(
            "SELECT count(*) FROM generate_series(0, 100) i WHERE search_pg_has(%s, i) "
            "OR NOT search_pg_has(%s, i)",
            [postgres_backend._bitmap(b""), postgres_backend._bitmap(b"")],
        )
        assert cursor.fetchone()[0] == 101  # an empty bitmap holds nothing, never null


def test_the_search_statement_carries_bitmaps_not_lists_of_uids(
    pg_corpus: dict[str, Any],
) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = run("(torture OR pillaging) -nortavia", filters={"country": ("DE", "NL")})
    # alpha's situation is Nortavia; gamma is NL but holds neither word
    assert {h.uid for h in page.hits} == {"beta"}
    (statement,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH b")]
    assert "search_pg_has(" in statement
    assert not any(uid in statement for uid in ("alpha", "beta", "gamma", "delta"))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("court:koblenz torture", {"alpha"}),
        ('"crimes against humanity" torture', {"alpha"}),
        ('torture -"torture of detainees"', {"delta"}),
    ],
)
def test_a_query_reading_decision_rows_gives_its_words_as_uids(
    pg_corpus: dict[str, Any], q: str, expected: set[str]
) -> None:
    # A court phrase or a phrase is checked on the decision's row: the words come as uids, so
    # that PostgreSQL can fetch the candidates by primary key instead of every row in scope.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = run(q)
    assert {h.uid for h in page.hits} == expected
    (statement,) = [s["sql"] for s in captured.captured_queries if s["sql"].startswith("WITH b")]
    assert "search_pg_has(" not in statement
    assert "string_to_array(" in statement
