"""Columns for what a result shows beside its title: the date as precise as the source gave it
(a year-only date is the year, never 1 January) and the case's name (issue 11).

PostgreSQL only, like 0001; rows indexed before it show an empty case name until
``cicnet reindex`` (the jurisprudence data migration of the same issue marks every decision
changed, so the start-up staleness check asks for it).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ADD = """
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS date_display text NOT NULL DEFAULT '';
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS case_name text NOT NULL DEFAULT ''
"""
DROP = """
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS date_display;
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS case_name
"""


def _run(schema_editor: Any, script: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in script.split(";"):
            if statement.strip():
                cursor.execute(statement)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, ADD)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_postgres_fulltext")]

    operations = [migrations.RunPython(forwards, backwards)]
