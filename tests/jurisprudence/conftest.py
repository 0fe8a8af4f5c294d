"""Page-test fixtures: a logged-in client per role and the tier matrix made searchable."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ..factories import ParagraphFactory, TextFactory

ROLES = ("anonymous", "member", "curator", "admin")

# One country and one court per matrix decision, so facet counts show exactly what was counted.
MATRIX_COUNTRIES = {
    "public/draft": "AT",
    "public/review": "BE",
    "public/published": "DE",
    "network/draft": "DK",
    "network/review": "ES",
    "network/published": "FI",
    "secretariat/draft": "FR",
    "secretariat/review": "NL",
    "secretariat/published": "SE",
}
COMMON_WORD = "atrocity"


def marker(key: str) -> str:
    """A word that appears in exactly one matrix decision's text."""
    return "marker" + key.replace("/", "")


def court_of(key: str) -> str:
    return "Court of " + key.replace("/", " ")


@pytest.fixture
def clients(users: dict[str, Any]) -> dict[str, Client]:
    """A browser-like client per role, logged in with a session (anonymous: none)."""
    out = {"anonymous": Client()}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        out[role] = client
    return out


@pytest.fixture
def searchable_matrix(tier_matrix: dict[str, Any]) -> dict[str, Any]:
    """The tier matrix with its own country and court, an English text holding a common word and
    a unique marker word per decision, indexed."""
    from cicnet.search.services import rebuild_index

    for key, decision in tier_matrix.items():
        decision.country = MATRIX_COUNTRIES[key]
        decision.court = court_of(key)
        decision.save()
        text = TextFactory(decision=decision, language="en", is_original=True)
        ParagraphFactory(text=text, number=1, body=f"Opening paragraph on the {COMMON_WORD}.")
        ParagraphFactory(text=text, number=2, body=f"The court found {marker(key)} established.")
    rebuild_index()
    return tier_matrix


def visible_keys(role: str) -> set[str]:
    from ..conftest import VISIBLE

    return set(VISIBLE[role])
