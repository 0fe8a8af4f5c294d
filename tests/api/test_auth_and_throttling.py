"""Token and session authentication, 401 for unusable credentials, the anonymous throttle."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from cicnet.accounts.api_auth import AnonymousRateThrottle
from cicnet.accounts.models import ApiToken
from cicnet.accounts.services import api_token_create

from ..factories import DecisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token", "Token abc", "Basic dXNlcjpwYXNz", "Bearer", "Bearer    "],
)
def test_unusable_authorization_header_is_401_not_anonymous(header: str, db: None) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/decisions")
    assert response.status_code == 401
    assert response.json()["parameter"] == "Authorization"
    assert "token" in response.json()["detail"].lower()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_inactive_owner_are_401(users: dict[str, Any]) -> None:
    token = api_token_create(user=users["member"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert client.get("/api/v1/decisions").status_code == 200
    users["member"].is_active = False
    users["member"].save()
    assert client.get("/api/v1/decisions").status_code == 401
    token.delete()
    assert "revoked" in client.get("/api/v1/decisions").json()["detail"]


def test_token_acts_as_its_owner_and_records_last_use(users: dict[str, Any]) -> None:
    DecisionFactory(uid="network-one", access="network")
    token = api_token_create(user=users["member"])
    assert token.last_used_at is None

    body = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}").get("/api/v1/decisions").json()

    assert [r["id"] for r in body["results"]] == ["network-one"]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_session_login_works_for_the_browser(users: dict[str, Any]) -> None:
    DecisionFactory(uid="network-one", access="network")
    client = Client()
    client.force_login(users["member"])
    assert client.get("/api/v1/decisions").json()["count"] == 1
    assert Client().get("/api/v1/decisions").json()["count"] == 0


def _not_at_a_window_edge() -> None:
    """The throttle counts in fixed one-minute windows: start well inside one, so the requests
    below are not split across two windows (which would reset the count mid-test)."""
    into_window = time.time() % AnonymousRateThrottle.window_seconds
    if into_window > AnonymousRateThrottle.window_seconds - 10:
        time.sleep(AnonymousRateThrottle.window_seconds - into_window + 0.1)


def test_anonymous_use_is_throttled_per_address(db: None, settings: Any) -> None:
    settings.CICNET_ANON_API_RATE = 3
    _not_at_a_window_edge()
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/decisions").status_code == 200

    response = client.get("/api/v1/decisions")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "3 requests per minute" in response.json()["detail"]
    other_address = Client(REMOTE_ADDR="10.0.0.2")
    assert other_address.get("/api/v1/decisions").status_code == 200
    # A forged X-Forwarded-For does not open a fresh bucket (no trusted proxy configured).
    forged = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forged.get("/api/v1/decisions").status_code == 429


def test_members_are_not_held_to_the_anonymous_limit(users: dict[str, Any], settings: Any) -> None:
    settings.CICNET_ANON_API_RATE = 2
    token = api_token_create(user=users["member"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert all(client.get("/api/v1/decisions").status_code == 200 for _ in range(6))


def test_trusted_proxy_count_uses_the_forwarded_address(db: None, settings: Any) -> None:
    settings.CICNET_ANON_API_RATE = 1
    settings.CICNET_NUM_PROXIES = 1
    _not_at_a_window_edge()
    a = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    b = Client(HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert a.get("/api/v1/decisions").status_code == 200
    assert b.get("/api/v1/decisions").status_code == 200
    assert a.get("/api/v1/decisions").status_code == 429


def test_user_without_api_role_cannot_use_a_token(db: None) -> None:
    user = UserFactory(username="odd", role="member")
    token = api_token_create(user=user)
    user.role = "observer"  # not a role the policy knows: denied like anonymous
    user.save()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}").get("/api/v1/decisions")
    assert response.status_code == 401
