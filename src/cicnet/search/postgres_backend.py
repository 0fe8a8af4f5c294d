"""The PostgreSQL full-text search backend, for deployments with several app servers sharing
one PostgreSQL database (docs/deploy.md).

Tables (migration ``search/0001``): ``search_pg_decision`` (one row per decision: scope,
sort keys, facet values as ``text[]``, a ``tsvector`` of metadata, summary and cited
provisions) and ``search_pg_paragraph`` (one row per paragraph with its ``tsvector``; GIN
indexes on both). tsvectors are built from ``search.query.tokens`` (the same tokens the tantivy
backend and the query parser use) with the ``simple`` configuration, so both backends match the
same documents.

A query matches at decision level: each word, phrase or prefix of the query becomes
``meta_tsv @@ q OR EXISTS (a paragraph of the decision with tsv @@ q)``, combined with the
query's AND/OR/NOT. Facet counts are one ``GROUP BY`` per facet over the matching decision rows,
in one round trip. Snippets: the best paragraphs (by ``ts_rank``) of the decisions on the page,
marked by ``search.snippets`` (HTML-escaped ``<mark>``), like the tantivy backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import connection, transaction

from cicnet.access.policy import DecisionScope
from cicnet.search import query as q
from cicnet.search.analysis import DEFAULT_LANGUAGE, query_stems, stem_text
from cicnet.search.documents import DecisionRecord, all_records, as_records
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


class PostgresBackend:
    name = "postgres"

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
                "meta_tsv, meta_stem_tsv, court_tsv, provision_tsv, "
                + ", ".join(f"f_{f}" for f in FACETS)
                + ") VALUES (%s, %s, %s, "
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, to_tsvector('simple', %s), "
                "to_tsvector('simple', %s), "
                "to_tsvector('simple', %s), to_tsvector('simple', %s), "
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
                        *[list(r.facets.get(f, [])) for f in FACETS],
                    )
                    for r in batch
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
            cursor.execute("TRUNCATE search_pg_paragraph, search_pg_decision")
            n = self._write(cursor, records)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_pg_decision")
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

    def _translate(self, node: q.Node, params: list[Any], langs: tuple[str, ...] = ()) -> str:
        if isinstance(node, q.Term | q.Phrase):
            tsq = _leaf_tsquery(node)
            stq = _stem_tsquery(node, langs)
            # "uid IN (uncorrelated subquery)" is planned as one hashed subplan (one GIN scan
            # of the paragraphs per query); a correlated EXISTS inside OR ran once per decision.
            # DISTINCT: without it a common word's subquery is estimated at one row per matching
            # paragraph, too many to hash in work_mem, and PostgreSQL scanned the materialised
            # paragraphs once per decision ("applicant" at 20,000 decisions: over 27 s -> 1.5 s).
            if stq is None:
                params.extend([tsq, tsq])
                return (
                    "(d.meta_tsv @@ to_tsquery('simple', %s) OR d.uid IN (SELECT DISTINCT p.uid "
                    "FROM search_pg_paragraph p WHERE p.tsv @@ to_tsquery('simple', %s)))"
                )
            params.extend([tsq, stq, tsq, stq])
            return (
                "(d.meta_tsv @@ to_tsquery('simple', %s) OR d.meta_stem_tsv @@ "
                "to_tsquery('simple', %s) OR d.uid IN (SELECT DISTINCT p.uid FROM "
                "search_pg_paragraph p "
                "WHERE p.tsv @@ to_tsquery('simple', %s) OR p.stem_tsv @@ "
                "to_tsquery('simple', %s)))"
            )
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
            params.append(list(node.values))
            return f"(d.f_{f} && %s::text[])"
        if isinstance(node, q.Not):
            return f"(NOT {self._translate(node.child, params, langs)})"
        joiner = " AND " if isinstance(node, q.And) else " OR "
        return "(" + joiner.join(self._translate(c, params, langs) for c in node.children) + ")"

    def _where(
        self, params: SearchParams, scope: DecisionScope, parsed: q.ParsedQuery
    ) -> tuple[str, list[Any]]:
        args: list[Any] = [sorted(scope.tiers)]
        parts = ["d.access = ANY(%s)"]
        if scope.published_only:
            parts.append("d.state = 'published'")
        text = (
            self._translate(parsed.root, args, _languages(params))
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
            if values:
                parts.append(f"d.f_{name} && %s::text[]")
                args.append(list(values))
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
        where, args = self._where(params, scope, parsed)
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
        wanted_active = [n for n, v in params.filters.items() if v and n in wanted]
        wanted_plain = [n for n in wanted if n not in wanted_active]
        with connection.cursor() as cursor:
            facets: dict[str, tuple[FacetValue, ...]] = {}
            if wanted_plain:
                # The count comes with the facets over the same matching rows (one text match
                # over the paragraphs fewer).
                count, facets = self._count_and_facets(cursor, where, args, wanted_plain)
            else:
                cursor.execute(f"SELECT count(*) FROM search_pg_decision d WHERE {where}", args)
                count = int(cursor.fetchone()[0])
            if sort == "relevance":
                sql = (
                    "SELECT d.uid, d.title, d.court, d.country, d.decision_date, d.summary, "
                    "d.date_display, d.case_name, d.f_has_text, "
                    "ts_rank(d.meta_tsv, to_tsquery('simple', %s)) + COALESCE(pc.n, 0) AS score "
                    "FROM search_pg_decision d LEFT JOIN (SELECT p.uid, count(*) AS n FROM "
                    f"search_pg_paragraph p WHERE {p_match} "
                    f"GROUP BY p.uid) pc ON pc.uid = d.uid WHERE {where} "
                    "ORDER BY score DESC, d.date_key DESC NULLS LAST, d.uid LIMIT %s OFFSET %s"
                )
                cursor.execute(sql, [any_q, *p_args, *args, params.page_size, offset])
            else:
                order = (
                    "d.date_key DESC NULLS LAST"
                    if sort == "date_desc"
                    else "d.date_key ASC NULLS LAST"
                )
                sql = (
                    "SELECT d.uid, d.title, d.court, d.country, d.decision_date, d.summary, "
                    "d.date_display, d.case_name, d.f_has_text, 0.0 FROM search_pg_decision d "
                    f"WHERE {where} ORDER BY {order}, d.uid "
                    "LIMIT %s OFFSET %s"
                )
                cursor.execute(sql, [*args, params.page_size, offset])
            rows = cursor.fetchall()
            snippets: dict[str, list[Snippet]] = {}
            if leaves and rows and params.snippets:
                limit = SNIPPETS_IN_DECISION if params.decision_uid else SNIPPETS_PER_HIT
                cursor.execute(
                    "SELECT uid, language, number, body FROM (SELECT p.uid, p.language, "
                    "p.number, p.body, row_number() OVER (PARTITION BY p.uid ORDER BY "
                    f"{p_rank} DESC, p.language, p.number) AS rn "
                    "FROM search_pg_paragraph p WHERE p.uid = ANY(%s) AND "
                    f"{p_match}) x WHERE rn <= %s ORDER BY uid, rn",
                    [*p_args, [r[0] for r in rows], *p_args, limit],
                )
                for uid, language, number, body in cursor.fetchall():
                    html = highlight(body, leaves, language=language, languages=langs)
                    if html:
                        snippets.setdefault(uid, []).append(
                            Snippet(language=language, paragraph=number, html=html)
                        )
            if wanted:
                # Values of one facet are ORed: a facet with ticked values is counted under every
                # filter but its own (see the tantivy backend).
                for name in wanted_active:
                    others = replace(
                        params, filters={k: v for k, v in params.filters.items() if k != name}
                    )
                    _, theirs = self._count_and_facets(
                        cursor, *self._where(others, scope, parsed), [name]
                    )
                    facets.update(theirs)
                facets = {name: facets[name] for name in wanted}
        hits = []
        for row in rows:
            uid, title, court, country, date, summary, date_display, case_name, has_text = row[:9]
            score = row[9]
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

    def _count_and_facets(
        self, cursor: Any, where: str, args: list[Any], names: list[str]
    ) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
        """The number of matching decisions and the counts of ``names``' values among them, in
        one statement over the matching rows."""
        columns = ", ".join(f"d.f_{f}" for f in names)
        unions = " UNION ALL ".join(
            [
                "SELECT '', NULL, count(*) FROM m",
                *(
                    f"SELECT '{f}', v, count(*) FROM m, unnest(m.f_{f}) AS v GROUP BY v"
                    for f in names
                ),
            ]
        )
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT {columns} FROM search_pg_decision d WHERE {where}) "
            + unions,
            args,
        )
        total = 0
        out: dict[str, list[FacetValue]] = {f: [] for f in names}
        for name, value, count in cursor.fetchall():
            if name == "":
                total = int(count)
            else:
                out[name].append(FacetValue(value=value, label=value, count=int(count)))
        facets = {f: tuple(sorted(v, key=lambda x: (-x.count, x.value))) for f, v in out.items()}
        return total, facets
