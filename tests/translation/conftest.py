"""Fixtures of the translation tests: a translator and a reviewer (Secretariat curators holding
the role), a German decision with paragraphs, and a local HTTP server for the engines."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.access import policy
from cicnet.translation.models import TranslatorRole
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

GERMAN = [
    "Das Oberlandesgericht Koblenz verurteilte den Angeklagten am 13. Januar 2022.",
    "Der Angeklagte hat sich des Verbrechens schuldig gemacht: Verbrechen gegen die "
    "Menschlichkeit in 27 Fällen nach § 7 VStGB.",
    "Die Kosten des Verfahrens trägt der Angeklagte.",
]


@pytest.fixture
def team(db: None) -> dict[str, Any]:
    """Users by part: translator and reviewer (curators with the role), a second reviewer, a
    curator without a role, a member who holds a translator role (opens nothing), an admin."""
    made = {
        "translator": UserFactory(username="translator1", role="curator"),
        "reviewer": UserFactory(username="reviewer1", role="curator"),
        "reviewer2": UserFactory(username="reviewer2", role="curator"),
        "curator": UserFactory(username="curator1", role="curator"),
        "member_translator": UserFactory(username="member1", role="member"),
        "member": UserFactory(username="member2", role="member"),
        "admin": UserFactory(username="admin1", role="admin"),
    }
    TranslatorRole.objects.create(user=made["translator"], role="translator")
    TranslatorRole.objects.create(user=made["reviewer"], role="reviewer")
    TranslatorRole.objects.create(user=made["reviewer2"], role="reviewer")
    TranslatorRole.objects.create(user=made["member_translator"], role="translator")
    return made


@pytest.fixture
def team_actors(team: dict[str, Any]) -> dict[str, policy.Actor]:
    out = {"anonymous": policy.ANONYMOUS}
    out.update({name: policy.actor_for(u) for name, u in team.items()})
    return out


def german_decision(uid: str = "de-olg-koblenz-2022", access: str = "public") -> Any:
    decision = DecisionFactory(uid=uid, access=access, country="DE", title=f"OLG Koblenz {uid}")
    text = TextFactory(decision=decision, language="de", is_original=True, provenance="original")
    for n, body in enumerate(GERMAN, start=1):
        ParagraphFactory(text=text, number=n, body=body)
    return decision


@pytest.fixture
def decision(db: None) -> Any:
    return german_decision()
