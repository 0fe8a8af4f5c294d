"""Pattern rules that find what a statistical NER model misses or mislabels in judgments.

Dates, identifying numbers, amounts, ages, titles followed by names ("Mr Z.M. Necatigil",
"M. Dupont"), bare initials ("F.E."), professions. Each rule yields ``Mention``s; the detector
merges them with the model's entities. Word lists are per language; patterns on digits are
shared.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from importlib import resources

from .types import Mention

# Every upper-case letter of the Basic Multilingual Plane's Latin, Greek and Cyrillic blocks:
# names in judgments carry Ş, İ, Ł, Ž … which [A-Z] misses.
UPPER = "".join(re.escape(chr(c)) for c in range(0x0041, 0x0530) if chr(c).isupper())
LETTER = r"[^\W\d_]"
NAME_WORD = rf"(?:[{UPPER}]{LETTER}*(?:['’-][{UPPER}]?{LETTER}+)*)"
# one letter, or a Slavic digraph written as one initial ("Cz. Sławski", "Zh. Ivanov")
INITIAL = rf"(?:[{UPPER}]|Cz|Sz|Ch|Dz|Dż|Rz|Zh|Kh|Sh|Ts|Yu|Ya)\."
INITIALS = rf"(?:{INITIAL}(?:\s?-?{INITIAL})*)"
NAME_PART = rf"(?:{INITIALS}|{NAME_WORD})"
# particles inside names: "van der", "de", "von", "bin", "al-"
PARTICLE = r"(?:van|von|der|den|de|da|di|du|del|della|la|le|ter|bin|ibn|al|el)"
NAME_SEQ = rf"{NAME_PART}(?:[ \u00a0](?:{PARTICLE}[ \u00a0])*{NAME_PART}){{0,4}}"

MONTHS = {
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
    "fr": "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre"
    "|novembre|décembre|decembre",
    "nl": "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
    "de": "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    "|Dezember",
    "es": "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    "|noviembre|diciembre",
    "sv": "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december",
}
TITLES = {
    "en": r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Judge|Justice|Sir|Dame|Lord|Lady",
    "fr": r"M\.|MM\.|Mme|Mmes|Mlle|Me|Maître|Dr|Docteur|Pr|Professeur|Monsieur|Madame|Mademoiselle",
    # languages without a model lean on these: German, Dutch, Spanish, Swedish (English too,
    # for the names and titles a translation left in English)
    "de": r"Herr|Herrn|Frau|Hr|Fr|Dr|Prof|Professor|Rechtsanwalt|Rechtsanwältin|RA|Mr|Mrs|Ms",
    "nl": r"de\s+heer|De\s+heer|mevrouw|Mevrouw|mevr|Mevr|dhr|Dhr|mr|Mr|Mrs|Ms|Dr|Prof|Professor",
    "es": r"Sres|Sras|Sr|Sra|Srta|Señor|Señora|Señorita|Don|Doña|Dr|Dra|Prof|Mr|Mrs|Ms|Sir|"
    r"Lord|Dame",
    "sv": r"herr|Herr|fru|Fru|Dr|Prof|Mr|Mrs|Ms",
}
# Words before a name that say a person follows: procedural roles, relatives, "named …" in the
# corpus languages ("the accused Anwar R.", "his son Aslan", "la nommée X", "zoon X"). Not
# German: it capitalises every noun, so "dem Opfer Schmerzen" would read as a name ("Herr",
# "Frau" are its cues). Not "called": "a group called the PKK" is no person.
PERSON_CUES = (
    r"witness(?:es)?|accused|defendant|victim|complainant|suspect|informant|"
    r"témoin|victime|accusée?|prévenue?|plaignante?|"
    r"son|daughter|brother|sister|husband|wife|father|mother|uncle|aunt|nephew|niece|cousin|"
    r"grandson|granddaughter|grandfather|grandmother|fiancée?|"
    r"fils|fille|frère|sœur|soeur|mari|époux|épouse|oncle|neveu|nièce|cousine?|"
    r"named|nommée?|dénommée?|prénommée?|"
    r"getuige|verdachte|slachtoffer|zoon|dochter|broer|zus|echtgenoot|echtgenote|genaamd|"
    r"testigo|acusad[oa]|víctima|hij[oa]|herman[oa]|espos[oa]|llamad[oa]"
)
CURRENCY_CODES = (
    "EUR|USD|GBP|CHF|TRL|TRY|YTL|PLN|ATS|DEM|FRF|NOK|SEK|DKK|HUF|CZK|SKK|RUB|UAH|BGN|RON|ROL|"
    "HRK|BAM|RSD|MKD|GEL|AMD|AZN|MDL|LTL|LVL|EEK|ITL|ESP|PTE|GRD|CYP|NLG|BEF|LUF|IEP|FIM|SIT|ISK"
)
CURRENCY_WORDS = (
    r"euros?|(?:new\s)?(?:Turkish\s)?liras?|(?:Polish\s)?zlotys?|(?:Austrian\s)?schillings?|"
    r"(?:Deutsche?\s|German\s|GDR\s)?[Mm]arks?|(?:French\s|Swiss\s)?francs?|(?:pounds?\s)?sterling|"
    r"pounds?|dollars?|(?:Swedish\s|Norwegian\s|Danish\s)?(?:kroner|kronor|krona)|crowns?|"
    r"roubles?|rubles?|hryvnias?|forints?|lei|dinars?"
)
APPROXIMATELY = r"(?:(?:approximately|approx\.|around|some|over|nearly|almost|circa|environ)\s+)?"
UNITS = (
    r"km/h|kilometres?|kilometers?|km|metres?|meters?|square\smetres?|sq\.\s?m\.?|m²|m2|hectares?|"
    r"ha|kg|kilograms?|grams?|litres?|liters?|tons?|tonnes?|cm|mm|centimetres?|decares?|acres?|"
    r"storeys?|floors?"
)
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
# Words before "no." that introduce a law or a document, not a person's file: kept.
NOT_A_FILE = (
    r"Protocol|Protocols|Law|Laws|Act|Decree|Decree-Law|Rule|Rules|Article|Articles|Regulation|"
    r"Directive|Convention|Series|Resolution|Recommendation|Code|Ordinance|Statute|Order|Circular|"
    r"Report|Reports|Opinion|Decision|Judgment|Volume|Vol|Bulletin|Gazette|Official|Section"
)

# titles masked together with the name (TAB's spans include them; "Mr" is not counted)
INNER_TITLES = frozenset(
    "Dr Prof Professor Judge Justice Sir Dame Lord Lady Docteur Pr Professeur".split()
)
# first words of court names that are not places: "the Supreme Court" is not a local court
GENERIC_PLACES = frozenset(
    """the a an supreme constitutional administrative federal high regional district state
    security military labour civil criminal assize appeal cassation national central european
    general public social higher first second third fourth fifth chief principal this that
    which its their his her same competent relevant local provincial county city municipal
    juvenile family commercial magistrates peace cantonal appeals tax land police enforcement
    aliens new old upper lower court courts prison hospital office university school""".split()
)
# "Turkish", "Austrian", "Norwegian", "Cypriot": a demonym heads a national body, not a place
DEMONYM_ENDINGS = ("ish", "ian", "ese", "ean", "ic", "ch", "ot", "ek", "ss", "an")
NOT_PERSON_INITIALS = frozenset(
    "S.A. A.G. N.V. B.V. U.K. U.S. E.U. U.N. P.C. Q.C. K.C. A.S.".split()
)
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# Words between a number and the plural noun it counts that end the count ("two of the",
# "within 14 days to"): the noun must follow the number or one or two modifiers.
COUNT_STOP = (
    r"and|or|of|to|in|at|on|for|by|from|with|per|the|a|an|was|were|is|are|had|has|have|been|"
    r"as|than|that|which|who|whom|under|between|before|after|against|into|out|up|also|not"
)
# Plural nouns a count of which identifies nobody, or that another rule covers (durations,
# amounts, measures, ages): "two applicants", "three judges", "14 days", "50 metres".
COUNT_NOT = (
    r"years|months|weeks|days|hours|minutes|seconds|times|applicants|judges|paragraphs|"
    r"articles|sections|ones|others|parties|votes|euros|liras|lira|pounds|dollars|marks|francs|"
    r"schillings|zlotys|kroner|kronor|roubles|rubles|hryvnias|forints|dinars|metres|meters|"
    r"kilometres|kilometers|litres|liters|hectares|decares|acres|kilograms|grams|tons|tonnes|"
    r"centimetres|storeys|floors|percent|points|degrees|instalments|installments|pages|"
    r"whereas|thus|this|always|perhaps|unless|towards|besides|afterwards|basis|status|alias"
)
# The kind of a court's pseudonym by its first word; any other word stands for a person.
PSEUDONYM_KINDS = {
    **dict.fromkeys(
        "locatie adres woonplaats plaats straat geboorteplaats place address location city "
        "village town lieu adresse ort adresse".split(),
        "LOC",
    ),
    **dict.fromkeys("datum geboortedatum date dob datum".split(), "DATETIME"),
    **dict.fromkeys(
        "kenteken nummer bsn rekeningnummer telefoonnummer number kennzeichen".split(), "CODE"
    ),
    **dict.fromkeys("bedrijf onderneming company firma".split(), "ORG"),
}
# Titles that stay outside a person's span ("Mr [applicant]"), as in the person_title rule.
LEADING_TITLE = re.compile(r"(?:(?:Mr|Mrs|Ms|Miss|Mx|M|Mme|Mlle|Herr|Frau|Sr|Sra)\.?[ \u00a0]+)+")
DAY = r"(?:[0-3]?\d(?:st|nd|rd|th|er)?)"


@cache
def _words(name: str) -> tuple[str, ...]:
    text = resources.files("cicnet.anonymisation").joinpath("data", name).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def professions() -> frozenset[str]:
    """Professions (``data/professions.txt``), in lower case."""
    return frozenset(s.lower() for s in _words("professions.txt"))


@cache
def states() -> frozenset[str]:
    """Names of states kept by policies that keep states (``data/states.txt``)."""
    return frozenset(s.lower() for s in _words("states.txt"))


def _word_start(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern``, tried only where no letter precedes: Python's ``re`` otherwise tries every
    alternative at every position inside words (2 to 5 times faster; the same matches on all TAB
    documents, as no match of these rules starts inside a word)."""
    return re.compile(rf"(?<![^\W\d_])(?:{pattern})", flags)


