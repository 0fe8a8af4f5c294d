"""The one place that decides who sees and does what. Deny by default.

Every selector, view, API endpoint, search query and export asks this package, imported as one
module (``from cicnet.access import policy``; ``policy.can_curate(actor)``). An ``Actor`` is
built once per request from the logged-in user (or the API token) and passed explicitly into
selectors and services as ``actor=``. The rules are split by domain:

- ``actors.py``: who is asking (``Actor``, ``actor_for``, memberships read on first use);
- ``decisions.py``: the jurisprudence database (tiers, publication states, curation);
- ``networks.py``: the networks' material (classifications, directory, administration);
- ``cooperation.py``: the evidence vault (submissions, referrals, items, shares);
- ``alerts.py``: saved searches and follows (own alerts only; delivery checked at send time);
- ``statistics.py``: statistics (counts over visible decisions; network figures for the
  Secretariat).
"""

from __future__ import annotations

from .actors import (
    ANONYMOUS,
    ROLES,
    Actor,
    actor_for,
)
from .alerts import alert_recipient, alerts_visible, can_keep_alerts
from .cooperation import (
    NO_ONWARD_SHARING,
    SIDES,
    can_add_items,
    can_download_item,
    can_edit_submission,
    can_export_items,
    can_share_submission,
    can_transition_referral,
    can_write_message,
    item_may_leave_parties,
    items_visible_to,
    referrals_visible_to,
    submission_side,
    submissions_visible,
    vault_needs_verified_session,
)
from .decisions import (
    DecisionScope,
    can_curate,
    can_read_original,
    can_review_anonymisation,
    can_use_api_token,
    can_view_audit_entries,
    can_view_audit_log,
    can_view_decision,
    can_view_pipeline_runs,
    decision_role,
    decision_scope,
    decisions_visible,
    tier_and_state_visible,
)
from .networks import (
    CLASSIFICATIONS,
    LOGGED_CLASSIFICATIONS,
    NETWORK_ROLES,
    agenda_items_visible,
    can_administer_network,
    can_downgrade,
    can_view_document,
    can_view_document_log,
    can_view_meeting,
    can_view_person_details,
    can_view_session_participants,
    classifications_for,
    documents_visible,
    is_network_member,
    meetings_visible,
    memberships_visible,
    must_log_view,
    network_visible,
    networks_visible,
)
from .statistics import can_view_network_statistics

__all__ = [
    "ANONYMOUS",
    "CLASSIFICATIONS",
    "LOGGED_CLASSIFICATIONS",
    "NETWORK_ROLES",
    "NO_ONWARD_SHARING",
    "ROLES",
    "SIDES",
    "Actor",
    "DecisionScope",
    "actor_for",
    "agenda_items_visible",
    "alert_recipient",
    "alerts_visible",
    "can_add_items",
    "can_administer_network",
    "can_curate",
    "can_downgrade",
    "can_download_item",
    "can_edit_submission",
    "can_export_items",
    "can_keep_alerts",
    "can_read_original",
    "can_review_anonymisation",
    "can_share_submission",
    "can_transition_referral",
    "can_use_api_token",
    "can_view_audit_entries",
    "can_view_audit_log",
    "can_view_decision",
    "can_view_document",
    "can_view_document_log",
    "can_view_meeting",
    "can_view_network_statistics",
    "can_view_person_details",
    "can_view_pipeline_runs",
    "can_view_session_participants",
    "can_write_message",
    "classifications_for",
    "decision_role",
    "decision_scope",
    "decisions_visible",
    "documents_visible",
    "is_network_member",
    "item_may_leave_parties",
    "items_visible_to",
    "meetings_visible",
    "memberships_visible",
    "must_log_view",
    "network_visible",
    "networks_visible",
    "referrals_visible_to",
    "submission_side",
    "submissions_visible",
    "tier_and_state_visible",
    "vault_needs_verified_session",
]
