"""A query of words only is marked by comparing each distinct token of a text once
(``_word_spans``); it must mark exactly what comparing every token where it stands does
(``_token_spans``), on real texts in English, French and Spanish and on the letters folding
treats specially."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from cicnet.search import snippets
from cicnet.search.analysis import query_stems
from cicnet.search.query import Phrase, Term, _fold

DATA = Path(snippets.__file__).resolve().parents[1] / "demo" / "data"
SPECIAL = (
    "Straße STRASSE strasse Æsir Œuvre Ørsted Đorđe Łódź þing İstanbul ıspanak naïve café "
    "CAFÉ cafe_bar x_y ﬁnal ½ 2010 2010s l'affaire d’Irlande señor SEÑOR"
)


def _texts() -> list[tuple[str, str]]:
    with gzip.open(DATA / "echr_en_fr_es_40.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:6]
    out = [(lang, row[lang][:6000]) for row in rows for lang in ("en", "fr", "es")]
    return [*out, ("en", SPECIAL), ("de", SPECIAL)]


def _queries(text: str, rng: random.Random) -> list[list[Term | Phrase]]:
    words = [_fold(t) for t in snippets._TOKEN.findall(text)]
    queries: list[list[Term | Phrase]] = []
    for _ in range(12):
        picked = rng.sample(words, min(3, len(words)))
        queries.append([Term(w) for w in picked])
        queries.append([Term(picked[0], exact=True), Term(picked[-1][:3], prefix=True)])
    queries.append([Term("nosuchwordanywhere")])
    return queries


@pytest.mark.parametrize(("language", "text"), _texts())
def test_words_are_marked_as_token_by_token(language: str, text: str) -> None:
    rng = random.Random(len(text))  # noqa: S311 - seeded test data
    for leaves in _queries(text, rng):
        exact = {leaf.word for leaf in leaves if isinstance(leaf, Term) and not leaf.prefix}
        stems = {
            s
            for leaf in leaves
            if isinstance(leaf, Term) and not leaf.prefix and not leaf.exact
            for s in query_stems(leaf.word, ())
        }
        prefixes = tuple(leaf.word for leaf in leaves if isinstance(leaf, Term) and leaf.prefix)
        expected = snippets._token_spans(text, leaves, exact, stems, prefixes, language)
        got = snippets._word_spans(text, snippets._Matcher(tuple(leaves), ()), language)
        assert got is None or got == expected, leaves
        assert snippets.match_spans(text, leaves, language=language) == expected


def test_what_a_query_s_tokens_matched_is_remembered_per_language() -> None:
    """The same query over the same texts read as each language in turn: the remembered
    matches (one matcher per query) mark what a fresh comparison marks, in every language."""
    rng = random.Random(3)  # noqa: S311 - seeded test data
    texts = [text for _, text in _texts()[:6]]
    queries = [leaves for text in texts for leaves in _queries(text, rng)[:6]]
    for _ in range(2):  # the second time from what the first remembered
        for leaves in queries:
            for text in texts:
                for language in ("en", "fr", "de"):
                    fresh = snippets._Matcher(tuple(leaves), ())
                    expected = snippets._token_spans(
                        text, leaves, fresh.exact, fresh.stems, fresh.prefixes, language
                    )
                    assert snippets.match_spans(text, leaves, language=language) == expected


def test_special_letters_are_marked_whole() -> None:
    spans = snippets.match_spans(SPECIAL, [Term("strasse", exact=True)], language="de")
    assert [SPECIAL[s:e] for s, e in spans] == ["Straße", "STRASSE", "strasse"]
    spans = snippets.match_spans(SPECIAL, [Term("cafe", exact=True)], language="en")
    # "cafe_bar" is two tokens ("_" separates them), as the index has it
    assert [SPECIAL[s:e] for s, e in spans] == ["café", "CAFÉ", "cafe"]
    # a phrase still goes token by token
    spans = snippets.match_spans(SPECIAL, [Phrase(("naive", "cafe"))], language="en")
    assert [SPECIAL[s:e] for s, e in spans] == ["naïve café"]


def test_a_prefix_matching_many_tokens_is_marked_token_by_token() -> None:
    text = " ".join(f"a{i}x" for i in range(snippets.MAX_PATTERN_TOKENS + 5))
    leaves: list[Term | Phrase] = [Term("a", prefix=True)]
    matcher = snippets._Matcher(tuple(leaves), ())
    assert snippets._word_spans(text, matcher, "en") is None
    spans = snippets.match_spans(text, leaves)
    assert len(spans) == snippets.MAX_PATTERN_TOKENS + 5
    assert spans == snippets._token_spans(text, leaves, set(), set(), ("a",), "en")
