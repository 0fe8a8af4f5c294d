"""Error pages say what happened and what to do, in the site's layout; the site has an icon."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/no-such-page/", "/decisions/no-such-decision/"])
def test_a_missing_page_is_the_styled_404_with_ways_on(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-title">Page not found' in html
    assert 'href="/decisions/"' in html and 'data-testid="login-link"' in html  # site layout
    assert "favicon.svg" in html


def test_a_refused_form_is_the_styled_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-title">Not allowed' in html
    assert "reload the page" in html


def test_the_favicon_is_served() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("cicnet/favicon.svg")
