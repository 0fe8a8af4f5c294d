"""/healthz: what a load balancer and the multi-node test read."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_worker_and_search_backend(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "db": connection.vendor,
        "pid": os.getpid(),
        "search_backend": settings.CICNET_SEARCH_BACKEND,
        "authenticated": False,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_whether_the_session_is_logged_in(client: Client) -> None:
    client.force_login(UserFactory(username="health-member", role="member"))
    assert client.get("/healthz").json()["authenticated"] is True


def test_healthz_answers_get_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
