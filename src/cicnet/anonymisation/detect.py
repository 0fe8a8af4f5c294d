"""Detection: the spaCy entities of a text and the rules' mentions, labelled and screened.

``detect()`` is independent of policy: it returns every candidate with the reason it might be
kept (a state, a public body, an official in that role, a party's name in a case citation).
The policy decides in ``engine.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import gazetteer, pipelines, rules
from .types import Mention

# spaCy label -> our kind, per language; labels not listed are not identifiers (LAW, ORDINAL …)
# or are better found by the rules (DATE, MONEY, PERCENT, CARDINAL).
NER_KINDS = {
    "en": {
        "PERSON": "PERSON",
        "ORG": "ORG",
        "GPE": "LOC",
        "LOC": "LOC",
        "FAC": "LOC",
        "NORP": "DEM",
    },
    "fr": {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"},
}
NER_CONFIDENCE = {"PERSON": 0.8, "ORG": 0.6, "LOC": 0.7, "DEM": 0.6}

# Words that the small English model tags as names in judgments but never are.
NOT_NAMES = frozenset(
    """others applicant applicants court government state states article articles convention
    section chamber grand commission registrar president judge facts law the procedure
    protocol rule rules agent minister ministry republic council tribunal prosecutor
    appendix annex schedule yes no vice deputy sir madam mr mrs ms dr on in at by for from
    under further however federal board regional m mme mlle me mm municipality
    municipalities s.a. etat état""".split()
) | {"inter alia", "legal affairs", "the facts", "the law"}
# An organisation whose name ends so is a law or a treaty, not an identifier.
LAW_NAME = re.compile(
    r"\b(?:Act|Code|Treaty|Convention|Agreement|Law|Plan|Protocol|Regulations?|Decree|Ordinance|"
    r"Statute|Reports|Rules|Constitution|Charter|Directive|Bill)\b(?:\s+\d{4})?\s*(?:\([^()]*\)?)?$"
)
# Parts of a judgment's own machinery: dates in these sentences are public, not identifying.
PUBLIC_DATE_CONTEXT = re.compile(
    r"into\s+force|composition\s+of\s+its\s+Sections|Sections\s+\(Rule|Official\s+Gazette",
    re.IGNORECASE,
)
# "(see Smith v. the United Kingdom, no. 12345/06, § 45, 23 September 2008)": another case.
CASE_CITATION = re.compile(
    r"\b(?:[A-Z][\w’'.-]*\s+)?[A-Z][\w’'-]*(?:\s+and\s+Others)?\s+v\.\s+"
    r"(?:[^();\n]|\((?:dec\.|déc\.)\))*"
)
# "against the Republic of Turkey", "against Norway": the respondent state of a judgment.
PARTY_STATE = re.compile(
    r"\bagainst\s+(?:the\s+)?(?:(?:Federal\s+)?Republic\s+of\s+|Kingdom\s+of\s+)?"
    r"(?P<state>[A-Z][\w]+(?:\s+(?:of\s+)?[A-Z][\w]+){0,6})"
)
# Words that make an organisation a public body (kept by policies with keep_public_bodies) when
# the name does not start with a place (a local court or office is identifying, a ministry not).
PUBLIC_BODY = re.compile(
    r"\b(?:Government|Ministry|Minister|Parliament|Assembly|Commission|Council|Court|Tribunal|"
    r"Cour|Conseil|Gouvernement|Prosecutor|Prosecution|Procurator|Ombudsman|Republic|"
    r"République|State|Treasury|Office|Department|Directorate|Agency|Authority|Authorities|"
    r"Inspectorate|Police|Army|Forces|Gendarmerie|Registry|Union|Nations|Europe|Section|"
    r"Chamber|Bureau|Board|Service|Senate|Presidency|Cabinet|Administration|Governor|Lords|"
    r"Committee|Panel|Division|Inspector|Insurance|Institute)\b"
)
GENERIC_HEAD = frozenset(
    """the a supreme constitutional administrative federal high regional district court courts
    state security military labour labor civil criminal assize appeal appeals cassation national
    central european general public social higher first instance international permanent
    ministry minister government parliament council commission chief principal prosecutor
    office department directorate agency authority united grand chamber section fourth first
    second third fifth registry family juvenile commercial county provincial local municipal
    audit financial tax customs police gendarmerie army armed forces human rights foreign
    interior justice defence defense health education finance economy affairs office cour
    conseil tribunal ministère gouvernement immigration appeals house city appeal disciplinary
    independent implementation lower upper education building governor martial""".split()
)
# A NORP directly followed by one of these describes an institution or a law, not a person.
INSTITUTIONAL = re.compile(
    r"\s*(?:[A-Z]|law|legislation|authorities|authority|courts?|army|troops|military|forces|"
    r"state|government|side|police|officials?|administration|embassy|consulate|parliament|"
    r"constitution|legal|criminal|civil|law-enforcement|security|judicial|territory|border|"
    r"occupation|intervention|soldiers|gendarmes|public|prosecution|prosecutors?|ministry)"
)
HEADING = re.compile(r"[A-Z]\.\s+[A-Z]")
CASE_CITATION_AFTER = re.compile(r"\s*(?:and\s+Others\s+)?v\.?\s")
CASE_CITATION_BEFORE = re.compile(r"\sv\.?\s+(?:the\s+)?$")
OFFICIAL_BEFORE = re.compile(
    r"(?:\bJudge|\bPresident|\bVice-President|\bRegistrar|\bAgent|\bCo-Agent|\bAdvis[eo]rs?|"
    r"\bprosecutor|\bProsecutor|\bcounsel|\bCounsel|represented\s+by|\bjuge|\bprésidente?|"
    r"\bgreffière?|\bprocureure?|\bagente?|représentée?\s+par)[^.;]{0,25}$"
)
OFFICIAL_AFTER = re.compile(
    r"^[^.;]{0,6}(?:a\s+lawyer|an?\s+(?:advocate|barrister|solicitor|attorney)|their\s+Agent|"
    r"its\s+Agent|Agent\b|Co-Agent|avocate?|Judge|President|Registrar|Deputy\s+Registrar)"
)
TITLE_PREFIX = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|M|Mme|Mlle|Me|Judge|the)\.?\s+)+"
)


@dataclass(frozen=True)
class Candidate:
    """A mention and, when a policy may keep it, why: state, public body, official, case name,
    court pseudonym (a court's own "[verdachte]": already masked)."""

    mention: Mention
    keep_reason: str | None = None


def _clean_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Strip titles, a leading "the" and a possessive; ``None`` when nothing name-like is left."""
    surface = text[start:end]
    head = TITLE_PREFIX.match(surface)
    if head:
        start += head.end()
    for suffix in ("’s", "'s", "’", "'"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    while end > start and text[end - 1] in ' ,;:(“”"':
        end -= 1
    words = re.findall(r"[^\W\d_][\w’'.-]*", text[start:end])
    if not words or all(w.lower().strip(".") in NOT_NAMES for w in words):
        return None
    if not any(w[0].isupper() for w in words):
        return None
    return start, end


def _is_public_body(surface: str) -> bool:
    surface = re.sub(r"^(?:the|The)\s+", "", surface)
    if re.match(
        r"(?:(?:Federal\s+)?Republic|Kingdom|Federation|Principality|Grand\s+Duchy)\s+of\s", surface
    ):
        return True  # a state as a party, "the Republic of Turkey"
    if not PUBLIC_BODY.search(surface):
        return False
    words = re.findall(r"[\w’'-]+", surface)
    if not words:
        return False
    head = words[0].lower()
    return head in GENERIC_HEAD or head.endswith(rules.DEMONYM_ENDINGS)


def _is_state(surface: str) -> bool:
    name = re.sub(r"^(?:the|The)\s+", "", surface).strip()
    name = re.sub(r"^(?:Republic of|République de|Kingdom of|State of)\s+", "", name)
    return name.lower() in rules.states()


# A mention that starts with one of these titles names the person in that office.
OFFICIAL_TITLE = re.compile(r"(?:Judge|Justice|Prosecutor|Registrar|Juge|Maître|Me)\b")
# French elided articles the model sometimes takes for a place: "L’accusé", "d’Etat"
ELIDED = re.compile(r"(?:[LlDd]|[Qq]u)[’']")


def official_context(text: str, start: int, end: int) -> bool:
    """Whether the mention at [start, end) names someone in an official role (judge, agent …)."""
    return bool(
        OFFICIAL_TITLE.match(text, start)
        or OFFICIAL_BEFORE.search(text[max(0, start - 60) : start])
        or OFFICIAL_AFTER.search(text[end : end + 40])
    )


PLACE_PREFIX = re.compile(
    r"(?:[Bb]orough|[Dd]istrict|[Pp]rovince|[Mm]unicipality|[Vv]illage|[Cc]ity|[Tt]own|[Rr]egion|"
    r"[Cc]ounty|[Cc]anton|[Cc]ommune|[Nn]eighbourhood|[Qq]uarter|[Vv]oivodeship)\s+of\s+$"
)
# "(Stockholms tingsrätt)", "(“EAT”)": the name in the original language or an abbreviation
ORIGINAL_NAME = re.compile(r"\s*\((?:[^()\d]{2,60})\)")


def _extend(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Widen a place or organisation over "District of …" before and "(original name)" after."""
    if kind == "LOC":
        before = PLACE_PREFIX.search(text[max(0, start - 30) : start])
        if before:
            start -= len(before.group(0))
    after = ORIGINAL_NAME.match(text, end)
    if after and "applicant" not in after.group(0) and "Government" not in after.group(0):
        end = after.end()
    return start, end


def _ner_candidates(
    text: str, language: str, found: Iterable[tuple[int, int, str]]
) -> list[Candidate]:
    kinds = NER_KINDS.get(language, {})
    out: list[Candidate] = []
    for start, end, label in found:
        kind = kinds.get(label)
        if kind is None:
            continue
        elided = ELIDED.match(text, start)
        if elided:
            start += elided.end()
        surface = text[start:end]
        if not re.search(r"[^\W\d_]{2}", surface):
            continue  # "R.", "L’", "12": initials are the rules' job, the rest is noise
        reason: str | None = None
        if kind == "PERSON":
            cleaned = _clean_person(text, start, end)
            if cleaned is None:
                continue
            start, end = cleaned
            if HEADING.match(text, start) and (start == 0 or text[start - 1] == "\n"):
                continue  # "A. Criminal proceedings": a heading, not "A. Criminal"
            if _is_state(text[start:end]):
                continue
            if CASE_CITATION_AFTER.match(text, end) or CASE_CITATION_BEFORE.search(
                text[max(0, start - 6) : start]
            ):
                reason = "case name"
            elif official_context(text, start, end):
                reason = "official"
        elif kind == "ORG":
            if surface.lower().removeprefix("the ").strip() in NOT_NAMES:
                continue
            if re.match(r"(?:the\s+)", surface):
                start += 4
            if LAW_NAME.search(surface) or "Convention" in surface:
                continue
            if _is_public_body(surface):
                reason = "public body"
            elif _is_state(surface):
                reason = "state"
        elif kind == "LOC":
            if surface.lower() in NOT_NAMES:
                continue
            if re.match(r"(?:the\s+|The\s+)", surface):
                start += 4
            if _is_public_body(surface):
                reason = "public body"
            elif _is_state(surface):
                reason = "state"
        elif kind == "DEM":
            if INSTITUTIONAL.match(text, end):
                continue
        if kind in ("LOC", "ORG") and reason is None:
            start, end = _extend(text, start, end, kind)
        mention = Mention(start, end, kind, text[start:end], NER_CONFIDENCE[kind], "ner")
        out.append(Candidate(mention, reason))
    return out


def _rule_candidates(text: str, language: str) -> list[Candidate]:
    out: list[Candidate] = []
    for mention in rules.find(text, language):
        if mention.start >= mention.end:
            continue
        reason = None
        if mention.kind == "PERSON":
            words = mention.text.split()
            if all(w.lower().strip(".") in NOT_NAMES for w in words) or _is_state(mention.text):
                continue
            if CASE_CITATION_AFTER.match(text, mention.end):
                reason = "case name"
            elif official_context(text, mention.start, mention.end):
                reason = "official"
        out.append(Candidate(mention, reason))
    return out


# After a known given name: up to three more name parts, "Kaya", "A.", "de la Cruz".
GIVEN_REST = re.compile(rf"(?:[ \u00a0](?:{rules.PARTICLE}[ \u00a0])*{rules.NAME_PART}){{1,3}}")
GIVEN_WORD = re.compile(rf"(?<![\w’'.-]){rules.NAME_WORD}")


# Words that make a "Given Surname …" sequence a company, a party, a street or a foundation.
NOT_A_SURNAME = re.compile(
    r"(?:GmbH|Ltd|Limited|Inc|AG|SA|S\.A\.|Co|Company|Street|Avenue|Road|Square|Boulevard|"
    r"Partisi|Party|Foundation|Association|Hospital|University|School|Bank|Group|Holding|"
    r"Corporation|Club|Stiftung|Verein|Straße|Strasse|Rue|Calle)\.?"
)


def _name_like(word: str) -> bool:
    """A capitalised word that may be a surname: not a court's, a body's or a title's word."""
    bare = word.strip(".").lower()
    return not (
        bare in NOT_NAMES
        or NOT_A_SURNAME.fullmatch(word)
        or bare in GENERIC_HEAD
        or bare in rules.GENERIC_PLACES
        or PUBLIC_BODY.fullmatch(word)
        or (len(word) > 1 and word.isupper() and "." not in word)
    )


def _gazetteer_candidates(text: str) -> list[Candidate]:
    """ "Given Surname": a known given name followed by capitalised name parts.

    The surname need not be known: the given name vouches for it. The sequence stops at the
    first word that belongs to a court's or a body's name, and is dropped when such a word
    follows ("Mersin Assize Court", "Vienna Regional Court" are courts) or when it names a state.
    """
    out: list[Candidate] = []
    for m in GIVEN_WORD.finditer(text):
        word = m.group(0)
        if word.isupper() or not gazetteer.given_name(word):
            continue
        rest = GIVEN_REST.match(text, m.end())
        if rest is None:
            continue
        end = m.end()
        for part in re.finditer(r"\S+", rest.group(0)):
            if part.group(0).islower():
                continue  # a particle: "van", "de", "bin"
            if not _name_like(part.group(0)):
                break
            end = rest.start() + part.end()
        follower = re.match(r"[ \u00a0]+([\w’'-]+)", text[end : end + 40])
        if end == m.end() or (follower and not _name_like(follower.group(1))):
            continue
        if _is_state(text[m.start() : end]):
            continue
        mention = Mention(m.start(), end, "PERSON", text[m.start() : end], 0.7, "gazetteer")
        reason = None
        if CASE_CITATION_AFTER.match(text, end):
            reason = "case name"
        elif official_context(text, m.start(), end):
            reason = "official"
        out.append(Candidate(mention, reason))
    return out


def _regions(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in regions)


SENTENCE_END = re.compile(r"(?<!\bNo)(?<!\bno)(?<!\bnos)(?<!\bv)(?<!\b[A-Z])\.\s+(?=[A-Z“\"])|\n")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around [start, end): "No. 11" and "v. Turkey" do not end one."""
    window_start = max(0, start - 400)
    left = window_start
    for m in SENTENCE_END.finditer(text, window_start, start):
        left = m.end()
    right = SENTENCE_END.search(text, end, end + 400)
    return text[left : right.start() if right else min(len(text), end + 400)]


# A court's own pseudonym, as Dutch courts publish them: "[verdachte]", "[slachtoffer 1]",
# "[X]", "[geboortedatum] 1949". Already masked by the court: nothing inside is a name to hide.
COURT_PSEUDONYM = re.compile(r"\[[^\[\]\n]{1,40}\]")


def _overlaps(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in regions)


def detect(text: str, language: str) -> list[Candidate]:
    """Every candidate mention in ``text``, from the language's NER pipeline and the rules."""
    found = pipelines.entities(language, text)  # a worker may start on its share now
    others = _rule_candidates(text, language) + _gazetteer_candidates(text)
    candidates = _ner_candidates(text, language, found) + others
    citations = _regions(CASE_CITATION, text)
    pseudonyms = _regions(COURT_PSEUDONYM, text)
    party_states = {
        m.group("state") for m in PARTY_STATE.finditer(text) if _is_state(m.group("state"))
    }
    out = []
    for c in candidates:
        m, reason = c.mention, c.keep_reason
        if _inside(m.start, m.end, pseudonyms) or (
            m.source == "ner" and _overlaps(m.start, m.end, pseudonyms)
        ):
            reason = "court pseudonym"
        elif reason is None:
            if m.kind in ("CODE", "DATETIME", "PERSON") and _inside(m.start, m.end, citations):
                reason = "case name"
            elif m.kind == "DATETIME" and PUBLIC_DATE_CONTEXT.search(
                _sentence(text, m.start, m.end)
            ):
                reason = "public body"
            elif m.kind in ("LOC", "ORG") and m.text in party_states:
                reason = "public body"
        out.append(c if reason == c.keep_reason else Candidate(m, reason))
    return out
