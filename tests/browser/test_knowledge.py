"""The knowledge pages in Chromium: the Arabic survivors' guide renders right-to-left on a phone
(375 px, no sideways scrolling) and passes axe-core's WCAG 2 A/AA rules, as do the country,
comparison, guide and knowledge pages; the Germany page shows its provisions, conditions with
sources and its decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ..factories import DecisionFactory, UserFactory
from .conftest import PASSWORD
from .test_accessibility import _describe, _violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _context(browser: Any, live_server: Any, viewport: dict[str, int], **kwargs: Any) -> Any:
    # axe-core is injected as an inline script, which the site's CSP refuses (as it should):
    # these contexts bypass the CSP, like tests/browser/test_accessibility.py.
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, bypass_csp=True, **kwargs
    )
    context.set_default_timeout(10_000)
    return context


def _phone_page(browser: Any, live_server: Any) -> Any:
    return _context(browser, live_server, PHONE, is_mobile=True)


def test_arabic_guide_is_right_to_left_on_a_phone_and_accessible(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    context = _phone_page(browser, live_server)
    try:
        page = context.new_page()
        page.goto("/guides/seeking-justice/ar/")
        article = page.locator('[data-testid="guide"]')
        assert article.get_attribute("lang") == "ar"
        assert article.get_attribute("dir") == "rtl"
        assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
        # The text hugs the right edge: a short heading's text ends at the article's right
        # edge and starts well inside it (a left-to-right layout would do the opposite).
        geometry = page.evaluate(
            """() => {
                const article = document.querySelector('[data-testid="guide"]');
                const h = document.querySelector('#witness h2');
                const range = document.createRange();
                range.selectNodeContents(h);
                const text = range.getBoundingClientRect();
                const box = article.getBoundingClientRect();
                return {textLeft: text.left, textRight: text.right,
                        boxLeft: box.left, boxRight: box.right,
                        scrollWidth: document.documentElement.scrollWidth};
            }"""
        )
        assert abs(geometry["textRight"] - geometry["boxRight"]) <= 2, geometry
        assert geometry["textLeft"] > geometry["boxLeft"] + 40, geometry
        assert geometry["scrollWidth"] <= PHONE["width"], geometry  # no sideways scrolling
        # The truthful label and the notice in Arabic are on the page.
        assert "Machine translation draft" in page.inner_text('[data-testid="authorship"]')
        assert "ترجمة آلية" in page.inner_text('[data-testid="guide-notice"]')
        violations = _violations(page)
        problems = [
            line
            for v in violations
            for line in _describe("/guides/seeking-justice/ar/", "phone", v)
        ]
        # The other survivor-facing pages are readable at 375 px too.
        for url in ("/guides/", "/guides/countries/DE/"):
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (url, width)
            problems.extend(line for v in _violations(page) for line in _describe(url, "phone", v))
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_knowledge_pages_pass_axe_and_germany_shows_its_law_and_decisions(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    DecisionFactory(uid="de-browser-1", title="Fictional German judgment one")
    DecisionFactory(
        uid="de-browser-2",
        title="Fictional German judgment two",
        decision_date=dt.date(2019, 3, 1),
        outcome="acquitted",
    )
    DecisionFactory(uid="de-browser-hidden", title="Fictional network judgment", access="network")
    UserFactory(username="kmember", role="member")
    problems: list[str] = []
    # The other knowledge pages share these templates' parts (tables, fact cards, lists).
    pages = [
        "/knowledge/countries/",
        "/knowledge/countries/DE/",
        "/knowledge/countries/compare/?c=DE&c=NL&c=FR",
        "/knowledge/publications/",
        "/knowledge/eu-day/",
    ]
    context = _context(browser, live_server, {"width": 1280, "height": 800})
    page = context.new_page()
    for url in pages:
        page.goto(url)
        for v in _violations(page):
            problems.extend(_describe(url, "anonymous", v))
    page.goto("/knowledge/countries/DE/")
    assert "Code of Crimes against International Law" in page.inner_text(
        '[data-testid="provisions"]'
    )
    limitation = page.inner_text('[data-testid="condition-statute_of_limitations"]')
    assert "VStGB § 5" in limitation and "Völkerstrafgesetzbuch § 5" in limitation
    assert page.inner_text('[data-testid="decisions-total"]').startswith("2 decisions")
    assert "Fictional network judgment" not in page.content()
    member_context = _context(browser, live_server, {"width": 1280, "height": 800})
    member = member_context.new_page()
    member.goto("/accounts/login/")
    member.fill("input[name=username]", "kmember")
    member.fill("input[name=password]", PASSWORD)
    member.click("form.card button[type=submit]")
    member.wait_for_selector('[data-testid="who"]')
    member.goto("/knowledge/countries/DE/")
    assert member.inner_text('[data-testid="decisions-total"]').startswith("3 decisions")
    member.goto("/knowledge/calendar/")
    member.click("text=Create a private feed")
    assert member.inner_text('[data-testid="new-feed-url"]').startswith(live_server.url)
    for v in _violations(member):
        problems.extend(_describe("/knowledge/calendar/", "member", v))
    context.close()
    member_context.close()
    assert problems == [], "\n".join(problems)
