"""TOTP second factor for every logged-in user, the demo exemption, the login throttle."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicnet.audit.models import AuditEntry

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings: Any) -> None:
    settings.CICNET_REQUIRE_2FA = True
    settings.CICNET_DEMO_2FA_EXEMPT = False
    cache.clear()


def _code(user: Any, confirmed: bool) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=confirmed)
    return f"{TOTP(device.bin_key).token():06d}"


@pytest.mark.parametrize("role", ["member", "curator", "admin"])
def test_every_role_must_enrol_then_verify(role: str) -> None:
    user = UserFactory(username=f"two-{role}", role=role)
    client = Client()
    client.force_login(user)
    response = client.get("/network/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/?next=/network/"
    enrol = client.get("/accounts/2fa/?next=/network/")
    assert enrol.status_code == 200 and b"<svg" in enrol.content
    assert b'data-testid="totp-secret"' in enrol.content
    wrong = client.post("/accounts/2fa/", {"token": "12345", "next": "/network/"})
    assert wrong.status_code == 400 and b"token: enter the 6-digit code" in wrong.content
    ok = client.post("/accounts/2fa/", {"token": _code(user, False), "next": "/network/"})
    assert ok.status_code == 302 and ok["Location"] == "/network/"
    assert client.get("/network/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enrol", object_id=str(user.pk)).exists()

    # Next login: the enrolled device's code, no new enrolment.
    second = Client()
    second.force_login(user)
    page = second.get("/accounts/2fa/")
    assert b"totp-secret" not in page.content
    assert second.post("/accounts/2fa/", {"token": "000000"}).status_code == 400


def test_unverified_session_is_anonymous_on_the_api() -> None:
    from tests.network.factories import MembershipFactory, NetworkFactory, PersonFactory

    user = UserFactory(username="two-api")
    private = NetworkFactory(slug="private", is_public_archive=False)
    MembershipFactory(person=PersonFactory(user=user), network=private)
    client = Client()
    client.force_login(user)
    assert [n["slug"] for n in client.get("/api/v1/networks").json()] == []


def test_open_redirect_is_refused() -> None:
    user = UserFactory(username="two-next")
    client = Client()
    client.force_login(user)
    client.get("/accounts/2fa/")
    response = client.post(
        "/accounts/2fa/", {"token": _code(user, False), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_demo_accounts_skip_only_under_demo_settings_and_are_flagged(settings: Any) -> None:
    demo = UserFactory(username="net-ncp")
    other = UserFactory(username="not-a-demo")
    for flag, demo_status in ((False, 302), (True, 200)):
        settings.CICNET_DEMO_2FA_EXEMPT = flag
        client = Client()
        client.force_login(demo)
        response = client.get("/network/")
        assert response.status_code == demo_status
        if flag:
            assert b'data-testid="two-factor-skipped"' in response.content
        stranger = Client()
        stranger.force_login(other)
        assert stranger.get("/network/").status_code == 302


def test_login_is_throttled_after_repeated_failures(settings: Any) -> None:
    settings.CICNET_LOGIN_MAX_FAILURES = 3
    UserFactory(username="victim")
    client = Client()
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(
        "/accounts/login/", {"username": "victim", "password": "correct horse battery staple"}
    )
    assert blocked.status_code == 429
    assert b"Too many failed log-ins" in blocked.content
    # Another username from another address is not affected.
    fresh = Client(REMOTE_ADDR="10.0.0.9")
    UserFactory(username="bystander")
    ok = fresh.post(
        "/accounts/login/", {"username": "bystander", "password": "correct horse battery staple"}
    )
    assert ok.status_code == 302


def test_password_reset_by_email_still_requires_the_second_factor() -> None:
    from django.core import mail

    user = UserFactory(username="forgetful", email="forgetful@example.invalid")
    client = Client()
    assert client.get("/accounts/password-reset/").status_code == 200
    client.post("/accounts/password-reset/", {"email": "forgetful@example.invalid"})
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/reset/" in w)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "another long passphrase 9"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    client.post("/accounts/login/", {"username": "forgetful", "password": new})
    assert client.get("/network/")["Location"].startswith("/accounts/2fa/")


def _wrong_code(user: Any) -> str:
    """A 6-digit code that no step within django-otp's tolerance accepts now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    valid = set()
    for drift in (-2, -1, 0, 1, 2):
        totp = TOTP(device.bin_key, drift=drift)
        valid.add(f"{totp.token():06d}")
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in valid)


