"""Readable labels for facet values, from the vocabularies.

countries and languages: ISO names (pycountry, docs/decisions/0020); crimes and crime groups:
``law.crimes``; provisions: ``NationalProvision.label``; outcomes and instances: the
jurisprudence vocabularies; courts: the court vocabulary's English name; yes/no facets: words.
Anything else is its own label.
"""

from __future__ import annotations

from functools import lru_cache

from cicnet.jurisprudence.courts import court_label
from cicnet.law.crimes import GROUPS, crime
from cicnet.law.provisions import provision
from cicnet.vocabularies import vocabulary

_YES_NO = {
    "terrorism": {"yes": "Terrorism charged cumulatively", "no": "No terrorism charge"},
    "has_text": {
        "yes": "Complete judgment",
        "excerpt": "Excerpt only",
        "no": "Metadata and summary only",
    },
}


@lru_cache(maxsize=4096)
def facet_label(name: str, value: str) -> str:
    """The label shown for ``value`` of facet ``name``."""
    if name == "country":
        import pycountry

        entry = pycountry.countries.get(alpha_2=value)
        return str(getattr(entry, "common_name", None) or entry.name) if entry else value
    if name == "language":
        import pycountry

        lang = pycountry.languages.get(alpha_2=value) if len(value) == 2 else None
        return str(lang.name) if lang else value
    if name == "crime":
        c = crime(value)
        return f"{c.label} ({c.id})" if c and c.article else (c.label if c else value)
    if name == "court":
        return court_label(value)
    if name == "crime_group":
        return GROUPS.get(value, value)
    if name == "provision":
        p = provision(value)
        return f"{p.country}: {p.label}" if p else value
    if name in ("outcome", "instance"):
        return vocabulary("jurisprudence", f"{name}s").label(value)
    if name in _YES_NO:
        return _YES_NO[name].get(value, value)
    return value
