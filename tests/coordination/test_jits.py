"""Joint investigation team spaces: only members see them (not the instance administrator, not
a Secretariat outside the team); an item shared in from the vault keeps its handling code and
its custody log, which records the share and stays intact; items that may not leave the parties
are refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.coordination import jit_documents, jits
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.evidence.custody_log import custody_check, custody_entries
from cicnet.network.models import Membership

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
    # the audit log (read by administrators, who see no team) says how many members, not which
    (entry,) = AuditEntry.objects.filter(action="coordination.jit_create", object_id=team.uid)
    assert entry.changes == {"members": 2}
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


def test_the_team_list_for_every_role_and_an_ex_member(world: World) -> None:  # noqa: F811
    """``/coordination/jits/``: each role sees exactly its teams (count and names); a person
    whose membership of a member authority ended sees none of the space any more, nor does a
    member of another team reach this team's documents by their ids."""
    team = jits.jit_create(actor=world.actors["authority"], data=team_data(world))
    other = jits.jit_create(
        actor=world.actors["other_authority"],
        data=team_data(
            world,
            name="Fictional JIT of NL and FR",
            member_ids=[world.orgs["nl"].pk, world.orgs["fr"].pk],
        ),
    )
    document = jit_documents.document_upload(
        actor=world.actors["authority"],
        team=team,
        title="Fictional operational action plan",
        kind="working",
        filename="plan.pdf",
        chunks=[b"%PDF-1.4 fictional plan"],
        size=len(b"%PDF-1.4 fictional plan"),
    ).document
    # role -> the teams listed (None: the page answers 404)
    expected: dict[str, set[str] | None] = {
        "authority": {team.uid},
        "authority_fr": {team.uid, other.uid},
        "other_authority": {other.uid},
        "cso": None,
        "cso_colleague": None,
        "other_cso": None,
        "secretariat": None,
        "other_secretariat": None,
        "admin": None,
    }
    assert set(expected) | {"anonymous"} == set(ROLES)
    for role, teams in expected.items():
        response = world.client(role).get("/coordination/jits/")
        if teams is None:
            assert response.status_code == 404, role
            continue
        body = response.content.decode()
        assert response.status_code == 200, role
        assert body.count('class="hit"') == len(teams), role
        for t in (team, other):
            assert (t.uid in body) is (t.uid in teams), (role, t.uid)
            assert (t.name in body) is (t.uid in teams), (role, t.name)
    assert world.client("anonymous").get("/coordination/jits/").status_code == 302
    # the document's address is a random public id, not a counter of every team's documents
    body = world.client("authority").get(f"/coordination/jits/{team.uid}/").content.decode()
    found = re.findall(rf'href="/coordination/jits/{team.uid}/documents/([^/"]+)/"', body)
    assert found == [document.uid]
    assert re.fullmatch(r"DOC-[2-9A-HJKMNP-TV-Z]{10}", document.uid)
    assert (
        world.client("authority")
        .get(f"/coordination/jits/{team.uid}/documents/{document.pk}/")
        .status_code
        == 404
    )
    # NL (a member of the other team) tries this team's document ids under its own team
    nl = world.client("other_authority")
    assert nl.get(f"/coordination/jits/{other.uid}/documents/{document.uid}/").status_code == 404
    assert nl.get(f"/coordination/jits/{other.uid}/documents/{document.uid}/v1").status_code == 404
    # DE's contact point leaves DE: the team, its documents and their versions are gone for them
    Membership.objects.filter(person__user=world.users["authority"]).update(is_active=False)
    de = world.client("authority")
    for path in (
        f"/coordination/jits/{team.uid}/",
        f"/coordination/jits/{team.uid}/documents/{document.uid}/",
        f"/coordination/jits/{team.uid}/documents/{document.uid}/v1",
    ):
        assert de.get(path).status_code == 404, path
    assert jits.jit_get(actor=policy.actor_for(world.users["authority"]), uid=team.uid) is None
