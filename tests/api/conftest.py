"""API test fixtures: a client per role, the tier matrix with searchable texts, the OpenAPI
validator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jsonschema
import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from cicnet.accounts.services import api_token_create

from ..factories import ParagraphFactory, TextFactory

ROLES = ("anonymous", "member", "curator", "admin")

# One country per matrix decision, so facet counts show exactly which decisions were counted.
MATRIX_COUNTRIES = {
    "public/draft": "AT",
    "public/review": "BE",
    "public/published": "DE",
    "network/draft": "DK",
    "network/review": "ES",
    "network/published": "FI",
    "secretariat/draft": "FR",
    "secretariat/review": "NL",
    "secretariat/published": "SE",
}
COMMON_WORD = "atrocity"


def marker(key: str) -> str:
    """A word that appears in exactly one matrix decision's text."""
    return "marker" + key.replace("/", "")


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """Throttle counters live in the cache: start every test with none."""
    cache.clear()


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly (or closing a response by hand) fires
    request_started/finished, whose ``close_old_connections`` closes a connection inside the
    test's transaction (on PostgreSQL). Django's test client disconnects it the same way while
    it runs a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def clients(users: dict[str, Any]) -> dict[str, Client]:
    """A client per role: member and admin with an API token, curator with a session login
    (so both ways of authenticating run through the matrix), anonymous with nothing."""
    out = {"anonymous": Client()}
    for role in ("member", "admin"):
        token = api_token_create(user=users[role], label="tests")
        out[role] = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    curator = Client()
    curator.force_login(users["curator"])
    out["curator"] = curator
    return out


@pytest.fixture
def searchable_matrix(tier_matrix: dict[str, Any]) -> dict[str, Any]:
    """The tier matrix with a country, an English text and a unique word per decision, indexed."""
    from cicnet.search.services import rebuild_index

    for key, decision in tier_matrix.items():
        decision.country = MATRIX_COUNTRIES[key]
        decision.save()
        text = TextFactory(decision=decision, language="en")
        ParagraphFactory(
            text=text,
            number=1,
            body=f"The court examined the {COMMON_WORD} and the {marker(key)} record.",
        )
        ParagraphFactory(text=text, number=2, body="The defendant was heard.")
    rebuild_index()
    return tier_matrix


@pytest.fixture(scope="session")
def openapi(django_db_blocker: Any) -> dict[str, Any]:
    """The OpenAPI document as served at /api/v1/openapi.json."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


@pytest.fixture
def assert_openapi(openapi: dict[str, Any]) -> Callable[..., None]:
    """Validate a real JSON response against the response schema the OpenAPI document gives for
    its operation and status code ($refs resolved against the document's components)."""

    def check(response: Any, path: str, method: str = "get") -> None:
        operation = openapi["paths"][path][method]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, (
            f"{method.upper()} {path} does not document {response.status_code}"
        )
        schema = documented["content"]["application/json"]["schema"]
        jsonschema.validate(
            response.json(),
            {**schema, "components": openapi["components"]},
            cls=jsonschema.Draft202012Validator,
        )

    return check
