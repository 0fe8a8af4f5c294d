"""Word forms and paragraph embeddings (issue 13).

- PostgreSQL only: ``stem_tsv`` columns beside the exact ``tsv``/``meta_tsv``, holding the stems
  of each text in its language's analyzer (search/analysis.py), with GIN indexes. Rows indexed
  before this migration have empty stems until ``cicnet reindex``.
- Both databases: ``ParagraphEmbedding``, the vectors of the anonymised paragraphs the search
  index holds (search/embeddings.py), one row per paragraph and model.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

ADD = """
ALTER TABLE search_pg_decision ADD COLUMN IF NOT EXISTS meta_stem_tsv tsvector NOT NULL
    DEFAULT ''::tsvector;
ALTER TABLE search_pg_paragraph ADD COLUMN IF NOT EXISTS stem_tsv tsvector NOT NULL
    DEFAULT ''::tsvector;
CREATE INDEX IF NOT EXISTS search_pg_decision_meta_stem ON search_pg_decision
    USING gin (meta_stem_tsv);
CREATE INDEX IF NOT EXISTS search_pg_paragraph_stem ON search_pg_paragraph USING gin (stem_tsv)
"""
DROP = """
DROP INDEX IF EXISTS search_pg_paragraph_stem;
DROP INDEX IF EXISTS search_pg_decision_meta_stem;
ALTER TABLE search_pg_paragraph DROP COLUMN IF EXISTS stem_tsv;
ALTER TABLE search_pg_decision DROP COLUMN IF EXISTS meta_stem_tsv
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
    dependencies = [
        ("search", "0002_pg_case_name_date_display"),
        ("jurisprudence", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.CreateModel(
            name="ParagraphEmbedding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=16)),
                ("number", models.IntegerField()),
                ("model", models.CharField(max_length=64)),
                ("body_hash", models.CharField(max_length=64)),
                ("excerpt", models.TextField()),
                ("vector", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="jurisprudence.decision",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("decision", "language", "number", "model"),
                        name="search_embedding_one_per_paragraph_model",
                    )
                ],
                "indexes": [models.Index(fields=["model", "decision"], name="search_emb_model_dec")],
            },
        ),
    ]
