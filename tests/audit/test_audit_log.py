"""The audit log is append-only and readable by administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.audit.selectors import audit_entries
from cicnet.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _entry(actors: dict[str, policy.Actor]) -> AuditEntry:
    return audit_record(
        actor=actors["curator"],
        action="decision.update",
        object_type="decision",
        object_id="x-1",
        changes={"title": ["Old", "New"]},
    )


def test_entries_cannot_be_changed_or_deleted(actors: dict[str, policy.Actor]) -> None:
    entry = _entry(actors)
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "decision.update"


def test_entry_records_who_and_what(actors: dict[str, policy.Actor]) -> None:
    entry = _entry(actors)
    assert entry.actor_label == "curator1"
    assert entry.changes == {"title": ["Old", "New"]}
    assert entry.at is not None


@pytest.mark.parametrize(
    ("role", "sees"), [("anonymous", False), ("member", False), ("curator", False), ("admin", True)]
)
def test_only_administrators_read_the_log(
    role: str, sees: bool, actors: dict[str, policy.Actor], users: dict[str, Any]
) -> None:
    _entry(actors)
    assert audit_entries(actor=actors[role]).exists() is sees
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get("/audit/")
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert b"decision.update" in response.content
        assert b"x-1" in response.content


def _recorded_actions() -> set[str]:
    """Every action name the code writes to the audit log (the literal passed to audit_record)."""
    import re
    from pathlib import Path

    import cicnet

    root = Path(cicnet.__file__).parent
    found: set[str] = set()
    for path in root.rglob("*.py"):
        source = path.read_text("utf-8")
        if "audit_record(" not in source:
            continue
        found |= set(re.findall(r'\baction="([a-z_]+\.[a-z_.]+)"', source))
    return found


# Detail shapes the services write: updates, id lists, nested objects, keys that are also the
# names of dict methods (``items`` made the page fail), empty and missing values.
SHAPES: list[dict[str, Any]] = [
    {"title": ["Old", "New"], "state": ["review", "published"]},
    {"items": ["ev-1", "ev-2"], "recipient": "Fictional Prosecutor's Office"},
    {"keys": {"a": 1}, "values": [1, 2, 3], "get": None, "update": True},
    {"nested": {"list": [{"x": 1}]}, "empty": [], "none": None},
    {},
]


def test_the_log_page_renders_every_kind_of_entry(
    actors: dict[str, policy.Actor], users: dict[str, Any]
) -> None:
    actions = _recorded_actions()
    assert {"evidence.export", "decision.update", "network.document.downgrade"} <= actions
    for action in sorted(actions):
        for n, shape in enumerate(SHAPES):
            audit_record(
                actor=actors["admin"],
                action=action,
                object_type="thing",
                object_id=f"{action}-{n}",
                changes=shape,
            )
    client = Client()
    client.force_login(users["admin"])
    pages = (len(actions) * len(SHAPES) + 49) // 50
    html = ""
    for page in range(1, pages + 1):
        response = client.get(f"/audit/?page={page}")
        assert response.status_code == 200, page
        html += response.content.decode()
    for action in actions:
        assert f"{action}-0" in html
    assert "items: ev-1, ev-2" in html
    assert "title: Old → New" in html
    assert "recipient: Fictional Prosecutor&#x27;s Office" in html
