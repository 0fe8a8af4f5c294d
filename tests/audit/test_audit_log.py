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
