"""Grouping mentions into entities, so one person gets one pseudonym everywhere.

Persons: "Anwar Raslan", "Mr Raslan", "Raslan", "A. Raslan" and "Mr R." are one entity when
nothing else in the text competes for them (a second Raslan, a second surname in R.). Other kinds
group by their normalised surface ("Kalogrea" and "kalogrea"). ``Grouper`` is stateful so that
the decisions of one proceedings, or an original and its translation, can share one register of
entities and so one set of pseudonyms (feed them through the same instance).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Titles that may stand between a role word and the name, in the corpus languages.
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|M|Mme|Mlle|Herr|Frau|de\s+heer|mevrouw|dhr|mevr|Sr|Sra)?\.?\s*"
_KIN = (
    r"mother|father|son|daughter|brother|sister|wife|husband|uncle|aunt|cousin|nephew|niece|"
    r"grandmother|grandfather|grandson|granddaughter|fiancée?|partner|child|children|parents?|"
    r"mère|père|fils|fille|frère|sœur|soeur|épouse|époux|mari|oncle|tante|neveu|nièce|cousine?|"
    r"moeder|vader|zoon|dochter|broer|zus|zuster|echtgenote?|echtgenoot|oom|tante|neef|nicht|"
    r"Mutter|Vater|Sohn|Tochter|Bruder|Schwester|Ehefrau|Ehemann|Onkel|Tante|Neffe|Nichte|"
    r"madre|padre|hij[oa]|herman[oa]|espos[oa]|tí[oa]"
)
# Role words before a name ("the applicant Mr K.", "le témoin M. D.", "de verdachte [X]",
# "die Zeugin Z.") and after it ("K. (“the applicant”)", "D., a witness").
ROLE_BEFORE = {
    "applicant": re.compile(
        rf"\b(?:the\s+applicants?(?:’s?)?,?|(?:la\s+|le\s+)?requérante?s?,?|verzoek(?:er|ster),?|"
        rf"(?:die\s+|der\s+)?Beschwerdeführer(?:in)?,?)\s*{_TITLE}$",
        re.I,
    ),
    "accused": re.compile(
        rf"\b(?:(?:the\s+)?(?:accused|defendant)|l[’']accusée?|(?:le\s+|la\s+)?prévenue?|"
        rf"(?:de\s+)?verdachte|(?:der\s+|die\s+|den\s+)?Angeklagte[nr]?|"
        rf"(?:el\s+|la\s+)?acusad[oa])\s*{_TITLE}$",
        re.I,
    ),
    "witness": re.compile(
        rf"\b(?:witness(?:es)?|témoin|getuige|Zeug(?:e|in|en)|testigo)\s*{_TITLE}$", re.I
    ),
    "victim": re.compile(
        rf"\b(?:victims?|victime|slachtoffer|Opfer|Geschädigte[nr]?|víctima)\s*{_TITLE}$", re.I
    ),
    "relative": re.compile(rf"\b(?:{_KIN})\s*,?\s*{_TITLE}$", re.I),
}
ROLE_AFTER = {
    "applicant": re.compile(
        r"^\s*\(\s*[“\"‘'«]?\s*(?:the\s+applicant|la\s+requérante?|le\s+requérant)", re.I
    ),
    "accused": re.compile(r"^\s*(?:\(\s*[“\"‘']?the\s+accused|,\s+the\s+accused)", re.I),
    "witness": re.compile(r"^,\s+(?:a|another|the)\s+(?:\w+\s+)?witness", re.I),
    "victim": re.compile(r"^,\s+(?:a|the)\s+victim", re.I),
    "relative": re.compile(
        rf"^,\s+(?:the\s+applicant[’']s|his|her|their|the\s+victim[’']s|[\w.’' -]{{1,40}}[’']s)"
        rf"\s+(?:{_KIN})",
        re.I,
    ),
}
# Whose relative: "the applicant's son X", "X, the applicant's son", "le fils du requérant X".
_OF_APPLICANT = re.compile(
    r"applicant[’']s|of\s+the\s+applicant|d[eu]\s+(?:la\s+)?requérante?|van\s+verzoek|"
    r"des\s+Beschwerdeführers",
    re.I,
)
_OF_NAMED = re.compile(r"(?P<name>[^\W\d_][\w.’' -]{0,40}?)[’']s\s+(?:" + _KIN + r")\b", re.I)


def relative_of(text: str, start: int, end: int) -> str | int | None:
    """Whose relative the person at [start, end) is: ``"applicant"``, the offset of the other
    person's name (for "X's son Y" / "Y, X's son"), or ``None`` when the text does not say."""
    before = text[max(0, start - 50) : start]
    after = text[end : end + 50]
    for window in (after[:40], before[-40:]):
        if _OF_APPLICANT.search(window):
            return "applicant"
    for window, offset in ((after, end), (before, max(0, start - 50))):
        named = _OF_NAMED.search(window)
        if named and not re.match(r"(?:the|his|her|their)\b", named.group("name"), re.I):
            return offset + named.start("name")
    return None


