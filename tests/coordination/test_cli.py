"""``cicnet crosscheck-names``: the app's matching from outside, strongest hits first, blind or
clear; a bad line is refused naming the file, line and field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cicnet.coordination import cli

A = [
    {"id": "a1", "names": ["Mohammed al-Hamad"], "birth_year": 1970},
    {"id": "a2", "names": ["Anwar Raslan"]},
    {"id": "a3", "names": ["Yuriy Shcherbakov"], "birth_year": 1960},
]
B = [
    {"id": "b1", "names": ["Omar Yusuf"]},
    {"id": "b2", "names": ["محمد الحمد"], "birth_year": 1970, "nationality": "SY"},
    {"id": "b3", "names": ["Анвар Расланов"]},
    {"id": "b4", "names": ["Юрий Щербаков"], "birth_year": 1963},  # conflicting year
]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_the_command_prints_hits_strongest_first(tmp_path: Path) -> None:
    a, b = _write(tmp_path / "a.jsonl", A), _write(tmp_path / "b.jsonl", B)
    for flag in ("--blind", None):
        args = [sys.executable, "-m", "cicnet", "crosscheck-names", str(a), str(b)]
        out = subprocess.run(  # noqa: S603  # our own command, fixed arguments
            args + ([flag] if flag else []), capture_output=True, text=True, check=True
        ).stdout
        hits = [json.loads(line) for line in out.splitlines()]
        assert [(h["a"], h["b"]) for h in hits][:1] == [("a1", "b2")], flag
        assert ("a3", "b4") not in {(h["a"], h["b"]) for h in hits}
        scores = [h["score"] for h in hits]
        assert scores == sorted(scores, reverse=True)


def test_blind_and_clear_agree_on_these_records() -> None:
    key = b"k"
    blind = {(h["a"], h["b"]) for h in cli.run(A, B, blind=True, key=key)}  # type: ignore[arg-type]
    clear = {(h["a"], h["b"]) for h in cli.run(A, B, blind=False, key=key)}  # type: ignore[arg-type]
    assert blind == clear and ("a1", "b2") in blind


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "a.jsonl:2: not JSON"),
        ('{"names": ["X"]}', 'a.jsonl:2: give an object with "id"'),
        ('{"id": 1, "names": "X"}', 'a.jsonl:2: "names" must be a list'),
        ('{"id": 1, "names": ["X"], "birth_year": "1970"}', '"birth_year" must be a whole number'),
        ('{"id": 1, "names": []}', "a.jsonl:2: a person needs a name or a birth year"),
    ],
)
def test_a_bad_line_is_refused_naming_file_line_and_field(
    tmp_path: Path, line: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps(A[0]) + "\n" + line + "\n", "utf-8")
    b = _write(tmp_path / "b.jsonl", B)
    assert cli.main([str(a), str(b)]) == 2
    assert message in capsys.readouterr().err
