"""Tables for the PostgreSQL search backend (search/postgres_backend.py).

Created only when the database is PostgreSQL; on SQLite this migration does nothing (the
embedded tantivy backend keeps its index on disk instead).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS search_pg_decision (
    uid text PRIMARY KEY,
    title text NOT NULL DEFAULT '',
    court text NOT NULL DEFAULT '',
    country text NOT NULL DEFAULT '',
    decision_date date,
    date_key integer,
    year integer,
    access text NOT NULL,
    state text NOT NULL,
    updated_at timestamptz NOT NULL,
    summary text NOT NULL DEFAULT '',
    meta_tsv tsvector NOT NULL,
    court_tsv tsvector NOT NULL,
    provision_tsv tsvector NOT NULL,
    f_country text[] NOT NULL DEFAULT '{}',
    f_court text[] NOT NULL DEFAULT '{}',
    f_year text[] NOT NULL DEFAULT '{}',
    f_crime_group text[] NOT NULL DEFAULT '{}',
    f_crime text[] NOT NULL DEFAULT '{}',
    f_provision text[] NOT NULL DEFAULT '{}',
    f_situation text[] NOT NULL DEFAULT '{}',
    f_outcome text[] NOT NULL DEFAULT '{}',
    f_instance text[] NOT NULL DEFAULT '{}',
    f_language text[] NOT NULL DEFAULT '{}',
    f_terrorism text[] NOT NULL DEFAULT '{}',
    f_has_text text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS search_pg_decision_meta ON search_pg_decision USING gin (meta_tsv);
CREATE INDEX IF NOT EXISTS search_pg_decision_scope ON search_pg_decision (access, state);
CREATE INDEX IF NOT EXISTS search_pg_decision_date ON search_pg_decision (date_key);
CREATE TABLE IF NOT EXISTS search_pg_paragraph (
    id bigserial PRIMARY KEY,
    uid text NOT NULL REFERENCES search_pg_decision (uid) ON DELETE CASCADE,
    language text NOT NULL,
    number integer NOT NULL,
    body text NOT NULL,
    tsv tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS search_pg_paragraph_tsv ON search_pg_paragraph USING gin (tsv);
CREATE INDEX IF NOT EXISTS search_pg_paragraph_uid ON search_pg_paragraph (uid);
"""

DROP = """
DROP TABLE IF EXISTS search_pg_paragraph;
DROP TABLE IF EXISTS search_pg_decision;
"""


def _run(schema_editor: Any, script: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in script.split(";"):
            if statement.strip():
                cursor.execute(statement)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, CREATE)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = []  # Django declares the type on the base class

    operations = [migrations.RunPython(forwards, backwards)]
