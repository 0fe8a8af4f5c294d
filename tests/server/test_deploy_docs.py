"""docs/deploy.md stays true: every setting and every ``cicnet serve`` option is documented."""

from __future__ import annotations

import re
from pathlib import Path

from cicnet.server.management.commands.serve import Command as ServeCommand

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deploy.md").read_text("utf-8")


def test_every_environment_variable_in_settings_is_documented() -> None:
    settings_py = (ROOT / "src" / "cicnet" / "config" / "settings.py").read_text("utf-8")
    names = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', settings_py))
    assert {"DATABASE_URL", "CICNET_SECRET_KEY", "CICNET_SEARCH_BACKEND"} <= names
    missing = sorted(n for n in names if f"`{n}`" not in DOC)
    assert missing == [], f"document these in docs/deploy.md: {missing}"


def test_every_serve_option_and_its_environment_default_is_documented() -> None:
    parser = ServeCommand().create_parser("cicnet", "serve")
    options = {
        opt
        for action in parser._actions  # argparse has no public list of actions
        for opt in action.option_strings
        if opt.startswith("--") and action.dest not in _DJANGO_COMMON
    }
    assert "--workers" in options
    missing = sorted(o for o in options if f"`{o}`" not in DOC)
    assert missing == [], f"document these cicnet serve options in docs/deploy.md: {missing}"
    serve_py = ROOT / "src" / "cicnet" / "server" / "management" / "commands" / "serve.py"
    env_names = set(re.findall(r'"((?:CICNET_)?[A-Z_]{4,})"', serve_py.read_text("utf-8")))
    assert sorted(n for n in env_names if f"`{n}`" not in DOC) == []


_DJANGO_COMMON = {
    "version",
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
    "help",
}
