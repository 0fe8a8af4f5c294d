"""Template helpers of the network pages: labels and descriptions from network/vocab/."""

from __future__ import annotations

from django import template

from cicnet.vocabularies import vocabulary

register = template.Library()


@register.filter
def network_label(value: str, name: str) -> str:
    """``{{ d.classification|network_label:"classifications" }}``."""
    return vocabulary("network", name).label(value)


@register.filter
def network_description(value: str, name: str) -> str:
    term = vocabulary("network", name).get(value)
    return term.description if term else ""
