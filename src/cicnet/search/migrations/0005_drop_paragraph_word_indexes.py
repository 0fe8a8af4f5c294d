"""PostgreSQL only: drop the GIN indexes on the paragraphs' words (``tsv``, ``stem_tsv``).

Since 0004 a word is looked up in ``search_pg_words``; the paragraphs are only ever read for
decisions already known (phrase check, ranking window, snippets), through the ``uid`` index.
The two GIN indexes were no longer needed, and they invited a bad plan: a phrase's words are
rare together, so the planner estimated one matching paragraph and scanned the phrase's
paragraphs of the whole index once per candidate decision (``"pre-trial detention"`` at
20,000 decisions: 1.5 s instead of 50 ms). They also made indexing slower and the tables larger
(docs/decisions/0160).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

DROP = [
    "DROP INDEX IF EXISTS search_pg_paragraph_tsv",
    "DROP INDEX IF EXISTS search_pg_paragraph_stem",
]
ADD = [
    "CREATE INDEX IF NOT EXISTS search_pg_paragraph_tsv ON search_pg_paragraph USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_pg_paragraph_stem ON search_pg_paragraph "
    "USING gin (stem_tsv)",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, DROP)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, ADD)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_decision_words")]

    operations = [migrations.RunPython(forwards, backwards)]
