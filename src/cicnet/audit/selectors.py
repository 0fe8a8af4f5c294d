"""Reading the audit log (administrators only)."""

from __future__ import annotations

from django.db.models import QuerySet

from cicnet.access import policy
from cicnet.audit.models import AuditEntry


def audit_entries(
    *, actor: policy.Actor, object_type: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    """Entries the actor may read, newest first; nothing for anyone but administrators."""
    if not policy.can_view_audit_log(actor):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs
