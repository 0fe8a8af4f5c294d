"""The query language of the ``q`` parameter, parsed into an AST that every backend translates.

Syntax (case of operators matters: ``OR`` and ``AND`` in capitals, as in most legal databases)::

    torture syria              both words (AND is the default)
    "crimes against humanity"  an exact phrase
    torture OR "ill-treatment" either
    torture -syria             exclusion: decisions that do not contain the word
    tortur*                    prefix (at least two characters before the star)
    (a OR b) c                 grouping
    court:koblenz              words of the court's name (court:"Higher Regional Court")
    country:DE                 ISO 3166-1 alpha-2 code of the court's State
    year:2020  year:2015..2020  year:2015..  year:..2019
    crime:war_crimes           a crime group, an exact crime id (crime:7(1)(f)) or a Rome
                               Statute reference covering several (crime:8(2)(a)); matches
                               decisions that cite a national provision implementing it too
    provision:DE:2             a national provision key, or words of the cited provision
                               (provision:VStGB)

Matching is at decision level: a decision matches when its metadata and paragraphs, taken
together, satisfy the query; snippets come from the paragraphs that match its words.

Malformed input raises :class:`~cicnet.search.types.QueryError` with a message that says what
to change. Text is split into tokens the way both backends index it: lowercase, split on every
character that is not a letter or a digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cicnet.law.crimes import GROUPS, crime_ids_matching
from cicnet.search.types import QueryError

FIELDS = ("court", "country", "year", "crime", "provision")
# Characters. A URL carries a character in up to 12 bytes (4 UTF-8 bytes, each as %XX), so a
# maximal query (6,000 bytes) fits gunicorn's request line (8,190 bytes, server/gunicorn_app.py)
# with room for the other parameters; a longer one would be gunicorn's HTML 414 instead of our
# 400. docs/api.md.
MAX_QUERY_LENGTH = 500
MIN_PREFIX = 2
YEAR_MIN, YEAR_MAX = 1000, 9999

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Index tokens of ``text``: lowercase, accents folded, split on non-alphanumerics."""
    return [_fold(t) for t in _TOKEN.findall(text)]


# Letters that Unicode does not decompose into a base letter plus accents.
_EXTRA_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}  # noqa: RUF001 - the Turkish dotless i, on purpose
)


