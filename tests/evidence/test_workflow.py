"""The submission workflow: drafts, sending, each referral's states, messages, shares; each
refusal names what to fix; the history both parties see."""

from __future__ import annotations

import html
from typing import Any

import pytest

from cicnet.evidence import services
from cicnet.evidence.models import CustodyEntry, Referral, Submission

from .conftest import World

pytestmark = pytest.mark.django_db

SUBMISSION_POST = {
    "organisation": "",
    "title": "Fictional attack on a convoy",
    "narrative": "A fictional narrative.",
    "places": "Fictional valley",
    "period_start": "2022-04-01",
    "period_end": "2022-04-03",
    "crimes": ["8(2)(b)(i)", "7(1)(a)"],
    "persons": "P-1 | suspected_perpetrator | commander\nW-2 | witness",
    "victims_count": "12",
    "languages": "uk, ru",
    "assessment": "Two independent accounts.",
}


def test_cso_creates_edits_and_sends_a_draft_through_the_pages(world: World) -> None:
    client = world.client("cso")
    form = client.get("/cooperation/new/")
    assert form.status_code == 200
    assert "Fictional Prosecutor DE" in html.unescape(form.content.decode())
    assert "Fictional Secretariat A" not in html.unescape(form.content.decode())  # not an authority
    data = {
        **SUBMISSION_POST,
        "organisation": world.orgs["cso"].pk,
        "addressees": [world.orgs["de"].pk],
    }
    created = client.post("/cooperation/new/", data)
    assert created.status_code == 302
    submission = Submission.objects.get(title="Fictional attack on a convoy")
    assert submission.persons == [
        {"ref": "P-1", "role": "suspected_perpetrator", "note": "commander"},
        {"ref": "W-2", "role": "witness", "note": ""},
    ]
    assert submission.languages == ["ru", "uk"] and submission.victims_count == 12
    assert submission.state == "draft"
    edit = client.post(
        f"/cooperation/{submission.uid}/edit/",
        {**data, "addressees": [world.orgs["de"].pk, world.orgs["fr"].pk]},
    )
    assert edit.status_code == 302
    assert submission.referrals.count() == 2
    assert world.client("authority").get(f"/cooperation/{submission.uid}/").status_code == 404
    sent = client.post(f"/cooperation/{submission.uid}/submit", {"confirmed": "yes"})
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "submitted" and submission.submitted_at is not None
    assert world.client("authority").get(f"/cooperation/{submission.uid}/").status_code == 200
    # Sent: no more edits.
    assert client.get(f"/cooperation/{submission.uid}/edit/").status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "persons",
            "Jane Doe, the witness | witness",
            "persons: line 1: 'Jane Doe, the witness' is not a reference",
        ),
        ("persons", "W-1 | bystander", "persons: line 1: unknown role 'bystander'"),
        ("languages", "ukrainian", "languages: 'ukrainian' is not an ISO 639-1 language code"),
        ("crimes", "genocide-by-tweet", "crimes: Select a valid choice"),
        ("period_end", "2022-03-01", "period_end: the end is before the start."),
        ("title", "", "title: This field is required."),
    ],
)
def test_bad_submission_input_is_named(world: World, field: str, value: str, expected: str) -> None:
    data: dict[str, Any] = {**SUBMISSION_POST, "organisation": world.orgs["cso"].pk, field: value}
    response = world.client("cso").post("/cooperation/new/", data)
    assert response.status_code == 400
    assert expected in html.unescape(response.content.decode())
    assert not Submission.objects.filter(title=SUBMISSION_POST["title"]).exists()


