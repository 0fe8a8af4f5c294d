"""Recording audit entries. Call inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from cicnet.access.policy import Actor
from cicnet.audit.models import AuditEntry


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | int,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log."""
    return AuditEntry.objects.create(
        actor_id=actor.user_id if actor else None,
        actor_label=(actor.username or actor.role) if actor else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=changes or {},
    )
