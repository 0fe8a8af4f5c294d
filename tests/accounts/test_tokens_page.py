"""/accounts/tokens/: members create and revoke their own API tokens; the secret is shown once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cicnet.accounts.models import ApiToken
from cicnet.accounts.services import api_token_create
from cicnet.audit.models import AuditEntry

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["member", "curator", "admin"])
def test_created_token_is_shown_once_and_works(role: str, users: dict[str, Any]) -> None:
    client = logged_in(users[role])

    response = client.post("/accounts/tokens/", {"label": "notebook"})

    assert response.status_code == 200
    key = re.search(r'data-testid="new-token-key">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=users[role])
    assert token.key == key and token.label == "notebook"
    assert key not in client.get("/accounts/tokens/").content.decode()
    assert "notebook" in client.get("/accounts/tokens/").content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/decisions")
    assert api.status_code == 200
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor_id == users[role].pk


def test_revoked_token_stops_working(users: dict[str, Any]) -> None:
    token = api_token_create(user=users["member"], label="old")
    client = logged_in(users["member"])

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}").get("/api/v1/decisions")
    assert api.status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_cannot_revoke_someone_elses_token(users: dict[str, Any]) -> None:
    token = api_token_create(user=users["curator"])
    response = logged_in(users["member"]).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_needs_post(users: dict[str, Any]) -> None:
    token = api_token_create(user=users["member"])
    assert logged_in(users["member"]).get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_page_lists_only_own_tokens(users: dict[str, Any]) -> None:
    api_token_create(user=users["member"], label="mine")
    api_token_create(user=users["curator"], label="theirs")
    page = logged_in(users["member"]).get("/accounts/tokens/").content.decode()
    assert "mine" in page and "theirs" not in page


def test_too_long_label_is_refused_with_a_message(users: dict[str, Any]) -> None:
    response = logged_in(users["member"]).post("/accounts/tokens/", {"label": "x" * 101})
    assert response.status_code == 400
    assert "Label: at most 100 characters" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_user_with_unknown_role_gets_no_token_page(db: None) -> None:
    user = UserFactory(username="odd", role="member")
    user.role = "observer"
    user.save()
    client = logged_in(user)
    assert client.get("/accounts/tokens/").status_code == 404
    assert client.post("/accounts/tokens/", {"label": "x"}).status_code == 404
    assert not ApiToken.objects.exists()
