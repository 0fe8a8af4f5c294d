"""PostgreSQL only: a query's words, phrases and many-valued fields reach the search statement
as bitmaps over a stable number per decision (``ord``) instead of lists of uids
(docs/decisions/0160, third amendment).

A word's decisions came as a string of uids that PostgreSQL folded into a constant array and
hashed; planning such a statement estimated the selectivity of every element of the array
(``scalararraysel``): 12.5 ms of planning for "applicant" (11,637 decisions at 20,000), 16 ms
for two common words searched within one decision. A bitmap is one ``bytea`` parameter tested
with ``get_bit`` (``search_pg_has``): planned in constant time, read in constant time per row.

``search_pg_ord`` gives each uid its number once, kept across rewrites of the decision (a
bitmap stays small: one bit per decision ever indexed); triggers copy it into the decision row
(covered by the scope index with the year, so the scope read stays index-only) and its words rows.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARDS = [
    "CREATE TABLE IF NOT EXISTS search_pg_ord (uid text PRIMARY KEY, "
    "ord integer GENERATED ALWAYS AS IDENTITY UNIQUE)",
    "INSERT INTO search_pg_ord (uid) SELECT uid FROM search_pg_decision ORDER BY uid "
    "ON CONFLICT (uid) DO NOTHING",
    "ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS ord integer",
    "UPDATE search_pg_decision d SET ord = o.ord FROM search_pg_ord o WHERE o.uid = d.uid",
    "ALTER TABLE search_pg_decision ALTER COLUMN ord SET NOT NULL",
    "ALTER TABLE search_pg_words ADD COLUMN IF NOT EXISTS ord integer",
    "UPDATE search_pg_words w SET ord = o.ord FROM search_pg_ord o WHERE o.uid = w.uid",
    "ALTER TABLE search_pg_words ALTER COLUMN ord SET NOT NULL",
    # A decision row takes its uid's number (a new uid gets the next one); its words rows,
    # written after it in the same transaction, take the decision row's.
    "CREATE OR REPLACE FUNCTION search_pg_decision_ord() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN INSERT INTO search_pg_ord (uid) VALUES (NEW.uid) ON CONFLICT (uid) DO NOTHING; "
    "SELECT o.ord INTO NEW.ord FROM search_pg_ord o WHERE o.uid = NEW.uid; RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS search_pg_decision_ord ON search_pg_decision",
    "CREATE TRIGGER search_pg_decision_ord BEFORE INSERT ON search_pg_decision "
    "FOR EACH ROW EXECUTE FUNCTION search_pg_decision_ord()",
    "CREATE OR REPLACE FUNCTION search_pg_words_ord() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN SELECT d.ord INTO NEW.ord FROM search_pg_decision d WHERE d.uid = NEW.uid; "
    "RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS search_pg_words_ord ON search_pg_words",
    "CREATE TRIGGER search_pg_words_ord BEFORE INSERT ON search_pg_words "
    "FOR EACH ROW EXECUTE FUNCTION search_pg_words_ord()",
    # The numbers of the decisions holding a word (and its forms), a phrase's words or facet
    # keys, 4 bytes each (big-endian); the caller makes them a bitmap.
    "CREATE OR REPLACE FUNCTION search_pg_words_ords(words text) RETURNS bytea "
    "LANGUAGE sql STABLE SET enable_seqscan = off "
    "AS $$ SELECT COALESCE(string_agg(int4send(ord), ''::bytea), ''::bytea) "
    "FROM search_pg_words WHERE words @@ to_tsquery('simple', $1) $$",
    "CREATE OR REPLACE FUNCTION search_pg_words_ords(words text, stems text) RETURNS bytea "
    "LANGUAGE sql STABLE SET enable_seqscan = off "
    "AS $$ SELECT COALESCE(string_agg(int4send(ord), ''::bytea), ''::bytea) "
    "FROM search_pg_words WHERE words @@ to_tsquery('simple', $1) "
    "OR stems @@ to_tsquery('simple', $2) $$",
    "CREATE OR REPLACE FUNCTION search_pg_facets_ords(keys text) RETURNS bytea "
    "LANGUAGE sql STABLE SET enable_seqscan = off "
    "AS $$ SELECT COALESCE(string_agg(int4send(ord), ''::bytea), ''::bytea) "
    "FROM search_pg_decision WHERE facet_keys && string_to_array($1, chr(31)) $$",
    # Bit ``ord`` of ``bits`` (bit 0 the lowest of the first byte); false beyond its end.
    # Inlined by the planner (one SQL expression, immutable).
    "CREATE OR REPLACE FUNCTION search_pg_has(bits bytea, ord integer) RETURNS boolean "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$ SELECT $2 < 8 * length($1) AND get_bit($1, $2) = 1 $$",
    "DROP INDEX IF EXISTS search_pg_decision_scope",
    # ``year`` too: with a word's decisions as a bitmap there is no list of uids to probe the
    # primary key with, and a year condition read from the table made PostgreSQL scan all of it.
    "CREATE INDEX search_pg_decision_scope ON search_pg_decision (state, access) "
    "INCLUDE (uid, date_key, paragraphs, n, ord, year)",
    "ANALYZE search_pg_decision",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS search_pg_decision_scope",
    "CREATE INDEX search_pg_decision_scope ON search_pg_decision (state, access) "
    "INCLUDE (uid, date_key, paragraphs, n)",
    "DROP FUNCTION IF EXISTS search_pg_has(bytea, integer)",
    "DROP FUNCTION IF EXISTS search_pg_facets_ords(text)",
    "DROP FUNCTION IF EXISTS search_pg_words_ords(text, text)",
    "DROP FUNCTION IF EXISTS search_pg_words_ords(text)",
    "DROP TRIGGER IF EXISTS search_pg_words_ord ON search_pg_words",
    "DROP FUNCTION IF EXISTS search_pg_words_ord()",
    "DROP TRIGGER IF EXISTS search_pg_decision_ord ON search_pg_decision",
    "DROP FUNCTION IF EXISTS search_pg_decision_ord()",
    "ALTER TABLE search_pg_words DROP COLUMN IF EXISTS ord",
    "ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS ord",
    "DROP TABLE IF EXISTS search_pg_ord",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, FORWARDS)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_pg_decision_numbers")]

    operations = [migrations.RunPython(forwards, backwards)]
