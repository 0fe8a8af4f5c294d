"""YAML as every part of cicnet reads it: the safe loader, refusing duplicate keys.

PyYAML keeps the last of two equal keys in a mapping without a word, so a metadata file with two
``access:`` lines, or a vocabulary with an id given twice in one entry, would silently take the
second value. :class:`StrictSafeLoader` refuses the document instead, with an error naming the
key and the line of its second occurrence (and the line of the first); :func:`load_yaml` adds
the file name. Ingestion (``pipeline/validate.py``), the vocabularies, the anonymisation policies,
the crimes data and the calendar all load through here.
"""

from __future__ import annotations

from typing import Any

import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when built


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A key that occurs twice in one mapping; ``problem_mark`` is its second occurrence."""

    def __init__(self, key: Any, first: yaml.Mark, second: yaml.Mark) -> None:
        super().__init__(
            context=f"in a mapping (key first given on line {first.line + 1})",
            context_mark=first,
            problem=f"duplicate key {key!r} (first on line {first.line + 1}; give it once)",
            problem_mark=second,
        )
        self.key = key


class StrictSafeLoader(_BaseLoader):  # type: ignore[misc]  # the base is chosen at import
    """``yaml.SafeLoader`` (or its C twin) that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # '<<' merges are resolved by the base constructor
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base constructor reports it
                continue
            if first is not None:
                raise DuplicateKeyError(key, first, key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


class YamlFileError(ValueError):
    """A YAML file cicnet cannot read: the message names the file, the line and the problem."""


def yaml_error_message(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line and the problem of a PyYAML error."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark is not None else None), str(problem)


def load_yaml(text: str, *, source: str, loader: type[Any] = StrictSafeLoader) -> Any:
    """Parse ``text`` (from ``source``, a file name for messages) with ``loader``; raise
    :class:`YamlFileError` naming the file and line on a syntax error or a duplicate key."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506  # loader is a safe loader
    except yaml.YAMLError as exc:
        line, problem = yaml_error_message(exc)
        where = f", line {line}" if line is not None else ""
        raise YamlFileError(f"{source}{where}: {problem}") from exc
