"""Stage split: court-numbered and blank-line separated paragraphs, stable numbers."""

from __future__ import annotations

from cicnet.pipeline.split import split_paragraphs


def test_court_numbered_paragraphs_keep_the_courts_numbers_and_heading_is_paragraph_0() -> None:
    text = "COURT\nJudgment\n\n1. First\nwrapped line.\n\n2. Second.\n\n3. Third."
    paragraphs, numbering = split_paragraphs(text)
    assert numbering == "court"
    assert paragraphs == [
        (0, "COURT Judgment"),
        (1, "First wrapped line."),
        (2, "Second."),
        (3, "Third."),
    ]


def test_numbered_list_inside_a_paragraph_does_not_start_new_paragraphs() -> None:
    text = (
        "1. Intro.\n\n2. The court heard:\n1. the first witness,\n2. the second witness.\n\n"
        "3. Conclusion."
    )
    paragraphs, _ = split_paragraphs(text)
    assert [n for n, _ in paragraphs] == [1, 2, 3]
    assert paragraphs[1] == (2, "The court heard: 1. the first witness, 2. the second witness.")


def test_excerpt_with_a_gap_in_numbering_keeps_the_original_numbers() -> None:
    text = "12. Twelve.\n\n13. Thirteen.\n\n40. Forty, after omitted paragraphs.\n\n41. Forty-one."
    paragraphs, numbering = split_paragraphs(text)
    assert numbering == "court"
    assert [n for n, _ in paragraphs] == [12, 13, 40, 41]


def test_bracketed_and_parenthesised_numbers_are_court_numbering() -> None:
    assert [n for n, _ in split_paragraphs("[1] A.\n[2] B.\n[3] C.")[0]] == [1, 2, 3]
    assert [n for n, _ in split_paragraphs("(1) A.\n(2) B.\n(3) C.")[0]] == [1, 2, 3]


def test_number_alone_on_its_line_starts_the_paragraph() -> None:
    paragraphs, _ = split_paragraphs("1.\nAlpha.\n2.\nBeta.\n3.\nGamma.")
    assert paragraphs == [(1, "Alpha."), (2, "Beta."), (3, "Gamma.")]


def test_blank_line_blocks_are_numbered_in_order() -> None:
    paragraphs, numbering = split_paragraphs("First block\ncontinues.\n\n\nSecond.\n  \nThird.")
    assert numbering == "sequence"
    assert paragraphs == [(1, "First block continues."), (2, "Second."), (3, "Third.")]


def test_one_paragraph_per_line_when_lines_end_sentences() -> None:
    paragraphs, _ = split_paragraphs("One sentence.\nAnother one.\nA third.")
    assert [b for _, b in paragraphs] == ["One sentence.", "Another one.", "A third."]


def test_hard_wrapped_block_stays_one_paragraph_and_hyphenation_is_joined() -> None:
    paragraphs, _ = split_paragraphs("The Völkerstraf-\ngesetzbuch applies to\nthe facts")
    assert paragraphs == [(1, "The Völkerstrafgesetzbuch applies to the facts")]


def test_a_year_or_stray_number_does_not_switch_to_court_numbering() -> None:
    paragraphs, numbering = split_paragraphs("2019. A year at the start.\n\nAnother block.")
    assert numbering == "sequence" and len(paragraphs) == 2


def test_numbering_is_stable_for_the_same_text() -> None:
    text = "Heading\n\n1. A.\n\n2. B.\n\n3. C."
    assert split_paragraphs(text) == split_paragraphs(text)
