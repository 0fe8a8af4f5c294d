"""The product as a reader and a curator find it (issue 11), in Chromium at 1366 px and 375 px.

Each walk collects every console error and uncaught page error (a Content-Security-Policy
violation is a console error) and fails on any; at each step the page must fit its width
(no horizontal scrolling).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ..factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 375}


@pytest.fixture(params=sorted(WIDTHS))
def width(request: pytest.FixtureRequest) -> int:
    return WIDTHS[request.param]


@pytest.fixture
def errors() -> Iterator[list[str]]:
    found: list[str] = []
    yield found
    assert found == [], "console or page errors during the walk"


def _open(
    new_page: Callable[..., Any], width: int, errors: list[str], user: str | None = None
) -> Any:
    page = new_page(user)
    page.set_viewport_size({"width": width, "height": 800})
    page.on(
        "console",
        lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    return page


# The elements that stick out past the right edge, named for the failure message.
_WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
"""


# Buttons whose words were broken letter by letter to fit (at 375 px "Find" stood as F/i/n/d).
_BROKEN_BUTTONS = """Array.from(document.querySelectorAll('button, .button'))
  .filter(b => b.offsetParent !== null && b.innerText.trim().split(/\\s+/).length === 1
               && b.getClientRects()[0].height
                  > 2.2 * parseFloat(getComputedStyle(b).lineHeight))
  .map(b => b.innerText.trim())"""


def _fits(page: Any, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll, page.evaluate(_WIDE_ELEMENTS))
    assert page.evaluate(_BROKEN_BUTTONS) == [], page.url


def _show_filters(page: Any) -> None:
    """At phone width the facets sit behind a "Filters" button (a <details>)."""
    filters = page.locator('[data-testid="filters"]')
    if not page.locator('[data-testid="facets"]').is_visible():
        filters.locator("summary").click()
    assert page.locator('[data-testid="facets"]').is_visible()


def _at(**expected: list[str]) -> Callable[[str], bool]:
    """A URL predicate: the search's query string holds exactly these parameters."""
    return lambda url: parse_qs(urlsplit(url).query) == expected


def _hits(page: Any) -> set[str]:
    return set(
        page.eval_on_selector_all('[data-testid="hit"]', "els => els.map(e => e.dataset.uid)")
    )


def _corpus() -> None:
    from cicnet.search.services import rebuild_index

    german = DecisionFactory(uid="de-walk", country="DE", title="German judgment on detention")
    text = TextFactory(decision=german)
    for n in range(1, 31):
        body = "Detainees were tortured in Branch 251." if n == 25 else f"Paragraph {n}. " * 12
        ParagraphFactory(text=text, number=n, body=body)
    for uid, country in (("se-walk", "SE"), ("fr-walk", "FR")):
        decision = DecisionFactory(uid=uid, country=country, title=f"Judgment {uid}")
        ParagraphFactory(
            text=TextFactory(
                decision=decision, completeness="excerpt", excerpt_contents="Procedure and facts"
            ),
            number=1,
            body="Prisoners were tortured.",
        )
    rebuild_index()


def test_search_two_values_of_a_facet_decision_paragraph_and_back(
    new_page: Callable[..., Any], width: int, errors: list[str]
) -> None:
    _corpus()
    page = _open(new_page, width, errors)
    page.goto("/")
    _fits(page, width)
    page.fill('[data-testid="q"]', "tortured")
    page.press('[data-testid="q"]', "Enter")
    page.wait_for_url(_at(q=["tortured"]))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 3")
    assert "showing 1\u20133 of 3" in page.inner_text('[data-testid="result-count"]')
    _fits(page, width)

    # Two values of one facet: both stay ticked and visible with their counts, results OR them.
    _show_filters(page)
    page.check('[data-testid="facet-country-DE"]')
    page.wait_for_url(_at(q=["tortured"], country=["DE"]))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 1")
    _show_filters(page)
    page.check('[data-testid="facet-country-SE"]')
    page.wait_for_url(_at(q=["tortured"], country=["DE", "SE"]))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 2")
    assert _hits(page) == {"de-walk", "se-walk"}
    for code in ("DE", "SE", "FR"):
        option = page.locator(f'[data-testid="facet-country-{code}"]')
        # The open panel stays open across the region's swap (no click here).
        option.wait_for(state="visible", timeout=2000)
        count = option.locator("xpath=..").locator(".count").inner_text()
        assert count == "1", (code, count)
    assert page.is_checked('[data-testid="facet-country-DE"]')
    assert page.is_checked('[data-testid="facet-country-SE"]')
    assert not page.is_checked('[data-testid="facet-country-FR"]')
    # The excerpt says so in the results.
    se = page.locator('[data-testid="hit"][data-uid="se-walk"]')
    assert "Excerpt: procedure and facts" in se.inner_text()
    _fits(page, width)

    # The decision, then the paragraph a snippet points to.
    page.locator('[data-testid="hit"][data-uid="de-walk"] [data-testid="snippet-link"]').click()
    page.wait_for_url(re.compile(r"/decisions/de-walk/#en-p25$"))
    assert page.evaluate("document.querySelector(':target').id") == "en-p25"
    assert "Branch 251" in page.inner_text("#en-p25")
    assert page.locator('[data-testid="demo-label"]').count() == 0
    _fits(page, width)

    # Back: the search is as it was, query in the box, both values ticked.
    page.go_back()
    page.wait_for_url(_at(q=["tortured"], country=["DE", "SE"]))
    page.wait_for_selector('[data-testid="hit"]')
    assert page.input_value('[data-testid="q"]') == "tortured"
    assert _hits(page) == {"de-walk", "se-walk"}
    assert page.is_checked('[data-testid="facet-country-SE"]')
    # Back once more, through htmx's own history: the box follows the URL.
    page.go_back()
    page.wait_for_url(_at(q=["tortured"], country=["DE"]))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 1")
    assert page.input_value('[data-testid="q"]') == "tortured"
    assert page.locator("header.site").count() == 1  # a whole page, not the results alone
    _fits(page, width)


