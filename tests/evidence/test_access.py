"""Who reads a submission: exactly its organisation and its addressed authorities — not the
instance administrator, not a network Secretariat (until a party shares it, and then never the
restricted items nor the threads), not another authority or organisation. Every page and
endpoint, counts and downloads included, is checked for every role."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.evidence import selectors, services
from cicnet.evidence.models import CustodyEntry

from .conftest import OPEN_BYTES, ROLES, SIDE, World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_selector_and_list_page_show_exactly_the_visible_submissions(
    world: World, role: str
) -> None:
    visible = set(selectors.submissions_for(actor=world.actors[role]).values_list("uid", flat=True))
    expected = set()
    if SIDE[role]:
        expected.add(world.submission.uid)
    if SIDE[role] == "cso":
        expected.add(world.draft.uid)
    assert visible == expected
    response = world.client(role).get("/cooperation/")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="submission-row"') == len(expected)
    for uid in (world.submission.uid, world.draft.uid):
        assert (uid in body) == (uid in expected)


@pytest.mark.parametrize("role", ROLES)
def test_detail_item_and_download_pages_follow_the_side(world: World, role: str) -> None:
    client = world.client(role)
    uid = world.submission.uid
    side = SIDE[role]
    pages = [
        f"/cooperation/{uid}/",
        f"/cooperation/{uid}/items/{world.open_item.uid}/",
        f"/cooperation/{uid}/items/{world.restricted_item.uid}/",
    ]
    before = CustodyEntry.objects.count()
    for page in pages:
        response = client.get(page)
        if role == "anonymous":
            assert response.status_code == 302
        elif side is None:
            assert response.status_code == 404, page
            assert world.submission.title.encode() not in response.content
        else:
            assert response.status_code == 200, page
            assert response["Content-Security-Policy"].startswith("default-src 'self'")
            assert response["Cache-Control"] == "no-store"
    download = client.post(
        f"/cooperation/{uid}/items/{world.open_item.uid}/download", {"purpose": "review"}
    )
    if side is None:
        assert download.status_code in (302, 404)
        assert CustodyEntry.objects.count() == before
        return
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == OPEN_BYTES
    # Two page views of items and one download: three more entries.
    assert CustodyEntry.objects.count() == before + 3


@pytest.mark.parametrize("role", ["secretariat", "other_secretariat", "admin", "other_authority"])
def test_draft_is_seen_by_its_organisation_only(world: World, role: str) -> None:
    assert world.client(role).get(f"/cooperation/{world.draft.uid}/").status_code == 404
    assert world.client("authority").get(f"/cooperation/{world.draft.uid}/").status_code == 404
    assert world.client("cso_colleague").get(f"/cooperation/{world.draft.uid}/").status_code == 200


def test_each_authority_sees_only_its_own_referral_and_thread(world: World) -> None:
    cso_ctx = world.context("cso")
    de = next(r for r in cso_ctx.referrals if r.organisation == world.orgs["de"])
    fr = next(r for r in cso_ctx.referrals if r.organisation == world.orgs["fr"])
    services.message_post(
        actor=world.actors["cso"],
        context=cso_ctx,
        referral_id=de.pk,
        body="Message for DE only: marker-de",
    )
    services.message_post(
        actor=world.actors["cso"],
        context=cso_ctx,
        referral_id=fr.pk,
        body="Message for FR only: marker-fr",
    )
    de_page = world.client("authority").get(f"/cooperation/{world.submission.uid}/").content
    fr_page = world.client("authority_fr").get(f"/cooperation/{world.submission.uid}/").content
    cso_page = world.client("cso").get(f"/cooperation/{world.submission.uid}/").content
    assert b"marker-de" in de_page and b"marker-fr" not in de_page
    assert b"marker-fr" in fr_page and b"marker-de" not in fr_page
    assert b"marker-de" in cso_page and b"marker-fr" in cso_page
    # An authority cannot post into another authority's thread.
    response = world.client("authority").post(
        f"/cooperation/{world.submission.uid}/messages", {"referral": fr.pk, "body": "intrude"}
    )
    assert response.status_code == 403
    assert not fr.messages.filter(body="intrude").exists()


def test_share_lets_that_secretariat_read_the_shareable_items_only(world: World) -> None:
    uid = world.submission.uid
    secretariat = world.client("secretariat")
    assert secretariat.get(f"/cooperation/{uid}/").status_code == 404
    ctx = world.context("authority")
    de = ctx.referrals[0]
    services.message_post(
        actor=world.actors["authority"], context=ctx, referral_id=de.pk, body="Thread marker-thread"
    )
    response = world.client("authority").post(
        f"/cooperation/{uid}/share",
        {"network": world.networks["a"].pk, "purpose": "ad hoc meeting"},
    )
    assert response.status_code == 302
    page = secretariat.get(f"/cooperation/{uid}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert world.open_item.uid in body
    assert world.restricted_item.uid not in body
    assert "marker-thread" not in body
    assert (
        secretariat.get(f"/cooperation/{uid}/items/{world.restricted_item.uid}/").status_code == 404
    )
    assert (
        secretariat.post(
            f"/cooperation/{uid}/items/{world.restricted_item.uid}/download", {"purpose": "x"}
        ).status_code
        == 404
    )
    ok = secretariat.post(
        f"/cooperation/{uid}/items/{world.open_item.uid}/download", {"purpose": "x"}
    )
    assert ok.status_code == 200

    # The share is in the shareable item's custody log, not in the restricted one's.
    def shared_with_secretariat(item: Any) -> bool:
        return any(
            "Secretariat" in e.details.get("recipient", "")
            for e in CustodyEntry.objects.filter(item=item, action="shared")
        )

    assert shared_with_secretariat(world.open_item)
    assert not shared_with_secretariat(world.restricted_item)
    # The Secretariat of another network, the administrator: still nothing.
    for role in ("other_secretariat", "admin"):
        assert world.client(role).get(f"/cooperation/{uid}/").status_code == 404
    # Neither may the Secretariat export, share or upload.
    assert secretariat.post(f"/cooperation/{uid}/export", {"purpose": "x"}).status_code == 403
    assert secretariat.post(
        f"/cooperation/{uid}/uploads/", {"filename": "a", "size": 1}
    ).status_code in (400, 403)
    # Withdrawn: the Secretariat reads nothing again.
    share = world.submission.shares.get()
    world.client("authority").post(f"/cooperation/{uid}/shares/{share.pk}/revoke")
    assert secretariat.get(f"/cooperation/{uid}/").status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if SIDE[r] is None and r != "anonymous"])
def test_outsiders_cannot_act_on_the_submission(world: World, role: str) -> None:
    client = world.client(role)
    uid = world.submission.uid
    referral = world.submission.referrals.first()
    assert referral is not None
    posts: list[tuple[str, dict[str, Any]]] = [
        (f"/cooperation/{uid}/messages", {"referral": referral.pk, "body": "x"}),
        (f"/cooperation/{uid}/transition", {"referral": referral.pk, "to": "acknowledged"}),
        (f"/cooperation/{uid}/share", {"network": world.networks["a"].pk, "purpose": "x"}),
        (f"/cooperation/{uid}/export", {"purpose": "x"}),
        (f"/cooperation/{uid}/uploads/", {"filename": "a.jpg", "size": 10}),
        (f"/cooperation/{uid}/submit", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    referral.refresh_from_db()
    assert referral.state == "submitted" and not referral.messages.exists()
    assert not world.submission.shares.exists()
