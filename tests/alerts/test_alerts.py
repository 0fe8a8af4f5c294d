"""Saved searches and follows: e-mail digests and private Atom feeds hold only what the owner
may read when they are sent; tokens are revocable; unsubscribing takes one click."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cicnet.access import policy
from cicnet.alerts import services
from cicnet.alerts.models import Alert
from cicnet.citations.services import decision_cite
from cicnet.errors import ActionDenied, UserInputError

from ..factories import DecisionFactory, ParagraphFactory, ProceedingsFactory, TextFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _publish(uid: str, body: str, **fields: Any) -> Any:
    fields.setdefault("published_at", timezone.now())
    decision = DecisionFactory(uid=uid, title=f"Decision {uid}", **fields)
    text = TextFactory(decision=decision)
    ParagraphFactory(text=text, number=1, body=body)
    decision_cite(decision=decision, version="test")
    return decision


@pytest.fixture
def owners(users: dict[str, Any]) -> dict[str, Any]:
    for role, user in users.items():
        user.email = f"{role}@example.org"
        user.save()
    return users


def _save(actor: policy.Actor, **kwargs: Any) -> tuple[Alert, str]:
    kwargs.setdefault("kind", "search")
    kwargs.setdefault("name", "Torture")
    kwargs.setdefault("frequency", "daily")
    return services.alert_create(actor=actor, **kwargs)


def _feed_uids(client: Client, token: str) -> set[str]:
    response = client.get(f"/alerts/feeds/{token}/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in links}


TIERS = {
    "pub": {"access": "public"},
    "net": {"access": "network"},
    "sec": {"access": "secretariat"},
    "draft": {"access": "public", "state": "draft", "published_at": None},
}
EXPECTED = {
    "member": {"pub", "net"},
    "curator": {"pub", "net", "sec"},
    "admin": {"pub", "net", "sec"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_digest_and_feed_hold_only_what_the_owner_may_read(
    owners: dict[str, Any], actors: dict[str, Any], role: str
) -> None:
    alert, token = _save(actors[role], querystring="q=torture")
    for uid, fields in TIERS.items():
        _publish(uid, "The torture of detainees.", **fields)
    _publish("unrelated", "A decision on pillaging.")
    report = services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(seconds=1))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"{role}@example.org"]
    for uid in TIERS:
        assert (f"/decisions/{uid}/" in message.body) == (uid in EXPECTED[role]), uid
    assert "/decisions/unrelated/" not in message.body
    assert set(report.per_alert[alert.pk]) == EXPECTED[role]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _feed_uids(Client(), token) == EXPECTED[role]
    # The next digest starts where this one ended.
    mail.outbox.clear()
    services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(seconds=2))
    assert mail.outbox == []


def test_feed_follows_the_owner_as_they_are_now(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    curator = owners["curator"]
    _, token = _save(actors["curator"], querystring="q=torture")
    _publish("sec", "torture", access="secretariat")
    _publish("pub", "torture")
    client = Client()
    assert _feed_uids(client, token) == {"sec", "pub"}
    curator.role = "member"
    curator.save()
    assert _feed_uids(client, token) == {"pub"}
    curator.is_active = False
    curator.save()
    assert client.get(f"/alerts/feeds/{token}/").status_code == 404
    mail.outbox.clear()
    services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(seconds=1))
    assert mail.outbox == []


def test_rotating_the_token_revokes_the_old_feed(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    alert, old = _save(actors["member"], querystring="q=torture")
    _, new = services.alert_rotate_token(actor=actors["member"], pk=alert.pk)
    client = Client()
    assert client.get(f"/alerts/feeds/{old}/").status_code == 404
    assert client.get(f"/alerts/feeds/{new}/").status_code == 200
    assert client.get("/alerts/feeds/not-a-token/").status_code == 404
    response = client.get(f"/alerts/feeds/{new}/")
    assert response["Cache-Control"] == "private, no-store"


def test_unsubscribe_in_one_click_and_links_cannot_be_forged(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    alert, token = _save(actors["member"], querystring="q=torture")
    signed = services.unsubscribe_token(alert)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/alerts/unsubscribe/{signed}/")
    assert page.status_code == 200 and b'data-testid="unsubscribe"' in page.content
    alert.refresh_from_db()
    assert alert.is_active  # a GET (a mail scanner) changes nothing
    # RFC 8058: the mail client POSTs without a session or CSRF token.
    done = client.post(f"/alerts/unsubscribe/{signed}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    alert.refresh_from_db()
    assert not alert.is_active
    assert client.get(f"/alerts/feeds/{token}/").status_code == 404
    assert client.post(f"/alerts/unsubscribe/{signed[:-2]}xx/").status_code == 404
    _publish("pub", "torture")
    services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(seconds=1))
    assert mail.outbox == []


def test_follows_deliver_new_decisions_of_the_case_citation_crime_and_provision(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    member = actors["member"]
    proceedings = ProceedingsFactory(key="case-x")
    first = DecisionFactory(uid="first", proceedings=proceedings, ecli="ECLI:DE:BGH:2021:7")
    case, _ = _save(member, kind="proceedings", target="first", name="Case X")
    cites, _ = _save(member, kind="citation", target="first", name="Citing first")
    crime, _ = _save(member, kind="crime", target="war_crimes", name="War crimes")
    prov, _ = _save(member, kind="provision", target="DE:2", name="VStGB § 7")
    appeal = _publish("appeal", "Appeal dismissed.", proceedings=proceedings, instance="appeal")
    _publish("citing", "Following ECLI:DE:BGH:2021:7 the court convicted.")
    war = _publish("war", "Pillaging.")
    war.crimes.create(crime_id="8(2)(b)(xvi)")
    cited_provision = _publish("provision", "Nach § 7 VStGB.")
    cited_provision.provisions.create(citation="VStGB § 7", national_provision_key="DE:2")
    hidden = _publish("hidden-appeal", "x", proceedings=proceedings, access="secretariat")
    report = services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(seconds=1))
    assert report.per_alert[case.pk] == [appeal.uid]
    assert report.per_alert[cites.pk] == ["citing"]
    assert report.per_alert[crime.pk] == ["war"]
    assert report.per_alert[prov.pk] == ["provision"]
    assert all(hidden.uid not in uids for uids in report.per_alert.values())
    assert first.uid not in report.per_alert[case.pk]


def test_saving_checks_the_input_and_the_role(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    with pytest.raises(ActionDenied):
        _save(actors["anonymous"], querystring="q=torture")
    with pytest.raises(UserInputError) as bad_query:
        _save(actors["member"], querystring="q=%22unclosed")
    assert bad_query.value.field == "q"
    with pytest.raises(UserInputError) as bad_crime:
        _save(actors["member"], kind="crime", target="7(9)(z)")
    assert bad_crime.value.field == "target"
    secret = DecisionFactory(uid="secret", access="secretariat")
    with pytest.raises(UserInputError, match="no decision 'secret'"):
        _save(actors["member"], kind="citation", target=secret.uid)
    alert, _ = _save(actors["member"], querystring="q=torture&page=3&country=DE")
    assert alert.querystring == "q=torture&country=DE"


def test_pages_are_the_owners_only(owners: dict[str, Any], actors: dict[str, Any]) -> None:
    anonymous = Client()
    assert anonymous.get("/alerts/").status_code == 302
    assert anonymous.post("/alerts/new/", {"querystring": "q=x"}).status_code == 404
    mine, _ = _save(actors["curator"], querystring="q=torture", name="Curator's secret search")
    member = Client()
    member.force_login(owners["member"])
    page = member.get("/alerts/")
    assert page.status_code == 200 and b"Curator's secret search" not in page.content
    assert member.post(f"/alerts/{mine.pk}/", {"action": "delete"}).status_code == 404
    assert Alert.objects.filter(pk=mine.pk).exists()
    response = member.post(
        "/alerts/new/", {"kind": "search", "querystring": "q=torture", "frequency": "weekly"}
    )
    assert response.status_code == 302
    page = member.get("/alerts/")
    assert b'data-testid="feed-url"' in page.content
    assert member.get("/alerts/").content.count(b'data-testid="feed-url"') == 0  # shown once
    bad = member.post(
        "/alerts/new/", {"kind": "search", "querystring": "year_from=abc"}, follow=True
    )
    assert b"year_from" in bad.content


def test_public_search_feed_holds_public_decisions_only(
    owners: dict[str, Any], actors: dict[str, Any]
) -> None:
    for uid, fields in TIERS.items():
        _publish(uid, "The torture of detainees.", **fields)
    member = Client()
    member.force_login(owners["curator"])  # a session changes nothing: the feed is public
    response = member.get("/alerts/feeds/search/?q=torture")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    hrefs = {e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}  # type: ignore[union-attr]
    assert hrefs == {"http://testserver/decisions/pub/"}
    bad = Client().get("/alerts/feeds/search/?year_from=abc")
    assert bad.status_code == 400 and b"year_from" in bad.content
