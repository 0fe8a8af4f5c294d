"""The "Coordination" link of the main navigation is shown to the users the policy lets use
coordination (authorities' people, observers, Secretariats, the instance administrator for the
statistics) and to nobody else, whose pages would answer 404; the check costs an anonymous
visitor no query and a member at most one per request."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.access import policy

from .conftest import ROLES, World, add_observer

SHOWN = {"de", "de_colleague", "fr", "nl", "observer", "secretariat", "other_secretariat", "admin"}


@pytest.mark.parametrize("role", (*ROLES, "observer"))
def test_the_link_shows_exactly_where_the_pages_answer(world: World, role: str) -> None:
    client = add_observer(world) if role == "observer" else world.client(role)
    page = client.get("/network/").content.decode()
    shown = 'data-testid="nav-coordination"' in page
    assert shown == (role in SHOWN), role
    home = client.get("/coordination/")
    if role == "anonymous":
        assert home.status_code == 302
    else:
        assert (home.status_code == 200) == shown, (role, home.status_code)


def test_the_check_costs_no_query_for_anonymous_and_is_kept_per_actor(
    world: World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert not policy.can_use_coordination(policy.ANONYMOUS)
    member = policy.actor_for(world.users["member"])
    assert not policy.can_use_coordination(member)
    nl = policy.actor_for(world.users["nl"])
    assert policy.can_use_coordination(nl)
    with django_assert_num_queries(0):  # memberships and authorities are kept on the actor
        assert policy.can_use_coordination(member) is False
        assert policy.can_use_coordination(nl) is True
        assert policy.authority_ids(nl) == frozenset({world.orgs["nl"].pk})
