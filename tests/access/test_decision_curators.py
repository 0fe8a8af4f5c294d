"""The Secretariat of the network that keeps the decision collection curates its decisions, and
whoever curates reads the audit entries of the decision they edit (issue 11; decisions/0098)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.jurisprudence.models import Decision

from ..conftest import VISIBLE
from ..factories import UserFactory
from ..network.factories import MembershipFactory, NetworkFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Who, by network membership (all with the instance-wide role "member"), and whether they curate
# the decisions. The collection's network is "genocide-network" (CICNET_DECISION_NETWORKS).
CASES = [
    ("collection-secretariat", "genocide-network", "secretariat", True, True),
    ("collection-ncp", "genocide-network", "national_contact_point", True, False),
    ("collection-cso", "genocide-network", "cso_representative", True, False),
    ("former-secretariat", "genocide-network", "secretariat", False, False),
    ("other-secretariat", "regional-demo", "secretariat", True, False),
]


def _member(username: str, slug: str, role: str, active: bool) -> Any:
    user = UserFactory(username=username, role="member")
    MembershipFactory(
        person=PersonFactory(user=user),
        network=NetworkFactory(slug=slug),
        role=role,
        is_active=active,
    )
    return user


@pytest.fixture(autouse=True)
def _collection_network(settings: Any) -> None:
    settings.CICNET_DECISION_NETWORKS = ["genocide-network"]


@pytest.mark.parametrize(("username", "slug", "role", "active", "curates"), CASES)
def test_network_roles_and_the_decision_collection(
    username: str, slug: str, role: str, active: bool, curates: bool, tier_matrix: dict[str, Any]
) -> None:
    actor = policy.actor_for(_member(username, slug, role, active))
    assert policy.can_curate(actor) is curates
    assert policy.can_read_original(actor) is curates
    assert policy.can_review_anonymisation(actor) is curates
    assert not policy.can_view_audit_log(actor)  # the whole log stays the administrators'
    expected = VISIBLE["curator" if curates else "member"]
    visible = policy.decisions_visible(actor, Decision.objects.all())
    assert set(visible.values_list("uid", flat=True)) == {tier_matrix[k].uid for k in expected}


def test_no_collection_network_means_no_secretariat_curator(settings: Any) -> None:
    settings.CICNET_DECISION_NETWORKS = []
    actor = policy.actor_for(_member("s", "genocide-network", "secretariat", True))
    assert not policy.can_curate(actor)


@pytest.mark.parametrize(("username", "slug", "role", "active", "curates"), CASES)
def test_collection_secretariat_edits_and_publishes(
    username: str, slug: str, role: str, active: bool, curates: bool, tier_matrix: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(_member(username, slug, role, active))
    draft = tier_matrix["secretariat/draft"]
    assert client.get("/curation/").status_code == (200 if curates else 404)
    assert client.get(f"/decisions/{draft.uid}/edit/").status_code == (200 if curates else 404)
    moved = client.post(f"/decisions/{draft.uid}/state/", {"to_state": "review"})
    assert moved.status_code == (302 if curates else 404)
    draft.refresh_from_db()
    assert draft.state == ("review" if curates else "draft")


def _entries(tier_matrix: dict[str, Any], actors: dict[str, policy.Actor]) -> str:
    """Entries for two decisions and a user; returns the uid of the first decision."""
    mine = tier_matrix["public/draft"].uid
    other = tier_matrix["network/draft"].uid
    for uid, title in ((mine, "Edited title"), (other, "Another decision's edit")):
        audit_record(
            actor=actors["admin"],
            action="decision.update",
            object_type="decision",
            object_id=uid,
            changes={"title": ["Old", title]},
        )
    audit_record(actor=actors["admin"], action="user.role", object_type="user", object_id="7")
    return mine


@pytest.mark.parametrize(
    ("who", "opens"),
    [
        ("anonymous", False),
        ("member", False),
        ("network-ncp", False),
        ("collection-secretariat", True),
        ("curator", True),
        ("admin", True),
    ],
)
def test_the_history_link_of_the_edit_page_opens_for_whoever_edits(
    who: str,
    opens: bool,
    users: dict[str, Any],
    actors: dict[str, policy.Actor],
    tier_matrix: dict[str, Any],
) -> None:
    mine = _entries(tier_matrix, actors)
    client = Client()
    if who == "collection-secretariat":
        client.force_login(_member(who, "genocide-network", "secretariat", True))
    elif who == "network-ncp":
        client.force_login(_member(who, "genocide-network", "national_contact_point", True))
    elif who != "anonymous":
        client.force_login(users[who])
    link = f"/audit/?object_type=decision&object_id={mine}"
    if opens:  # the edit page shows the link it opens
        edit = client.get(f"/decisions/{mine}/edit/").content.decode()
        assert f'href="/audit/?object_type=decision&amp;object_id={mine}"' in edit
    response = client.get(link)
    assert response.status_code == (200 if opens else 404)
    if not opens:
        return
    html = response.content.decode()
    assert "Edited title" in html
    assert "Another decision's edit" not in html and "user.role" not in html
    # Without a decision named, the whole log stays the administrators'.
    assert client.get("/audit/").status_code == (200 if who == "admin" else 404)
    assert client.get("/audit/?object_type=user&object_id=7").status_code == (
        200 if who == "admin" else 404
    )


def test_the_next_page_of_a_decisions_history_keeps_the_decision(
    users: dict[str, Any], actors: dict[str, policy.Actor], tier_matrix: dict[str, Any]
) -> None:
    uid = tier_matrix["public/draft"].uid
    for n in range(51):  # 50 a page
        audit_record(
            actor=actors["admin"],
            action="decision.update",
            object_type="decision",
            object_id=uid,
            changes={"title": [str(n), str(n + 1)]},
        )
    client = Client()
    client.force_login(users["curator"])
    first = client.get(f"/audit/?object_type=decision&object_id={uid}").content.decode()
    link = f"?object_type=decision&amp;object_id={uid}&amp;page=2"
    assert f'href="{link}"' in first
    assert client.get("/audit/" + link.replace("&amp;", "&")).status_code == 200
