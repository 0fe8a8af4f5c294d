"""Benchmark of the anonymiser on TAB (English) and on French ECtHR reports; prints JSON.

    .venv/bin/python bench/anonymisation.py                   # dev split, French dev, throughput
    .venv/bin/python bench/anonymisation.py --split heldout   # the held-out split: never tune on it
    .venv/bin/python bench/anonymisation.py --split train     # train − held-out: tune on this
    .venv/bin/python bench/anonymisation.py --misses 40       # also list missed gold mentions
    .venv/bin/python bench/anonymisation.py --policy publication --overmasked 40

Splits: ``dev`` (tab_dev.json), ``heldout`` (the documents of tab_train.json whose id hashes into
20 %: ``heldout_ids``; the list is committed in ``bench/data/tab_heldout_ids.txt`` and checked
against the rule) and ``train`` (the rest of tab_train.json, the split to tune on). Read the
misses of ``train`` only; the held-out split is for reporting.

It runs ``cicnet anonymise-spans --policy POLICY`` (default ``strict``) as a subprocess, exactly
as a user would, and scores its spans with the TAB metrics (Pilán et al. 2022), re-implemented
here from their definitions (NOTICE.md next to the data):

- entity-level recall on DIRECT and on QUASI identifiers: an entity counts as recalled only if
  every mention of it that needs masking is fully masked. As in TAB's evaluation, characters of
  a mention that are punctuation, spaces, titles or short function words ("Mr", "of", "the" …,
  ``SKIP_WORDS``) need not be covered. An entity is DIRECT or QUASI by its first mention, and
  needs masking if any mention does (TAB's rule);
- token-level precision: the system's spans are cut into ``\\w+`` tokens; a token is correct when
  it lies inside a gold mention that needs masking (uniform weights);
- PERSON mention recall: share of gold PERSON mentions needing masking that are fully masked;
- throughput: words per second through the command on one document of about 50,000 words
  (the dev texts concatenated), start-up included and excluded.

French: recall of PER mentions in ``FR-manual-dev.tsv`` (tokens re-joined into text), with the
same notion of "fully masked" (French titles and function words — M., Mme, et, de … — added
to the words to skip, as TAB skips "Mr", "and", "of").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from cicnet.anonymisation.evaluation import is_masked, score_tab, skip_regex

ROOT = Path(__file__).resolve().parent.parent
# the shared data set of the team (dev tooling may read it; the product never does)
DATA_DIR = ROOT.parent / "shared" / "data" / "anonymisation"

HELDOUT_IDS = Path(__file__).resolve().parent / "data" / "tab_heldout_ids.txt"


def is_heldout(doc_id: str) -> bool:
    """The held-out rule: the SHA-256 of the TAB document id, as a number, divisible by 5."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def tab_split(data: Path, split: str) -> list[dict]:
    """The TAB documents of ``split`` (dev, heldout, train = tab_train.json minus held-out)."""
    if split == "dev":
        return json.loads((data / "tab_dev.json").read_text("utf-8"))
    docs = json.loads((data / "tab_train.json").read_text("utf-8"))
    held = [d for d in docs if is_heldout(d["doc_id"])]
    lines = HELDOUT_IDS.read_text("utf-8").splitlines()
    committed = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if sorted(d["doc_id"] for d in held) != sorted(committed):
        sys.exit(f"the held-out rule no longer gives the ids in {HELDOUT_IDS}; fix one or other")
    if split == "heldout":
        return held
    return [d for d in docs if not is_heldout(d["doc_id"])]


# French titles and function words, skipped like TAB's English ones
FRENCH_SKIP = "m mme mlle me mm et ou de du des la le les l d à au aux en".split()


# ``--without-model``: the command with every spaCy pipeline switched off, so the figures are
# those of the other signals alone (rules, gazetteer, cues, propagation) — what a language
# without a model gets, and how much recall rests on the model.
WITHOUT_MODEL = (
    "import sys; from cicnet.anonymisation import pipelines; "
    "pipelines.pipeline = lambda language: None; "
    "from cicnet.__main__ import main; sys.argv[0] = 'cicnet'; main()"
)


