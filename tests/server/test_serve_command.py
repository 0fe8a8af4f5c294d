"""``cicnet serve``: argument checks, gunicorn configuration and the start-up index check."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cicnet.search.services import index_status
from cicnet.server.gunicorn_app import CicnetServer, ServeOptions
from cicnet.server.startup import search_index_check
from tests.factories import DecisionFactory


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("port", 0, "--port"),
        ("port", 70000, "--port"),
        ("workers", 0, "--workers"),
        ("threads", 0, "--threads"),
    ],
)
def test_serve_rejects_bad_numbers_naming_the_option(option: str, value: int, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("serve", **{option: value})


def test_gunicorn_is_configured_with_several_threaded_workers() -> None:
    server = CicnetServer(ServeOptions(host="0.0.0.0", port=8123, workers=3, threads=2))  # noqa: S104
    cfg = server.cfg
    assert cfg.bind == ["0.0.0.0:8123"]
    assert cfg.workers == 3
    assert cfg.threads == 2
    assert cfg.worker_class_str == "gthread"
    assert cfg.preload_app is False  # no database connection crosses a fork
    assert ServeOptions(host="::1", port=80).bind == "[::1]:80"


@pytest.mark.django_db
def test_start_up_rebuilds_a_stale_search_index() -> None:
    DecisionFactory(uid="startup-check")
    messages: list[str] = []
    assert index_status().stale
    assert (
        search_index_check(rebuild=True, report=messages.append, warn=messages.append) == "rebuilt"
    )
    assert not index_status().stale
    assert search_index_check(rebuild=True, report=messages.append, warn=messages.append) == "fresh"
    assert any("stale" in m for m in messages)


@pytest.mark.django_db
def test_start_up_only_warns_when_told_not_to_rebuild() -> None:
    DecisionFactory(uid="startup-warn")
    warnings: list[str] = []
    assert (
        search_index_check(rebuild=False, report=warnings.append, warn=warnings.append) == "stale"
    )
    assert any("cicnet reindex" in w for w in warnings)
    assert index_status().stale
