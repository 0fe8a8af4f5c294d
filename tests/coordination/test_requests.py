"""Requests for assistance and extradition: the two authorities read them, the Secretariat only
when one shares it; states move by side; statistics count without content."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cicnet.coordination import requests
from cicnet.coordination.models import AssistanceRequest
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError

from .conftest import ROLES, World


def record(world: World, **overrides: object) -> AssistanceRequest:
    values: dict[str, object] = {
        "from_organisation_id": world.orgs["de"].pk,
        "to_organisation_id": world.orgs["fr"].pk,
        "kind": "eio",
        "reference": "DE-EIO-1",
        "subject": "Hearing of a fictional witness",
        "sent_on": dt.date(2026, 11, 1),
        "deadline": dt.date(2027, 1, 15),
    }
    values.update(overrides)
    return requests.request_record(
        actor=world.actors["de"],
        data=requests.RequestData(**values),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"from_organisation_id": 0}, "from_organisation"),
        ({"to_organisation_id": 0}, "to_organisation"),
        ({"kind": "rumour"}, "kind"),
        ({"reference": ""}, "reference"),
        ({"subject": " "}, "subject"),
        ({"deadline": dt.date(2020, 1, 1)}, "deadline"),
    ],
)
def test_a_bad_request_field_is_named(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(CoordinationInputError) as exc:
        record(world, **overrides)
    assert exc.value.field == field


def test_the_two_authorities_read_it_the_secretariat_once_shared(world: World) -> None:
    row = record(world)

    def readers() -> set[str]:
        return {
            r for r in ROLES if requests.request_get(actor=world.actors[r], uid=row.uid) is not None
        }

    assert readers() == {"de", "de_colleague", "fr"}
    requests.request_share(actor=world.actors["fr"], request=row, shared=True)
    assert readers() == {"de", "de_colleague", "fr", "secretariat"}
    with pytest.raises(CoordinationDenied):
        requests.request_share(actor=world.actors["secretariat"], request=row, shared=False)
    # pages: the same readers, the Secretariat may not write
    for role in ROLES:
        response = world.client(role).get(f"/coordination/requests/{row.uid}/")
        expected = 302 if role == "anonymous" else 200 if role in readers() else 404
        assert response.status_code == expected, role
    response = world.client("secretariat").post(
        f"/coordination/requests/{row.uid}/", {"to": "refused"}
    )
    assert response.status_code == 404


def test_states_move_by_side(world: World) -> None:
    row = record(world)
    with pytest.raises(CoordinationInputError):
        requests.request_move(actor=world.actors["de"], request=row, to="received")
    requests.request_move(actor=world.actors["fr"], request=row, to="received")
    requests.request_move(actor=world.actors["fr"], request=row, to="executed")
    with pytest.raises(CoordinationInputError):
        requests.request_move(actor=world.actors["de"], request=row, to="withdrawn")
    with pytest.raises(CoordinationDenied):
        requests.request_move(actor=world.actors["nl"], request=row, to="refused")


def test_statistics_count_requests_without_content(world: World) -> None:
    record(world)
    record(world, kind="extradition", reference="DE-EX-2")
    stats = requests.request_statistics(actor=world.actors["secretariat"])
    assert stats == {"by_kind": {"eio": 1, "extradition": 1}, "by_state": {"sent": 2}}
    assert requests.request_statistics(actor=world.actors["de"]) is None
    other = requests.request_statistics(actor=world.actors["other_secretariat"])
    assert other == {"by_kind": {}, "by_state": {}}
    body = world.client("secretariat").get("/coordination/statistics/").content.decode()
    assert "extradition: 1" in body and "DE-EX-2" not in body and "fictional witness" not in body


def test_a_request_address_counts_nothing(world: World) -> None:
    """``/coordination/requests/<counter>/`` told an authority how many requests the others had
    recorded (a count its Secretariat alone sees); the address is a random public id."""
    row = record(world)
    listing = world.client("de").get("/coordination/requests/").content.decode()
    assert re.findall(r'href="/coordination/requests/([^/"]+)/"', listing) == [row.uid]
    assert re.fullmatch(r"RQ-[2-9A-HJKMNP-TV-Z]{10}", row.uid)
    assert world.client("de").get(f"/coordination/requests/{row.pk}/").status_code == 404