def run_command(
    docs: list[dict[str, str]], *, language: str = "en", policy: str = "strict", model: bool = True
) -> tuple[dict, float]:
    """Spans per document id from ``cicnet anonymise-spans``, and the wall time in seconds."""
    payload = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    launcher = ["-m", "cicnet"] if model else ["-c", WITHOUT_MODEL]
    command = [sys.executable, *launcher, "anonymise-spans", "--policy", policy]
    command += ["--language", language]
    began = time.perf_counter()
    proc = subprocess.run(command, input=payload, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        sys.exit(f"anonymise-spans failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        out[record["id"]] = [(s, e) for s, e, _ in record["spans"]]
    return out, elapsed


def french_documents(path: Path) -> list[dict]:
    """Re-join the tokens of the BIO file into text; PER mentions as character spans."""
    no_space_before = set(",.;:)]»%’'") | {"-"}
    no_space_after = set("([«’'-")
    docs, text, persons, current = [], [], [], None
    length = 0
    lines = path.read_text("utf-8").splitlines()
    for raw in [*lines, ""]:
        line = raw.strip("\r")
        if not line.strip():
            if text:
                text.append("\n")
                length += 1
            continue
        token, _, tag = line.rpartition(" ")
        if token == "PROCÉDURE" and text:  # noqa: S105 - a word of the corpus, not a password
            docs.append({"text": "".join(text), "persons": persons})
            text, persons, length = [], [], 0
        prev = text[-1] if text else "\n"
        glue = (
            "" if (token in no_space_before or prev[-1:] in no_space_after or prev == "\n") else " "
        )
        text.append(glue + token)
        start = length + len(glue)
        length += len(glue) + len(token)
        if tag == "B-PER" or (tag == "I-PER" and current is None):
            current = [start, length]
            persons.append(current)
        elif tag == "I-PER" and current is not None:
            current[1] = length
        else:
            current = None
        if tag != "I-PER" and tag != "B-PER":
            current = None
    if text:
        docs.append({"text": "".join(text), "persons": persons})
    for n, doc in enumerate(docs):
        doc["id"] = f"fr-{n}"
    return docs


def score_french(path: Path, *, policy: str, model: bool = True) -> dict[str, object]:
    docs = french_documents(path)
    spans, elapsed = run_command(docs, language="fr", policy=policy, model=model)
    skip = skip_regex(FRENCH_SKIP)
    hit = total = 0
    for doc in docs:
        covered = {i for s, e in spans[doc["id"]] for i in range(s, e)}
        for s, e in doc["persons"]:
            total += 1
            hit += is_masked(doc["text"], s, e, covered, skip)
    return {
        "file": path.name,
        "documents": len(docs),
        "person_mentions": total,
        "person_mention_recall": round(hit / total, 4) if total else 0.0,
        "seconds": round(elapsed, 2),
    }


def throughput(docs: list[dict], words_target: int = 50_000) -> dict[str, object]:
    """Words per second on one long document (texts concatenated up to ``words_target``)."""
    parts, words = [], 0
    while words < words_target:
        for doc in docs:
            parts.append(doc["text"])
            words += len(doc["text"].split())
            if words >= words_target:
                break
    big = {"id": "big", "text": "\n\n".join(parts)}
    _, startup = run_command([])
    _, elapsed = run_command([big])
    return {
        "words": words,
        "seconds_total": round(elapsed, 2),
        "seconds_startup": round(startup, 2),
        "words_per_second": round(words / elapsed),
        "words_per_second_after_startup": round(words / max(elapsed - startup, 1e-6)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "heldout", "train"], default="dev")
    parser.add_argument("--policy", default="strict", help="the policy to run (default strict)")
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        help="folder with tab_{train,dev}.json and french/FR-manual-{train,dev}.tsv "
        "(default: ../shared/data/anonymisation)",
    )
    parser.add_argument("--misses", type=int, default=0, help="list up to N missed mentions")
    parser.add_argument(
        "--overmasked", type=int, default=0, help='list up to N masked "no need to mask" mentions'
    )
    parser.add_argument("--skip-french", action="store_true")
    parser.add_argument(
        "--without-model",
        action="store_true",
        help="switch the spaCy pipelines off: what rules, gazetteer and cues find alone",
    )
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()

    docs = tab_split(args.data, args.split)
    spans, elapsed = run_command(
        [{"id": d["doc_id"], "text": d["text"]} for d in docs],
        policy=args.policy,
        model=not args.without_model,
    )
    tab = score_tab(docs, spans, args.misses, args.overmasked)
    tab["seconds"] = round(elapsed, 2)
    report: dict[str, object] = {
        "policy": args.policy,
        "model": not args.without_model,
        f"tab_{args.split}": tab,
    }
    if not args.skip_french:
        french = "train" if args.split == "train" else "dev"
        report["french"] = score_french(
            args.data / "french" / f"FR-manual-{french}.tsv",
            policy=args.policy,
            model=not args.without_model,
        )
    if not args.skip_throughput:
        report["throughput"] = throughput([{"text": d["text"]} for d in docs])
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