@cache
def _patterns(language: str) -> dict[str, re.Pattern[str]]:
    months = MONTHS.get(language, MONTHS["en"])
    mon = rf"(?:{months})" if language in ("en", "de") else rf"(?i:{months})"
    de = r"(?:de\s+)?" if language == "es" else ""  # "12 de marzo de 2010"
    day_list = rf"(?:{DAY}\s*(?:,|and|to|or|et|au|-|–|/)\s*)*"
    part_of = (
        r"(?:(?:the\s+)?(?:beginning|end|middle|start|spring|summer|autumn|winter|"
        r"(?:first|second)\s+half|early|late|mid)\s+(?:of\s+)?)?"
    )
    date = (
        rf"{part_of}(?:{day_list}{DAY}\s+{de}{mon}(?:\s*(?:,|and|to|-|–)\s*{DAY}\s+{mon})*\.?"
        rf"(?:,?\s+{de}{YEAR})?"
        rf"|{mon}\s+(?:(?:and|to|-|–)\s+{mon}\s+)?(?:{DAY},?\s+)?{YEAR}"
        rf"|{mon}\s+{DAY}\b(?!\s*/)"
        rf"|(?<![\d/.])[0-3]?\d[./][01]?\d[./](?:{YEAR}|\d\d)(?![\d/])"
        rf"|(?<![\d/.,§-]){YEAR}s?(?![\d/]|\s*§|,\d|\.\d))"
    )
    time = (
        r"(?<![\d.,])(?:[01]?\d|2[0-3])[.:h][0-5]\d(?:\s*(?:a\.m\.|p\.m\.|am|pm|hrs|hours|h))?"
        r"(?![\d/])|(?<![\d.,])[01]?\d\s*(?:a\.m\.|p\.m\.|o’clock|o'clock)|\b\d{1,2}\s+noon\b"
    )
    money = (
        rf"{APPROXIMATELY}(?:\b(?:{CURRENCY_CODES})\s?\d[\d,.' ]*\d|\b(?:{CURRENCY_CODES})\s?\d"
        rf"|[€£$]\s?\d[\d,.]*\d?"
        rf"|\b\d[\d,.' ]*\d?\s?(?:million\s|billion\s)?"
        rf"(?:(?i:{CURRENCY_WORDS})\b|(?:{CURRENCY_CODES})\b|€)"
        rf")(?:\s?\((?:{CURRENCY_CODES})[^()]{{0,40}}\))?"
    )
    quantity = (
        rf"\b\d+(?:[.,]\d+)?\s?(?:%|per\s?cent|pour\s?cent)"
        rf"|\b\d[\d,.]*\s?(?:{UNITS})\b"
        rf"|\b(?:aged|age\sof|age\sis|âgée?\sde)\s+"
        rf"(?:\d+|(?:{NUMBER_WORDS})\b(?:[- ](?:{NUMBER_WORDS})\b)?)"
        rf"|\b(?:\d+|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))?)[- ]years?[- ]old\b"
    )
    code = (
        r"(?<![\w/.])\d{1,6}/\d{1,4}(?:[/.]\d+)*[A-Z]?\d*(?![\w/])"
        r"|\b[A-Z]{1,3}-\d{3,}\b"
        r"|\b\d{2,}(?:[.:]\d+){2,}\b"
        r"|\b\d{4}:\d+\b"
        r"|(?<![\w+])\+?\d{2,4}[ -]?\(?\d{2,4}\)?[ -]\d{2,4}[ -]\d{2,4}(?:[ -]\d{2,4})?\b"
    )
    file_no = r"\b(?:[Nn]os?\.|[Nn]umbers?|[Nn]°|[Nn]º)\s*(?:[A-Z]{0,3}\.?\s?\d[\w./:-]*)"
    file_list = r"(?:\s*(?:,|and|et|-|–)\s*[A-Z]?\d[\w./:-]*)*"
    duration = (
        rf"(?:\d+|(?:{NUMBER_WORDS})\b(?:[- ](?:{NUMBER_WORDS})\b)?)"
        rf"[- ](?:years?|months?|weeks?|days?)"
        rf"(?:\s+and\s+(?:\d+|(?:{NUMBER_WORDS})\b)\s+(?:months?|weeks?|days?))?"
    )
    sentence = (
        rf"(?:sentenced\s+(?:him\s+|her\s+|them\s+)?to|sentences?\s+of|term\s+of|"
        rf"imprisonment\s+of|served|lasted)\s+(?:a\s+total\s+of\s+|a\s+further\s+)?"
        rf"(?P<a>{duration})|(?P<b>{duration})(?:[’']s?)?\s+(?:of\s+)?(?:imprisonment|prison|detention|"
        rf"suspended|custod)"
    )
    # "for three years", "lasted ten days": a span of a person's life; legal time-limits
    # ("within two months", "a ten-day time-limit") and sentences (the "sentence" rule) are not
    span_of_time = (
        rf"(?<!within\s)(?<!least\s)(?<!than\s)(?<!statutory\s)(?<!every\s)(?<!after\s)"
        rf"(?<!age\sof\s)\b(?<![-‑])(?:\d+|(?:{NUMBER_WORDS})\b(?:[- ](?:{NUMBER_WORDS})\b)?)"
        rf"(?:[- ]and[- ]a[- ]half)?[- ](?:years?|months?|weeks?|days?|hours?)\b"
        rf"(?![’' ]*s?[’']?\s*(?:imprisonment|time-limit|period|from|after|later|before|ago|"
        rf"prison|detention|had\s+elapsed))"
    )
    # "79 packages", "seventy-one hearings", "623 other suspects", "22,000 ecstasy tablets": a
    # count of things or people is a quasi-identifier (TAB's QUANTITY); not a year, a duration,
    # an amount or a measure (their own rules), nor "two applicants" or "three judges"
    word = rf"(?i:{NUMBER_WORDS}|hundred)"
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{word}(?:[- ‑]{word})*)"
    count = (
        rf"(?<![\w/.,§‑–-])(?!{YEAR}\b)(?P<n>{number})"
        rf"(?:\s+(?!(?:{COUNT_STOP})\b)[A-Za-z][\w‑-]*){{0,2}}?"
        rf"\s+(?!(?:{COUNT_NOT})\b)(?P<noun>[a-z]{{3,}}s)\b(?![’'])"
    )
    titles = TITLES.get(language, TITLES["en"])
    jobs = "|".join(re.escape(p) for p in _words("professions.txt"))
    person_title = rf"(?<!\w)(?P<title>(?:{titles})\.?)[ \u00a0]+(?P<name>{NAME_SEQ})"
    initials_only = rf"(?<![\w.])[{UPPER}]\.(?:\s?-?[{UPPER}]\.)+(?!\w)"
    return {
        "date": _word_start(date),
        "time": _word_start(time),
        "money": _word_start(money),
        "quantity": _word_start(quantity),
        "code": _word_start(code),
        "file_no": re.compile(file_no + file_list),
        "not_a_file": re.compile(rf"(?:{NOT_A_FILE})\.?\s*$"),
        "person_title": re.compile(person_title),
        "sentence": _word_start(sentence, re.IGNORECASE),
        "span_of_time": _word_start(span_of_time),
        "origin": re.compile(
            rf"\b(?P<dem>[{UPPER}]\w+(?:[-‑][{UPPER}]\w+)?)\s+(?:origin|descent|ethnicity)\b"
        ),
        "applicant_job": re.compile(
            r"\bapplicant,\s+(?:who\s+(?:is|was|had\s+been)\s+)?(?:an?|the)\s+"
            r"(?P<job>[a-z][\w‑ -]{2,45}?)\s*(?=[,.;(]|\s(?:at|in|of|for|with|who|and)\b)"
        ),
        "local_court": re.compile(
            rf"(?:\b(?:[{UPPER}]\w+)\s+Chamber\s+of\s+the\s+)?"
            rf"(?P<place>[{UPPER}][\w’'-]+(?:[/ -][{UPPER}][\w’'-]+)?)\s+"
            r"(?:(?:Regional|District|Provincial|Administrative|Social|Labour|Civil|Criminal|"
            r"Magistrates[’']?|Assize|State\s+Security|Juvenile|Commercial|Family|Military|Public|"
            r"Chief\s+Public|Peace|Cantonal|County|City|Municipal|Appeal|Appeals|Higher|Tax|Land|"
            r"Police|Enforcement|Aliens)\s+)*"
            r"(?:Court|Tribunal|Prosecutor(?:[’']s\s+Office)?|Prison|Hospital|Police|Authority|"
            r"Office|Directorate|University|School|Municipality|Council)"
            r"(?:\s+of\s+(?:First[- ]Instance|Appeal|General\s+Jurisdiction|Cassation))?"
            r"(?:\s*\((?:[^()\d]{2,60})\))?"
        ),
        # "the Beyoğlu court", "the Edirne prosecutor’s office": a place, then a court in lower
        # case (the first word decides, as for "local_court")
        "local_court_lower": re.compile(
            rf"(?<![\w’'-])(?P<place>[{UPPER}][\w’'-]+)\s+(?:court|prosecutor[’']s\s+office|"
            r"public\s+prosecutor[’']s\s+office|prison|police\s+station)\b"
        ),
        # "the London-based company": the place with its suffix
        "place_based": re.compile(rf"(?<![\w-])[{UPPER}][\w’']+(?:[ -][{UPPER}][\w’']+)?-based\b"),
        # a person's health said of them: "diagnosed with paranoid schizophrenia", "suffering
        # from a psychotic illness", "a woman with a disability"
        "health": re.compile(
            r"\b(?:diagnosed\s+(?:as\s+having|with)|suffer(?:s|ed|ing)?\s+from|with)\s+"
            r"(?:(?:an?|his|her|their)\s+)?"
            r"(?P<condition>(?:(?:severe|serious|chronic|acute|physical|mental|permanent|partial|"
            r"total|paranoid|psychotic|psychiatric|post-traumatic|learning|heart|terminal)\s+)*"
            r"(?:disability|disabilities|illness|schizophrenia|epilepsy|depression|cancer|"
            r"diabetes|tuberculosis|hepatitis\s*[A-C]?|HIV|AIDS|disorder|psychosis|paralysis|"
            r"stress\s+disorder|dementia|leukaemia|leukemia))\b"
        ),
        # the short title of a programme, article or book in quotes: "a show entitled
        # “Insider”" (a long one is a law's or a pamphlet's)
        "work_title": re.compile(
            r"\b(?:entitled|titled|headlined|so-called)\s+"
            r"(?P<title>[“\"‘«](?:[^\s”\"’»]+\s?){1,5}[”\"’»])"
        ),
        "residence": re.compile(
            r"\b(?:lives|lived|living|resides|resided|residing|born|detained|settled|moved)\s+"
            rf"(?:in|at|to)\s+(?P<loc>[{UPPER}][\w’'‑-]+(?:[ -][{UPPER}][\w’'‑-]+){{0,2}})"
        ),
        "plot": re.compile(
            r"\b(?:plots?|parcels?|sheet/plan|sheet|block|flat|apartment|house|building)\s+"
            r"(?:nos?\.\s*)?[A-Z0-9][\w./]*(?:\s+of\s+block\s+[A-Z0-9]+)?"
        ),
        "applicant_name": re.compile(
            rf"(?P<name>{NAME_SEQ})\s*\(\s*[“\"‘']the\s+(?:first\s+|second\s+|third\s+)?applicants?"
        ),
        "armed_group": re.compile(
            r"\b(?:illegal|armed|terrorist|separatist|political|criminal|extremist|banned)\s+"
            r"(?:armed\s+|political\s+|terrorist\s+)?(?:organisation|organization|party|group|"
            r"movement)s?,?\s+(?:the\s+|called\s+(?:the\s+)?|known\s+as\s+(?:the\s+)?)?"
            rf"(?P<org>[{UPPER}][\w-]+(?:[ -][{UPPER}][\w-]+)*(?:\s*\([^()]{{2,60}}\))?)"
        ),
        "initials_only": re.compile(initials_only),
        "count": _word_start(count),
        # a court's own pseudonym: "[verdachte]", "[getuige 2]", "[appellant sub 4]",
        # "[locatie 3]", "[vennoot B]"; not a citation ("[2001] 3 WLR") nor a quoted insertion
        # that starts with a capital ("[T]he court")
        # — or a role or title and one capital letter: "[Witness B]", "[Mr. X]" (never a
        # capitalised word that could be a name: "[Ahmed H]" stays a candidate)
        "court_pseudonym": re.compile(
            r"\[(?P<word>[a-zà-ÿ][\w’'-]*)(?:[ \u00a0]+[\w’'.-]+){0,5}\]"
            r"|\[(?P<role>(?:Witness|Victim|Person|Defendant|Accused|Suspect|Mr|Mrs|Ms|Getuige|"
            r"Slachtoffer|Verdachte|Zeuge|Zeugin|Opfer|Témoin|Victime|Herr|Frau|M|Mme)\.?)"
            r"[ \u00a0]+[A-Z]\d{0,2}\]"
        ),
        # a name given as a word in quotes: "her maiden name, “Tanbay”", "nom de jeune fille
        # « Durand »", "geboortenaam 'Jansen'", "Geburtsname „Müller“"
        "quoted_name": re.compile(
            r"(?i:maiden\s+name|surname|family\s+name|first\s+name|forename|nickname|alias|"
            r"nom\s+de\s+jeune\s+fille|nom\s+de\s+famille|prénom|surnom|geboortenaam|"
            r"achternaam|voornaam|bijnaam|Geburtsname|Mädchenname|Nachname|Vorname|Spitzname|"
            r"apellido|apodo)(?:\s+(?:of|as|to|was|is|de|van|von))?[,:]?\s*"
            rf"[“\"‘'«„]\s*(?P<name>{NAME_WORD}(?:[ -]{NAME_WORD}){{0,3}})\s*[”\"’'»“]"
        ),
        # "G. Berry", "K.H. Christoph", "A. Wittling-Vogel": initials, then a surname
        "initial_name": re.compile(
            rf"(?<![\w.])(?P<initials>(?:[{UPPER}]\.[ \u00a0]?-?){{1,3}})[ \u00a0]?"
            rf"{NAME_WORD}(?:[- ]{NAME_WORD})?(?P<next>\s+[a-zà-ÿ]|)"
        ),
        # "the accused Anwar Raslan", "witness D.", "le témoin M. Dupont": a role, then a name
        "role_name": _word_start(
            rf"\b(?i:{PERSON_CUES}),?[ \u00a0]+"
            rf"(?:(?:{titles})\.?[ \u00a0]+)?(?P<name>{NAME_SEQ})"
        ),
        "profession": re.compile(
            r"\b(?:(?:worked|works|working|employed|served|serving)\s+as\s+(?:an?\s+)?|"
            r"\b(?:an?|retired|former)\s+)"
            rf"(?P<job>(?:retired\s)?(?:(?!(?:{COUNT_STOP})\b)[a-z][\w-]*\s){{0,2}}?(?:{jobs}))"
            r"s?\b",
            re.IGNORECASE,
        ),
    }


