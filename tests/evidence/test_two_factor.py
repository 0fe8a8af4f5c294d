"""The vault asks every role for a second-factor-verified session, demo accounts included."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings: Any) -> None:
    settings.CICNET_REQUIRE_2FA = True
    cache.clear()


@pytest.mark.parametrize("role", ["cso", "authority", "secretariat", "admin"])
def test_unverified_sessions_are_sent_to_the_second_factor(world: World, role: str) -> None:
    client = world.client(role)
    for url in ("/cooperation/", f"/cooperation/{world.submission.uid}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/?next=")


def test_demo_exemption_does_not_open_the_vault(world: World, settings: Any) -> None:
    settings.CICNET_DEMO_2FA_EXEMPT = True
    user = world.users["cso"]
    user.username = "net-cso"  # a printed demo login (network/demo.py)
    user.save(update_fields=["username"])
    client = world.client("cso")
    assert client.get("/network/").status_code == 200  # exempt elsewhere …
    vault = client.get(f"/cooperation/{world.submission.uid}/")
    assert vault.status_code == 302 and vault["Location"].startswith("/accounts/2fa/")
    upload = client.post(f"/cooperation/{world.submission.uid}/uploads/", {})
    assert upload.status_code == 403 and "second factor" in upload.json()["error"]


def test_verified_session_reaches_the_vault(world: World) -> None:
    user = world.users["cso"]
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(user)
    token = f"{TOTP(device.bin_key).token():06d}"
    assert client.post("/accounts/2fa/", {"token": token}).status_code == 302
    assert client.get(f"/cooperation/{world.submission.uid}/").status_code == 200
