"""A national contact point walks through a meeting's closed-session documents in Chromium; an
observer-State counterpart, an associate, a CSO representative and the public each see exactly
what they may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ..network.conftest import World, world  # noqa: F401  # the shared fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_docs(page: Any, kind: str) -> list[str]:
    return page.locator(
        f'[data-testid="session-{kind}"] [data-testid="document"] a'
    ).all_inner_texts()


def _open_meeting(page: Any, number: int) -> None:
    page.goto("/")
    page.click('[data-testid="nav-networks"]')
    page.click("text=Fictional network A")
    page.click('[data-testid="network-nav"] >> text=Meetings')
    page.click("text=Fictional meeting seven")
    page.wait_for_selector('[data-testid="meeting-title"]')
    assert page.url.endswith(f"/network/a/meetings/{number}/")


def test_ncp_reads_closed_session_documents_and_each_role_sees_its_share(
    new_page: Callable[..., Any],
    world: World,  # noqa: F811  # the imported fixture
) -> None:
    number = world.meeting.number

    # The national contact point: both sessions' documents except the Secretariat's.
    ncp = new_page("u-ncp")
    _open_meeting(ncp, number)
    assert "National contact point" in ncp.inner_text('[data-testid="network-roles"]')
    assert _session_docs(ncp, "open") == ["Doc a/network", "Doc a/public"]
    assert _session_docs(ncp, "closed") == ["Doc a/closed_session"]
    assert ncp.locator('[data-testid="session-closed"] [data-testid="participants"]').count() == 1
    ncp.click('[data-testid="session-closed"] >> text=Doc a/closed_session')
    ncp.wait_for_selector('[data-testid="logged-notice"]')
    assert "markeraclosedsession" in ncp.inner_text('[data-testid="document-text"]')
    with ncp.expect_download() as download_info:
        ncp.click('[data-testid="download"]')
    path = download_info.value.path()
    assert open(path, "rb").read() == b"content of a/closed_session"

    # The Secretariat sees both views in the network's view log.
    secretariat = new_page("u-secretariat")
    secretariat.goto("/network/a/")
    secretariat.click('[data-testid="view-log-link"]')
    entries = secretariat.locator('[data-testid="view-entry"]').all_inner_texts()
    assert len(entries) == 2 and all("u-ncp" in e for e in entries)
    assert {"read", "download"} == {e.split("\t")[2].strip() for e in entries}

    # The observer-State counterpart: the same closed-session share as the NCP.
    observer = new_page("u-observer")
    _open_meeting(observer, number)
    assert _session_docs(observer, "closed") == ["Doc a/closed_session"]

    # The associate and the CSO representative: open session only.
    for username in ("u-associate", "u-cso"):
        page = new_page(username)
        _open_meeting(page, number)
        assert _session_docs(page, "open") == ["Doc a/network", "Doc a/public"]
        assert _session_docs(page, "closed") == []
        assert page.is_visible('[data-testid="session-closed"] [data-testid="no-documents"]')
        closed_doc = world.docs["a/closed_session"].pk
        response = page.goto(f"/network/a/documents/{closed_doc}/")
        assert response is not None and response.status == 404
    # The CSO representative does not see the contact points' details; the associate does.
    cso = new_page("u-cso")
    cso.goto("/network/a/directory/")
    assert cso.is_visible('[data-testid="people-hidden"]')
    assert "Fictional Ncp" not in cso.content()
    associate = new_page("u-associate")
    associate.goto("/network/a/directory/")
    assert "Fictional Ncp" in associate.inner_text('[data-testid="people"]')

    # The public: the public document only, no invitation lists, no private network.
    public = new_page()
    _open_meeting(public, number)
    assert "public sees" in public.inner_text('[data-testid="network-roles"]')
    assert _session_docs(public, "open") == ["Doc a/public"]
    assert _session_docs(public, "closed") == []
    assert public.locator('[data-testid="participants"]').count() == 0
    response = public.goto("/network/b/")
    assert response is not None and response.status == 404