def court_pseudonyms(text: str, language: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a court's own pseudonym ("[verdachte]", "[getuige 2]")."""
    return [m.span() for m in _patterns(language)["court_pseudonym"].finditer(text)]


NUMBER_VALUES = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
} | {
    w: 10 * n
    for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}


def _count_value(number: str) -> int:
    """The value of "623", "22,000", "seventy-one", "Twenty three", "two hundred"."""
    digits = number.replace(",", "")
    if digits.isdigit():
        return int(digits)
    value = 0
    for word in re.split(r"[- ‑]+", number.lower()):
        if word == "hundred":
            value = max(value, 1) * 100
        else:
            value += NUMBER_VALUES.get(word, 0)
    return value


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and trailing commas from a match so spans start and end on a word."""
    while start < end and text[start] in " \t\n,;":
        start += 1
    while end > start and text[end - 1] in " \t\n,;":
        end -= 1
    if text[start:end].endswith(("’s", "'s")) and end - start > 2:
        end -= 2  # "Haddad's brother": the possessive is not part of the name
    return start, end


def find(text: str, language: str) -> Iterator[Mention]:
    """Every mention the rules find in ``text``, in no particular order."""
    p = _patterns(language)

    def mention(
        start: int, end: int, kind: str, confidence: float, source: str = "rule"
    ) -> Mention:
        start, end = _trim(text, start, end)
        return Mention(start, end, kind, text[start:end], confidence, source)

    for m in p["date"].finditer(text):
        yield mention(m.start(), m.end(), "DATETIME", 0.97)
    for m in p["time"].finditer(text):
        yield mention(m.start(), m.end(), "DATETIME", 0.9)
    for m in p["money"].finditer(text):
        yield mention(m.start(), m.end(), "QUANTITY", 0.95)
    for m in p["quantity"].finditer(text):
        yield mention(m.start(), m.end(), "QUANTITY", 0.85)
    for m in p["code"].finditer(text):
        yield mention(m.start(), m.end(), "CODE", 0.9)
    for m in p["file_no"].finditer(text):
        if p["not_a_file"].search(text, max(0, m.start() - 40), m.start()):
            continue
        # the number(s) only, not the "no." before them
        head = re.match(r"(?:[Nn]os?\.|[Nn]umbers?|[Nn]°|[Nn]º)\s*", m.group(0))
        start = m.start() + (head.end() if head else 0)
        yield mention(start, m.end(), "CODE", 0.9)
    for m in p["person_title"].finditer(text):
        # "Mr", "Mrs", "M." stay outside the span ("Mr [person 1]"); "Dr", "Judge" go in it
        start = m.start() if m.group("title").rstrip(".") in INNER_TITLES else m.start("name")
        yield mention(start, m.end("name"), "PERSON", 0.95, "title")
    for m in p["applicant_name"].finditer(text):
        # "Mr Ahmet Kılıç (“the applicant”)": the title stays outside the span
        title = LEADING_TITLE.match(text, m.start("name"), m.end("name"))
        start = title.end() if title else m.start("name")
        yield mention(start, m.end("name"), "PERSON", 0.9, "title")
    for m in p["local_court"].finditer(text):
        # the first word decides: "Beyoğlu Civil Court" is local, "Civil Court", "Supreme
        # Court" and "Turkish Court" are not
        first = re.split(r"[ /-]", m.group("place").lower())[0]
        if not (first in GENERIC_PLACES or first.endswith(DEMONYM_ENDINGS)):
            yield mention(m.start(), m.end(), "ORG", 0.8)
    for m in p["local_court_lower"].finditer(text):
        first = re.split(r"[ /-]", m.group("place").lower())[0]
        if not (first in GENERIC_PLACES or first.endswith(DEMONYM_ENDINGS)):
            yield mention(m.start(), m.end(), "ORG", 0.7)
    for m in p["place_based"].finditer(text):
        yield mention(m.start(), m.end(), "LOC", 0.7)
    for m in p["residence"].finditer(text):
        yield mention(m.start("loc"), m.end("loc"), "LOC", 0.8)
    for m in p["plot"].finditer(text):
        if any(c.isdigit() for c in m.group(0)):
            yield mention(m.start(), m.end(), "CODE", 0.8)
    for m in p["initial_name"].finditer(text):
        # "A. Criminal proceedings" is a heading: one initial opening a line, a lower-case
        # word next ("a certain G. Nicolaides and" is a name)
        line_start = m.start() == 0 or text[: m.start()].rstrip(" \t").endswith(("\n", ")"))
        if m.group("initials").count(".") == 1 and m.group("next") and line_start:
            continue
        if m.group("initials").replace(" ", "") in ("M.", "MM."):
            continue  # French "Monsieur": the title rule keeps it out of the span
        end = m.start("next") if m.group("next") else m.end()
        if text[m.end("initials") : end].isupper():
            continue  # "I. THE CIRCUMSTANCES OF THE CASE": a heading in capitals
        yield mention(m.start(), end, "PERSON", 0.75, "title")
    for m in p["role_name"].finditer(text):
        yield mention(m.start("name"), m.end("name"), "PERSON", 0.85, "title")
    for m in p["court_pseudonym"].finditer(text):
        kind = PSEUDONYM_KINDS.get((m.group("word") or "").lower(), "PERSON")
        yield Mention(m.start(), m.end(), kind, m.group(0), 0.99, "pseudonym")
    for m in p["quoted_name"].finditer(text):
        yield mention(m.start("name"), m.end("name"), "PERSON", 0.85, "title")
    for m in p["initials_only"].finditer(text):
        if m.group(0).replace(" ", "") in NOT_PERSON_INITIALS:
            continue
        yield mention(m.start(), m.end(), "PERSON", 0.6, "title")
    if language == "en":
        for m in p["sentence"].finditer(text):
            group = "a" if m.group("a") else "b"
            yield mention(m.start(group), m.end(group), "DATETIME", 0.8)
        for m in p["span_of_time"].finditer(text):
            yield mention(m.start(), m.end(), "DATETIME", 0.6)
        for m in p["origin"].finditer(text):
            yield mention(m.start("dem"), m.end("dem"), "DEM", 0.8)
        for m in p["applicant_job"].finditer(text):
            yield mention(m.start("job"), m.end("job"), "DEM", 0.6)
        for m in p["armed_group"].finditer(text):
            yield mention(m.start("org"), m.end("org"), "ORG", 0.8)
        for m in p["count"].finditer(text):
            # "two judgments", "three lawyers" are how a judgment tells its story; five or more,
            # or "four other suspects", start to single out ("623 other suspects")
            other = re.search(r"\bother\b", m.group(0)[m.end("n") - m.start() :])
            if other or _count_value(m.group("n")) >= 5:
                yield mention(m.start(), m.end(), "QUANTITY", 0.6)
        for m in p["health"].finditer(text):
            yield mention(m.start("condition"), m.end("condition"), "DEM", 0.7)
        for m in p["work_title"].finditer(text):
            yield mention(m.start("title"), m.end("title"), "MISC", 0.7)
        for m in p["profession"].finditer(text):
            yield mention(m.start("job"), m.end("job"), "DEM", 0.6)


def _selftest() -> None:  # pragma: no cover - a debugging aid: python -m cicnet.anonymisation.rules
    for m in sorted(find(sys.stdin.read(), "en"), key=lambda m: m.start):
        print(m)


if __name__ == "__main__":  # pragma: no cover
    _selftest()