def _enrolled(username: str) -> tuple[Any, Client]:
    user = UserFactory(username=username)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(user)
    return user, client


def test_a_wrong_code_does_not_refuse_the_right_code_typed_at_once() -> None:
    user, client = _enrolled("mistyper")
    wrong = client.post("/accounts/2fa/", {"token": _wrong_code(user), "next": "/network/"})
    assert wrong.status_code == 400 and b"the code is wrong or expired" in wrong.content
    right = client.post("/accounts/2fa/", {"token": _code(user, True), "next": "/network/"})
    assert right.status_code == 302 and right["Location"] == "/network/"


def test_wrong_codes_lock_the_account_for_the_lockout_time(settings: Any) -> None:
    settings.CICNET_LOGIN_MAX_FAILURES = 3
    user, client = _enrolled("guesser")
    for _ in range(3):
        assert client.post("/accounts/2fa/", {"token": _wrong_code(user)}).status_code == 400
    # The right code is refused now, from this session and from any other.
    refused = client.post("/accounts/2fa/", {"token": _code(user, True)})
    assert (
        refused.status_code == 400 and b"too many wrong codes; wait 15 minutes" in refused.content
    )
    elsewhere = Client(REMOTE_ADDR="10.0.0.7")
    elsewhere.force_login(user)
    assert elsewhere.post("/accounts/2fa/", {"token": _code(user, True)}).status_code == 400
    # Another account is not affected.
    other, other_client = _enrolled("bystander-2fa")
    assert other_client.post("/accounts/2fa/", {"token": _code(other, True)}).status_code == 302
    # Once the lock-out has passed (the cache entry expired), the right code opens.
    cache.clear()
    assert client.post("/accounts/2fa/", {"token": _code(user, True)}).status_code == 302


def test_a_right_code_clears_the_count_of_wrong_ones(settings: Any) -> None:
    settings.CICNET_LOGIN_MAX_FAILURES = 2
    user, client = _enrolled("clearer")
    assert client.post("/accounts/2fa/", {"token": _wrong_code(user)}).status_code == 400
    assert client.post("/accounts/2fa/", {"token": _code(user, True)}).status_code == 302
    again = Client()
    again.force_login(user)
    assert again.post("/accounts/2fa/", {"token": _wrong_code(user)}).status_code == 400
    # One wrong code since the right one: not locked (the limit is two).
    assert b"too many" not in again.post("/accounts/2fa/", {"token": _wrong_code(user)}).content


def test_the_code_page_never_says_the_second_factor_is_skipped(settings: Any) -> None:
    """A demo account sent to the code page by the vault is asked for a code: a banner saying
    the second factor is skipped would contradict the form under it."""
    settings.CICNET_DEMO_2FA_EXEMPT = True
    demo = UserFactory(username="net-cso")
    client = Client()
    client.force_login(demo)
    assert b'data-testid="two-factor-skipped"' in client.get("/network/").content
    for url in ("/accounts/2fa/?next=/cooperation/", "/accounts/2fa/"):
        page = client.get(url)  # enrolment form first
        assert page.status_code == 200 and b'name="token"' in page.content
        assert b"two-factor-skipped" not in page.content
        assert b"skipped" not in page.content
    assert (
        b'data-testid="vault-needs-code"' in client.get("/accounts/2fa/?next=/cooperation/").content
    )
    TOTPDevice.objects.filter(user=demo).update(confirmed=True)
    verify = client.post("/accounts/2fa/", {"token": "12"})  # the verify form, with an error
    assert verify.status_code == 400 and b'name="token"' in verify.content
    assert b"skipped" not in verify.content
