"""The global search: decisions, meetings and documents, each in its section, per the policy."""

from __future__ import annotations

import pytest

from cicnet.search.services import rebuild_index

from ..factories import DecisionFactory, ParagraphFactory, TextFactory
from .conftest import ROLES, VISIBLE, World, marker


@pytest.mark.parametrize("role", ROLES)
def test_sections_show_only_what_the_role_may_see(role: str, world: World) -> None:
    text = TextFactory(decision=DecisionFactory(uid="pub", title="Public atrocity decision"))
    ParagraphFactory(text=text, number=1, body="An atrocity was proven.")
    text = TextFactory(
        decision=DecisionFactory(uid="net", title="Network atrocity decision", access="network")
    )
    ParagraphFactory(text=text, number=1, body="An atrocity was proven.")
    rebuild_index()
    content = world.client(role).get("/network/search/", {"q": "atrocity"}).content.decode()
    assert "Public atrocity decision" in content
    assert ("Network atrocity decision" in content) is (role != "anonymous")
    for key in world.docs:
        assert (f"Doc {key}" in content) is (key in VISIBLE[role]), key


@pytest.mark.parametrize("role", ROLES)
def test_closed_agenda_items_do_not_make_a_meeting_match(role: str, world: World) -> None:
    content = world.client(role).get("/network/search/", {"q": "Agenda item closed_session"})
    found = "Fictional meeting seven" in content.content.decode()
    assert found is ("a/closed_session" in VISIBLE[role])


def test_marker_found_once_for_the_secretariat(world: World) -> None:
    content = (
        world.client("secretariat")
        .get("/network/search/", {"q": marker("a/secretariat")})
        .content.decode()
    )
    assert "Documents (1)" in content


def test_overlong_query_is_400_naming_q(world: World) -> None:
    response = world.client("anonymous").get("/network/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert b"q: at most 200 characters" in response.content