def test_a_draft_without_addressees_cannot_be_sent(world: World) -> None:
    draft = services.submission_create(
        actor=world.actors["cso"],
        organisation=world.orgs["cso"],
        data=services.SubmissionData(
            title="t",
            narrative="n",
            places="p",
            period_start=None,
            period_end=None,
            period_note="",
            crimes=[],
            persons=[],
            victims_count=None,
            languages=[],
            assessment="",
            addressees=[],
        ),
    )
    response = world.client("cso").post(
        f"/cooperation/{draft.uid}/submit", {"confirmed": "yes"}, follow=True
    )
    assert "addressees: choose at least one national authority" in html.unescape(
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_only_civil_society_members_prepare_submissions(world: World) -> None:
    for role in ("authority", "secretariat", "admin"):
        response = world.client(role).get("/cooperation/new/")
        assert response.status_code == 403, role
    with pytest.raises(services.EvidenceDenied):
        services.submission_create(
            actor=world.actors["authority"],
            organisation=world.orgs["cso"],
            data=services.SubmissionData(
                title="t",
                narrative="n",
                places="p",
                period_start=None,
                period_end=None,
                period_note="",
                crimes=[],
                persons=[],
                victims_count=None,
                languages=[],
                assessment="",
                addressees=[],
            ),
        )


def _referral(world: World, org: str = "de") -> Referral:
    return Referral.objects.get(submission=world.submission, organisation=world.orgs[org])


def _move(
    world: World, role: str, to: str, message: str = "", reason: str = "", org: str = "de"
) -> Any:
    return world.client(role).post(
        f"/cooperation/{world.submission.uid}/transition",
        {
            "referral": _referral(world, org).pk,
            "to": to,
            "message": message,
            "closed_reason": reason,
        },
        follow=True,
    )


def test_referral_goes_through_its_states_with_messages(world: World) -> None:
    assert _move(world, "authority", "acknowledged").status_code == 200
    r = _referral(world)
    assert r.state == "acknowledged" and r.acknowledged_at is not None
    _move(world, "authority", "under_assessment")
    refused = _move(world, "authority", "more_information_requested")
    assert "message: say what you need" in html.unescape(refused.content.decode())
    assert _referral(world).state == "under_assessment"
    _move(world, "authority", "more_information_requested", "Is W-2 willing to testify?")
    assert _referral(world).state == "more_information_requested"
    # The organisation may add items now, and answers.
    assert world.context("cso").can_add_items
    answer = _move(world, "cso", "under_assessment")
    assert "message: answer the authority's request" in html.unescape(answer.content.decode())
    _move(world, "cso", "under_assessment", "Yes, through our lawyer.")
    assert _referral(world).state == "under_assessment"
    no_reason = _move(world, "authority", "closed", "Done.")
    assert "closed_reason: choose why" in html.unescape(no_reason.content.decode())
    _move(
        world,
        "authority",
        "closed",
        "Taken into our structural investigation.",
        "opened_investigation",
    )
    r = _referral(world)
    assert r.state == "closed" and r.closed_reason == "opened_investigation"
    assert [m.state_change for m in r.messages.all()] == [
        "more_information_requested",
        "under_assessment",
        "closed",
    ]
    # The other authority's referral is untouched, and the organisation sees both states.
    assert _referral(world, "fr").state == "submitted"
    page = html.unescape(
        world.client("cso").get(f"/cooperation/{world.submission.uid}/").content.decode()
    )
    assert "Closed" in page and "Taken into an investigation" in page
    # Closed is final: no more messages nor moves.
    again = _move(world, "authority", "under_assessment")
    assert again.status_code == 403
    post = world.client("cso").post(
        f"/cooperation/{world.submission.uid}/messages", {"referral": r.pk, "body": "hello?"}
    )
    assert post.status_code == 403


@pytest.mark.parametrize(
    ("role", "to"),
    [
        ("cso", "acknowledged"),  # only the authority acknowledges
        ("authority", "more_information_requested"),  # not from submitted
        ("authority_fr", "acknowledged"),  # not its referral (DE's)
    ],
)
def test_disallowed_moves_are_refused(world: World, role: str, to: str) -> None:
    response = _move(world, role, to, "x")
    assert response.status_code == 403
    assert _referral(world).state == "submitted"


def test_organisation_withdraws(world: World) -> None:
    _move(world, "cso", "closed", "We withdraw: the witness asked us to.", org="fr")
    r = _referral(world, "fr")
    assert r.state == "closed" and r.closed_reason == "withdrawn"


def test_sending_and_sharing_are_in_the_items_custody_logs(world: World) -> None:
    recipients = [
        e.details["recipient"]
        for e in CustodyEntry.objects.filter(item=world.open_item, action="shared")
    ]
    assert sorted(recipients) == ["Fictional Prosecutor DE", "Fictional Prosecutor FR"]
    ctx = world.context("cso")
    with pytest.raises(services.EvidenceInputError, match="purpose: say why"):
        services.submission_share(
            actor=world.actors["cso"], context=ctx, network_id=world.networks["a"].pk, purpose=" "
        )
    with pytest.raises(services.EvidenceInputError, match="network: choose one of your networks"):
        services.submission_share(
            actor=world.actors["cso"], context=ctx, network_id=world.networks["b"].pk, purpose="x"
        )


def test_history_is_shown_to_both_parties(world: World) -> None:
    _move(world, "authority", "acknowledged")
    for role in ("cso", "authority"):
        page = world.client(role).get(f"/cooperation/{world.submission.uid}/").content.decode()
        assert "Sent to Fictional Prosecutor DE, Fictional Prosecutor FR." in page
        assert "Fictional Prosecutor DE: Submitted → Acknowledged" in page
    # The FR authority does not see DE's handling.
    fr = world.client("authority_fr").get(f"/cooperation/{world.submission.uid}/").content.decode()
    assert "Submitted → Acknowledged" not in fr
