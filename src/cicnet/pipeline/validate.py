"""Stage ``validate``: parse and check the metadata file and the names of its text files.

Rules for which text is the original when ``texts:`` is absent (docs/ingest.md):
- a single text is the original;
- an ``en`` text and one other: the other is the original, ``en`` an unofficial human translation;
- anything else needs a ``texts:`` mapping that marks the original.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.base import Document, InputError, Stage, StageResult, TextSource
from cicnet.pipeline.metadata import clean_metadata, language_codes
from cicnet.strict_yaml import StrictSafeLoader, yaml_error_message

TEXT_EXTENSIONS = ("txt", "html", "docx", "pdf")


class MetadataLoader(StrictSafeLoader):
    """Safe YAML without implicit dates: ``2022-13-45`` reaches the date check as text instead of
    crashing the parser, and every date is read by one rule (pipeline/metadata.py). A key given
    twice is refused (``strict_yaml``), never silently the last value."""


MetadataLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
# YAML 1.2 booleans only: in YAML 1.1 'NO' (Norway), 'yes', 'on', 'off' are booleans too.
MetadataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
MetadataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_yaml(document: Document) -> dict[str, Any]:
    """The raw metadata mapping, or an ``InputError`` naming the line of a YAML syntax error."""
    try:
        raw = yaml.load(document.data.decode("utf-8"), Loader=MetadataLoader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as exc:
        raise InputError(
            document.path, "file", f"is not UTF-8 ({exc.reason}); save it as UTF-8"
        ) from exc
    except yaml.YAMLError as exc:
        line, problem = yaml_error_message(exc)
        where = f"line {line}" if line is not None else "yaml"
        raise InputError(
            document.path, where, f"YAML syntax error: {problem}; fix the file"
        ) from exc
    except ValueError as exc:
        raise InputError(document.path, "yaml", f"unreadable value ({exc}); fix the file") from exc
    if not isinstance(raw, dict):
        raise InputError(document.path, "file", "must be a YAML mapping of 'key: value' lines")
    return raw


def _check_text_names(document: Document) -> None:
    for text in document.texts:
        if text.ext not in TEXT_EXTENSIONS:
            raise InputError(
                text.path,
                "extension",
                f"'.{text.ext}' is not a text format cicnet reads; use one of "
                f"{', '.join('.' + e for e in TEXT_EXTENSIONS)}",
            )
        if text.language not in language_codes():
            raise InputError(
                text.path,
                "language",
                f"'{text.language}' is not an ISO 639-1 language code; name the file "
                f"{document.stem}.<lang>.{text.ext} with a code such as 'en' or 'de'",
            )
    seen: dict[str, TextSource] = {}
    for text in document.texts:
        if text.language in seen:
            raise InputError(
                text.path,
                "language",
                f"a second '{text.language}' text beside {seen[text.language].path.name}; keep one",
            )
        seen[text.language] = text


def _assign_roles(document: Document, spec: dict[str, dict[str, Any]] | None) -> None:
    """Set original/translation, provenance and translator on each text."""
    texts = {t.language: t for t in document.texts}
    if spec:
        for lang in spec:
            if lang not in texts:
                raise InputError(
                    document.path,
                    f"texts.{lang}",
                    f"no file {document.stem}.{lang}.<txt|html|docx|pdf> beside the metadata; "
                    "add it or remove the entry",
                )
        originals = [lang for lang, s in spec.items() if s.get("original")]
        if len(originals) > 1:
            raise InputError(
                document.path,
                "texts",
                f"{' and '.join(originals)} are both marked original: true; mark one",
            )
        original = originals[0] if originals else _default_original(document, texts, required=False)
    else:
        original = _default_original(document, texts, required=True)
    for lang, text in texts.items():
        given = (spec or {}).get(lang, {})
        text.is_original = lang == original
        text.provenance = given.get("provenance", "original" if text.is_original else "human")
        if text.is_original and text.provenance != "original":
            raise InputError(
                document.path,
                f"texts.{lang}.provenance",
                "the original text must have provenance 'original'",
            )
        if not text.is_original and text.provenance == "original":
            raise InputError(
                document.path,
                f"texts.{lang}.provenance",
                "a translation has provenance 'human', 'machine' or 'court'",
            )
        text.translator = given.get("translator", "")
        text.translated_on = given.get("translated_on")
        # the court's own translation is its official language version unless the file says
        text.unofficial = given.get(
            "unofficial", not text.is_original and text.provenance != "court"
        )
        text.source_ecli = given.get("ecli", "")
        text.completeness = given.get("completeness", "complete")
        text.excerpt_contents = given.get("excerpt_contents", "")


def _default_original(
    document: Document, texts: dict[str, TextSource], *, required: bool
) -> str | None:
    if not texts:
        return None
    if len(texts) == 1:
        return next(iter(texts))
    others = [lang for lang in texts if lang != "en"]
    if "en" in texts and len(others) == 1:
        return others[0]
    if not required:
        return None
    raise InputError(
        document.path,
        "texts",
        f"cannot tell which of {', '.join(sorted(texts))} is the original; add "
        "'texts: {LANG: {original: true}}'",
    )


class Validate(Stage):
    """Check the metadata against the format (pipeline/metadata.py) and the text file names."""

    name = "validate"
    version = "1"

    def run(self, document: Document) -> StageResult:
        raw = parse_yaml(document)
        document.metadata = raw
        clean, errors = clean_metadata(raw, stem=document.stem)
        if errors:
            first = errors[0]
            more = (
                f" (also invalid: {', '.join(e.field for e in errors[1:])})" if errors[1:] else ""
            )
            raise InputError(document.path, first.field, first.message + more)
        if not clean["uid"]:
            raise InputError(document.path, "uid", "cannot be made from the file name; add 'uid:'")
        document.clean = clean
        document.uid = clean["uid"]
        earlier = document.seen_uids.get(document.uid)
        if earlier and earlier != str(document.path):
            raise InputError(
                document.path,
                "uid",
                f"'{document.uid}' is also the uid of {earlier} in "
                "this run; rename one file or set 'uid:'",
            )
        ecli = clean["ecli"]
        if ecli:
            other = document.seen_eclis.get(ecli)
            if other is None:
                other = (
                    Decision.objects.filter(ecli=ecli)
                    .exclude(uid=document.uid)
                    .values_list("uid", flat=True)
                    .first()
                )
            if other is not None and other != document.uid:
                raise InputError(
                    document.path,
                    "ecli",
                    f"{ecli} is already the ECLI of decision "
                    f"'{other}'; an ECLI identifies one decision, fix one of them",
                )
        _check_text_names(document)
        _assign_roles(document, clean["texts"])
        return StageResult()
