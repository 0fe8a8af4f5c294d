"""``{{ entry.changes|audit_details }}``: the audit formatter for templates."""

from __future__ import annotations

from typing import Any

from django import template

from cicnet.audit.formatting import Detail
from cicnet.audit.formatting import audit_details as _audit_details

register = template.Library()


@register.filter
def audit_details(changes: Any) -> list[Detail]:
    return _audit_details(changes)
