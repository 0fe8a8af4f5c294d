"""Policies are YAML data, validated with messages that name the file and the field."""

from __future__ import annotations

import pytest

from cicnet.anonymisation.policies import PolicyError, _parse, policy, policy_ids


def test_shipped_policies_load_and_strict_masks_every_kind() -> None:
    assert {"strict", "initials", "placeholders"} <= set(policy_ids())
    strict = policy("strict")
    assert strict.mask == {"PERSON", "CODE", "LOC", "ORG", "DEM", "DATETIME", "QUANTITY", "MISC"}
    assert strict.keep_officials is False
    assert policy("initials").persons == "initials"


def test_unknown_policy_names_the_known_ones() -> None:
    with pytest.raises(PolicyError, match=r"known policies: .*strict"):
        policy("nope")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "x", "label": "X", "mask": ["PERSON"]}, "missing field 'persons'"),
        ({"id": "x", "label": "X", "mask": ["NAME"], "persons": "initials"}, "unknown kinds"),
        ({"id": "x", "label": "X", "mask": [], "persons": "blur"}, "field 'persons'"),
        ({"id": "y", "label": "X", "mask": [], "persons": "remove"}, "field 'id'"),
    ],
)
def test_malformed_policy_file_is_rejected_naming_file_and_field(data: dict, message: str) -> None:
    with pytest.raises(PolicyError, match=message) as excinfo:
        _parse("x", data)
    assert "anonymisation/policies/x.yaml" in str(excinfo.value)
