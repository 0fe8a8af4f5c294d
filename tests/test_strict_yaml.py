"""Every YAML file cicnet reads refuses duplicate keys (``cicnet.strict_yaml``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from cicnet.strict_yaml import YamlFileError, load_yaml


def test_duplicate_key_names_file_key_and_both_lines() -> None:
    with pytest.raises(YamlFileError) as caught:
        load_yaml("- id: a\n  label: A\n  label: B\n", source="vocab/x.yaml")
    message = str(caught.value)
    assert message.startswith("vocab/x.yaml, line 3: duplicate key 'label'")
    assert "first on line 2" in message


def test_nested_duplicate_is_found_and_equal_keys_in_different_mappings_are_fine() -> None:
    assert load_yaml("a: {x: 1}\nb: {x: 2}\n", source="f.yaml") == {"a": {"x": 1}, "b": {"x": 2}}
    with pytest.raises(YamlFileError, match="line 3: duplicate key 'x'"):
        load_yaml("a:\n  x: 1\n  x: 2\n", source="f.yaml")


def test_merge_keys_may_be_overridden() -> None:
    text = "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n"
    assert load_yaml(text, source="f.yaml")["other"] == {"x": 3, "y": 2}


def test_every_shipped_yaml_file_loads_strictly() -> None:
    root = Path(str(resources.files("cicnet")))
    files = sorted(root.rglob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        load_yaml(path.read_text("utf-8"), source=str(path))
