"""Two national authorities in Chromium: DE registers a case with a suspect written in Latin
script, FR one with the same man in Arabic script; both see a candidate hit without the other's
name; DE reveals its record and FR reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from cicnet.coordination.models import Hit

from ..factories import UserFactory
from ..network.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.browser

LATIN = "Mohammed al-Hamad"
ARABIC = "محمد الحمد"


def _authorities() -> None:
    network = NetworkFactory(slug="coord", name="Fictional network")
    for country in ("DE", "FR"):
        org = OrganisationFactory(
            network=network, name=f"Fictional Prosecutor {country}", country=country
        )
        user = UserFactory(username=f"ncp-{country.lower()}", role="member")
        MembershipFactory(
            person=PersonFactory(user=user, name=f"Fictional NCP {country}"),
            network=network,
            organisation=org,
            role="national_contact_point",
        )


def _register(page: Any, reference: str, name: str) -> str:
    page.goto("/coordination/")
    page.click('[data-testid="new-case"]')
    page.select_option("#id_organisation", index=1)
    page.fill("#id_reference", reference)
    page.fill("#id_situation", "Fictional detention facility, Branch 251, Damascus")
    page.select_option("#id_crimes", "7(1)(f)")
    page.fill("#id_period_start", "2011")
    page.fill("#id_period_end", "2012")
    page.select_option("#id_stage", "investigation")
    page.click('[data-testid="case-save"]')
    uid = page.locator('[data-testid="case-uid"]').inner_text().split(" · ")[0]
    # a person without a name or a birth year is refused, naming the field
    page.click('[data-testid="person-save"]')
    expect(page.locator('[data-testid="error-names"]')).to_contain_text("name or a year of birth")
    page.fill("#id_names", name)
    page.fill("#id_birth_year", "1970")
    page.fill("#id_nationality", "SY")
    page.select_option("#id_role", "suspect")
    page.click('[data-testid="person-save"]')
    expect(page.locator('[data-testid="person-row"]')).to_contain_text(name)
    return uid


def test_two_authorities_find_the_same_man_blind_and_one_reveals(
    new_page: Callable[..., Any],
) -> None:
    _authorities()
    de = new_page("ncp-de")
    de_case = _register(de, "DE-STA-1", LATIN)
    fr = new_page("ncp-fr")
    fr_case = _register(fr, "FR-PNAT-7", ARABIC)
    expect(fr.locator(".messages")).to_contain_text("1 candidate hit")
    assert Hit.objects.filter(kind="person").count() == 1

    for page, own, other_case, theirs in (
        (fr, fr_case, de_case, LATIN),
        (de, de_case, fr_case, ARABIC),
    ):
        page.goto("/coordination/hits/")
        rows = page.locator('[data-testid="hit-row"]', has_text="Same person")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(own)
        expect(rows).to_contain_text(other_case)
        rows.get_by_role("link").click()
        expect(page.locator('[data-testid="hit-matched"]')).to_have_text(
            "name, birth year, nationality"
        )
        expect(page.locator('[data-testid="not-revealed"]')).to_be_visible()
        assert theirs not in page.content()

    # DE reveals (the box must be ticked); FR then reads DE's record, DE still not FR's.
    de.check('[data-testid="reveal-confirm"]')
    de.click('[data-testid="reveal"]')
    expect(de.locator('[data-testid="you-revealed"]')).to_be_visible()
    fr.reload()
    expect(fr.locator('[data-testid="revealed-names"]')).to_have_text(LATIN)
    expect(fr.locator('[data-testid="revealed-record"]')).to_contain_text("DE-STA-1")
    de.reload()
    expect(de.locator('[data-testid="not-revealed"]')).to_be_visible()
    assert ARABIC not in de.content()


def test_a_question_gets_an_answer_citing_a_decision(new_page: Callable[..., Any]) -> None:
    from ..factories import DecisionFactory

    _authorities()
    decision = DecisionFactory(title="Fictional judgment admitting open-source video")
    de = new_page("ncp-de")
    de.goto("/coordination/questions/")
    de.click('[data-testid="new-question"]')
    de.select_option("#id_network", index=1)
    de.fill("#id_title", "Has a court accepted open-source video as sole evidence?")
    de.fill("#id_body", "Fictional question written for the browser test.")
    de.select_option("#id_audience", "countries")
    de.fill("#id_countries", "FR")
    de.select_option("#id_kb_tier", "closed_session")
    de.click('[data-testid="question-send"]')
    question_url = de.url

    fr = new_page("ncp-fr")
    fr.goto("/coordination/questions/")
    fr.click('[data-testid="open-questions"] a')
    fr.fill("#id_body", "Yes: see this judgment.")
    fr.fill("#id_cites", "/decisions/no-such-decision/")
    fr.click('[data-testid="answer-send"]')
    expect(fr.locator('[data-testid="error-cites"]')).to_contain_text("no decision you can read")
    fr.fill("#id_body", "Yes: see this judgment.")
    fr.fill("#id_cites", f"{fr.url.split('/coordination')[0]}/decisions/{decision.uid}/")
    fr.click('[data-testid="answer-send"]')
    expect(fr.locator('[data-testid="citation"]')).to_have_text(decision.title)

    de.goto(question_url)
    expect(de.locator('[data-testid="answer"]')).to_contain_text("Yes: see this judgment.")
    de.click('[data-testid="mark-answered"]')
    expect(de.locator('[data-testid="answered"]')).to_be_visible()
    de.goto("/coordination/questions/?q=judgment")
    expect(de.locator('[data-testid="knowledge-base"]')).to_contain_text("open-source video")
    de.locator('[data-testid="knowledge-base"] a').click()
    de.locator('[data-testid="citation"]').click()
    expect(de.locator("h1")).to_contain_text("open-source video")
