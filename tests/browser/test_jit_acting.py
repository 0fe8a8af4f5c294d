"""In Chromium: a contact point of two parties of a team (DE's national contact point and the
observer counterpart of BA) picks the party it acts for beside Agree and Decline on the team
page and in the withdrawal form; the browser will not send the form without a choice; the
pages with the choice pass axe-core's WCAG 2 A and AA rules (docs/decisions/0185, point 7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from cicnet.coordination import jit_parties

from ..coordination.test_jit_acting import team_with_double
from ..evidence.conftest import (
    World,
    world,  # noqa: F401  # the vault's world
)
from .conftest import PASSWORD
from .test_accessibility import _describe, _violations

pytestmark = pytest.mark.browser


@pytest.fixture
def double_page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A page logged in as ``e-double``, in a context that lets axe-core be injected past the
    vault's strict CSP (as the accessibility test does)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_selector('[data-testid="who"]')


def _axe(page: Any, url: str) -> list[str]:
    return [line for v in _violations(page) for line in _describe(url, "e-double", v)]


def test_a_contact_point_of_two_parties_picks_one_in_chromium(
    double_page: Any,
    world: World,  # noqa: F811
) -> None:
    team = team_with_double(world)
    de, ba = world.orgs["de"], world.orgs["ba"]
    amendment = jit_parties.member_propose(
        actor=world.actors["authority_fr"],
        team=team,
        organisation_id=world.orgs["nl"].pk,
        dated=team.agreement_signed_on,
        note="Amendment 1 (fictional)",
    )
    page = double_page
    _login(page, "e-double")
    team_url = f"/coordination/jits/{team.uid}/"
    page.goto(team_url)
    problems = _axe(page, team_url)
    choice = page.locator('[data-testid="amendment-acting-for"]')
    expect(choice).to_have_value("")
    # No choice: the browser keeps the form (the field is required); nothing is recorded.
    page.click('[data-testid="amendment-agree"]')
    expect(page).to_have_url(f"{page.url.split('/coordination/')[0]}{team_url}")
    assert amendment.consents.count() == 1  # FR's, by proposing
    expect(page.get_by_text("Acting for: you are a contact point")).to_have_count(0)  # not sent
    choice.select_option(str(ba.pk))
    page.click('[data-testid="amendment-agree"]')
    expect(page.locator('[data-testid="amendment-state"]')).to_have_text(
        "awaiting the parties' agreement"
    )
    assert set(amendment.consents.values_list("organisation_id", flat=True)) == {
        world.orgs["fr"].pk,
        ba.pk,
    }
    # Decline, sent to its own address from the same form, for DE.
    page.locator('[data-testid="amendment-acting-for"]').select_option(str(de.pk))
    page.click('[data-testid="amendment-decline"]')
    expect(page.locator('[data-testid="amendment-state"]')).to_have_text("declined by a party")
    amendment.refresh_from_db()
    assert amendment.declined_by_id == de.pk

    withdraw_url = f"{team_url}withdraw/"
    page.goto(withdraw_url)
    problems += _axe(page, withdraw_url)
    page.fill("#id_withdrawn_on", team.agreement_signed_on.isoformat())
    page.fill("#id_reason", "Our case was closed (fictional).")
    page.check("#id_confirm")
    page.select_option("#id_acting_for", str(ba.pk))
    page.click('[data-testid="withdraw-submit"]')
    page.wait_for_url("**/coordination/jits/")
    assert list(
        team.members.filter(withdrawn_at__isnull=False).values_list("organisation_id", flat=True)
    ) == [ba.pk]
    assert not problems, "WCAG A/AA violations:\n" + "\n".join(problems)
