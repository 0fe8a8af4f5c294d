"""Which alerts a batch of new decisions matches: many alerts against one batch at once.

The search backends answer one query over the whole index; an alert run asks the opposite —
thousands of saved queries over a few hundred new decisions. ``Batch`` indexes the batch in
memory (token → bitset of decisions, facet value → bitset) and evaluates each saved query's
AST (``search/query.py``) with bit operations, on the same ``DecisionRecord`` the index holds
(``search/documents.py``: anonymised text, masked headings, derived crimes), so an alert
matches what the search page would find among those decisions: words, phrases (within one
text value), prefixes, OR, exclusion, the fields ``court:`` ``country:`` ``year:`` ``crime:``
``provision:``, facet filters and the year range. ``tests/alerts/test_matching.py`` checks
that it agrees with the search backend on both backends.

Access is not decided here: callers intersect with ``scope_mask`` of the recipient's
``decision_scope`` and re-read the matched decisions through the policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from cicnet.access.policy import DecisionScope
from cicnet.search import query as q
from cicnet.search.documents import DecisionRecord
from cicnet.search.types import SearchParams


@dataclass(frozen=True)
class Candidate:
    """A new decision as alerts see it: its index record, its proceedings and what it cites."""

    record: DecisionRecord
    proceedings_key: str
    cites: frozenset[str]  # uids of the decisions it cites


class Batch:
    """A batch of candidate decisions, indexed for matching many alerts."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.all = (1 << len(self.candidates)) - 1
        self._tokens: dict[str, int] = {}
        self._facets: dict[tuple[str, str], int] = {}
        # token -> candidate index -> positions (text values of a decision are numbered on one
        # line with a gap between them, so a phrase never runs from one value into the next)
        self._positions: dict[str, dict[int, set[int]]] = {}
        self._court: list[list[str]] = []
        self._provision: list[list[str]] = []
        self._follow: dict[tuple[str, str], int] = {}
        for i, c in enumerate(self.candidates):
            bit = 1 << i
            rec = c.record
            values = [rec.meta_text, rec.summary, rec.provision_text] + [
                p.body for p in rec.paragraphs
            ]
            position = 0
            for value in values:
                if not value:
                    continue
                for t in q.tokens(value):
                    self._tokens[t] = self._tokens.get(t, 0) | bit
                    self._positions.setdefault(t, {}).setdefault(i, set()).add(position)
                    position += 1
                position += 2  # the gap between two values
            self._court.append(q.tokens(rec.court_text or rec.court))
            self._provision.append(q.tokens(rec.provision_text))
            for name, vals in rec.facets.items():
                for v in vals:
                    key = (name, v)
                    self._facets[key] = self._facets.get(key, 0) | bit
            for key in [("access", rec.access), ("state", rec.state)]:
                self._facets[key] = self._facets.get(key, 0) | bit
            if c.proceedings_key:
                key = ("proceedings", c.proceedings_key)
                self._follow[key] = self._follow.get(key, 0) | bit
            for uid in c.cites:
                self._follow[("citation", uid)] = self._follow.get(("citation", uid), 0) | bit
        self._cache: dict[object, int] = {}

    @cached_property
    def _vocabulary(self) -> list[str]:
        return sorted(self._tokens)

    # --- bitsets -------------------------------------------------------------------------------

    def uids(self, mask: int) -> list[str]:
        """The uids of the candidates in ``mask``, in batch order (walks the set bits only)."""
        out = []
        while mask:
            low = mask & -mask
            out.append(self.candidates[low.bit_length() - 1].record.uid)
            mask ^= low
        return out

    def scope_mask(self, scope: DecisionScope) -> int:
        """The candidates a recipient with ``scope`` may see."""
        mask = 0
        for tier in scope.tiers:
            mask |= self._facets.get(("access", tier), 0)
        if scope.published_only:
            mask &= self._facets.get(("state", "published"), 0)
        return mask

    def follow_mask(self, kind: str, target: str) -> int:
        """Candidates in a followed proceedings, citing a followed decision, charging a crime
        (or a crime group) or citing a national provision."""
        if kind in ("proceedings", "citation"):
            return self._follow.get((kind, target), 0)
        if kind == "crime":
            return self._facets.get(("crime", target), 0) | self._facets.get(
                ("crime_group", target), 0
            )
        if kind == "provision":
            return self._facets.get(("provision", target), 0)
        return 0

    def search_mask(self, params: SearchParams) -> int:
        """Candidates the saved search matches (query, facet filters, year range)."""
        mask = self.all
        root = q.parse(params.q).root
        if root is not None:
            mask &= self._node(root)
        for name, values in params.filters.items():
            if values:
                any_of = 0
                for v in values:
                    any_of |= self._facets.get((name, v), 0)
                mask &= any_of
        if params.year_from is not None or params.year_to is not None:
            mask &= self._years(params.year_from, params.year_to)
        return mask

    # --- the query AST ------------------------------------------------------------------------

    def _node(self, node: q.Node) -> int:
        cached = self._cache.get(node)
        if cached is not None:
            return cached
        result = self._evaluate(node)
        self._cache[node] = result
        return result

    def _evaluate(self, node: q.Node) -> int:
        if isinstance(node, q.Term):
            toks = q.tokens(node.word) or [node.word]
            if node.prefix:
                return self._prefix(toks[0])
            return self._phrase_in_text(toks)
        if isinstance(node, q.Phrase):
            return self._phrase_in_text([t for w in node.words for t in q.tokens(w)])
        if isinstance(node, q.FieldMatch):
            return self._field(node)
        if isinstance(node, q.Not):
            return self.all & ~self._node(node.child)
        if isinstance(node, q.And):
            mask = self.all
            for child in node.children:
                mask &= self._node(child)
                if not mask:
                    break
            return mask
        mask = 0
        for child in node.children:
            mask |= self._node(child)
        return mask

    def _prefix(self, prefix: str) -> int:
        mask = 0
        for token in self._vocabulary:
            if token.startswith(prefix):
                mask |= self._tokens[token]
        return mask

    def _phrase_in_text(self, toks: list[str]) -> int:
        if not toks:
            return 0
        mask = self.all
        for t in toks:
            mask &= self._tokens.get(t, 0)
        if len(toks) == 1 or not mask:
            return mask
        out = 0
        for i in range(len(self.candidates)):
            if not mask >> i & 1:
                continue
            starts = self._positions[toks[0]][i]
            for k, t in enumerate(toks[1:], start=1):
                at = self._positions[t][i]
                starts = {p for p in starts if p + k in at}
                if not starts:
                    break
            if starts:
                out |= 1 << i
        return out

    def _field(self, node: q.FieldMatch) -> int:
        if node.field == "year":
            return self._years(node.low, node.high)
        if node.field in ("court", "provision_text"):
            toks = [t for w in node.values[0].split() for t in q.tokens(w)]
            lists = self._court if node.field == "court" else self._provision
            out = 0
            for i, tokens_of in enumerate(lists):
                if toks and _contains(tokens_of, toks):
                    out |= 1 << i
            return out
        mask = 0
        for v in node.values:
            mask |= self._facets.get((node.field, v), 0)
        return mask

    def _years(self, low: int | None, high: int | None) -> int:
        lo = low if low is not None else q.YEAR_MIN
        hi = high if high is not None else q.YEAR_MAX
        cached = self._cache.get(("years", lo, hi))
        if cached is not None:
            return cached
        mask = 0
        for i, c in enumerate(self.candidates):
            year = c.record.year
            if year is not None and lo <= year <= hi:
                mask |= 1 << i
        self._cache[("years", lo, hi)] = mask
        return mask


def _contains(tokens_of: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    first = phrase[0]
    for i, t in enumerate(tokens_of):
        if t == first and tokens_of[i : i + n] == phrase:
            return True
    return False