# A title just before a name says the person's grammatical gender, which tells apart two
# relatives who share a surname ("Mme Andersson" is Anne-Marie, not her son Stive).
GENDER_BEFORE = {
    "m": re.compile(r"(?:\bMr|\bM|\bMonsieur|\bHerr|\bSr|\bSig)\.?[ \u00a0]+$"),
    "f": re.compile(
        r"(?:\bMrs|\bMs|\bMiss|\bMme|\bMlle|\bMadame|\bMademoiselle|\bFrau|\bSra|\bSig\.ra)"
        r"\.?[ \u00a0]+$"
    ),
}


def gender_before(text: str, start: int) -> str | None:
    """``"m"`` or ``"f"`` when a gendered title precedes the name at ``start``, else ``None``."""
    before = text[max(0, start - 14) : start]
    for gender, pattern in GENDER_BEFORE.items():
        if pattern.search(before):
            return gender
    return None


def role_of(text: str, start: int, end: int) -> str | None:
    """The procedural role the text gives the person mentioned at [start, end), if any."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    for role, pattern in ROLE_AFTER.items():
        if pattern.search(after):
            return role
    for role, pattern in ROLE_BEFORE.items():
        if pattern.search(before):
            return role
    return None


@dataclass
class NameParts:
    """A person's name as written: full words and initials, the surname being the last word."""

    words: list[str]
    initials: list[str]

    @classmethod
    def parse(cls, surface: str) -> NameParts:
        words: list[str] = []
        initials: list[str] = []
        for token in re.findall(r"[^\s.]+\.?", surface.replace("’s", "").replace("'s", "")):
            if token.endswith(".") or len(token) == 1:
                initials.extend(c for c in token if c.isalpha())
            else:
                words.append(token.strip(".,;:"))
        return cls(words=words, initials=initials)

    @property
    def surname(self) -> str | None:
        return self.words[-1] if self.words else None

    @property
    def first_names(self) -> list[str]:
        return self.words[:-1]


@dataclass
class PersonEntity:
    key: int
    words: set[str] = field(default_factory=set)
    surname: str | None = None
    first_names: list[str] = field(default_factory=list)
    initials: str = ""  # for an entity known only by initials
    gender: str | None = None  # from a title ("Mr", "Mme"), when the text gives one
    surfaces: list[str] = field(default_factory=list)

    @property
    def canonical(self) -> str:
        return max(self.surfaces, key=len) if self.surfaces else ""

    def first_initial(self) -> str | None:
        return self.first_names[0][0].lower() if self.first_names else None


def _fold(word: str) -> str:
    return word.lower().replace("’", "'")


