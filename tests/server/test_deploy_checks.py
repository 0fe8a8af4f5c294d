"""``cicnet check --deploy`` fails on the demo defaults (issue 10, item 10); every response carries
the site's Content-Security-Policy; HSTS and the HTTPS redirect are settings."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

DEMO_SECRET_KEY = django_settings.CICNET_DEMO_SECRET_KEY
GOOD_KEYS = "k1:" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def deployable(settings: Any, tmp_path: Path) -> Any:
    """Settings a deployment would have; each test spoils one."""
    settings.SECRET_KEY = "a-long-random-value-for-the-deploy-check-test-" + "x" * 30
    settings.CICNET_DEMO_2FA_EXEMPT = False
    settings.CICNET_REQUIRE_2FA = True
    settings.CICNET_EVIDENCE_KEYS = GOOD_KEYS
    key = tmp_path / "signing.pem"
    key.write_text("present")
    settings.CICNET_SIGNING_KEY_FILE = key
    return settings


def _deploy_check_ids() -> set[str]:
    from django.core import checks

    return {
        m.id
        for m in checks.run_checks(include_deployment_checks=True, tags=["security"])
        if m.id and m.id.startswith("cicnet.")
    }


def test_a_deployable_configuration_has_no_cicnet_findings(deployable: Any) -> None:
    assert _deploy_check_ids() == set()


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        ({"SECRET_KEY": DEMO_SECRET_KEY}, "cicnet.E001"),
        ({"CICNET_DEMO_2FA_EXEMPT": True}, "cicnet.E002"),
        ({"CICNET_REQUIRE_2FA": False}, "cicnet.E003"),
        ({"CICNET_EVIDENCE_KEYS": ""}, "cicnet.E004"),
        ({"CICNET_EVIDENCE_KEYS": "k1:not-base64!"}, "cicnet.E005"),
        ({"CICNET_SIGNING_KEY_FILE": Path("/nonexistent/signing.pem")}, "cicnet.W001"),
    ],
)
def test_each_demo_default_is_named_by_the_deploy_check(
    deployable: Any, spoil: dict[str, Any], expected: str
) -> None:
    for name, value in spoil.items():
        setattr(deployable, name, value)
    assert _deploy_check_ids() == {expected}


def test_check_deploy_command_fails_on_the_demo_key(deployable: Any) -> None:
    deployable.SECRET_KEY = DEMO_SECRET_KEY
    with pytest.raises(SystemCheckError, match="CICNET_SECRET_KEY"):
        call_command("check", deploy=True)


def test_the_plain_check_passes_with_demo_defaults(settings: Any) -> None:
    settings.SECRET_KEY = DEMO_SECRET_KEY
    settings.CICNET_DEMO_2FA_EXEMPT = True
    call_command("check")  # no deploy tag: make demo keeps working


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/decisions/", "/network/", "/accounts/login/", "/nope/"])
def test_every_page_carries_the_site_content_security_policy(path: str) -> None:
    response = Client().get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_api_and_its_docs_carry_it_too() -> None:
    for path in ("/api/v1/search?q=x", "/api/v1/docs", "/healthz"):
        assert "default-src 'self'" in Client().get(path).headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_hsts_and_the_https_redirect_are_settings(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = Client().get("/decisions/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200  # the load balancer's plain check
    secure = Client().get("/decisions/", secure=True)
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
