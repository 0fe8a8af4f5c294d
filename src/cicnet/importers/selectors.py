"""Reads of import records, through the policy: only those who curate see them."""

from __future__ import annotations

from django.db.models import QuerySet

from cicnet.access import policy
from cicnet.importers.models import ImportRun


def import_runs(*, actor: policy.Actor) -> QuerySet[ImportRun]:
    """The import runs ``actor`` may see, newest first: all for the Secretariat, none else."""
    if not policy.can_curate(actor):
        return ImportRun.objects.none()
    return ImportRun.objects.select_related("requested_by").order_by("-started_at", "-id")
