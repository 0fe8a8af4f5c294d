"""PostgreSQL only: how a search reads the tables (docs/decisions/0160, amendment).

- The index of the decisions' scope (0001's, of ``access, state``) now covers the columns
  every search reads from all the decisions in scope (``uid``, ``date_key``, ``paragraphs``,
  ``facet_ids``): the statement's scan of the in-scope decisions reads 3.5 MB of index instead
  of the 22 MB table at 20,000 decisions (an index-only scan; the rebuild vacuums the table so
  that it can be one).
- No GIN indexes on the paragraphs' words (``tsv``, ``stem_tsv``).

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
    # 0001's index of (access, state) alone, replaced by the covering one.
    "DROP INDEX IF EXISTS search_pg_decision_scope",
    "CREATE INDEX search_pg_decision_scope ON search_pg_decision (state, access) "
    "INCLUDE (uid, date_key, paragraphs, facet_ids)",
    "ANALYZE search_pg_decision",
]
ADD = [
    "DROP INDEX IF EXISTS search_pg_decision_scope",
    "CREATE INDEX search_pg_decision_scope ON search_pg_decision (access, state)",
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
