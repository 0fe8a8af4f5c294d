"""Survivors' guides: plain-language pages in the languages of affected communities
(``data/guides/<slug>.<lang>.yaml``).

Every version carries who wrote it (a person or a machine), when, from which language it was
translated and who reviewed it; a version nobody reviewed says so, and every translation is
non-authoritative (its own ``notice``, in its language, says which version prevails). A
translation must have exactly the sections of the original, so no part of the guide silently
goes missing in one language. ``guides()`` loads and checks all files once per process and raises
``GuideError`` naming the file and the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from cicnet.strict_yaml import load_yaml

ORIGINAL_LANGUAGE = "en"
_TOP_KEYS = {"slug", "lang", "title", "summary", "authorship", "notice", "sections"}
_AUTHORSHIP_KEYS = {"written_by", "author", "translated_from", "date", "reviewed_by", "reviewed_on"}


class GuideError(ValueError):
    """A guide file breaks its schema; the message names the file and the rule."""


@dataclass(frozen=True)
class Language:
    code: str
    label: str
    native: str
    dir: str  # "ltr" or "rtl"


@cache
def guide_languages() -> tuple[Language, ...]:
    text = (
        resources.files("cicnet.knowledge")
        .joinpath("vocab", "guide_languages.yaml")
        .read_text("utf-8")
    )
    out = []
    for e in load_yaml(text, source="cicnet/knowledge/vocab/guide_languages.yaml"):
        if e["dir"] not in ("ltr", "rtl"):
            raise GuideError(f"guide_languages.yaml: {e['id']}: dir must be ltr or rtl.")
        out.append(Language(str(e["id"]), str(e["label"]), str(e["native"]), str(e["dir"])))
    return tuple(out)


def language(code: str) -> Language | None:
    return next((lang for lang in guide_languages() if lang.code == code), None)


@dataclass(frozen=True)
class Authorship:
    written_by: str  # "person" or "machine"
    author: str
    translated_from: str  # "" for the original
    date: dt.date
    reviewed_by: str  # "" when no person reviewed it
    reviewed_on: dt.date | None

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by)

    @property
    def is_translation(self) -> bool:
        return bool(self.translated_from)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class GuideVersion:
    slug: str
    language: Language
    title: str
    summary: str
    authorship: Authorship
    notice: str
    sections: tuple[Section, ...]

    @property
    def authoritative(self) -> bool:
        """Only a person-written original reviewed by a person is authoritative."""
        a = self.authorship
        return a.written_by == "person" and a.reviewed and not a.is_translation


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def _date(value: Any, where: str, *, required: bool) -> dt.date | None:
    if not value:
        if required:
            raise GuideError(f"{where}: a date YYYY-MM-DD is required.")
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise GuideError(f"{where}: must be a date YYYY-MM-DD.") from None


def parse_guide(text: str, *, source: str) -> GuideVersion:
    raw = load_yaml(text, source=source)
    if not isinstance(raw, dict):
        raise GuideError(f"{source}: must be a mapping.")
    extra = sorted(set(raw) - _TOP_KEYS)
    if extra:
        raise GuideError(f"{source}: unknown key(s) {', '.join(extra)}.")
    for key in ("slug", "lang", "title", "summary", "notice"):
        if not _words(raw.get(key)):
            raise GuideError(f"{source}: {key} is required.")
    lang = language(str(raw["lang"]))
    if lang is None:
        raise GuideError(f"{source}: lang {raw['lang']!r} is not in vocab/guide_languages.yaml.")
    auth = raw.get("authorship")
    if not isinstance(auth, dict) or set(auth) - _AUTHORSHIP_KEYS:
        raise GuideError(
            f"{source}: authorship must be a mapping of {', '.join(sorted(_AUTHORSHIP_KEYS))}."
        )
    if auth.get("written_by") not in ("person", "machine"):
        raise GuideError(f"{source}: authorship.written_by must be person or machine.")
    if not _words(auth.get("author")):
        raise GuideError(f"{source}: authorship.author is required (who or what wrote it).")
    translated_from = _words(auth.get("translated_from"))
    if (lang.code == ORIGINAL_LANGUAGE) == bool(translated_from):
        raise GuideError(
            f"{source}: authorship.translated_from must be empty for the {ORIGINAL_LANGUAGE} "
            "original and name the original's language for a translation."
        )
    reviewed_by = _words(auth.get("reviewed_by"))
    reviewed_on = _date(
        auth.get("reviewed_on"), f"{source}: authorship.reviewed_on", required=False
    )
    if bool(reviewed_by) != bool(reviewed_on):
        raise GuideError(
            f"{source}: authorship.reviewed_by and reviewed_on go together (both or neither)."
        )
    sections = []
    for i, s in enumerate(raw.get("sections") or [], start=1):
        where = f"{source}: section #{i}"
        if not isinstance(s, dict) or set(s) != {"id", "heading", "paragraphs"}:
            raise GuideError(f"{where}: must have exactly id, heading and paragraphs.")
        paragraphs = tuple(_words(p) for p in s["paragraphs"] or [])
        if not paragraphs or not all(paragraphs) or not _words(s["heading"]):
            raise GuideError(f"{where}: needs a heading and at least one non-empty paragraph.")
        sections.append(Section(str(s["id"]), _words(s["heading"]), paragraphs))
    if not sections:
        raise GuideError(f"{source}: a guide needs at least one section.")
    date = _date(auth.get("date"), f"{source}: authorship.date", required=True)
    assert date is not None
    return GuideVersion(
        slug=str(raw["slug"]),
        language=lang,
        title=_words(raw["title"]),
        summary=_words(raw["summary"]),
        authorship=Authorship(
            written_by=str(auth["written_by"]),
            author=_words(auth["author"]),
            translated_from=translated_from,
            date=date,
            reviewed_by=reviewed_by,
            reviewed_on=reviewed_on,
        ),
        notice=_words(raw["notice"]),
        sections=tuple(sections),
    )


def _guide_files() -> list[Traversable]:
    folder = resources.files("cicnet.knowledge").joinpath("data", "guides")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


@cache
def guides() -> dict[str, dict[str, GuideVersion]]:
    """slug → language code → version; every translation checked against its original."""
    out: dict[str, dict[str, GuideVersion]] = {}
    for f in _guide_files():
        source = f"cicnet/knowledge/data/guides/{f.name}"
        version = parse_guide(f.read_text("utf-8"), source=source)
        expected = f"{version.slug}.{version.language.code}.yaml"
        if f.name != expected:
            raise GuideError(f"{source}: the file must be named {expected}.")
        out.setdefault(version.slug, {})[version.language.code] = version
    for slug, versions in out.items():
        original = versions.get(ORIGINAL_LANGUAGE)
        if original is None:
            raise GuideError(f"guide {slug}: no {ORIGINAL_LANGUAGE} original.")
        ids = [s.id for s in original.sections]
        for code, version in versions.items():
            if [s.id for s in version.sections] != ids:
                raise GuideError(
                    f"guide {slug}.{code}: its sections must be those of the original, in order "
                    f"({', '.join(ids)})."
                )
    return out


def guide_version(slug: str, lang: str) -> GuideVersion | None:
    return guides().get(slug, {}).get(lang)


def missing_languages(slug: str) -> list[Language]:
    """Languages of affected communities the guide is not yet available in."""
    have = guides().get(slug, {})
    return [lang for lang in guide_languages() if lang.code not in have]


def written_by_label(version: GuideVersion) -> str:
    """The English label shown beside every version: who wrote it, reviewed or not."""
    a = version.authorship
    kind = (
        "Machine translation draft"
        if a.is_translation and a.written_by == "machine"
        else (
            "Human translation"
            if a.is_translation
            else (
                "Machine-drafted original" if a.written_by == "machine" else "Written by a person"
            )
        )
    )
    review = (
        f"reviewed by {a.reviewed_by} on {a.reviewed_on:%-d %B %Y}"
        if a.reviewed and a.reviewed_on
        else "not reviewed by a person"
    )
    return f"{kind} · {a.date:%-d %B %Y} · {review}"
