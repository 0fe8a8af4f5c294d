"""Template helpers the network pages borrow from the knowledge app: the public address of a
meeting's conclusions where a source records it (data/conclusions.yaml; no database read)."""

from __future__ import annotations

from django import template

from cicnet.knowledge.catalogue import ConclusionsLink, conclusions_links

register = template.Library()


@register.simple_tag
def conclusions_link(network_slug: str, number: int) -> ConclusionsLink | None:
    """``{% conclusions_link network.slug m.number as link %}``: the recorded link or None."""
    data = conclusions_links()
    if network_slug != data.network:
        return None
    return data.links.get(number)
