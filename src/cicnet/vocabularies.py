"""Controlled vocabularies: YAML data with a label and a description per entry.

Each app keeps its vocabularies in ``<app>/vocab/<name>.yaml`` as a list of
``{id, label, description}`` mappings. Model choices, API enums and facet labels all come from
here, so adding a term is a data change, not a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.strict_yaml import load_yaml


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary."""

    id: str
    label: str
    description: str


class Vocabulary:
    """An ordered set of terms loaded from one YAML file."""

    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = terms
        self._by_id = {t.id: t for t in terms}

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._by_id

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.terms)

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]

    def label(self, term_id: str) -> str:
        term = self._by_id.get(term_id)
        return term.label if term else term_id

    def get(self, term_id: str) -> Term | None:
        return self._by_id.get(term_id)

    def choices(self) -> list[tuple[str, str]]:
        return [(t.id, t.label) for t in self.terms]


@cache
def vocabulary(app: str, name: str) -> Vocabulary:
    """Load ``cicnet/<app>/vocab/<name>.yaml`` once per process."""
    text = resources.files(f"cicnet.{app}").joinpath("vocab", f"{name}.yaml").read_text("utf-8")
    entries = load_yaml(text, source=f"cicnet/{app}/vocab/{name}.yaml")
    terms = [
        Term(id=str(e["id"]), label=str(e["label"]), description=str(e.get("description", "")))
        for e in entries
    ]
    return Vocabulary(name, terms)
