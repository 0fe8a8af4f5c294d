"""Docs kept honest: every command, setting and page area a newcomer needs is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "cicnet"


def _docs_text() -> str:
    return "\n".join(
        p.read_text("utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    )


def _commands() -> list[str]:
    return sorted(
        p.stem.replace("_", "-") if "-" in p.stem else p.stem
        for p in SRC.glob("*/management/commands/*.py")
        if not p.name.startswith("_")
    )


@pytest.mark.parametrize("command", _commands())
def test_every_cicnet_command_is_documented(command: str) -> None:
    assert f"cicnet {command}" in _docs_text(), f"document `cicnet {command}` in docs/ or README.md"


def _settings() -> list[str]:
    text = (SRC / "config" / "settings.py").read_text("utf-8")
    return sorted(set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', text)))


@pytest.mark.parametrize("name", _settings())
def test_every_environment_setting_is_in_deploy_doc(name: str) -> None:
    deploy = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    assert name in deploy, f"document the environment variable {name} in docs/deploy.md"


@pytest.mark.parametrize(
    "doc", ["architecture.md", "ingest.md", "api.md", "deploy.md", "performance.md"]
)
def test_required_docs_exist(doc: str) -> None:
    assert (ROOT / "docs" / doc).stat().st_size > 500, f"docs/{doc} is missing or empty"


def test_architecture_names_every_app() -> None:
    arch = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    for app in sorted(p.parent.name for p in SRC.glob("*/apps.py")):
        assert f"{app}/" in arch, f"docs/architecture.md does not mention src/cicnet/{app}/"
