"""GET /api/v1/search/export.csv and .jsonl: exactly the visible result set, streamed."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from cicnet.jurisprudence.exports import EXPORT_COLUMNS, csv_lines

from ..conftest import VISIBLE, search_backend_queries, vector_index_queries
from .conftest import COMMON_WORD, ROLES, marker

pytestmark = pytest.mark.django_db


def content(response: Any) -> str:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(response))))


def jsonl_rows(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in content(response).splitlines()]


READERS = {"csv": csv_rows, "jsonl": jsonl_rows}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("role", ROLES)
def test_export_contains_exactly_visible_decisions(
    role: str, fmt: str, clients: dict[str, Client], searchable_matrix: dict[str, Any]
) -> None:
    response = clients[role].get(f"/api/v1/search/export.{fmt}", {"q": COMMON_WORD})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="cicnet-search.{fmt}"'
    rows = READERS[fmt](response)
    assert {r["id"] for r in rows} == {searchable_matrix[k].uid for k in VISIBLE[role]}
    assert all(set(r) == set(EXPORT_COLUMNS) for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_of_word_only_in_hidden_decision_is_empty(
    fmt: str, clients: dict[str, Client], searchable_matrix: dict[str, Any]
) -> None:
    response = clients["member"].get(
        f"/api/v1/search/export.{fmt}", {"q": marker("secretariat/published")}
    )
    assert READERS[fmt](response) == []


def test_export_stops_at_the_row_limit(
    clients: dict[str, Client], searchable_matrix: dict[str, Any], settings: Any
) -> None:
    settings.CICNET_EXPORT_MAX_ROWS = 4
    rows = jsonl_rows(clients["admin"].get("/api/v1/search/export.jsonl", {"q": COMMON_WORD}))
    assert len(rows) == 4


def test_export_of_malformed_query_is_400_not_a_broken_download(
    clients: dict[str, Client], db: None
) -> None:
    response = clients["anonymous"].get("/api/v1/search/export.csv", {"country": "Germany"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "country"


def test_export_query_count_is_bounded(
    clients: dict[str, Client],
    searchable_matrix: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    # One batch: decisions, crimes, provisions, texts; plus session and user for the curator.
    with django_assert_max_num_queries(6 + search_backend_queries() + vector_index_queries()):
        rows = csv_rows(clients["curator"].get("/api/v1/search/export.csv", {"q": COMMON_WORD}))
    assert len(rows) == 9


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    record = dict.fromkeys(EXPORT_COLUMNS, "")
    record.update(
        {
            "title": '=HYPERLINK("http://x")',
            "crimes": ["7(1)(f)", "8(2)(a)(ii)-1"],
            "terrorism_concurrent": True,
        }
    )
    header, line = list(csv_lines([record]))
    row = next(csv.DictReader(io.StringIO(header + line)))
    assert row["title"] == '\'=HYPERLINK("http://x")'
    assert row["crimes"] == "7(1)(f); 8(2)(a)(ii)-1"
    assert row["terrorism_concurrent"] == "yes"
