"""Test clients logged in the ways the app tells apart."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_client(user: Any) -> Client:
    """``user`` logged in and verified by a second factor (a confirmed TOTP device), as the
    Django admin and the vault's pages ask."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    request = type("R", (), {"session": client.session, "user": user})()
    otp_login(request, device)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    return client
