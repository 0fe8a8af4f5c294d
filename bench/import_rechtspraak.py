"""Import throughput from a folder of rechtspraak.nl open-data XML; prints JSON.

    .venv/bin/python bench/import_rechtspraak.py [--copies 3]

The ten real judgments of tests/fixtures/rechtspraak/ (Dutch courts, 7-538 paragraphs; NOTICE.md
there), each under ``--copies`` ECLIs (the copies get a fresh ordinal so that each is a decision of
its own), are imported with the real command ``cicnet import rechtspraak ECLI… --from-folder DIR``
into a temporary SQLite database and tantivy index: every decision goes through the whole pipeline
(validate, extract, split, detect_language, store, anonymise, index). Timed: the first import
(all created) and a second one (all unchanged). Start-up of the command (Django, lingua and spaCy
models) is included; ``import_only_seconds`` subtracts a run that imports one small decision
first, as an estimate of the start-up. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rechtspraak"


def cicnet(env: dict[str, str], *args: str) -> float:
    exe = Path(sys.executable).with_name("cicnet")
    started = time.perf_counter()
    proc = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(
            f"cicnet {' '.join(args[:4])} … failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument(
        "--without-anonymise",
        action="store_true",
        help="leave the anonymise stage out (CICNET_PIPELINE), to see what it costs",
    )
    args = parser.parse_args()
    pipeline = "validate,extract,split,detect_language,store,anonymise,index"
    if args.without_anonymise:
        pipeline = pipeline.replace("anonymise,", "")
    sources = sorted(p for p in FIXTURES.glob("ECLI.NL.*.xml") if "99001" not in p.name)
    with tempfile.TemporaryDirectory(prefix="cicnet-bench-import-") as tmp:
        root = Path(tmp)
        folder = root / "xml"
        folder.mkdir()
        eclis, paragraphs, size = [], 0, 0
        for copy in range(args.copies):
            for path in sources:
                ecli = path.stem.replace(".", ":")
                if copy:
                    ecli = f"{ecli}{copy}" if ecli[-1].isalpha() else f"{ecli}0{copy}"
                data = path.read_text("utf-8").replace(path.stem.replace(".", ":"), ecli)
                (folder / f"{ecli.replace(':', '.')}.xml").write_text(data, "utf-8")
                eclis.append(ecli)
                paragraphs += len(re.findall(r"<para[ >]", data))
                size += len(data.encode())
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{root / 'bench.sqlite3'}",
            "CICNET_VAR_DIR": str(root / "var"),
            "CICNET_INDEX_DIR": str(root / "index"),
            "CICNET_SEARCH_BACKEND": "tantivy",
            "CICNET_PIPELINE": pipeline,
        }
        cicnet(env, "migrate", "--noinput", "-v", "0")
        small = "ECLI:NL:HR:1997:AA2065"
        startup = cicnet(env, "import", "rechtspraak", small, "--from-folder", str(folder))
        first = cicnet(env, "import", "rechtspraak", *eclis, "--from-folder", str(folder))
        again = cicnet(env, "import", "rechtspraak", *eclis, "--from-folder", str(folder))
    n = len(eclis)
    print(
        json.dumps(
            {
                "benchmark": "import_rechtspraak",
                "decisions": n,
                "xml_bytes": size,
                "para_elements": paragraphs,
                "pipeline": pipeline,
                "first_import_seconds": round(first, 2),
                "first_import_decisions_per_second": round(n / first, 2),
                "startup_estimate_seconds": round(startup, 2),
                "import_only_decisions_per_second": round(n / max(first - startup, 0.01), 2),
                "unchanged_reimport_seconds": round(again, 2),
                "unchanged_decisions_per_second": round(n / again, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