@lru_cache(maxsize=200_000)  # pure; a corpus repeats its words (alert batches fold millions)
def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.lower().translate(_EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- AST ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word (already tokenized: a single token), or a prefix when ``prefix`` is set. A word
    matches any of its forms (search/analysis.py) unless ``exact`` (it was quoted)."""

    word: str
    prefix: bool = False
    exact: bool = False


@dataclass(frozen=True)
class Phrase:
    """Consecutive tokens."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class FieldMatch:
    """A metadata condition. ``values`` are alternatives (any one matches).

    - court / provision_text: ``values`` holds one tuple of tokens that must occur as a phrase
    - country: ISO codes; crime: crime ids; provision: provision keys
    - year: ``low``/``high`` bounds (inclusive, either may be None)
    """

    field: str
    values: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | Phrase | FieldMatch | And | Or | Not


@dataclass(frozen=True)
class ParsedQuery:
    """The parsed ``q``: ``root`` is None for an empty query (everything matches)."""

    root: Node | None

    def positive_text(self) -> list[Term | Phrase]:
        """Text leaves outside any exclusion: what snippets highlight and rank by."""
        out: list[Term | Phrase] = []

        def walk(node: Node, negated: bool) -> None:
            if isinstance(node, Term | Phrase):
                if not negated:
                    out.append(node)
            elif isinstance(node, And | Or):
                for c in node.children:
                    walk(c, negated)
            elif isinstance(node, Not):
                walk(node.child, not negated)

        if self.root is not None:
            walk(self.root, False)
        return list(dict.fromkeys(out))

    def fields_only(self) -> ParsedQuery:
        """The query's conditions on fields without its words (semantic search matches the words
        by meaning): ``torture country:DE`` keeps ``country:DE``; an OR with a word in it keeps
        nothing (its word branch may match any decision by meaning)."""

        def strip(node: Node) -> Node | None:
            if isinstance(node, Term | Phrase):
                return None
            if isinstance(node, FieldMatch):
                return node
            if isinstance(node, Not):
                child = strip(node.child)
                return Not(child) if child is not None else None
            kids = [strip(c) for c in node.children]
            if isinstance(node, Or):
                if any(k is None for k in kids):
                    return None
                return Or(tuple(k for k in kids if k is not None))
            kept = tuple(k for k in kids if k is not None)
            return None if not kept else kept[0] if len(kept) == 1 else And(kept)

        return ParsedQuery(strip(self.root) if self.root is not None else None)


_SEMANTIC_STRIP = (
    re.compile(r"\b[A-Za-z_]+:(\"[^\"]*\"|\S+)"),  # field:value
    re.compile(r"(^|\s)-\S+"),  # -exclusion
    re.compile(r"\b(OR|AND)\b"),
    re.compile(r"[()\"*]"),
)


def semantic_text(q: str) -> str:
    """The words of a query as written (accents and case kept), for embedding: without its
    field conditions, exclusions and operators."""
    text = q
    for pattern in _SEMANTIC_STRIP:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


# --- lexer -------------------------------------------------------------------------------------

_FIELD_RE = re.compile(r"([A-Za-z_]+):")


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN OR AND NOT
    value: str
    pos: int
    field: str = ""
    quoted: bool = False


def _lex(q: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == "(":
            out.append(_Tok("LPAREN", c, i))
            i += 1
            continue
        if c == ")":
            out.append(_Tok("RPAREN", c, i))
            i += 1
            continue
        if c == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QueryError(
                    f'Unbalanced quote at position {i + 1}: close the phrase with a second " '
                    "or remove the quote."
                )
            out.append(_Tok("PHRASE", q[i + 1 : end], i))
            i = end + 1
            continue
        if c == "-":
            nxt = q[i + 1] if i + 1 < n else ""
            if not nxt or nxt.isspace() or nxt == ")":
                raise QueryError(
                    f"A lone '-' at position {i + 1}: put it directly before the word, phrase "
                    "or field to exclude, e.g. -syria."
                )
            out.append(_Tok("NOT", c, i))
            i += 1
            continue
        m = _FIELD_RE.match(q, i)
        if m:
            name = m.group(1).lower()
            j = m.end()
            if name not in FIELDS:
                raise QueryError(
                    f"Unknown field '{m.group(1)}:'. Use one of: "
                    + ", ".join(f"{f}:" for f in FIELDS)
                    + " (or put the text in quotes to search for it)."
                )
            if j < n and q[j] == '"':
                end = q.find('"', j + 1)
                if end < 0:
                    raise QueryError(
                        f"Unbalanced quote after '{name}:' at position {j + 1}: close the value "
                        'with a second ".'
                    )
                value, quoted, i = q[j + 1 : end], True, end + 1
            else:
                k = j
                depth = 0
                # Values such as 7(1)(f) contain parentheses: keep balanced ones in the value.
                while k < n and not q[k].isspace():
                    if q[k] == "(":
                        depth += 1
                    elif q[k] == ")":
                        if depth == 0:
                            break
                        depth -= 1
                    k += 1
                value, quoted, i = q[j:k], False, k
            if not value.strip():
                raise QueryError(
                    f"The field '{name}:' has no value: write it directly after the colon, "
                    f"e.g. {_FIELD_EXAMPLES[name]}."
                )
            out.append(_Tok("FIELD", value.strip(), m.start(), field=name, quoted=quoted))
            continue
        k = i
        while k < n and not q[k].isspace() and q[k] not in '()"':
            k += 1
        word = q[i:k]
        if word == "OR":
            out.append(_Tok("OR", word, i))
        elif word == "AND":
            out.append(_Tok("AND", word, i))
        else:
            out.append(_Tok("WORD", word, i))
        i = k
    return out


_FIELD_EXAMPLES = {
    "court": "court:koblenz",
    "country": "country:DE",
    "year": "year:2020 or year:2015..2020",
    "crime": "crime:war_crimes or crime:7(1)(f)",
    "provision": "provision:VStGB",
}


# --- parser ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        if not self.toks:
            return None
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "RPAREN":
                raise QueryError(
                    f"Unbalanced ')' at position {tok.pos + 1}: remove it or add a matching '('."
                )
            raise QueryError(f"Unexpected '{tok.value}' at position {tok.pos + 1}.")
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", "RPAREN"):
                raise QueryError(
                    f"'OR' at position {tok.pos + 1} needs a word, phrase or field on each side."
                )
            parts.append(self.and_expr())
        if len(parts) > 1 and any(p is None for p in parts):
            raise QueryError("'OR' needs something to search for on each side.")
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        first = True
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                if first:
                    raise QueryError(
                        f"'AND' at position {tok.pos + 1} needs a word, phrase or field on each "
                        "side."
                    )
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", "AND", "RPAREN"):
                    raise QueryError(
                        f"'AND' at position {tok.pos + 1} needs a word, phrase or field on each "
                        "side."
                    )
                continue
            first = False
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            tok = self.peek()
            if tok is not None and tok.kind == "OR":
                raise QueryError(
                    f"'OR' at position {tok.pos + 1} needs a word, phrase or field on each side."
                )
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        tok = self.peek()
        if tok is not None and tok.kind == "NOT":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", "RPAREN", "NOT"):
                raise QueryError(
                    f"A lone '-' at position {tok.pos + 1}: put it directly before the word, "
                    "phrase or field to exclude, e.g. -syria."
                )
            child = self.atom()
            if child is None:
                raise QueryError(
                    f"Nothing to exclude after '-' at position {tok.pos + 1}: the excluded part "
                    "has no letters or digits."
                )
            return Not(child)
        return self.atom()

    def atom(self) -> Node | None:
        tok = self.take()
        if tok.kind == "LPAREN":
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QueryError(f"Unbalanced '(' at position {tok.pos + 1}: add the closing ')'.")
            self.take()
            if node is None:
                raise QueryError(f"Empty parentheses at position {tok.pos + 1}.")
            return node
        if tok.kind == "PHRASE":
            words = tokens(tok.value)
            if not words:
                if tok.value.strip():
                    return None
                raise QueryError(f'Empty phrase "" at position {tok.pos + 1}.')
            return Term(words[0], exact=True) if len(words) == 1 else Phrase(tuple(words))
        if tok.kind == "FIELD":
            return _field(tok)
        if tok.kind == "WORD":
            return _word(tok)
        if tok.kind == "RPAREN":
            raise QueryError(
                f"Unbalanced ')' at position {tok.pos + 1}: remove it or add a matching '('."
            )
        raise QueryError(f"Unexpected '{tok.value}' at position {tok.pos + 1}.")


def _word(tok: _Tok) -> Node | None:
    raw = tok.value
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    if "*" in body:
        raise QueryError(
            f"'{raw}': the wildcard * is only allowed at the end of a word (prefix search)."
        )
    words = tokens(body)
    if prefix:
        if not words or len(words[-1]) < MIN_PREFIX:
            raise QueryError(
                f"'{raw}': a prefix search needs at least {MIN_PREFIX} letters or digits "
                "before the *."
            )
        if len(words) > 1:
            # 'al-kha*' : the leading tokens as a phrase-like AND, the last one as a prefix.
            return And((*(Term(w) for w in words[:-1]), Term(words[-1], prefix=True)))
        return Term(words[0], prefix=True)
    if not words:
        return None  # punctuation only: ignored like the backends ignore it
    return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _field(tok: _Tok) -> Node:
    name, value = tok.field, tok.value
    if name == "country":
        codes = [c.strip().upper() for c in value.split(",") if c.strip()]
        for code in codes:
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise QueryError(
                    f"country:{value} — use the two-letter ISO 3166-1 code of the court's "
                    "State, e.g. country:DE."
                )
        return FieldMatch("country", tuple(codes))
    if name == "year":
        return _year(value)
    if name == "crime":
        ids = crime_ids_matching(value.strip())
        if not ids:
            raise QueryError(
                f"crime:{value} is not a known crime. Use a group ("
                + ", ".join(GROUPS)
                + "), a crime id such as 7(1)(f), or a Rome Statute reference such as 8(2)(a)."
            )
        return FieldMatch("crime", tuple(ids))
    if name == "provision":
        if re.fullmatch(r"[A-Za-z]{2}:\d+", value.strip()):
            return FieldMatch("provision", (value.strip().upper(),))
        words = tokens(value)
        if not words:
            raise QueryError(
                f"provision:{value} has no letters or digits: give a provision key (DE:2) or "
                "words of the cited provision (provision:VStGB)."
            )
        return FieldMatch("provision_text", (" ".join(words),))
    # court
    words = tokens(value)
    if not words:
        raise QueryError(
            f"court:{value} has no letters or digits: give words of the court's name, "
            "e.g. court:koblenz."
        )
    return FieldMatch("court", (" ".join(words),))


def _year(value: str) -> FieldMatch:
    def num(text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text):
            raise QueryError(
                f"year:{value} — use a four-digit year (year:2020) or a range "
                "(year:2015..2020, year:2015.., year:..2019)."
            )
        return int(text)

    if ".." in value:
        low_s, _, high_s = value.partition("..")
        low, high = num(low_s), num(high_s)
        if low is None and high is None:
            raise QueryError("year:.. needs at least one bound, e.g. year:2015..2020.")
        if low is not None and high is not None and low > high:
            raise QueryError(f"year:{value} — the range is reversed: write the earlier year first.")
        return FieldMatch("year", low=low, high=high)
    year = num(value)
    return FieldMatch("year", low=year, high=year)


@lru_cache(maxsize=512)
def parse(q: str) -> ParsedQuery:
    """Parse the ``q`` parameter. Raises QueryError (parameter ``q``) for malformed input."""
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is longer than {MAX_QUERY_LENGTH} characters: shorten it.")
    return ParsedQuery(_Parser(_lex(q)).parse())
