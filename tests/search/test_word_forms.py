"""Word forms (issue 13): every text is indexed with the stemmer of its language and a query word
matches any of its forms, on every backend; quoted phrases and prefixes keep exact forms.

The corpus is tests/search/conftest.py's: alpha (English "torture", summary "Conviction"), beta
(German original "Revision", English "convicted"), delta (French "torture")."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.access import policy
from cicnet.search.analysis import query_stems, stem_text
from cicnet.search.services import search_decisions
from cicnet.search.types import SearchParams

CURATOR = policy.Actor(role="curator", user_id=1)


def run(q: str, **kwargs: Any) -> Any:
    return search_decisions(actor=CURATOR, params=SearchParams(q=q, **kwargs))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("tortured", {"alpha", "delta"}),  # English "torture", French "torture"
        ("torturing", {"alpha", "delta"}),
        ("tortures", {"alpha", "delta"}),
        ("convicting", {"alpha", "beta"}),  # "Conviction" (summary), "convicted" (translation)
        ("revisionen", {"beta"}),  # German "Revision"
        ("acquittés", {"delta"}),  # French "acquitté", accents folded
        ('"tortured"', set()),  # a quoted word keeps its exact form
        ('"torture of detainees"', {"alpha"}),
        ('"tortured of detainees"', set()),
        ("tortured -prison", {"delta"}),  # exclusion takes word forms too
        ("tortured detainees", {"alpha"}),
    ],
)
def test_a_word_finds_its_forms_phrases_stay_exact(
    corpus: dict[str, Any], q: str, expected: set[str]
) -> None:
    page = run(q)
    assert {h.uid for h in page.hits} == expected
    assert page.count == len(expected)


def test_facet_counts_count_decisions_matched_by_any_form(corpus: dict[str, Any]) -> None:
    page = run("tortured")
    counts = {f.value: f.count for f in page.facets["country"]}
    assert counts == {"DE": 1, "FR": 1}
    assert {f.value: f.count for f in page.facets["language"]} == {"en": 1, "fr": 1}


def test_snippet_marks_the_form_that_matched_in_its_own_language(corpus: dict[str, Any]) -> None:
    hits = {h.uid: h for h in run("tortured").hits}
    alpha = " ".join(s.html for s in hits["alpha"].snippets)
    assert "<mark>torture</mark>" in alpha
    delta = hits["delta"].snippets
    assert delta and delta[0].language == "fr"
    assert "<mark>torture</mark>" in delta[0].html


def test_the_language_filter_narrows_the_languages_the_query_is_analysed_for(
    corpus: dict[str, Any],
) -> None:
    # Analysed as German only, "convicting" is not reduced to the English stem "convict".
    assert {h.uid for h in run("convicting", filters={"language": ("de",)}).hits} == set()
    assert {h.uid for h in run("convicting", filters={"language": ("en",)}).hits} == {
        "alpha",
        "beta",
    }


def test_stems_per_language() -> None:
    assert stem_text("en", "Tortured, torturing; torture!") == "tortur tortur tortur"
    assert stem_text("fr", "Les détenus torturés") == "le detenus tortur"
    assert stem_text("xx", "Unknown Languages") == "unknown languages"  # no stemmer: tokens
    assert "tortur" in query_stems("tortured")
    assert query_stems("tortured", ("en",)) == ("tortur",)