class Grouper:
    """Assigns an entity key to each mention; keys stay stable across calls on one instance."""

    def __init__(self) -> None:
        self.persons: list[PersonEntity] = []
        self.others: dict[tuple[str, str], int] = {}
        # pseudonyms already given, and the numbering of placeholders, shared by every text
        # anonymised through this instance
        self.pseudonyms: dict[int, str] = {}
        self.counters: Counter[str] = Counter()
        self._next = 0

    def _new_key(self) -> int:
        self._next += 1
        return self._next

    # --- persons ------------------------------------------------------------------------
    def _compatible_full(self, parts: NameParts) -> list[PersonEntity]:
        surname = _fold(parts.surname or "")
        out = []
        for entity in self.persons:
            if entity.surname is None or _fold(entity.surname) != surname:
                continue
            mine = [_fold(w) for w in parts.first_names]
            theirs = [_fold(w) for w in entity.first_names]
            if mine and theirs and mine[0] != theirs[0]:
                continue
            if parts.initials and theirs and _fold(parts.initials[0]) != theirs[0][0]:
                continue
            out.append(entity)
        return out

    def person(self, surface: str, *, gender: str | None = None) -> int:
        """The entity key for a person mention, joining an existing entity when unambiguous.

        ``gender`` (from a title before the name) only ever narrows the candidates.
        """
        parts = NameParts.parse(surface)
        match: PersonEntity | None = None

        def narrowed(found: list[PersonEntity]) -> list[PersonEntity]:
            if len(found) > 1 and gender:
                same = [e for e in found if e.gender in (None, gender)]
                return same or found
            return found

        if parts.surname:
            found = narrowed(self._compatible_full(parts))
            if not found and len(parts.words) == 1 and not parts.initials:
                # a lone word may be a first name used alone ("Selma")
                word = _fold(parts.words[0])
                found = [e for e in self.persons if word in (_fold(w) for w in e.first_names)]
            if len(found) == 1 or (found and len(parts.words) > 1):
                match = found[-1]
        elif parts.initials:
            letters = [_fold(c) for c in parts.initials]
            found = [
                e
                for e in self.persons
                if e.surname
                and _fold(e.surname[0]) == letters[-1]
                and (len(letters) == 1 or e.first_initial() in (None, letters[0]))
            ]
            same = [e for e in self.persons if e.initials == "".join(letters)]
            found = narrowed(found)
            if len(found) == 1:
                match = found[0]
            elif same:
                match = same[0]
        if match is None:
            match = PersonEntity(key=self._new_key())
            if not parts.surname:
                match.initials = "".join(_fold(c) for c in parts.initials)
            self.persons.append(match)
        if gender and match.gender is None:
            match.gender = gender
        if parts.surname and match.surname is None:
            match.surname = parts.surname
        if len(parts.first_names) > len(match.first_names):
            match.first_names = parts.first_names
        match.words.update(parts.words)
        match.surfaces.append(surface)
        return match.key

    def person_entity(self, key: int) -> PersonEntity:
        return next(e for e in self.persons if e.key == key)

    # --- other kinds --------------------------------------------------------------------
    def other(self, kind: str, surface: str) -> int:
        norm = re.sub(r"\s+", " ", surface.lower()).strip()
        norm = re.sub(r"^(?:the|le|la|les|l’|l')\s*", "", norm)
        key = (kind, norm)
        if key not in self.others:
            self.others[key] = self._new_key()
        return self.others[key]


def initials_pseudonym(entity: PersonEntity) -> str:
    """German practice: first name and the surname's initial(s): "Anwar R.", "Taha A.-J."."""
    if entity.surname is None:
        return ". ".join(c.upper() for c in entity.initials) + "." if entity.initials else "N."
    parts = re.split(r"([-’'])", entity.surname)
    initial = "".join(p[0].upper() + "." if p not in "-’'" else p for p in parts if p)
    if entity.first_names:
        return f"{entity.first_names[0]} {initial}"
    return initial


def most_common_role(roles: list[str | None]) -> str | None:
    counted = Counter(r for r in roles if r)
    return counted.most_common(1)[0][0] if counted else None
