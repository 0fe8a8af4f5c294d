"""The anonymisation workbench in Chromium: a curator rejects a wrong suggestion, masks a missed
span by selecting it, is refused publication before sign-off, signs off and publishes; the
public then finds the decision with the names masked and cannot find it by a masked name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cicnet.anonymisation.services import decision_anonymise
from cicnet.search.services import rebuild_index
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

BODY = (
    "The witness Eyad Darwish testified that the accused Anwar Raslan ordered the beatings "
    "in the prison of Branch 251."
)


def _select(page: Any, paragraph: str, needle: str) -> None:
    """Select ``needle`` inside a paragraph body the way a mouse drag does."""
    page.evaluate(
        """([selector, needle]) => {
            const body = document.querySelector(selector);
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const i = node.textContent.indexOf(needle);
                if (i >= 0) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + needle.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    body.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("not found: " + needle);
        }""",
        [paragraph, needle],
    )


def _ready(page: Any) -> None:
    """Wait until the deferred workbench script has attached its handlers: after a navigation by
    click the new page's elements can be clicked before its deferred scripts have run."""
    page.wait_for_load_state("load")


def test_curator_reviews_signs_off_and_publishes(new_page: Callable[..., Any]) -> None:
    decision = DecisionFactory(uid="wb-browser", state="review", title="Workbench judgment")
    text = TextFactory(decision=decision, anonymisation=False)
    ParagraphFactory(text=text, number=1, body=BODY)
    decision_anonymise(decision=decision)
    rebuild_index()
    UserFactory(username="wb-curator", role="curator")

    page = new_page("wb-curator")
    page.goto("/decisions/wb-browser/")
    page.click('[data-testid="workbench-link"]')
    page.wait_for_selector('[data-testid="workbench"]')
    body = f'[data-text="{text.id}"][data-paragraph="1"]'

    # Publishing before sign-off is refused with the reason.
    assert page.locator('[data-testid="blocker"]').count() == 1

    # Reject a suggestion (click the span, then Reject), then change one's mind and accept it.
    _ready(page)
    page.click(f'{body} mark:has-text("Eyad Darwish")')
    page.click('[data-testid="span-panel"] [data-testid="reject"]')
    page.wait_for_selector(f'{body} mark.st-rejected:has-text("Eyad Darwish")')
    _ready(page)
    page.click(f'{body} mark:has-text("Eyad Darwish")')
    page.click('[data-testid="span-panel"] [data-testid="accept"]')
    page.wait_for_selector(f'{body} mark.st-accepted:has-text("Eyad Darwish")')
    _ready(page)

    # Mask a missed detail by selecting it.
    assert page.locator(f'{body} mark:has-text("Branch 251")').count() == 0
    _select(page, body, "Branch 251")
    page.select_option('[data-testid="add-panel"] select[name=kind]', "ORG")
    page.click('[data-testid="add-panel"] [data-testid="add"]')
    page.wait_for_selector(f'{body} mark.st-accepted:has-text("Branch 251")')

    page.goto("/decisions/wb-browser/")
    page.click('[data-testid="transition-published"]')
    # The confirmation page names the blocker and offers no publish button.
    page.wait_for_selector('[data-testid="publish-blocker"]:has-text("signed off")')
    assert page.locator('[data-testid="confirm-publish"]').count() == 0
    page.goto("/decisions/wb-browser/")
    assert page.locator('[data-testid="state-badge"]').count() == 1  # still in review

    page.goto("/decisions/wb-browser/anonymisation/")
    page.click('[data-testid="sign-off"]')
    page.wait_for_selector('[data-testid="signed-off"]')
    page.goto("/decisions/wb-browser/")
    page.click('[data-testid="transition-published"]')
    page.click('[data-testid="confirm-publish"]')
    page.wait_for_selector("text=Now 'Published'")

    public = new_page()
    public.goto("/decisions/wb-browser/")
    html = public.content()
    assert "Eyad Darwish" not in html and "Anwar Raslan" not in html
    assert "Branch 251" not in html
    public.goto("/?q=Darwish")
    assert public.locator('[data-testid="hit"]').count() == 0
    public.goto("/?q=ordered")
    assert public.locator('[data-testid="hit"]').count() == 1
