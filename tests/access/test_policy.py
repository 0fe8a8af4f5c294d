"""The policy module: who sees which decisions, deny by default."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision

from ..conftest import VISIBLE
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "member", "curator", "admin"])
def test_decisions_visible_matches_matrix(
    role: str, actors: dict[str, policy.Actor], tier_matrix: dict[str, Any]
) -> None:
    visible = policy.decisions_visible(actors[role], Decision.objects.all())
    expected = {tier_matrix[k].uid for k in VISIBLE[role]}
    assert set(visible.values_list("uid", flat=True)) == expected
    for key, decision in tier_matrix.items():
        assert policy.can_view_decision(actors[role], decision) == (key in VISIBLE[role])


def test_unknown_role_is_denied_like_anonymous() -> None:
    actor = policy.Actor(role="intruder", user_id=99)
    scope = policy.decision_scope(actor)
    assert scope.tiers == frozenset()
    assert not policy.can_curate(actor)
    assert not policy.can_view_audit_log(actor)


def test_inactive_user_is_anonymous() -> None:
    user = UserFactory(username="gone", role="curator", is_active=False)
    assert policy.actor_for(user) == policy.ANONYMOUS


@pytest.mark.parametrize(
    ("role", "curate", "audit"),
    [
        ("anonymous", False, False),
        ("member", False, False),
        ("curator", True, False),
        ("admin", True, True),
    ],
)
def test_curation_and_audit_rights(
    role: str, curate: bool, audit: bool, actors: dict[str, policy.Actor]
) -> None:
    assert policy.can_curate(actors[role]) is curate
    assert policy.can_view_audit_log(actors[role]) is audit