def test_page_two_of_fourteen_results(
    new_page: Callable[..., Any], width: int, errors: list[str]
) -> None:
    from cicnet.search.services import rebuild_index

    for n in range(14):
        DecisionFactory(uid=f"walk-{n:02d}", title=f"Judgment number {n}")
    rebuild_index()
    page = _open(new_page, width, errors)
    page.goto("/")
    page.click('nav.pagination a[rel="next"]')
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 4")
    count = page.inner_text('[data-testid="result-count"]')
    assert "14 decisions · showing 11\u201314 of 14" in count
    _fits(page, width)


def _confirm_if_asked(page: Any) -> None:
    """Publishing may ask for confirmation (a second form): press its submit button if any."""
    if page.locator("text=Now 'Published'").count():
        return
    confirm = page.locator(
        "main form button[type=submit]", has_text=re.compile(r"confirm|publish", re.I)
    )
    if confirm.count():
        with page.expect_navigation():
            confirm.first.click()


def test_curator_edits_and_publishes(
    new_page: Callable[..., Any], width: int, errors: list[str]
) -> None:
    decision = DecisionFactory(uid="walk-draft", state="review", title="Judgment to publish")
    ParagraphFactory(text=TextFactory(decision=decision), number=1, body="The facts.")
    UserFactory(username="curator-walk", role="curator")
    page = _open(new_page, width, errors, "curator-walk")
    page.goto("/curation/")
    _fits(page, width)
    page.click("text=Judgment to publish")
    page.wait_for_url(re.compile(r"/decisions/walk-draft/$"))
    _fits(page, width)
    page.click('[data-testid="edit-link"]')
    page.wait_for_url(re.compile(r"/decisions/walk-draft/edit/$"))  # measured before it loaded
    _fits(page, width)
    page.fill("textarea[name=summary]", "A summary written in the walk.")
    # The factory's court is fictional, so not in the court vocabulary: pick a listed one of
    # the decision's State (DE; a national court decides for its own State).
    if not page.input_value("select[name=court]"):
        page.select_option("select[name=court]", "de-olg-koblenz")
    page.click('[data-testid="save"]')
    page.wait_for_selector("text=Changes saved.")
    # Wait for the page the click leads to: on a loaded machine the old page is still there
    # when _confirm_if_asked looks, and its own "publish" button would be pressed twice.
    with page.expect_navigation():
        page.click('[data-testid="transition-published"]')
    _confirm_if_asked(page)
    page.wait_for_selector("text=Now 'Published'")
    assert page.locator('[data-testid="state-badge"]').count() == 0
    assert "A summary written in the walk." in page.inner_text("#summary")
    _fits(page, width)


MAIN_PAGES = {
    "demo-admin": (
        "/",
        "/decisions/",
        "/curation/",
        "/audit/",
        "/accounts/tokens/",
        "/network/",
        "/network/genocide-network/",
        "/network/genocide-network/meetings/",
        "/network/genocide-network/library/",
        "/statistics/",
        "/translation/",
        "/anonymisation/",
        "/curation/import/",
        "/alerts/",
        "/knowledge/",
        "/guides/",
    ),
    "net-ncp": (
        "/network/genocide-network/",
        "/network/genocide-network/directory/",
        "/network/genocide-network/meetings/36/",
        "/network/calendar/",
        "/network/me/",
        "/cooperation/",
    ),
}


@pytest.mark.parametrize("user", sorted(MAIN_PAGES))
def test_main_pages_fit_a_phone_without_console_errors(
    new_page: Callable[..., Any], user: str, errors: list[str]
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cicnet.accounts.models import User

    from .conftest import PASSWORD

    call_command("load_demo", limit=3, stdout=StringIO(), stderr=StringIO())
    account = User.objects.get(username=user)
    account.set_password(PASSWORD)  # the browser logs in with the test password
    account.save()
    page = _open(new_page, WIDTHS["phone"], errors, user)
    decision = None
    for url in MAIN_PAGES[user]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        _fits(page, WIDTHS["phone"])
        if decision is None and page.locator("table a[href^='/decisions/']").count():
            decision = page.locator("table a[href^='/decisions/']").first.get_attribute("href")
    if decision:  # a decision and its edit page, as the curator reaches them
        for url in (decision, decision.rstrip("/") + "/edit/"):
            assert page.goto(url).status == 200, url
            _fits(page, WIDTHS["phone"])


def test_statistics_of_thirty_years_fit_a_phone(
    new_page: Callable[..., Any], errors: list[str]
) -> None:
    """A chart wider than the phone (one column per year) scrolls inside its own box."""
    import datetime as dt

    for year in range(1991, 2021):
        DecisionFactory(decision_date=dt.date(year, 6, 1))
    page = _open(new_page, WIDTHS["phone"], errors)
    assert page.goto("/statistics/").status == 200
    width = page.evaluate("document.querySelector('#year svg').getBoundingClientRect().width")
    assert width > WIDTHS["phone"], "the year chart should be wider than a phone for this test"
    _fits(page, WIDTHS["phone"])
