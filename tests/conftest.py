"""Shared fixtures: users for every role, decisions in every tier and state, a fresh search
index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cicnet.access import policy

from .factories import DecisionFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_var(settings: Any, tmp_path: Path) -> None:
    """Every test gets its own search index, file store, evidence vault and keys."""
    settings.CICNET_INDEX_DIR = tmp_path / "index"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.CICNET_EVIDENCE_DIR = tmp_path / "evidence"
    settings.CICNET_KEYS_DIR = tmp_path / "keys"
    settings.CICNET_SIGNING_KEY_FILE = tmp_path / "keys" / "signing-ed25519.pem"
    settings.CICNET_EVIDENCE_KEYS = ""
    settings.CICNET_EXPORT_SLOTS_DIR = tmp_path / "export-slots"


@pytest.fixture(autouse=True)
def _empty_postgres_search_tables(request: pytest.FixtureRequest) -> None:
    """The PostgreSQL search tables (search/0001, 0004) and the cache table are not Django
    models, so Django's flush between transactional tests leaves their rows: a decision a
    browser test indexed stayed findable in the next test. Transactional tests on PostgreSQL
    start with them empty, as tantivy tests start with an index folder of their own."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        marker = request.node.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # search_pg_facet_value stays: its ids are never reused (search/postgres_words.py).
            cursor.execute("TRUNCATE search_pg_words, search_pg_paragraph, search_pg_decision")
            # The shared cache table (throttle counts of live servers on this database) is not a
            # model either: one test's anonymous calls answered 429 in the next.
            cursor.execute("SELECT to_regclass('cicnet_cache') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("DELETE FROM cicnet_cache")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """A cheap hasher for the suite's many users: hashing is not what these tests test, and
    PBKDF2 cost three hashes per user. Production keeps Django's default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _per_test_cache(settings: Any) -> None:
    """In-process tests count throttles in a fresh local-memory cache (and need no database for
    it); the cache shared by processes is proved by the live-server tests (tests/server)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_off(settings: Any) -> None:
    """Most tests log users in with force_login and test what they see; the second factor is
    tested on its own (tests/accounts/test_two_factor.py), which switches it back on."""
    settings.CICNET_REQUIRE_2FA = False


@pytest.fixture
def users(db: None) -> dict[str, Any]:
    """One user per logged-in role: member, curator, admin (anonymous has none)."""
    return {
        role: UserFactory(username=f"{role}1", role=role) for role in ("member", "curator", "admin")
    }


@pytest.fixture
def actors(users: dict[str, Any]) -> dict[str, policy.Actor]:
    out = {"anonymous": policy.ANONYMOUS}
    out.update({role: policy.actor_for(u) for role, u in users.items()})
    return out


@pytest.fixture
def tier_matrix(db: None) -> dict[str, Any]:
    """A decision for every (tier, state) pair, keyed 'tier/state'."""
    return {
        f"{tier}/{state}": DecisionFactory(
            uid=f"matrix-{tier}-{state}",
            access=tier,
            state=state,
            title=f"Matrix decision {tier} {state}",
        )
        for tier in ("public", "network", "secretariat")
        for state in ("draft", "review", "published")
    }


# What each role may see of the tier matrix: the expectation every page and endpoint is tested
# against.
VISIBLE = {
    "anonymous": {"public/published"},
    "member": {"public/published", "network/published"},
    "curator": {
        f"{t}/{s}"
        for t in ("public", "network", "secretariat")
        for s in ("draft", "review", "published")
    },
    "admin": {
        f"{t}/{s}"
        for t in ("public", "network", "secretariat")
        for s in ("draft", "review", "published")
    },
}


def search_backend_queries() -> int:
    """Database queries one search makes in the backend itself: none with tantivy (the index is
    on disk), at most four with PostgreSQL full-text search (hits, snippets, and the count with
    the facet counts in one statement; the count alone when no facet is asked for).
    Query-count tests add this to their bound; the bound must not grow with the number of rows
    either way."""
    from django.conf import settings

    return 4 if settings.CICNET_SEARCH_BACKEND == "postgres" else 0


def vector_index_queries() -> int:
    """Database queries a search by meaning (hybrid, the default) adds for the vector index: none
    on the embedded deployment (a file beside the tantivy index), three on PostgreSQL (the
    stamp that says whether the vectors changed, and the reload of the rows when they did;
    search/vectors.py). Constant: the bound must not grow with the number of rows."""
    from django.conf import settings

    return 3 if settings.CICNET_SEARCH_BACKEND == "postgres" else 0
