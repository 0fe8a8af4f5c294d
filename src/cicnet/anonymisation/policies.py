"""Anonymisation policies: which kinds of mention are masked and how, as YAML data.

One file per policy in ``anonymisation/policies/<id>.yaml``. A jurisdiction or a decision picks a
policy by id; adding one is a data change. A policy says, per kind of mention (``vocab/kinds``),
whether it is masked ``always`` (unless a keep rule applies), only when ``protected`` (a protect
rule ties it to a person: a place of residence, a date of birth) or ``never``; which keep rules
(``vocab/keep_rules``) and protect rules (``vocab/protect_rules``) it applies; and the
pseudonyms. ``publication`` is the default for texts that become public; ``strict`` masks every
identifier of TAB's definition and is the Secretariat's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from cicnet.strict_yaml import load_yaml
from cicnet.vocabularies import vocabulary

PERSON_STYLES = ("placeholder", "initials", "remove")
MASK_MODES = ("always", "protected", "never")
# The policy that texts becoming public get unless a curator picks another.
DEFAULT_POLICY = "publication"


class PolicyError(ValueError):
    """A policy id that does not exist, or a policy file that is malformed."""


@dataclass(frozen=True)
class Policy:
    """How one policy masks: see ``docs/anonymisation.md`` for the meaning of each field."""

    id: str
    label: str
    description: str
    modes: dict[str, str]
    persons: str
    keep: frozenset[str] = frozenset()
    protect: frozenset[str] = frozenset()
    placeholders: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    large_city_population: int = 100_000

    @property
    def mask(self) -> frozenset[str]:
        """The kinds this policy may mask (always, or when protected)."""
        return frozenset(k for k, mode in self.modes.items() if mode != "never")

    def masks(self, kind: str) -> bool:
        return self.modes.get(kind, "never") != "never"

    def mode(self, kind: str) -> str:
        return self.modes.get(kind, "never")

    def keeps(self, rule: str | None) -> bool:
        """Whether the keep rule ``rule`` (a detector's reason) applies under this policy."""
        return rule is not None and rule in self.keep

    def protects(self, rules: frozenset[str]) -> bool:
        """Whether one of the protect rules that fit a mention is one this policy applies."""
        return bool(rules & self.protect)

    @property
    def keep_officials(self) -> bool:
        return "officials_in_office" in self.keep

    def placeholder(self, kind: str) -> str:
        return self.placeholders.get(kind, f"[{kind.lower()}]")


def _policy_files() -> dict[str, Any]:
    folder = resources.files("cicnet.anonymisation").joinpath("policies")
    return {p.name.removesuffix(".yaml"): p for p in folder.iterdir() if p.name.endswith(".yaml")}


def policy_ids() -> list[str]:
    """The ids of every policy shipped, sorted."""
    return sorted(_policy_files())


def _rule_ids(where: str, data: dict[str, Any], name: str, vocab: str) -> frozenset[str]:
    raw = data.get(name) or []
    known = set(vocabulary("anonymisation", vocab).ids())
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise PolicyError(f"{where}: field '{name}' must be a list of rule ids")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise PolicyError(
            f"{where}: field '{name}' has unknown rules {unknown}; known: {sorted(known)}"
        )
    return frozenset(raw)


def _modes(where: str, mask: Any, kinds: set[str]) -> dict[str, str]:
    """``mask`` as a list of kinds (each masked ``always``) or a mapping kind → mode."""
    if isinstance(mask, list):
        mask = {kind: "always" for kind in mask}
    if not isinstance(mask, dict):
        raise PolicyError(f"{where}: field 'mask' must be a list of kinds or a mapping kind: mode")
    unknown = sorted(set(map(str, mask)) - kinds)
    if unknown:
        raise PolicyError(
            f"{where}: field 'mask' has unknown kinds {unknown}; known: {sorted(kinds)}"
        )
    bad = {k: v for k, v in mask.items() if v not in MASK_MODES}
    if bad:
        raise PolicyError(
            f"{where}: field 'mask' gives {bad}; each kind is one of {', '.join(MASK_MODES)}"
        )
    return {kind: mask.get(kind, "never") for kind in sorted(kinds)}


def _parse(name: str, data: Any) -> Policy:
    where = f"anonymisation/policies/{name}.yaml"
    if not isinstance(data, dict):
        raise PolicyError(f"{where}: expected a mapping of policy fields")
    kinds = set(vocabulary("anonymisation", "kinds").ids())
    for key in ("id", "label", "mask", "persons"):
        if key not in data:
            raise PolicyError(f"{where}: missing field '{key}'")
    if data["id"] != name:
        raise PolicyError(f"{where}: field 'id' is {data['id']!r}, expected {name!r}")
    modes = _modes(where, data["mask"], kinds)
    if data["persons"] not in PERSON_STYLES:
        raise PolicyError(f"{where}: field 'persons' must be one of {', '.join(PERSON_STYLES)}")
    placeholders = {str(k): str(v) for k, v in (data.get("placeholders") or {}).items()}
    if not set(placeholders) <= kinds:
        raise PolicyError(
            f"{where}: field 'placeholders' has unknown kinds {sorted(set(placeholders) - kinds)}"
        )
    return Policy(
        id=name,
        label=str(data["label"]),
        description=str(data.get("description", "")),
        modes=modes,
        persons=str(data["persons"]),
        keep=_rule_ids(where, data, "keep", "keep_rules"),
        protect=_rule_ids(where, data, "protect", "protect_rules"),
        placeholders=placeholders,
        roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
        large_city_population=_whole(where, data, "large_city_population", 100_000),
    )


def _whole(where: str, data: dict[str, Any], name: str, default: int) -> int:
    raw = data.get(name, default)
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise PolicyError(f"{where}: field '{name}' must be a whole number ≥ 0, got {raw!r}")
    return raw


@cache
def policy(policy_id: str) -> Policy:
    """The policy with this id; ``PolicyError`` naming the known ids if there is none."""
    files = _policy_files()
    if policy_id not in files:
        raise PolicyError(
            f"unknown policy {policy_id!r}; known policies: {', '.join(sorted(files))}"
        )
    path = files[policy_id]
    return _parse(policy_id, load_yaml(path.read_text("utf-8"), source=str(path)))
