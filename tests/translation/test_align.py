"""The aligner and ``cicnet align``: pairs in order, groups for split and merged paragraphs,
the court's numbers when both texts have them, and clear errors for files it cannot read."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cicnet.translation.align import align, align_numbered, anchors, sentences
from cicnet.translation.files import paragraphs_of_text

EN = [
    "PROCEDURE",
    "The case originated in an application (no. 60286/09) lodged on 13 November 2009 by "
    "Mr Moshood Balogun, a Nigerian national.",
    "The applicant alleged that his deportation to Nigeria would breach Articles 3 and 8.",
    "On 18 November 2009 the Acting President decided to apply Rule 39. On 9 March 2010 the "
    "Vice-President decided to give notice of the application to the Government.",
]
FR_SENTENCES = [
    "PROCÉDURE",
    "L'affaire a pour origine une requête (no 60286/09) introduite le 13 novembre 2009 par "
    "M. Moshood Balogun, ressortissant nigérian.",
    "Le requérant alléguait que son expulsion vers le Nigéria violerait les articles 3 et 8.",
    "Le 18 novembre 2009, le président par intérim a décidé d'appliquer l'article 39.",
    "Le 9 mars 2010, le vice-président a décidé de communiquer la requête au Gouvernement.",
]


def _groups(pairs: list) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(p.original, p.translation) for p in pairs]


def test_sentences_of_a_paragraph_are_grouped_with_it() -> None:
    pairs = align(EN, FR_SENTENCES)
    assert _groups(pairs) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3, 4))]
    assert all(0.0 <= p.confidence <= 1.0 for p in pairs)


def test_merged_paragraphs_become_one_group() -> None:
    pairs = align(FR_SENTENCES, EN)
    assert _groups(pairs)[-1] == ((3, 4), (3,))


def test_a_paragraph_missing_in_the_translation_is_left_unpaired() -> None:
    long_en = [*EN, "The Court awarded the applicant 5,000 euros in respect of costs."]
    pairs = align(long_en, FR_SENTENCES)
    covered_en = [i for p in pairs for i in p.original]
    covered_fr = [j for p in pairs for j in p.translation]
    assert covered_en == list(range(len(long_en)))  # every paragraph once, in order
    assert covered_fr == list(range(len(FR_SENTENCES)))
    assert ((4,), ()) in _groups(pairs)


def test_court_numbers_pair_paragraphs_by_number_with_full_confidence() -> None:
    original = [(0, "Heading"), (1, "Erster Absatz 2001."), (2, "Zweiter."), (3, "Dritter.")]
    translation = [(0, "Heading"), (1, "First paragraph 2001."), (3, "Third.")]
    pairs = align_numbered(original, translation)
    assert ((1,), (1,)) in _groups(pairs) and ((3,), (2,)) in _groups(pairs)
    by_group = {(p.original, p.translation): p.confidence for p in pairs}
    assert by_group[((1,), (1,))] == 1.0
    assert [i for p in pairs for i in p.original] == [0, 1, 2, 3]


def test_anchors_are_numbers_and_names_not_sentence_openers() -> None:
    found = anchors("On 18 November 2009 the applicant, Mr Balogun, wrote to Nigeria.")
    assert {"#18", "#2009", "balogu", "nigeri"} <= found
    assert "on" not in found


def test_sentences_skip_abbreviations_and_initials() -> None:
    assert sentences("Ms L. Dauban of the Office (no. 5) spoke. Mr. Smith replied.") == 2


def test_txt_paragraphs_are_blank_line_blocks_with_court_numbers() -> None:
    text = "Urteil\n\n1. Erster\nAbsatz.\n\n2. Zweiter.\n\n3. Dritter.\n"
    parsed = paragraphs_of_text(text)
    assert parsed.numbering == "court"
    assert parsed.paragraphs == [
        (0, "Urteil"),
        (1, "1. Erster Absatz."),
        (2, "2. Zweiter."),
        (3, "3. Dritter."),
    ]


def test_align_command_prints_json_pairs(tmp_path: Path) -> None:
    a, b = tmp_path / "judgment.en.txt", tmp_path / "judgment.fr.txt"
    a.write_text("\n\n".join(EN), encoding="utf-8")
    b.write_text("\n\n".join(FR_SENTENCES), encoding="utf-8")
    out = StringIO()
    call_command("align", str(a), str(b), "--json", stdout=out)
    pairs = json.loads(out.getvalue())["pairs"]
    assert [(p["original"], p["translation"]) for p in pairs] == [
        ([0], [0]),
        ([1], [1]),
        ([2], [2]),
        ([3], [3, 4]),
    ]
    assert all(isinstance(p["confidence"], float) for p in pairs)


def test_align_command_names_a_missing_file(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("One.", encoding="utf-8")
    with pytest.raises(CommandError, match=r"missing\.txt: no such file"):
        call_command("align", str(a), str(tmp_path / "missing.txt"))


def test_align_command_refuses_a_file_it_cannot_read(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.png"
    a.write_text("One.", encoding="utf-8")
    b.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(CommandError, match=r"b\.png: not a text file"):
        call_command("align", str(a), str(b))
