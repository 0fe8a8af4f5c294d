"""The contract of ``cicnet anonymise-spans``, run as a user runs it: a subprocess."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

from cicnet.vocabularies import vocabulary

KINDS = set(vocabulary("anonymisation", "kinds").ids())


def run(lines: list[str], *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # a database that cannot be reached and a var dir that does not exist: the command must not
    # need either
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:9/none"
    env["CICNET_VAR_DIR"] = str(tmp_path / "missing")
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "cicnet", "anonymise-spans", *args],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_spans_are_sorted_disjoint_and_offsets_index_the_python_string(tmp_path: Path) -> None:
    texts = {
        "a": "😀😀 The applicant, Mr Şahap Doğan, was born on 3 May 1963 in Mardin. "
        "Application no. 12345/09 was lodged on 1 June 2009; Doğan claimed EUR 4,000.",
        7: "Mr Anwar Raslan (“the accused”) met Mr Eyad Al-Gharib in Homs in 2011.",
    }
    lines = [json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in texts.items()]
    proc = run(lines, "--policy", "strict", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    for record in out:
        text = texts[record["id"]]
        spans = record["spans"]
        assert spans, "nothing found"
        assert spans == sorted(spans)
        for (_, e1, _), (s2, _, _) in itertools.pairwise(spans):
            assert e1 <= s2, "spans overlap"
        for start, end, kind in spans:
            assert 0 <= start < end <= len(text)
            assert kind in KINDS
    found = {texts["a"][s:e] for s, e, _ in out[0]["spans"]}
    # offsets count code points: the two astral emoji before the name shift nothing
    assert {"Şahap Doğan", "3 May 1963", "Mardin", "12345/09", "EUR 4,000"} <= found
    assert "Doğan" in found


def test_bad_lines_are_named_by_number_and_exit_non_zero(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "text": "Mr Anwar Raslan was born in 1963."}),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": 5, "text": 42}),
    ]
    proc = run(lines, "--policy", "publication", tmp_path=tmp_path)
    assert proc.returncode != 0
    assert "line 2: not valid JSON" in proc.stderr
    assert "line 3: missing 'text'" in proc.stderr
    assert "line 4: missing 'id'" in proc.stderr
    assert "line 5: 'text' must be a string" in proc.stderr
    # the good line is still answered, under the publication policy: the name and the year of
    # birth masked
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in answers] == [1]
    text = "Mr Anwar Raslan was born in 1963."
    assert [(text[s:e], k) for s, e, k in answers[0]["spans"]] == [
        ("Anwar Raslan", "PERSON"),
        ("1963", "DATETIME"),
    ]


def test_unknown_policy_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    proc = run([], "--policy", "lenient", tmp_path=tmp_path)
    assert proc.returncode != 0
    assert "strict" in proc.stderr and "lenient" in proc.stderr


def test_blank_lines_are_skipped_but_counted_in_line_numbers() -> None:
    import io

    from cicnet.anonymisation.spans import spans_jsonl

    out, err = io.StringIO(), io.StringIO()
    lines = ["\n", json.dumps({"id": "x", "text": "Mr Anwar Raslan left."}) + "\n", "[1]\n"]
    bad = spans_jsonl(lines, out=out, err=err, policy="strict", language="en")
    assert bad == 1
    assert err.getvalue() == 'line 3: expected an object {"id": ..., "text": ...}\n'
    assert json.loads(out.getvalue()) == {"id": "x", "spans": [[3, 15, "PERSON"]]}


def test_empty_input_gives_empty_output_and_success(tmp_path: Path) -> None:
    proc = run([], tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
