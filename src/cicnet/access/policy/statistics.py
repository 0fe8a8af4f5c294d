"""Statistics: who may see which counts.

Jurisprudence statistics count only the tiers and states ``tier_and_state_visible(actor)`` admits
(the rule of ``decisions_visible``), so a chart, table, CSV or API answer never reveals a
decision the actor may not read (a hidden decision is not a
bar, a cell, or one more in a total). The network statistics (meetings, attendance, documents)
are for the network's Secretariat and the instance's administrators.
"""

from __future__ import annotations

from .actors import Actor


def can_view_network_statistics(actor: Actor, network_id: int) -> bool:
    """Meetings, attendance and document counts of one network: its Secretariat, admins."""
    if actor.role == "admin":
        return True
    return "secretariat" in actor.network_roles(network_id)
