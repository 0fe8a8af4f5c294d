"""Anonymisation policies: which kinds of mention are masked and how, as YAML data.

One file per policy in ``anonymisation/policies/<id>.yaml``. A jurisdiction or a decision picks a
policy by id; adding one is a data change. ``strict`` is the policy measured on TAB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from cicnet.strict_yaml import load_yaml
from cicnet.vocabularies import vocabulary

PERSON_STYLES = ("placeholder", "initials", "remove")


class PolicyError(ValueError):
    """A policy id that does not exist, or a policy file that is malformed."""


@dataclass(frozen=True)
class Policy:
    """How one policy masks: see ``docs/anonymisation.md`` for the meaning of each field."""

    id: str
    label: str
    description: str
    mask: frozenset[str]
    persons: str
    keep_officials: bool
    keep_states: bool
    keep_public_bodies: bool
    placeholders: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    def masks(self, kind: str) -> bool:
        return kind in self.mask

    def placeholder(self, kind: str) -> str:
        return self.placeholders.get(kind, f"[{kind.lower()}]")


def _policy_files() -> dict[str, Any]:
    folder = resources.files("cicnet.anonymisation").joinpath("policies")
    return {p.name.removesuffix(".yaml"): p for p in folder.iterdir() if p.name.endswith(".yaml")}


def policy_ids() -> list[str]:
    """The ids of every policy shipped, sorted."""
    return sorted(_policy_files())


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
    mask = data["mask"]
    if not isinstance(mask, list) or not set(mask) <= kinds:
        unknown = sorted(set(mask) - kinds) if isinstance(mask, list) else mask
        raise PolicyError(
            f"{where}: field 'mask' has unknown kinds {unknown}; known: {sorted(kinds)}"
        )
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
        mask=frozenset(mask),
        persons=str(data["persons"]),
        keep_officials=bool(data.get("keep_officials", False)),
        keep_states=bool(data.get("keep_states", True)),
        keep_public_bodies=bool(data.get("keep_public_bodies", True)),
        placeholders=placeholders,
        roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
    )


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
