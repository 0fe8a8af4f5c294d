"""Issue 15 (part A) in Chromium: a member saves a search, a matching decision is ingested, the
e-mail digest and the member's Atom feed carry it while the public feed of the same search never
carries the network-tier one; "cited by" links resolve; the statistics page shows, for every
role, the numbers the database gives for that role."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision

from ..factories import DecisionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITED_ECLI = "ECLI:DE:BGH:2019:010219U3STR1.19.0"


def _write_decision(folder: Path, stem: str, *, title: str, access: str, body: str) -> None:
    (folder / f"{stem}.yaml").write_text(
        textwrap.dedent(
            f"""\
            title: {title}
            country: DE
            court: Higher Regional Court of Koblenz
            decision_date: 2024-05-02
            instance: first_instance
            decision_type: judgment
            summary: Conviction for the torture of detainees (fictional, for the tests).
            outcome: convicted
            access: {access}
            state: published
            demo: true
            texts:
              en: {{original: true}}
            """
        ),
        "utf-8",
    )
    (folder / f"{stem}.en.txt").write_text(body, "utf-8")


def _fetch(page: Any, url: str) -> str:
    return str(page.evaluate("url => fetch(url).then(r => r.text())", url))


def test_saved_search_mail_and_feeds_and_cited_by(
    new_page: Callable[..., Any], tmp_path: Path
) -> None:
    from cicnet.alerts.services import alerts_send
    from cicnet.pipeline.runner import ingest_path

    UserFactory(username="member1", role="member", email="member1@example.org")
    DecisionFactory(uid="cited", ecli=CITED_ECLI, title="The cited judgment")

    member = new_page("member1")
    member.goto("/?q=torture")
    member.fill("#save-name", "Torture in Koblenz")
    member.select_option("#save-freq", "daily")
    member.click('[data-testid="save-search-button"]')
    member.wait_for_url(re.compile(r"/alerts/$"))
    feed_url = member.inner_text('[data-testid="feed-url"]').strip()
    assert "Torture in Koblenz" in member.inner_text('[data-testid="alerts"]')

    folder = tmp_path / "new"
    folder.mkdir()
    body = f"1. The court followed the Federal Court of Justice, {CITED_ECLI}, on torture."
    _write_decision(
        folder, "new-public", title="Public torture judgment", access="public", body=body
    )
    _write_decision(
        folder, "new-network", title="Network torture judgment", access="network", body=body
    )
    report = ingest_path(folder)
    assert report.ok, [r.error for r in report.failed]
    public = Decision.objects.get(title="Public torture judgment")
    network = Decision.objects.get(title="Network torture judgment")

    sent = alerts_send(frequency="daily")
    assert sent.messages == 1
    (message,) = mail.outbox
    assert message.to == ["member1@example.org"]
    assert f"/decisions/{public.uid}/" in message.body
    assert f"/decisions/{network.uid}/" in message.body

    anonymous = new_page()
    anonymous.goto("/")
    member_feed = _fetch(anonymous, feed_url)  # the token, not a session, opens the feed
    assert f"/decisions/{public.uid}/" in member_feed
    assert f"/decisions/{network.uid}/" in member_feed
    anonymous.goto("/?q=torture")
    public_feed = _fetch(anonymous, anonymous.get_attribute('[data-testid="search-feed"]', "href"))
    assert f"/decisions/{public.uid}/" in public_feed
    assert f"/decisions/{network.uid}" not in public_feed
    assert "Network torture judgment" not in public_feed

    # "Cited by": the public reader sees the public citing decision only, and the link leads to it.
    anonymous.goto("/decisions/cited/")
    links = anonymous.locator('[data-testid="cited-by-link"]')
    assert links.count() == 1
    links.first.click()
    anonymous.wait_for_url(re.compile(rf"/decisions/{public.uid}/$"))
    assert anonymous.inner_text("h1") == "Public torture judgment"
    member.goto("/decisions/cited/")
    assert member.locator('[data-testid="cited-by-link"]').count() == 2
    member.click('[data-testid="graph-link"]')
    member.wait_for_selector('[data-testid="citation-graph"]')
    assert (
        member.locator(f'[data-testid="citation-graph"] a[data-uid="{network.uid}"]').count() == 1
    )


def test_statistics_page_numbers_equal_the_database_for_every_role(
    new_page: Callable[..., Any], tier_matrix: dict[str, Any]
) -> None:
    for i, d in enumerate(tier_matrix.values()):
        d.country = ("DE", "FR", "SE")[i % 3]
        d.save()
    users = {
        role: UserFactory(username=f"{role}1", role=role) for role in ("member", "curator", "admin")
    }
    for role in ("anonymous", "member", "curator", "admin"):
        actor = policy.ANONYMOUS if role == "anonymous" else policy.actor_for(users[role])
        visible = policy.decisions_visible(actor, Decision.objects.all())
        page = new_page(None if role == "anonymous" else f"{role}1")
        page.goto("/statistics/")
        total = page.inner_text('[data-testid="stats-total"] strong')
        assert int(total) == visible.count(), role
        page.click('[data-testid="section-country"] summary')
        for code in ("DE", "FR", "SE"):
            expected = visible.filter(country=code).count()
            cell = page.locator(f'[data-testid="table-country"] tr[data-value="{code}"] td')
            if expected:
                assert int(cell.inner_text()) == expected, (role, code)
            else:
                assert cell.count() == 0, (role, code)
        for code in ("DE", "FR", "SE"):
            bar = page.locator(f'[data-testid="chart-country"] g[data-value="{code}"]')
            expected = visible.filter(country=code).count()
            if expected:
                assert bar.get_attribute("data-count") == str(expected), (role, code)
            else:
                assert bar.count() == 0, (role, code)
