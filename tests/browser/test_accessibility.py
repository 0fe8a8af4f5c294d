"""Every page, as every role sees it, passes axe-core's WCAG 2 A and AA rules in Chromium —
colour contrast first (the "Log out" button was 1.15:1). axe-core is vendored under
``vendor/axe-core/`` (MPL-2.0; docs/decisions/0099). A violation fails the test with the rule,
the page, the element and, for contrast, the measured ratio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from cicnet.accounts.models import User
from cicnet.coordination.demo import CASE_A, CASE_B, QUESTION_TITLE, TEAM_NAME
from cicnet.coordination.models import AssistanceRequest, Case, Hit, JointTeam, Question
from cicnet.evidence.models import EvidenceItem, Submission
from cicnet.jurisprudence.models import Decision

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The WCAG 2.0 and 2.1 level A and AA rules axe-core ships.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Who looks, as the demo prints them: the instance roles and the network roles.
ROLES = (
    None,
    "demo-member",
    "demo-curator",
    "demo-admin",
    "net-secretariat",
    "net-ncp",
    "net-cso",
)


@pytest.fixture
def demo(transactional_db: None) -> Iterator[dict[str, str]]:
    """The demo (a few decisions, both networks, the demo submission, the coordination demo);
    every demo login gets the test password. Returns the ids the page list needs."""
    call_command("load_demo", limit=2, skip_texts=False, verbosity=0)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    decision = Decision.objects.filter(texts__isnull=False).order_by("pk").first()
    assert decision is not None
    submission = Submission.objects.order_by("pk").first()
    assert submission is not None
    item = EvidenceItem.objects.filter(submission=submission).order_by("pk").first()
    assert item is not None
    team = JointTeam.objects.get(name=TEAM_NAME)
    document = team.documents.get()
    yield {
        "decision": decision.uid,
        "submission": submission.uid,
        "item": item.uid,
        "case_a": Case.objects.get(reference=CASE_A).uid,
        "case_b": Case.objects.get(reference=CASE_B).uid,
        "hit": Hit.objects.get(kind="person").uid,
        "question": Question.objects.get(title=QUESTION_TITLE).uid,
        "request": AssistanceRequest.objects.get().uid,
        "jit": team.uid,
        "document": document.uid,
    }


def _coordination_demo_pages(ids: dict[str, str]) -> list[str]:
    """The coordination demo's records: net-ncp reads each (its own case, the case shared with
    it, the hit, the team with an amendment awaiting its agreement); net-secretariat the request
    (shared with it); everyone else gets the 404 page, which must pass too."""
    jit = ids["jit"]
    return [
        f"/coordination/cases/{ids['case_a']}/",
        f"/coordination/cases/{ids['case_b']}/",
        f"/coordination/hits/{ids['hit']}/",
        f"/coordination/questions/{ids['question']}/",
        f"/coordination/requests/{ids['request']}/",
        f"/coordination/jits/{jit}/",
        f"/coordination/jits/{jit}/members/new/",
        f"/coordination/jits/{jit}/withdraw/",
        f"/coordination/jits/{jit}/documents/",
        f"/coordination/jits/{jit}/documents/{ids['document']}/",
    ]


def _pages(ids: dict[str, str]) -> list[str]:
    d, s, i = ids["decision"], ids["submission"], ids["item"]
    net = "/network/genocide-network"
    return [
        "/",
        "/?q=crimes",
        "/decisions/",
        f"/decisions/{d}/",
        f"/decisions/{d}/search/?q=the",
        f"/decisions/{d}/citations/",
        "/statistics/",
        f"/statistics/network/{net.rsplit('/', 1)[-1]}/",
        "/alerts/",
        f"/decisions/{d}/edit/",
        f"/decisions/{d}/anonymisation/",
        "/curation/",
        "/translation/",
        "/curation/import/",
        "/anonymisation/",
        "/audit/",
        f"/audit/?object_type=decision&object_id={d}",
        "/network/",
        f"{net}/",
        f"{net}/directory/",
        f"{net}/meetings/",
        f"{net}/meetings/36/",
        f"{net}/library/",
        f"{net}/view-log/",
        f"{net}/invitations/",
        "/network/calendar/",
        "/network/search/?q=genocide",
        "/network/me/",
        "/network/me/notifications/",
        "/cooperation/",
        "/cooperation/guide/",
        "/cooperation/new/",
        f"/cooperation/{s}/",
        f"/cooperation/{s}/items/{i}/",
        "/coordination/",
        "/coordination/cases/new/",
        "/coordination/hits/",
        "/coordination/log/",
        "/coordination/statistics/",
        "/coordination/questions/",
        "/coordination/questions/new/",
        "/coordination/jits/",
        "/coordination/requests/",
        "/coordination/meetings/",
        *_coordination_demo_pages(ids),
        "/accounts/tokens/",
        "/accounts/2fa/",
        "/accounts/login/",
        "/accounts/password-reset/",
        "/no-such-page/",
    ]


def _violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG A/AA violations on ``page`` as it stands. A context that checks many
    pages loads axe into each of its documents once (``context.add_init_script(path=AXE)``:
    sending its 500 kB with every page took longer than the checks); elsewhere it is evaluated
    here, through the DevTools protocol, which the page's CSP allows."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}).then(r => r.violations)",
        TAGS,
    )
    return list(result)


def _describe(url: str, who: str, violation: dict[str, Any]) -> list[str]:
    lines = []
    for node in violation["nodes"]:
        data = next((c.get("data") for c in node["any"] if c.get("data")), None) or {}
        ratio = (
            f" ratio {data['contrastRatio']}:1 (needs {data.get('expectedContrastRatio', '')}),"
            f" {data.get('fgColor')} on {data.get('bgColor')}"
            if isinstance(data, dict) and "contrastRatio" in data
            else ""
        )
        lines.append(
            f"{who} {url}: {violation['id']} {node['target']}{ratio} · {node['html'][:120]}"
        )
    return lines


@pytest.mark.parametrize("username", ROLES, ids=lambda u: u or "anonymous")
def test_every_page_meets_wcag_aa_for_every_role(
    browser: Any, live_server: Any, demo: dict[str, str], username: str | None
) -> None:
    # The vault's strict CSP refuses injected scripts; the test's own context may bypass it.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    context.add_init_script(path=AXE)
    page = context.new_page()
    try:
        if username:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("form.card button[type=submit]")
            page.wait_for_selector('[data-testid="who"]')
        problems: list[str] = []
        seen = 0
        demo_pages = set(_coordination_demo_pages(demo))
        readable = demo_pages if username == "net-ncp" else set()
        # Only the two authorities read their cases, hit and team (net-ncp-b is not in ROLES);
        # the question (asked of all) and the request (shared with the Secretariat) reach more.
        private = demo_pages - {
            f"/coordination/questions/{demo['question']}/",
            f"/coordination/requests/{demo['request']}/",
        }
        for url in _pages(demo):
            response = page.goto(url)
            if url in readable and (response is None or response.status != 200):
                problems.append(f"{username} {url}: answered {response and response.status}")
            if (
                username != "net-ncp"
                and url in private
                and response is not None
                and response.status == 200
                and urlsplit(page.url).path == url
            ):
                problems.append(f"{username or 'anonymous'} {url}: read what only its owners may")
            if page.url.endswith("/accounts/login/") and url != "/accounts/login/":
                continue  # a login page in its place: tested once on its own
            seen += 1
            for violation in _violations(page):
                problems.extend(_describe(url, username or "anonymous", violation))
        assert seen > 10
        assert not problems, "WCAG A/AA violations:\n" + "\n".join(problems)
    finally:
        context.close()
