"""Language detection accuracy per paragraph (lingua, restricted to the corpus languages);
prints JSON.

    .venv/bin/python bench/language.py

Paragraphs: every English, French and Spanish paragraph of the 40 ECtHR judgments of
../shared/data/parallel/echr_en_fr_es_40.jsonl (real text; the French of most and all the
Spanish are machine translations made by the corpus authors, NOTICE.md there), reported by the
corpus's own split (``source.tsv_split``), plus the German and Dutch paragraphs below, written for
this benchmark in the style of judgments (fictional content). Each paragraph goes through
``cicnet.pipeline.language.detect``, the function the ``detect_language`` stage uses, with the
28 corpus languages it is restricted to. Nothing is tuned on these paragraphs.

Reported: accuracy over all paragraphs, over those of 10 words or more (goal: at least 0.99),
per language and per split, the confusions, and paragraphs per second.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PARALLEL = ROOT.parent / "shared" / "data" / "parallel" / "echr_en_fr_es_40.jsonl"

GERMAN = [
    "Der Angeklagte wird wegen eines Verbrechens gegen die Menschlichkeit in Tateinheit mit "
    "Mord in zwei Fällen zu lebenslanger Freiheitsstrafe verurteilt.",
    "Der Senat ist davon überzeugt, dass der Angeklagte als Leiter der Ermittlungsabteilung "
    "die Folter der Gefangenen angeordnet und überwacht hat.",
    "Die Zeugin schilderte glaubhaft, wie sie im Frühjahr 2012 an einem Kontrollpunkt "
    "festgenommen und in das Gefängnis gebracht wurde.",
    "Die deutsche Gerichtsbarkeit folgt aus dem Weltrechtsprinzip nach § 1 des "
    "Völkerstrafgesetzbuchs, ohne dass es eines Inlandsbezugs bedarf.",
    "Die Verteidigung hat beantragt, einen weiteren Sachverständigen zu den Haftbedingungen "
    "zu hören; der Antrag wird abgelehnt.",
    "Der Angeklagte hat sich in der Hauptverhandlung nicht zur Sache eingelassen, jedoch "
    "über seinen Verteidiger eine schriftliche Erklärung verlesen lassen.",
    "Die Kosten des Verfahrens und die notwendigen Auslagen der Nebenkläger trägt der "
    "Angeklagte, soweit er verurteilt worden ist.",
    "Nach dem Ergebnis der Beweisaufnahme steht fest, dass die Gefangenen in überfüllten "
    "Zellen ohne ausreichende Nahrung und Wasser festgehalten wurden.",
    "Die Revision des Angeklagten gegen das Urteil des Oberlandesgerichts wird als "
    "unbegründet verworfen, weil die Nachprüfung keinen Rechtsfehler ergeben hat.",
    "Die Strafkammer hat bei der Strafzumessung berücksichtigt, dass die Taten viele Jahre "
    "zurückliegen und der Angeklagte nicht vorbestraft ist.",
    "Die Mitgliedschaft in einer terroristischen Vereinigung im Ausland steht zu dem "
    "Kriegsverbrechen gegen Personen in Tatmehrheit.",
    "Der Generalbundesanwalt hat am 15. März 2019 Anklage wegen Beihilfe zu Verbrechen gegen "
    "die Menschlichkeit erhoben.",
]
DUTCH = [
    "De rechtbank acht wettig en overtuigend bewezen dat de verdachte zich schuldig heeft "
    "gemaakt aan het medeplegen van een oorlogsmisdrijf.",
    "De verdachte heeft deelgenomen aan een organisatie die tot oogmerk heeft het plegen van "
    "terroristische misdrijven, te weten Islamitische Staat.",
    "Ter terechtzitting heeft de getuige verklaard dat zij in de zomer van 2015 als slavin "
    "werd verkocht en in een woning werd vastgehouden.",
    "Het hof stelt voorop dat de Nederlandse rechter rechtsmacht heeft op grond van artikel 2 "
    "van de Wet internationale misdrijven.",
    "De raadsman heeft bepleit dat het bewijs onrechtmatig is verkregen en dat de verdachte "
    "daarom van alle tenlastegelegde feiten moet worden vrijgesproken.",
    "De rechtbank verwerpt dit verweer, omdat uit het dossier niet blijkt dat de rechten van "
    "de verdachte in enig opzicht zijn geschonden.",
    "Bij de bepaling van de straf heeft de rechtbank gelet op de aard en de ernst van het "
    "bewezenverklaarde en de omstandigheden waaronder dit is begaan.",
    "Het slachtoffer heeft ter zitting gebruikgemaakt van haar spreekrecht en verteld over de "
    "gevolgen die de feiten voor haar leven hebben gehad.",
    "De officier van justitie heeft gevorderd dat de verdachte wordt veroordeeld tot een "
    "gevangenisstraf voor de duur van twaalf jaren.",
    "Het hof vernietigt het vonnis waarvan beroep en doet opnieuw recht, omdat het tot een "
    "andere bewezenverklaring komt dan de rechtbank.",
    "De foto's op de telefoon van de verdachte tonen hem poserend naast het lichaam van een "
    "gedode tegenstander, hetgeen een aantasting van de persoonlijke waardigheid oplevert.",
    "De vordering van de benadeelde partij wordt toegewezen tot een bedrag van vijftienduizend "
    "euro ter vergoeding van immateriële schade.",
]


def main() -> None:
    from cicnet.pipeline.language import CORPUS_LANGUAGES, detect, same_language, word_count

    items: list[tuple[str, str, str]] = []  # (language, split, paragraph)
    for line in PARALLEL.read_text("utf-8").splitlines():
        row = json.loads(line)
        split = row.get("source", {}).get("tsv_split", "unknown")
        for paragraph in row["paragraphs"]:
            for lang in ("en", "fr", "es"):
                if paragraph.get(lang):
                    items.append((lang, split, paragraph[lang]))
    items += [("de", "written", p) for p in GERMAN] + [("nl", "written", p) for p in DUTCH]
    detect("warm-up: load the models once")
    started = time.perf_counter()
    found = [detect(text) for _, _, text in items]
    seconds = time.perf_counter() - started
    rows = [
        (lang, split, word_count(text), f.language if f else "", f.confidence if f else 0.0)
        for (lang, split, text), f in zip(items, found, strict=True)
    ]

    def score(selected: list[tuple[str, str, int, str, float]]) -> dict[str, object]:
        right = sum(same_language(got, lang) for lang, _, _, got, _ in selected)
        return {
            "paragraphs": len(selected),
            "correct": right,
            "accuracy": round(right / len(selected), 4) if selected else None,
        }

    long = [r for r in rows if r[2] >= 10]
    confusions = Counter(
        f"{lang}->{got or 'none'}" for lang, _, _, got, _ in rows if not same_language(got, lang)
    )
    print(
        json.dumps(
            {
                "benchmark": "language_detection",
                "detector": f"lingua, restricted to {len(CORPUS_LANGUAGES)} corpus languages",
                "all_paragraphs": score(rows),
                "paragraphs_10_words_or_more": score(long),
                "shorter_than_10_words": score([r for r in rows if r[2] < 10]),
                "by_language_10_words_or_more": {
                    lang: score([r for r in long if r[0] == lang])
                    for lang in ("en", "fr", "es", "de", "nl")
                },
                "by_split_10_words_or_more": {
                    split: score([r for r in long if r[1] == split])
                    for split in sorted({r[1] for r in rows})
                },
                "confusions": dict(confusions.most_common()),
                "paragraphs_per_second": round(len(rows) / seconds, 1),
                "goal": "accuracy >= 0.99 for paragraphs of 10 words or more",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")
    main()
