"""Ingestion throughput: decisions per second through ``cicnet ingest`` on the embedded default.

Generates N decisions (metadata + one text file of 5-60 court-numbered paragraphs each, fixed
seed) in a temporary folder, migrates a temporary SQLite database (``DATABASE_URL``) with a
temporary tantivy index (``CICNET_INDEX_DIR``), then times three runs of the real command:
the first ingestion, a second run over unchanged files, and ``--check``. Prints JSON.

    .venv/bin/python bench/ingest.py [--decisions 500] [--without-anonymise]
    .venv/bin/python bench/ingest.py --corpus tab --decisions 113   # real judgments

``--corpus tab`` ingests the English TAB judgments (../shared/data/anonymisation, 113 ECtHR
judgments, about 650 words each) instead of the synthetic texts: their names, courts and dates
are what the ``anonymise`` stage works on. The synthetic texts have no proper noun (every
capitalised word opens a sentence and is written in lower case elsewhere), so the stage gives
them no paragraph to the model: read their figure with that in mind, and words/s beside it.

Goals: issue 2, at least 50 decisions/s for the first ingestion; issue 16, at least 15
decisions/s with the ``anonymise`` stage on. Not part of the test suite.

The development machine is shared: the JSON gives the load average (1 minute) before and after
the first run, and the CPU seconds the first run used (the command and its NER worker, user +
system), so that a figure measured under load can be read beside what the work itself costs:
``decisions_per_cpu_s`` hardly moves with the load, wall-clock ``decisions_per_s`` does.
``--nice N`` runs the commands at that niceness (a comparison against the same run at 0 shows
how much of the wall time other work takes).

``--profile FILE`` runs the first ingestion under cProfile instead (one process,
``CICNET_NER_PROCESSES=1``, so the NER of both halves is in the profile; the profiler slows the
Python parts, not spaCy's compiled ones; its clock is the wall clock, so read the steps as
shares of the whole) and adds the cumulative seconds of the main steps:
the stage ``anonymise`` and within it spaCy's NER, the rules and the storing of suggestions;
the other stages.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the court found accused detention torture witness testimony armed group village attack "
    "civilian prison interrogation evidence command responsibility crimes against humanity war "
    "crime genocide persecution deprivation liberty sentence appeal chamber judgment tribunal "
    "prosecution defence universal jurisdiction victims members organisation killing destruction "
    "property displacement forced disappearance sexual violence conditions establishment facts"
).split()
COUNTRIES = ["DE", "FR", "NL", "SE", "BE", "FI", "AT", "CH", "NO", "DK"]
CRIMES = [
    "7(1)(a)",
    "7(1)(f)",
    "7(1)(e)",
    "8(2)(c)(i)-1",
    "8(2)(b)(xxi)",
    "6(a)",
    "terrorism.membership",
]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 30))
    return " ".join(words).capitalize() + "."


# Courts of the court vocabulary (ingestion refuses any other), several spellings each.
COURTS = (
    "Higher Regional Court of Koblenz",
    "Higher Regional Court of Koblenz (State Security Senate)",
    "Oberlandesgericht Düsseldorf",
    "Federal Court of Justice (3rd Criminal Senate)",
    "District Court of The Hague",
    "Paris Assize Court",
    "Stockholm District Court",
    "European Court of Human Rights (Grand Chamber)",
)


def generate(folder: Path, n: int, seed: int = 42) -> int:
    rng = random.Random(seed)
    paragraphs = 0
    for i in range(n):
        name = f"bench-{i:06d}"
        country = rng.choice(COUNTRIES)
        crimes = sorted(set(rng.choices(CRIMES, k=rng.randint(1, 3))))
        (folder / f"{name}.yaml").write_text(
            f"title: Synthetic decision {i}\ncountry: {country}\ncourt: {COURTS[i % len(COURTS)]}\n"
            f"decision_date: {rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}\n"
            f"instance: {rng.choice(['first_instance', 'appeal', 'cassation'])}\n"
            f"crimes: {json.dumps(crimes)}\noutcome: convicted\nstate: published\n"
            f"summary: {sentence(rng)}\n",
            encoding="utf-8",
        )
        count = rng.randint(5, 60)
        paragraphs += count
        body = "\n\n".join(
            f"{k}. " + " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
            for k in range(1, count + 1)
        )
        (folder / f"{name}.en.txt").write_text("JUDGMENT\n\n" + body + "\n", encoding="utf-8")
    return paragraphs


TAB_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymisation"


def generate_tab(folder: Path, n: int) -> tuple[int, int]:
    """N decisions whose texts are TAB judgments (cycled); returns (paragraphs, words)."""
    docs = [
        d
        for split in ("train", "dev")
        for d in json.loads((TAB_DIR / f"tab_{split}.json").read_text("utf-8"))
    ]
    paragraphs = words = 0
    for i in range(n):
        doc = docs[i % len(docs)]
        name = f"tab-{i:06d}"
        (folder / f"{name}.yaml").write_text(
            f"title: TAB judgment {doc['doc_id']} ({i})\ncountry: FR\ncourt: echr\n"
            f"decision_date: 2008-01-{1 + i % 28:02d}\ninstance: first_instance\n"
            f'crimes: ["7(1)(a)"]\noutcome: convicted\nstate: published\n',
            encoding="utf-8",
        )
        body = "\n\n".join(p for p in doc["text"].split("\n") if p.strip())
        paragraphs += body.count("\n\n") + 1
        words += len(body.split())
        (folder / f"{name}.en.txt").write_text(body + "\n", encoding="utf-8")
    return paragraphs, words


NICE: list[str] = []


def cicnet(env: dict[str, str], *args: str, profile: Path | None = None) -> float:
    exe = Path(sys.executable).with_name("cicnet")
    command = [str(exe), *args]
    if profile is not None:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "cicnet", *args]
    started = time.perf_counter()
    proc = subprocess.run([*NICE, *command], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"cicnet {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--corpus", choices=["synthetic", "tab"], default="synthetic")
    parser.add_argument(
        "--without-anonymise",
        action="store_true",
        help="leave the anonymise stage (spaCy NER) out, as CICNET_PIPELINE can",
    )
    parser.add_argument("--nice", type=int, default=0, help="run the commands at this niceness")
    parser.add_argument(
        "--profile", type=Path, help="profile the first ingestion (one process) into this file"
    )
    args = parser.parse_args()
    if args.nice:
        NICE[:] = ["nice", "-n", str(args.nice)]
    pipeline = "validate,extract,split,store,anonymise,index"
    if args.without_anonymise:
        pipeline = pipeline.replace("anonymise,", "")
    with tempfile.TemporaryDirectory(prefix="cicnet-bench-ingest-") as tmp:
        root = Path(tmp)
        data = root / "decisions"
        data.mkdir()
        if args.corpus == "tab":
            paragraphs, words = generate_tab(data, args.decisions)
        else:
            paragraphs = generate(data, args.decisions)
            words = sum(len(f.read_text("utf-8").split()) for f in data.glob("*.txt"))
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{root / 'bench.sqlite3'}",
            "CICNET_VAR_DIR": str(root / "var"),
            "CICNET_INDEX_DIR": str(root / "index"),
            "CICNET_SEARCH_BACKEND": "tantivy",
            "CICNET_PIPELINE": pipeline,
        }
        cicnet(env, "migrate", "--noinput", "-v", "0")
        if args.profile:
            env["CICNET_NER_PROCESSES"] = "1"
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        first = cicnet(env, "ingest", str(data), "--quiet", profile=args.profile)
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()[0]
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
        again = cicnet(env, "ingest", str(data), "--quiet")
        check = cicnet(env, "ingest", "--check", str(data), "--quiet")
    n = args.decisions
    print(
        json.dumps(
            {
                "benchmark": "ingest",
                "backend": "sqlite+tantivy",
                "pipeline": pipeline,
                "corpus": args.corpus,
                "ner_processes": os.environ.get("CICNET_NER_PROCESSES", "default"),
                "decisions": n,
                "paragraphs": paragraphs,
                "words": words,
                "first_run_s": round(first, 2),
                "decisions_per_s": round(n / first, 1),
                "words_per_s": round(words / first),
                "cpu_s": round(cpu, 2),
                "decisions_per_cpu_s": round(n / cpu, 1),
                "words_per_cpu_s": round(words / cpu),
                "load_average_1min_before_after": [round(load_before, 2), round(load_after, 2)],
                "cpus": os.cpu_count(),
                "nice": args.nice,
                "paragraphs_per_s": round(paragraphs / first, 1),
                "unchanged_run_s": round(again, 2),
                "unchanged_decisions_per_s": round(n / again, 1),
                "check_run_s": round(check, 2),
                "check_decisions_per_s": round(n / check, 1),
                "goal_decisions_per_s": 50,
                "note": "wall time of the whole command, process start-up included",
                **({"profile": profile_summary(args.profile)} if args.profile else {}),
            },
            indent=2,
        )
    )


# (label, file suffix, function name): cumulative seconds of each in the profile
PROFILE_STEPS = (
    ("whole ingestion", "pipeline/runner.py", "ingest_sources"),
    ("stage anonymise", "pipeline/anonymise.py", "run"),
    ("  spaCy NER", "anonymisation/pipelines.py", "_tag"),
    ("  rules", "anonymisation/rules.py", "find"),
    ("  storing the suggestions", "anonymisation/services.py", "_store"),
    ("stage store", "pipeline/store.py", "run"),
    ("stage index", "pipeline/index.py", "run"),
    ("stage split", "pipeline/split.py", "run"),
    ("stage extract", "pipeline/extract.py", "run"),
    ("stage validate", "pipeline/validate.py", "run"),
)


def profile_summary(path: Path) -> dict[str, float]:
    """Cumulative seconds of the steps of ``PROFILE_STEPS`` in the profile at ``path``."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    for label, suffix, name in PROFILE_STEPS:
        seconds = sum(
            row[3]
            for (filename, _, function), row in stats.items()
            if filename.endswith(suffix) and function == name
        )
        out[label] = round(seconds, 2)
    return out


if __name__ == "__main__":
    main()
