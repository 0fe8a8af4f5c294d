"""Decision-level tables for fast lexical search on PostgreSQL (docs/decisions/0160).

PostgreSQL only, like 0001: ``search_pg_words`` (every lexeme of a decision, GIN-indexed, so a
word is one index lookup per decision instead of a scan of the paragraphs), the decision's
paragraph count and facet value ids (``search_pg_facet_value``), and the functions a search
calls to list the decisions holding a word (or all words of a phrase) or one of many facet
values. Rows already indexed are filled from
their paragraph rows here, so no ``cicnet reindex`` is needed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from cicnet.search.postgres_words import fill_counts, fill_words

ADD = """
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS paragraphs integer NOT NULL DEFAULT 0;
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS facet_ids bytea NOT NULL
    DEFAULT ''::bytea;
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS facet_keys text[] NOT NULL DEFAULT '{}';
CREATE TABLE IF NOT EXISTS search_pg_words (
    uid text NOT NULL REFERENCES search_pg_decision (uid) ON DELETE CASCADE,
    part integer NOT NULL,
    words tsvector NOT NULL,
    stems tsvector NOT NULL,
    PRIMARY KEY (uid, part)
);
ALTER TABLE search_pg_words SET (toast_tuple_target = 128);
ALTER TABLE search_pg_decision SET (toast_tuple_target = 256);
ALTER TABLE search_pg_decision ALTER COLUMN facet_ids SET STORAGE PLAIN;
ALTER TABLE search_pg_decision ALTER COLUMN facet_keys SET STORAGE PLAIN;
CREATE INDEX IF NOT EXISTS search_pg_decision_facets ON search_pg_decision USING gin (facet_keys);
CREATE INDEX IF NOT EXISTS search_pg_words_words ON search_pg_words USING gin (words);
CREATE INDEX IF NOT EXISTS search_pg_words_stems ON search_pg_words USING gin (stems);
CREATE TABLE IF NOT EXISTS search_pg_facet_value (
    id serial PRIMARY KEY,
    facet text NOT NULL,
    value text NOT NULL,
    UNIQUE (facet, value)
);
CREATE OR REPLACE FUNCTION search_pg_words_matching(words text) RETURNS text
    LANGUAGE sql STABLE SET enable_seqscan = off
    AS $$ SELECT COALESCE(string_agg(uid, ' '), '') FROM search_pg_words
          WHERE words @@ to_tsquery('simple', $1) $$;
CREATE OR REPLACE FUNCTION search_pg_words_matching(words text, stems text) RETURNS text
    LANGUAGE sql STABLE SET enable_seqscan = off
    AS $$ SELECT COALESCE(string_agg(uid, ' '), '') FROM search_pg_words
          WHERE words @@ to_tsquery('simple', $1) OR stems @@ to_tsquery('simple', $2) $$;
CREATE OR REPLACE FUNCTION search_pg_facets_matching(keys text) RETURNS text
    LANGUAGE sql STABLE SET enable_seqscan = off
    AS $$ SELECT COALESCE(string_agg(uid, ' '), '') FROM search_pg_decision
          WHERE facet_keys && string_to_array($1, chr(31)) $$
"""
DROP = """
DROP FUNCTION IF EXISTS search_pg_facets_matching(text);
DROP FUNCTION IF EXISTS search_pg_words_matching(text, text);
DROP FUNCTION IF EXISTS search_pg_words_matching(text);
DROP TABLE IF EXISTS search_pg_facet_value;
DROP TABLE IF EXISTS search_pg_words;
ALTER TABLE search_pg_decision RESET (toast_tuple_target);
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS facet_keys;
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS facet_ids;
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS paragraphs
"""
CHUNK = 1000


def _run(schema_editor: Any, script: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in script.split(";\n"):
            if statement.strip():
                cursor.execute(statement)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    _run(schema_editor, ADD)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT uid FROM search_pg_decision ORDER BY uid")
        uids = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(uids), CHUNK):
            fill_words(cursor, uids[start : start + CHUNK])
            fill_counts(cursor, uids[start : start + CHUNK])
        cursor.execute("ANALYZE search_pg_words")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_stems_and_embeddings")]

    operations = [migrations.RunPython(forwards, backwards)]
