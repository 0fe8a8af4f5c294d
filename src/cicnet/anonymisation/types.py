"""The anonymiser's contract: what `anonymise()` returns.

Plain frozen dataclasses with no Django in them, so a pipeline stage, a management command and
the benchmark can all use the result. Offsets are character offsets into the Python string
(code points, not bytes), end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """One stretch of text that identifies someone or something, before policy is applied.

    ``source`` says how it was found: ``ner`` (the spaCy model), ``rule`` (a pattern),
    ``title`` (a title or role followed by a name), ``propagated`` (another occurrence of a
    string found elsewhere in the same text).
    """

    start: int
    end: int
    kind: str
    text: str
    confidence: float
    source: str


@dataclass(frozen=True)
class Span:
    """A masked stretch of text: the unit the workbench shows and the command writes."""

    start: int
    end: int
    kind: str
    entity_id: str
    confidence: float
    source: str
    text: str

    def as_triple(self) -> list[object]:
        """``[start, end, kind]``, the wire format of ``cicnet anonymise-spans``."""
        return [self.start, self.end, self.kind]


@dataclass(frozen=True)
class Entity:
    """Mentions grouped as one person, place, date …, with one pseudonym everywhere."""

    id: str
    kind: str
    canonical: str
    pseudonym: str
    confidence: float
    role: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AnonymisationResult:
    """What the anonymiser found in one text under one policy.

    ``spans`` are sorted and never overlap; each points at an entity of ``entities``.
    ``kept`` are mentions the detector found but the policy keeps (a judge in an official role,
    a state, a public body): the workbench shows them so a reviewer can still mask them.
    ``review`` lists reasons a human must look before sign-off (e.g. no model for the language).
    """

    text: str
    language: str
    policy: str
    spans: tuple[Span, ...]
    entities: tuple[Entity, ...]
    kept: tuple[Mention, ...] = ()
    review: tuple[str, ...] = field(default_factory=tuple)
    without_model: bool = False  # no language model ran: only rules, names and propagation

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def anonymised_text(self) -> str:
        """The text with every span replaced by its entity's pseudonym."""
        pseudonyms = {e.id: e.pseudonym for e in self.entities}
        out: list[str] = []
        cursor = 0
        for span in self.spans:
            out.append(self.text[cursor : span.start])
            out.append(pseudonyms[span.entity_id])
            cursor = span.end
        out.append(self.text[cursor:])
        return "".join(out)
