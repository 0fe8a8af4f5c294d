"""Detection: the spaCy entities of a text and the rules' mentions, labelled and screened.

``detect()`` is independent of policy: it returns every candidate with the reason it might be
kept (a state, a public body, an official in that role, a party's name in a case citation).
The policy decides in ``engine.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import gazetteer, pipelines, places, rules
from .protection import PLACE_PREFIX, protect_rules
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
    r"(?P<state>[A-Z][\w]+(?:\s+(?:of\s+|and\s+)?[A-Z][\w]+){0,8})"
)
# Words that make an organisation a public body (kept by policies with keep_public_bodies) when
# the name does not start with a place (a local court or office is identifying, a ministry not).
PUBLIC_BODY = re.compile(
    r"\b(?:Government|Ministry|Minister|Parliament|Assembly|Commission|Council|Court|Tribunal|"
    r"Cour|Conseil|Gouvernement|Prosecutor|Prosecution|Procurator|Ombudsman|Republic|"
    r"République|State|Treasury|Office|Department|Directorate|Agency|Authority|Authorities|"
    r"Inspectorate|Police|Army|Forces|Gendarmerie|Registry|Union|Nations|Europe|Section|"
    r"Chamber|Bureau|Board|Service|Senate|Presidency|Cabinet|Administration|Governor|Lords|"
    r"Committee|Panel|Division|Inspector|Insurance|Institute|Rechtbank|Gerechtshof|Raad|"
    r"Ministerie|Gericht|Landgericht|Oberlandesgericht|Amtsgericht|Bundesgerichtshof|"
    r"Staatsanwaltschaft|Bundesanwaltschaft|Generalbundesanwalt|Parquet|Ministère|Tribunal|"
    r"tingsrätt|hovrätt|Högsta|Audiencia|Fiscalía|Juzgado)\b"
)
# Words that make a public body's name one of a court or authority when it starts with a place
# ("the Mardin State Security Court", "Rechtbank Den Haag", "Landgericht Koblenz"); a private
# "Union", "Institute" or "Insurance" with a place in its name is no authority.
LOCAL_AUTHORITY = re.compile(
    r"\b(?:[Cc]ourt|Tribunal|[Pp]rosecutor|Prosecution|Procurator|[Pp]olice|Gendarmerie|Municipality|"
    r"Council|Governor|Governorship|Directorate|Registry|Authority|Authorities|Inspectorate|"
    r"Ministry|Rechtbank|Gerechtshof|Gericht|Landgericht|Oberlandesgericht|Amtsgericht|"
    r"Staatsanwaltschaft|Cour|Parquet|tingsrätt|hovrätt|Audiencia|Juzgado|Fiscalía)\b"
)
# The last word of an authority's name: "the Benefits Agency", "the Revenue Department".
AUTHORITY_HEAD = re.compile(
    r"Courts?|Tribunals?|Chambers?|Prosecutors?|Office|Ministry|Department|Directorate|Agency|"
    r"Authority|Commission|Council|Registry|Inspectorate|Revenue|Treasury|Police|Gendarmerie|"
    r"Municipality|Governorship|Administration|Borough"
)
# International organisations and courts, kept by policies with ``international_bodies``.
INTERNATIONAL = re.compile(
    r"\b(?:United\s+Nations|UN|Council\s+of\s+Europe|European\s+(?:Union|Commission|Court|"
    r"Parliament|Council|Committee|Agency|Convention)|Committee\s+of\s+Ministers|Eurojust|"
    r"Europol|Interpol|International|ICTY|ICTR|ICC|IRMCT|NATO|OSCE|UNHCR|UNICEF|Red\s+Cross|"
    r"Genocide\s+Network|Commission\s+of\s+Human\s+Rights|Security\s+Council|"
    r"Nations\s+Unies|Conseil\s+de\s+l.Europe|Cour\s+européenne|Union\s+européenne)\b"
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
COURT_AFTER = re.compile(
    r"\s+(?:(?:[A-Z][\w’'-]*|of|and)\s+){0,3}(?:[Cc]ourts?|Tribunal|Prosecutor|Police|Security\s+"
    r"Directorate)\b"
)
NATIONAL_AFTER = re.compile(r"\s+(?:national|citizen|ressortissante?|nationale?)s?\b")
HEADING = re.compile(r"[A-Z]\.\s+[A-Z]")
CASE_CITATION_AFTER = re.compile(r"\s*(?:and\s+Others\s+)?v\.?\s")
CASE_CITATION_BEFORE = re.compile(r"\sv\.?\s+(?:the\s+)?$")
OFFICIAL_BEFORE = re.compile(
    r"(?:\bJudge|\bPresident|\bVice-President|\bRegistrar|\bAgent|\bCo-Agent|\bAdvis[eo]rs?|"
    r"\bprosecutor|\bProsecutor|\bcounsel|\bCounsel|represented\s+by|\bjuge|\bprésidente?|"
    r"\bgreffière?|\bprocureure?|\bagente?|représentée?\s+par|\brechter|\bgriffier|"
    r"\bofficier\s+van\s+justitie|\badvocaat|\braadsman|\braadsvrouw|\bRichter(?:in)?|"
    r"\bVorsitzende[rn]?|\bStaatsanwalt|\bStaatsanwältin|\bRechtsanwalt|\bRechtsanwältin|"
    r"\bVerteidiger(?:in)?|\bjueza?|\bJueza?|\bfiscal|\bFiscal|\bAgente|\babogad[oa]s?|"
    r"\bSecretari[oa]|\bpresidenta?|representad[oa]\s+por)[^.;]{0,25}$"
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
    protect: frozenset[str] = frozenset()


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
    if STATE_AS_PARTY.match(surface):
        return True  # a state as a party, "the Republic of Turkey"
    if not PUBLIC_BODY.search(surface):
        return False
    words = re.findall(r"[\w’'-]+", surface)
    if not words:
        return False
    head = words[0].lower()
    return head in GENERIC_HEAD or head.endswith(rules.DEMONYM_ENDINGS)


# "the Republic of Turkey": a state as a party to the proceedings, a public authority.
STATE_AS_PARTY = re.compile(
    r"(?:(?:Federal\s+)?Republic|Kingdom|Federation|Principality|Grand\s+Duchy)\s+of\s"
)


def body_rule(surface: str) -> str | None:
    """The keep rule an organisation or place name falls under, if any (vocab/keep_rules)."""
    bare = re.sub(r"^(?:the|The)\s+", "", surface)
    if _is_state(surface) and not STATE_AS_PARTY.match(bare):
        return "states"
    if INTERNATIONAL.search(surface):
        return "international_bodies"
    if _is_public_body(surface):
        return "public_authorities"
    words = re.findall(r"[\w.]+", re.sub(r"\s*\([^()]*\)?$", "", surface))
    if any(NOT_A_SURNAME.fullmatch(w) for w in words):
        return None
    if LOCAL_AUTHORITY.search(surface) or (words and AUTHORITY_HEAD.fullmatch(words[-1])):
        return "local_courts_and_authorities"
    return None


def _is_state(surface: str) -> bool:
    name = re.sub(r"^(?:the|The)\s+", "", surface).strip()
    name = re.sub(r"^(?:Republic of|République de|Kingdom of|State of)\s+", "", name)
    return name.lower() in rules.states()


# A mention that starts with one of these titles names the person in that office.
OFFICIAL_TITLE = re.compile(r"(?:Judge|Justice|Prosecutor|Registrar|Juge|Maître|Me)\b")
# French elided articles the model sometimes takes for a place: "L’accusé", "d’Etat"
ELIDED = re.compile(r"(?:[LlDd]|[Qq]u)[’']")


# Offices whose holders act in public: a judge, a court's president or registrar, a prosecutor.
# The rest of the official cues name a party's representative (agent, counsel, lawyer).
IN_OFFICE = re.compile(
    r"Judge|Justice|President|Vice-President|Registrar|prosecutor|Prosecutor|juge|présidente?|"
    r"greffière?|procureure?|Juge|rechter|griffier|officier\s+van\s+justitie|advocaat-generaal|"
    r"Richter|Richterin|Vorsitzende|Staatsanwalt|Staatsanwältin|Oberstaatsanwalt|Bundesanwalt|"
    r"jueza?|Jueza?|fiscal|Fiscal|Secretari[oa]|presidenta?"
)


def official_rule(text: str, start: int, end: int) -> str | None:
    """``officials_in_office`` (a judge, registrar, prosecutor), ``representatives`` (an agent,
    counsel, a lawyer) or ``None`` for the person mentioned at [start, end)."""
    if not official_context(text, start, end):
        return None
    around = text[max(0, start - 60) : start] + " " + text[end : end + 40]
    title = OFFICIAL_TITLE.match(text, start)
    if (title and title.group(0) in ("Judge", "Justice", "Prosecutor", "Registrar", "Juge")) or (
        IN_OFFICE.search(text[max(0, start - 30) : start])
        and not re.search(
            r"Agent|counsel|Counsel|lawyer|advocate|avocat|Adviser|abogad|advocaat|Rechtsanw",
            around,
        )
    ):
        return "officials_in_office"
    return "representatives"


def official_context(text: str, start: int, end: int) -> bool:
    """Whether the mention at [start, end) names someone in an official role (judge, agent …)."""
    return bool(
        OFFICIAL_TITLE.match(text, start)
        or OFFICIAL_BEFORE.search(text[max(0, start - 60) : start])
        or OFFICIAL_AFTER.search(text[end : end + 40])
    )


# The generic words of a place's name: "the District of Kyrenia" is "Kyrenia".
PLACE_WORDS = re.compile(
    r"^(?:the\s+)?(?:[Bb]orough|[Dd]istrict|[Pp]rovince|[Mm]unicipality|[Vv]illage|[Cc]ity|"
    r"[Tt]own|[Rr]egion|[Cc]ounty|[Cc]anton|[Cc]ommune|[Nn]eighbourhood|[Qq]uarter|"
    r"[Vv]oivodeship)\s+of\s+|\s+(?:[Vv]illage|[Dd]istrict|[Pp]rovince|[Rr]egion)$"
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


def _ordinary_phrase(surface: str, ordinary: frozenset[str]) -> bool:
    """Whether every word of an organisation's name is one the text also writes in lower case
    ("Commanding Officer", "Social Security"): a common noun in capitals, not a name. A name
    with an acronym, a number or a word of its own is not."""
    words = re.findall(r"[\w’'-]+", re.sub(r"^(?:the|The)\s+", "", surface))
    return bool(words) and all(
        w[0].isupper() and not w.isupper() and w.lower() in ordinary for w in words
    )


def _ner_candidates(
    text: str, language: str, found: Iterable[tuple[int, int, str]]
) -> list[Candidate]:
    kinds = NER_KINDS.get(language, {})
    ordinary = pipelines.ordinary_words(text)
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
            if _is_state(text[start:end]) or COURT_AFTER.match(text, end):
                continue  # "the Konya court": a place in a court's name, not a person
            if CASE_CITATION_AFTER.match(text, end) or CASE_CITATION_BEFORE.search(
                text[max(0, start - 6) : start]
            ):
                reason = "legal_citations"
            else:
                reason = official_rule(text, start, end)
        elif kind == "ORG":
            if surface.lower().removeprefix("the ").strip() in NOT_NAMES:
                continue
            if _ordinary_phrase(surface, ordinary):
                continue  # "Commanding Officer", "Social Security": the text's own words
            if re.match(r"(?:the\s+)", surface):
                start += 4
            if LAW_NAME.search(surface) or "Convention" in surface:
                continue
            reason = body_rule(surface)
        elif kind == "LOC":
            if surface.lower() in NOT_NAMES:
                continue
            if re.match(r"(?:the\s+|The\s+)", surface):
                start += 4
            reason = body_rule(surface)
        elif kind == "DEM":
            national = NATIONAL_AFTER.match(text, end)
            if national:
                end = national.end()  # "a Turkish national": the nationality, whole
            elif INSTITUTIONAL.match(text, end):
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
        if mention.source == "pseudonym":
            out.append(Candidate(mention, "court_pseudonyms"))
            continue
        if mention.kind == "PERSON":
            words = mention.text.split()
            if all(w.lower().strip(".") in NOT_NAMES for w in words) or _is_state(mention.text):
                continue
            if CASE_CITATION_AFTER.match(text, mention.end):
                reason = "legal_citations"
            else:
                reason = official_rule(text, mention.start, mention.end)
        elif mention.kind in ("ORG", "LOC"):
            reason = body_rule(mention.text)
        out.append(Candidate(mention, reason))
    return out


# After a known given name: up to three more name parts, "Kaya", "A.", "de la Cruz".
GIVEN_REST = re.compile(rf"(?:[ \u00a0](?:{rules.PARTICLE}[ \u00a0])*{rules.NAME_PART}){{1,3}}")
GIVEN_WORD = re.compile(rf"(?<![\w’'.-]){rules.NAME_WORD}")


# Words that make a "Given Surname …" sequence a company, a party, a street or a foundation.
NOT_A_SURNAME = re.compile(
    r"(?:GmbH|Ltd|Limited|Inc|AG|SA|S\.A\.|Co|Company|Street|Avenue|Road|Square|Boulevard|"
    r"Partisi|Party|Foundation|Association|Hospital|University|School|Bank|Group|Holding|"
    r"Corporation|Club|Stiftung|Verein|Straße|Strasse|Rue|Calle|Borough|District|Province|"
    r"County|Region|Municipality|Village|Town|City)\.?"
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
        if text[m.start() : end].endswith(("’s", "'s")):
            end -= 2  # "Omar Haddad's brother": the possessive is not part of the name
        mention = Mention(m.start(), end, "PERSON", text[m.start() : end], 0.7, "gazetteer")
        reason = None
        if CASE_CITATION_AFTER.match(text, end):
            reason = "legal_citations"
        else:
            reason = official_rule(text, m.start(), end)
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


def _overlaps(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in regions)


# "practising in Izmir", "lives in Van": a preposition of place right before a word
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|à|en|de|te|in|bei|aus|nach|en|desde)\s+$")


def _city_not_person(text: str, c: Candidate) -> Candidate:
    """A one-word "person" of the model that is a city of 15,000 or more, right after a
    preposition of place ("lawyers practising in Izmir"), is that city."""
    m = c.mention
    if m.kind != "PERSON" or " " in m.text or c.keep_reason:
        return c
    if not LOCATIVE_BEFORE.search(text[max(0, m.start - 8) : m.start]):
        return c
    if places.population(m.text) == 0:
        return c
    return Candidate(Mention(m.start, m.end, "LOC", m.text, m.confidence, m.source), None)


def _party_states(text: str) -> list[tuple[int, int]]:
    """Where the text names a respondent state as such, by its longest name that is a state:
    "against the United Kingdom of Great Britain and Northern Ireland" as a whole. Elsewhere
    the same state may be where something happened ("brought into the United Kingdom")."""
    out = []
    for m in PARTY_STATE.finditer(text):
        words = m.group("state").split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            if _is_state(name):
                out.append((m.start("state"), m.start("state") + len(name)))
                break
    return out


def detect(text: str, language: str) -> list[Candidate]:
    """Every candidate mention in ``text``, from the language's NER pipeline and the rules."""
    found = pipelines.entities(language, text)  # a worker may start on its share now
    others = _rule_candidates(text, language) + _gazetteer_candidates(text)
    candidates = [_city_not_person(text, c) for c in _ner_candidates(text, language, found)]
    candidates += others
    citations = _regions(CASE_CITATION, text)
    # a court's own pseudonym ("[verdachte]", the rules' court_pseudonym): a model's mention
    # that overlaps one is part of what the court already masked
    pseudonyms = rules.court_pseudonyms(text, language)
    party_states = _party_states(text)
    out = []
    for c in candidates:
        m, reason = c.mention, c.keep_reason
        if _inside(m.start, m.end, pseudonyms) or (
            m.source == "ner" and _overlaps(m.start, m.end, pseudonyms)
        ):
            reason = "court_pseudonyms"  # already masked by the court
        elif (
            reason in (None, "states")
            and m.kind in ("LOC", "ORG")
            and _inside(m.start, m.end, party_states)
        ):
            reason = "public_authorities"  # the respondent state, a party to the case
        if reason is None:
            if m.kind in ("CODE", "DATETIME", "PERSON") and _inside(m.start, m.end, citations):
                reason = "legal_citations"
            elif m.kind == "DATETIME" and PUBLIC_DATE_CONTEXT.search(
                _sentence(text, m.start, m.end)
            ):
                reason = "procedural_dates"

        out.append(Candidate(m, reason, protect_rules(text, m)))
    return out
