"""Search → facet → decision → paragraph, side by side, tiers and publishing, in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from ..conftest import VISIBLE
from ..factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rebuild() -> None:
    from cicnet.search.services import rebuild_index

    rebuild_index()


def _count(page: Any) -> int:
    text = page.inner_text('[data-testid="result-count"]')
    return int(re.match(r"\s*(\d+)", text).group(1))  # type: ignore[union-attr]  # asserted by the test


def test_search_facet_decision_paragraph(new_page: Callable[..., Any]) -> None:
    german = DecisionFactory(uid="de-long", country="DE", title="German judgment on detention")
    text = TextFactory(decision=german, language="en")
    for n in range(1, 41):
        body = (
            "Detainees were tortured in Branch 251."
            if n == 37
            else f"Procedural paragraph {n}. " * 8
        )
        ParagraphFactory(text=text, number=n, body=body)
    swedish = DecisionFactory(uid="se-other", country="SE", title="Swedish judgment")
    ParagraphFactory(
        text=TextFactory(decision=swedish, language="en"), number=1, body="Prisoners were tortured."
    )
    _rebuild()

    page = new_page()
    page.goto("/")
    page.fill('[data-testid="q"]', "tortured")
    page.press('[data-testid="q"]', "Enter")
    page.wait_for_url(re.compile(r"q=tortured"))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 2")
    assert _count(page) == 2
    # A facet's box, name and count stand on one line (a column rule once stacked them).
    tops = page.evaluate(
        """() => [...document.querySelector('[data-testid="facet-country-DE"]').parentElement
                   .children].map(e => Math.round(e.getBoundingClientRect().top))"""
    )
    assert len(tops) == 3 and max(tops) - min(tops) < 12, tops

    # Tick the country facet: htmx replaces the results without a reload and updates the URL.
    page.evaluate("window.__noReload = true")
    page.check('[data-testid="facet-country-DE"]')
    page.wait_for_url(re.compile(r"country=DE"))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 1")
    assert page.evaluate("window.__noReload") is True
    assert page.get_attribute('[data-testid="hit"]', "data-uid") == "de-long"
    assert page.is_checked('[data-testid="facet-country-DE"]')

    # The snippet links to the paragraph's anchor, which is scrolled into view and targeted.
    page.click('[data-testid="snippet-link"]')
    page.wait_for_url(re.compile(r"/decisions/de-long/#en-p37$"))
    assert page.evaluate("document.querySelector(':target').id") == "en-p37"
    box = page.locator("#en-p37").bounding_box()
    assert box is not None and 0 <= box["y"] < 800, box
    assert "Branch 251" in page.inner_text("#en-p37")


def test_side_by_side_with_disclaimer(new_page: Callable[..., Any]) -> None:
    decision = DecisionFactory(uid="se-bilingual", title="Bilingual judgment")
    original = TextFactory(decision=decision, language="sv", is_original=True)
    translation = TextFactory(
        decision=decision, language="en", is_original=False, provenance="machine"
    )
    for n in (1, 2, 3):
        ParagraphFactory(text=original, number=n, body=f"Svensk text {n}. " * (1 + 6 * (n == 2)))
        ParagraphFactory(text=translation, number=n, body=f"English text {n}.")

    page = new_page()
    page.goto("/decisions/se-bilingual/")
    disclaimer = page.locator('[data-testid="translation-disclaimer"]').first
    assert disclaimer.is_visible()
    assert "unofficial translation" in disclaimer.inner_text()
    assert "Machine translation" in disclaimer.inner_text()
    for n in (1, 2, 3):
        left = page.locator(f"#sv-p{n}").bounding_box()
        right = page.locator(f"#en-p{n}").bounding_box()
        assert left and right
        assert abs(left["y"] - right["y"]) < 2, (n, left, right)  # same row
        assert left["x"] < right["x"]  # original on the left


@pytest.mark.parametrize("role", ["anonymous", "member", "curator"])
def test_tier_matrix_in_the_browser(role: str, new_page: Callable[..., Any]) -> None:
    matrix = {}
    for tier in ("public", "network", "secretariat"):
        for state in ("draft", "review", "published"):
            decision = DecisionFactory(uid=f"m-{tier}-{state}", access=tier, state=state)
            ParagraphFactory(
                text=TextFactory(decision=decision), number=1, body="A massacre was proven."
            )
            matrix[f"{tier}/{state}"] = decision
    _rebuild()
    username = None
    if role != "anonymous":
        username = f"{role}-browser"
        UserFactory(username=username, role=role)
    page = new_page(username)
    page.goto("/?q=massacre")
    assert _count(page) == len(VISIBLE[role])
    shown = {
        page.get_attribute(f'[data-testid="hit"] >> nth={i}', "data-uid")
        for i in range(len(VISIBLE[role]))
    }
    assert shown == {matrix[k].uid for k in VISIBLE[role]}
    hidden = [k for k in matrix if k not in VISIBLE[role]]
    for key in hidden[:2]:
        response = page.goto(f"/decisions/{matrix[key].uid}/")
        assert response is not None and response.status == 404, key
    visible = next(iter(VISIBLE[role]))
    response = page.goto(f"/decisions/{matrix[visible].uid}/")
    assert response is not None and response.status == 200


def test_curator_publishes_a_draft_and_anonymous_then_finds_it(
    new_page: Callable[..., Any],
) -> None:
    decision = DecisionFactory(uid="fresh-draft", state="draft", title="Fresh draft judgment")
    ParagraphFactory(text=TextFactory(decision=decision), number=1, body="The genocide was proven.")
    _rebuild()

    anonymous = new_page()
    anonymous.goto("/?q=genocide")
    assert _count(anonymous) == 0
    assert anonymous.goto("/decisions/fresh-draft/").status == 404

    UserFactory(username="curator-browser", role="curator")
    curator = new_page("curator-browser")
    curator.goto("/curation/")
    curator.click("text=Fresh draft judgment")
    curator.click('[data-testid="transition-review"]')
    curator.wait_for_selector("text=Now 'In review'")
    curator.click('[data-testid="transition-published"]')
    # Publishing asks first, naming who will read it.
    assert "everyone" in curator.inner_text('[data-testid="publish-readers"]')
    curator.click('[data-testid="confirm-publish"]')
    curator.wait_for_selector("text=Now 'Published'")
    assert curator.locator('[data-testid="state-badge"]').count() == 0

    anonymous.goto("/?q=genocide")
    assert _count(anonymous) == 1
    assert anonymous.get_attribute('[data-testid="hit"]', "data-uid") == "fresh-draft"
    assert anonymous.goto("/decisions/fresh-draft/").status == 200
