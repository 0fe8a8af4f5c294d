"""Two national authorities in Chromium: DE registers a case with a suspect written in Latin
script, FR one with the same man in Arabic script; both see a candidate hit without the other's
name; DE reveals its record and FR reads it. A question gets an answer citing a decision. A JIT
space is created, a document uploaded into it and downloaded by the other member, an evidence
item shared into it with its custody log intact; a third authority joins it by an amendment
both parties agree to and one party withdraws; an ad hoc coordination meeting is requested and
accepted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from cicnet.coordination.models import Hit

from ..evidence.conftest import World as EvidenceWorld
from ..evidence.conftest import world  # noqa: F401  # the vault's world, for the JIT walk
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


AGREEMENT = b"%PDF-1.4\n% fictional JIT agreement, for the browser test\n" + b"a" * 4000


def test_a_jit_space_with_a_document_an_evidence_item_and_a_coordination_meeting(
    new_page: Callable[..., Any],
    world: EvidenceWorld,  # noqa: F811  # the vault's world: DE and FR read a submitted item
) -> None:
    de = new_page(world.users["authority"].username)
    de.goto("/coordination/jits/")
    de.fill("#id_name", "Fictional JIT on a detention facility")
    for key in ("de", "fr"):
        de.check(f"input[name=members][value='{world.orgs[key].pk}']")
    de.fill("#id_agreement_title", "Fictional JIT agreement DE-FR")
    de.fill("#id_agreement_signed_on", "2025-01-10")
    de.fill("#id_agreement_expires_on", "2026-01-10")
    de.click('[data-testid="team-create"]')
    expect(de.locator('[data-testid="team-title"]')).to_contain_text("Fictional JIT")
    team_url = de.url

    # a document into the shared area (a web page first: the error names the field)
    de.click('[data-testid="document-new-link"]')
    de.fill("#id_title", "JIT agreement as signed")
    de.select_option("#id_kind", "agreement")
    de.set_input_files(
        "#id_file", files=[{"name": "a.html", "mimeType": "text/html", "buffer": b"<p>x</p>"}]
    )
    de.click('[data-testid="document-submit"]')
    expect(de.locator('[data-testid="error-file"]')).to_contain_text("does not take (.html)")
    de.set_input_files(
        "#id_file",
        files=[{"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": AGREEMENT}],
    )
    de.click('[data-testid="document-submit"]')
    expect(de.locator('[data-testid="version-row"]')).to_have_count(1)

    # an evidence item of the vault shared in keeps its handling code and custody log
    de.goto(team_url)
    de.fill("#submission", world.submission.uid)
    de.fill("#item", world.open_item.uid)
    de.click('[data-testid="share-item-submit"]')
    item = de.locator('[data-testid="team-item"]')
    expect(item).to_contain_text(world.open_item.uid)
    expect(item.locator('[data-testid="custody-state"]')).to_contain_text("Custody log intact")
    expect(item.locator('[data-testid="handling-code"]')).to_have_text("unrestricted")

    # the other member sees and downloads the document, and sees the item with its log
    fr = new_page(world.users["authority_fr"].username)
    fr.goto(team_url)
    row = fr.locator('[data-testid="document-row"]')
    expect(row).to_contain_text("e-authority (Fictional Prosecutor DE)")
    expect(fr.locator('[data-testid="custody-state"]')).to_contain_text("Custody log intact")
    row.get_by_role("link").click()
    with fr.expect_download() as download:
        fr.click('[data-testid="download-v1"]')
    path = download.value.path()
    assert path is not None and open(path, "rb").read() == AGREEMENT

    # a third authority joins by amendment: it sees nothing until both parties have agreed,
    # then the whole file; then FR withdraws and loses the space at once
    nl = new_page(world.users["other_authority"].username)
    de.goto(team_url)
    de.click('[data-testid="member-new-link"]')
    de.select_option("#id_organisation", str(world.orgs["nl"].pk))
    de.fill("#id_dated", "2025-06-01")
    de.fill("#id_note", "Amendment no. 1 (fictional)")
    de.click('[data-testid="member-submit"]')
    expect(de.locator('[data-testid="amendment-state"]')).to_have_text(
        "awaiting the parties' agreement"
    )
    response = nl.goto(team_url)
    assert response is not None and response.status == 404
    fr.goto(team_url)
    fr.click('[data-testid="amendment-agree"]')
    expect(fr.locator('[data-testid="members"]')).to_contain_text("Fictional Prosecutor NL")
    nl.goto(team_url)
    expect(nl.locator('[data-testid="document-row"]')).to_contain_text("JIT agreement as signed")
    fr.click('[data-testid="withdraw-link"]')
    fr.fill("#id_withdrawn_on", "2025-07-01")
    fr.fill("#id_reason", "Our investigation was closed (fictional).")
    fr.check("#id_confirm")
    fr.click('[data-testid="withdraw-submit"]')
    response = fr.goto(team_url)
    assert response is not None and response.status == 404
    de.goto(team_url)
    expect(de.locator('[data-testid="former-member"]')).to_contain_text("Fictional Prosecutor FR")

    # an ad hoc coordination meeting: DE asks, the Secretariat accepts, DE sees it
    de.goto("/coordination/meetings/")
    de.select_option("#id_requester", str(world.orgs["de"].pk))
    de.select_option("#id_subject_kind", "topic")
    de.fill("#id_subject", "Coordinating hearings of the JIT's witnesses")
    de.check(f"input[name=concerned][value='{world.orgs['fr'].pk}']")
    de.click('[data-testid="meeting-request-submit"]')
    expect(de.locator('[data-testid="meeting-request-state"]')).to_have_text("Requested")
    request_url = de.url
    secretariat = new_page(world.users["secretariat"].username)
    secretariat.goto(request_url)
    secretariat.fill("#id_start_date", "2027-03-02")
    secretariat.click('[data-testid="meeting-decision-submit"]')
    expect(secretariat.locator('[data-testid="meeting-request-state"]')).to_have_text("Accepted")
    de.reload()
    expect(de.locator('[data-testid="scheduled-meeting"]')).to_contain_text("closed session")
    # the meeting is invitees-only: DE reaches it, an unrelated authority (NL) never sees it
    de.locator('[data-testid="scheduled-meeting"] a').click()
    expect(de.locator("h1")).to_contain_text("Ad hoc coordination meeting")
    meeting_url = de.url
    nl.goto("/network/a/meetings/")
    expect(nl.locator("h1")).to_contain_text("Meetings")
    assert "Ad hoc coordination meeting" not in nl.content()
    response = nl.goto(meeting_url)
    assert response is not None and response.status == 404
