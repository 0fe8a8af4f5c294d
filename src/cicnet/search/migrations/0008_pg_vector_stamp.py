"""PostgreSQL only: what tells each process that the vector index changed is a sum of counters
that writers bump in their own transaction (``search_vector_stamp``), no longer counts over the
embeddings and the decisions (search/vectors.py, ``_db_stamp``).

Every search in hybrid mode asked for the stamp; counting 500,000 embedding rows took 33 ms of
each (docs/performance.md, eighth pass). Now a trigger adds one to the writing session's own row
(one row per backend process: two writers never wait for each other, so no deadlock), once per
transaction that writes or deletes an embedding, or inserts, deletes or gives another uid, tier
or state to a decision. The rows' sum grows exactly when such a transaction commits; reading it
is one small aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARDS = [
    "CREATE TABLE IF NOT EXISTS search_vector_stamp (pid integer PRIMARY KEY, "
    "n bigint NOT NULL)",
    # Once per transaction (a transaction-local setting remembers it, and is undone with a
    # rolled-back savepoint as the row is): updating one row again for each row written would
    # make a bulk write quadratic (each update walks the row's versions the transaction made).
    "CREATE OR REPLACE FUNCTION search_vector_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF current_setting('cicnet.vector_bumped', true) IS DISTINCT FROM 'on' THEN "
    "PERFORM set_config('cicnet.vector_bumped', 'on', true); "
    "INSERT INTO search_vector_stamp (pid, n) VALUES (pg_backend_pid(), 1) "
    "ON CONFLICT (pid) DO UPDATE SET n = search_vector_stamp.n + 1; END IF; "
    "RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS search_vector_bump ON search_paragraphembedding",
    "CREATE TRIGGER search_vector_bump AFTER INSERT OR UPDATE OR DELETE "
    "ON search_paragraphembedding FOR EACH ROW EXECUTE FUNCTION search_vector_bump()",
    "DROP TRIGGER IF EXISTS search_vector_bump_truncate ON search_paragraphembedding",
    "CREATE TRIGGER search_vector_bump_truncate AFTER TRUNCATE "
    "ON search_paragraphembedding FOR EACH STATEMENT EXECUTE FUNCTION search_vector_bump()",
    # The vector index reads a decision's id, uid, tier and state (vectors._from_database).
    "DROP TRIGGER IF EXISTS search_vector_bump ON jurisprudence_decision",
    "CREATE TRIGGER search_vector_bump AFTER INSERT OR DELETE "
    "ON jurisprudence_decision FOR EACH ROW EXECUTE FUNCTION search_vector_bump()",
    "DROP TRIGGER IF EXISTS search_vector_bump_scope ON jurisprudence_decision",
    "CREATE TRIGGER search_vector_bump_scope AFTER UPDATE OF uid, access, state "
    "ON jurisprudence_decision FOR EACH ROW WHEN ((OLD.uid, OLD.access, OLD.state) "
    "IS DISTINCT FROM (NEW.uid, NEW.access, NEW.state)) EXECUTE FUNCTION search_vector_bump()",
    "DROP TRIGGER IF EXISTS search_vector_bump_truncate ON jurisprudence_decision",
    "CREATE TRIGGER search_vector_bump_truncate AFTER TRUNCATE "
    "ON jurisprudence_decision FOR EACH STATEMENT EXECUTE FUNCTION search_vector_bump()",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_vector_bump_truncate ON jurisprudence_decision",
    "DROP TRIGGER IF EXISTS search_vector_bump_scope ON jurisprudence_decision",
    "DROP TRIGGER IF EXISTS search_vector_bump ON jurisprudence_decision",
    "DROP TRIGGER IF EXISTS search_vector_bump_truncate ON search_paragraphembedding",
    "DROP TRIGGER IF EXISTS search_vector_bump ON search_paragraphembedding",
    "DROP FUNCTION IF EXISTS search_vector_bump()",
    "DROP TABLE IF EXISTS search_vector_stamp",
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
    dependencies = [
        ("search", "0007_pg_word_bitmaps"),
        ("jurisprudence", "0006_decision_updated_at_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
