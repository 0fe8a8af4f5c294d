"""The ingestion metadata format (``NAME.yaml``), declared as data: one cleaner per key.

Each cleaner takes the raw YAML value and returns the Python value to store, or raises
``FieldError`` with a message that says what to do. ``clean_metadata()`` applies them all, fills
defaults, rejects unknown keys (typo protection) and checks the cross-field rules (ECLI country
code against ``country``). Documented in docs/ingest.md; a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pycountry

from cicnet.jurisprudence.courts import (
    CourtMatch,
    UnknownCourt,
    court_country_mismatch,
    resolve_court,
)
from cicnet.law import ecli
from cicnet.law.crimes import crimes
from cicnet.vocabularies import vocabulary


class FieldError(ValueError):
    """A value the user must fix; ``field`` names the key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (pycountry's copy of the ISO list)."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 two-letter language codes."""
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _str(max_length: int) -> Callable[[Any, str], str]:
    def clean(value: Any, key: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FieldError(
                key, f"expected text, got {type(value).__name__}; write it as a string"
            )
        text = str(value).strip()
        if len(text) > max_length:
            raise FieldError(
                key, f"is {len(text)} characters long; shorten it to {max_length} at most"
            )
        return text

    return clean


def _required_str(max_length: int) -> Callable[[Any, str], str]:
    inner = _str(max_length)

    def clean(value: Any, key: str) -> str:
        text = inner(value, key)
        if not text:
            raise FieldError(key, "is empty; give a value")
        return text

    return clean


def _slug(value: Any, key: str) -> str:
    text = _required_str(120)(value, key)
    if not _SLUG.match(text):
        raise FieldError(key, f"'{text}' is not a slug; use only letters, digits, '-' and '_'")
    return text


def _vocab(name: str) -> Callable[[Any, str], str]:
    def clean(value: Any, key: str) -> str:
        vocab = vocabulary("jurisprudence", name)
        if value not in vocab:
            raise FieldError(key, f"unknown id '{value}'; use one of: {', '.join(vocab.ids())}")
        return str(value)

    return clean


def _country(value: Any, key: str) -> str:
    code = str(value).strip().upper() if isinstance(value, str) else ""
    if code not in country_codes():
        raise FieldError(
            key,
            f"unknown country code '{value}'; use an ISO 3166-1 alpha-2 code such as 'DE' or 'FR'",
        )
    return code


_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, English name) of every ISO 3166-1 country, by name: what a curator picks
    from (typing two letters once saved Austria as AU, Australia)."""
    return tuple(
        sorted(
            ((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries),
            key=lambda pair: pair[1],
        )
    )


def future_date_problem(value: dt.date) -> str | None:
    """Why a decision date is impossible: a decision cannot be dated after today (UTC+14, the
    earliest time zone, so a decision of today somewhere is never refused)."""
    latest = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()
    if value > latest:
        return f"{value.isoformat()} is in the future; give the date the decision was delivered"
    return None


def _date(value: Any, key: str) -> tuple[dt.date | None, str]:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` → (date, precision). YAML already turns an unquoted
    full date into a ``date`` and a bare year into an ``int``. ``unknown`` says that the source
    does not state the date (it is then left empty, never guessed)."""
    if value == "unknown":
        return None, "day"
    if isinstance(value, dt.datetime):
        raise FieldError(key, f"'{value}' has a time; write the date only as YYYY-MM-DD")
    if isinstance(value, dt.date):
        problem = future_date_problem(value)
        if problem:
            raise FieldError(key, problem)
        return value, "day"
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    for pattern, precision in _DATE_FORMS:
        m = pattern.match(text)
        if m:
            parts = [int(p) for p in m.groups()] + [1, 1]
            try:
                date = dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                break
            problem = future_date_problem(date)
            if problem:
                raise FieldError(key, problem)
            return date, precision
    raise FieldError(key, f"'{value}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")


def _ecli(value: Any, key: str) -> str:
    try:
        return ecli.clean_ecli(_str(120)(value, key))
    except ecli.EcliError as exc:
        raise FieldError(key, str(exc)) from None


def _court(value: Any, key: str) -> CourtMatch:
    """A court id, name or variant of the court vocabulary; "Name (formation)" keeps the
    formation."""
    text = _required_str(200)(value, key)
    try:
        return resolve_court(text, field=key)
    except UnknownCourt as exc:
        raise FieldError(key, str(exc).removeprefix(f"{key}: ")) from None


def _court_or_none(value: Any, key: str) -> CourtMatch | None:
    """Like ``_court``; empty means not given."""
    return _court(value, key) if _str(200)(value, key) else None


def _bool_or_none(value: Any, key: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise FieldError(key, f"expected true, false or null, got '{value}'")


def _bool(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(key, f"expected true or false, got '{value}'")


def _str_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list):
        raise FieldError(key, "expected a list; write one '- item' per line")
    out = []
    for i, item in enumerate(value):
        text = _str(300)(item, f"{key}[{i}]")
        if text:
            out.append(text)
    return out


def _crimes(value: Any, key: str) -> list[str]:
    ids = _str_list(value, key)
    known = crimes()
    for cid in ids:
        if cid not in known:
            close = difflib.get_close_matches(cid, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise FieldError(
                key,
                f"unknown crime id '{cid}'{hint}; use ids from the ICC Elements of Crimes "
                "such as '7(1)(f)', or 'terrorism.membership', 'other'",
            )
    return list(dict.fromkeys(ids))


def _urls(value: Any, key: str) -> list[str]:
    urls = _str_list(value, key)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FieldError(key, f"'{url}' is not an http(s) URL; give the full address")
    return urls


_TEXT_KEYS = {
    "original",
    "provenance",
    "translator",
    "translated_on",
    "unofficial",
    "completeness",
    "excerpt_contents",
    "ecli",
}


def _texts(value: Any, key: str) -> dict[str, dict[str, Any]]:
    """``{lang: {original, provenance, translator, translated_on, unofficial}}``; matched to files
    by the validate stage."""
    if not isinstance(value, dict):
        raise FieldError(key, "expected a mapping of language code to text details")
    out: dict[str, dict[str, Any]] = {}
    for lang, spec in value.items():
        where = f"{key}.{lang}"
        if str(lang) not in language_codes():
            raise FieldError(
                where, f"'{lang}' is not an ISO 639-1 language code such as 'en' or 'de'"
            )
        spec = spec or {}
        if not isinstance(spec, dict):
            raise FieldError(where, "expected a mapping with original, provenance, translator, …")
        for sub in spec:
            if sub not in _TEXT_KEYS:
                raise FieldError(
                    f"{where}.{sub}", f"unknown key; use one of: {', '.join(sorted(_TEXT_KEYS))}"
                )
        item: dict[str, Any] = {}
        if "original" in spec:
            item["original"] = _bool(spec["original"], f"{where}.original")
        if "provenance" in spec:
            item["provenance"] = _vocab("provenances")(spec["provenance"], f"{where}.provenance")
        if "translator" in spec:
            item["translator"] = _str(200)(spec["translator"], f"{where}.translator")
        if "translated_on" in spec:
            day, _precision = _date(spec["translated_on"], f"{where}.translated_on")
            item["translated_on"] = day
        if "unofficial" in spec:
            item["unofficial"] = _bool(spec["unofficial"], f"{where}.unofficial")
        if "completeness" in spec:
            item["completeness"] = _vocab("text_completeness")(
                spec["completeness"], f"{where}.completeness"
            )
        if "excerpt_contents" in spec:
            item["excerpt_contents"] = _str(200)(
                spec["excerpt_contents"], f"{where}.excerpt_contents"
            )
        if "ecli" in spec:
            item["ecli"] = _ecli(spec["ecli"], f"{where}.ecli")
        if item.get("completeness") == "excerpt" and not item.get("excerpt_contents"):
            raise FieldError(
                f"{where}.excerpt_contents",
                "an excerpt must say which parts it holds, e.g. 'Procedure and facts'",
            )
        if item.get("excerpt_contents") and item.get("completeness") != "excerpt":
            raise FieldError(
                f"{where}.excerpt_contents",
                "only an excerpt has contents; add 'completeness: excerpt' or remove this key",
            )
        out[str(lang)] = item
    return out


@dataclass(frozen=True)
class Key:
    """One metadata key: its cleaner, whether it is required, and its default."""

    clean: Callable[[Any, str], Any]
    required: bool = False
    default: Any = None


# The format. Keep docs/ingest.md in step (tests/pipeline/test_docs.py checks every key is there).
KEYS: dict[str, Key] = {
    "uid": Key(_slug),
    "title": Key(_required_str(300), required=True),
    "country": Key(_country, required=True),
    "court": Key(_court, required=True),
    "court_original": Key(_court_or_none, default=None),
    "court_formation": Key(_str(200), default=""),
    "city": Key(_str(100), default=""),
    "decision_date": Key(_date, required=True),
    "case_number": Key(_str(200), default=""),
    "ecli": Key(_ecli, default=""),
    "instance": Key(_vocab("instances"), required=True),
    "decision_type": Key(_vocab("decision_types"), default="judgment"),
    "case_name": Key(_str(300), default=""),
    "also_known_as": Key(_str_list, default=[]),
    "defendant": Key(_str(200), default=""),
    "situation": Key(_str(300), default=""),
    "crimes": Key(_crimes, default=[]),
    "provisions": Key(_str_list, default=[]),
    "terrorism_concurrent": Key(_bool_or_none, default=None),
    "jurisdiction_basis": Key(_vocab("jurisdiction_bases"), default="unknown"),
    "outcome": Key(_vocab("outcomes"), default="unknown"),
    "sentence": Key(_str(500), default=""),
    "keywords": Key(_str_list, default=[]),
    "summary": Key(_str(100_000), default=""),
    "source_urls": Key(_urls, default=[]),
    "access": Key(_vocab("access_tiers"), default="public"),
    "state": Key(
        _vocab("publication_states"), default=None
    ),  # None: draft when new, kept on update
    "proceedings": Key(_slug, default=None),
    "proceedings_title": Key(_str(300), default=""),
    "confidence": Key(_vocab("confidence_levels"), default=""),
    "demo": Key(_bool, default=False),
    "texts": Key(_texts, default=None),
}


def _court_fields(clean: dict[str, Any], errors: list[FieldError]) -> None:
    """``court`` (and ``court_original``, when given) → court_id, the vocabulary's names, and
    the formation ("Grand Chamber") from ``court_formation`` or the name's parentheses."""
    found, original = clean.get("court"), clean.pop("court_original", None)
    if not isinstance(found, CourtMatch):
        return
    if isinstance(original, CourtMatch) and original.court.id != found.court.id:
        errors.append(
            FieldError(
                "court_original",
                f"names {original.court.label!r} but court names {found.court.label!r}; "
                "fix one of them",
            )
        )
    country = clean.get("country")
    if found.court.country and country and found.court.country != country:
        errors.append(FieldError("country", court_country_mismatch(found.court, country)))
    clean["court_id"] = found.court.id
    clean["court"] = found.court.label
    clean["court_original"] = found.court.original
    clean["court_formation"] = clean.get("court_formation") or found.formation


def clean_metadata(raw: dict[str, Any], *, stem: str) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate a metadata mapping. Returns the clean values and every problem found, in key
    order (unknown keys first: they are usually typos of a key whose value is then missing)."""
    errors: list[FieldError] = []
    for key in raw:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KEYS)}"
            errors.append(FieldError(str(key), f"unknown key; {hint}"))
    clean: dict[str, Any] = {}
    for key, spec in KEYS.items():
        if key not in raw or (raw[key] is None and key != "terrorism_concurrent"):
            if spec.required:
                errors.append(FieldError(key, "is required; add it to the metadata file"))
            clean[key] = list(spec.default) if isinstance(spec.default, list) else spec.default
            continue
        try:
            clean[key] = spec.clean(raw[key], key)
        except FieldError as exc:
            errors.append(exc)
    if clean.get("uid") is None:
        clean["uid"] = (
            stem if _SLUG.match(stem) else re.sub(r"[^-a-zA-Z0-9_]+", "-", stem).strip("-")
        )
    if isinstance(clean.get("decision_date"), tuple):
        clean["decision_date"], clean["date_precision"] = clean["decision_date"]
    _court_fields(clean, errors)
    mismatch = ecli.country_mismatch(clean.get("ecli") or "", clean.get("country") or "")
    if mismatch:
        errors.append(FieldError("ecli", mismatch))
    return clean, errors
