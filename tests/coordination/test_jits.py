"""Joint investigation team spaces: only members see them (not the instance administrator, not
a Secretariat outside the team); an item shared in from the vault keeps its handling code and
its custody log, which records the share and stays intact; items that may not leave the parties
are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from cicnet.coordination import jits
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.evidence.custody_log import custody_check, custody_entries

from ..evidence.conftest import ROLES, World, world  # noqa: F401  # the vault's world

MEMBERS = {"authority", "authority_fr"}  # DE and FR, the submission's addressees


def team_data(w: World, **overrides: object) -> jits.TeamData:
    values: dict[str, object] = {
        "network_id": w.networks["a"].pk,
        "name": "Fictional JIT on a detention facility",
        "member_ids": [w.orgs["de"].pk, w.orgs["fr"].pk],
        "agreement_title": "Fictional JIT agreement DE-FR",
        "agreement_signed_on": dt.date(2025, 1, 10),
        "agreement_expires_on": dt.date(2026, 1, 10),
    }
    values.update(overrides)
    return jits.TeamData(**values)  # type: ignore[arg-type]


def test_a_team_needs_two_authorities_including_ones_own(world: World) -> None:  # noqa: F811
    de = world.actors["authority"]
    for overrides, field in (
        ({"member_ids": [world.orgs["de"].pk]}, "members"),
        ({"member_ids": [world.orgs["fr"].pk, world.orgs["nl"].pk]}, "members"),
        ({"member_ids": [world.orgs["de"].pk, world.orgs["cso"].pk]}, "members"),
        ({"name": " "}, "name"),
        ({"agreement_expires_on": dt.date(2024, 1, 1)}, "agreement_expires_on"),
    ):
        with pytest.raises(CoordinationInputError) as exc:
            jits.jit_create(actor=de, data=team_data(world, **overrides))
        assert exc.value.field == field
    for role in ("cso", "secretariat", "admin"):
        with pytest.raises(CoordinationDenied):
            jits.jit_create(actor=world.actors[role], data=team_data(world))


def test_only_members_see_the_space(world: World) -> None:  # noqa: F811
    team = jits.jit_create(actor=world.actors["authority"], data=team_data(world))
    for role in ROLES:
        client = world.client(role)
        response = client.get(f"/coordination/jits/{team.uid}/")
        if role == "anonymous":
            assert response.status_code == 302
        elif role in MEMBERS:
            assert response.status_code == 200, role
        else:
            assert response.status_code == 404, role
        seen = jits.jit_get(actor=world.actors[role], uid=team.uid) is not None
        assert seen == (role in MEMBERS), role


def test_a_shared_item_keeps_its_custody_log_and_handling_code(world: World) -> None:  # noqa: F811
    fr = world.actors["authority_fr"]
    team = jits.jit_create(actor=world.actors["authority"], data=team_data(world))
    before = len(custody_entries(world.open_item))
    jits.item_share(
        actor=fr, team=team, submission_uid=world.submission.uid, item_uid=world.open_item.uid
    )
    entries = custody_entries(world.open_item)
    assert len(entries) == before + 1
    assert entries[-1]["action"] == "shared"
    assert team.uid in entries[-1]["purpose"]
    assert custody_check(world.open_item) == []
    # DE reads it on the team page: the read is logged, the chain still verifies
    page = world.client("authority").get(f"/coordination/jits/{team.uid}/").content.decode()
    assert world.open_item.uid in page and "Custody log intact" in page
    assert world.open_item.handling_code in page
    assert custody_entries(world.open_item)[-1]["action"] == "viewed"
    assert custody_check(world.open_item) == []
    # an item that may not leave the parties is refused; so is one the actor cannot read
    with pytest.raises(CoordinationInputError) as exc:
        jits.item_share(
            actor=fr,
            team=team,
            submission_uid=world.submission.uid,
            item_uid=world.restricted_item.uid,
        )
    assert "handling code" in exc.value.message
    with pytest.raises(CoordinationInputError):
        jits.item_share(
            actor=fr, team=team, submission_uid=world.draft.uid, item_uid=world.open_item.uid
        )
    with pytest.raises(CoordinationDenied):
        jits.item_share(
            actor=world.actors["other_authority"],
            team=team,
            submission_uid=world.submission.uid,
            item_uid=world.open_item.uid,
        )


def test_extensions_and_tasks(world: World) -> None:  # noqa: F811
    de = world.actors["authority"]
    team = jits.jit_create(actor=de, data=team_data(world))
    with pytest.raises(CoordinationInputError) as exc:
        jits.jit_extend(actor=de, team=team, new_expiry=dt.date(2025, 6, 1), note="")
    assert exc.value.field == "new_expiry"
    jits.jit_extend(actor=de, team=team, new_expiry=dt.date(2027, 1, 10), note="Amendment 1")
    team.refresh_from_db()
    assert team.agreement_expires_on == dt.date(2027, 1, 10)
    task = jits.task_add(
        actor=de, team=team, title="Hear witness W-1", assignee_id=world.orgs["fr"].pk, due=None
    )
    with pytest.raises(CoordinationInputError):
        jits.task_add(actor=de, team=team, title="x", assignee_id=world.orgs["nl"].pk, due=None)
    jits.task_done(actor=world.actors["authority_fr"], team=team, task_id=task.pk)
    with pytest.raises(CoordinationDenied):
        jits.task_done(actor=world.actors["other_authority"], team=team, task_id=task.pk)
