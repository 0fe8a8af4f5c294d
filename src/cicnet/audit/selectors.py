"""Reading the audit log: all of it for administrators, one decision's entries for whoever
curates (``policy.can_view_audit_entries``)."""

from __future__ import annotations

from django.db.models import QuerySet

from cicnet.access import policy
from cicnet.audit.models import AuditEntry


def audit_entries(
    *, actor: policy.Actor, object_type: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    """Entries the actor may read, newest first; none when the policy refuses the object."""
    if not policy.can_view_audit_entries(actor, object_type=object_type, object_id=object_id):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs
