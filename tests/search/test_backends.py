"""The shared backend suite: every test runs on tantivy and, on PostgreSQL, on PostgreSQL FTS.

The corpus (conftest.py) is fictional: alpha (DE, 2022, torture, 7(1)(f)), beta (DE, 2019,
cites VStGB § 8 only, German original + English translation), gamma (NL, 2015, no full text,
terrorism), delta (FR, 2010, French text).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from cicnet.access import policy
from cicnet.search.services import search_decisions
from cicnet.search.types import QueryError, SearchParams

CURATOR = policy.Actor(role="curator", user_id=1)


def run(q: str = "", **kwargs: Any) -> Any:
    return search_decisions(actor=CURATOR, params=SearchParams(q=q, **kwargs))


def uids(q: str = "", **kwargs: Any) -> set[str]:
    page = run(q, **kwargs)
    assert page.count == len(page.hits), "tests keep results on one page"
    return {h.uid for h in page.hits}


def facet(page: Any, name: str) -> dict[str, int]:
    return {f.value: f.count for f in page.facets[name]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("torture", {"alpha", "delta"}),
        ("TORTURE", {"alpha", "delta"}),
        ("torture detainees", {"alpha"}),  # AND by default
        ("torture AND detainees", {"alpha"}),
        ("torture prison civilians", {"alpha"}),  # words from different paragraphs
        ('"crimes against humanity"', {"alpha"}),
        ('"humanity against crimes"', set()),
        ("torture OR pillaging", {"alpha", "beta", "gamma", "delta"}),
        ("pillaging -nortavia", {"beta"}),  # exclusion at decision level (gamma's summary)
        ("torture -prison", {"delta"}),
        ("-torture", {"beta", "gamma"}),  # only an exclusion: everything else
        ("tortur*", {"alpha", "delta"}),
        ("pillag*", {"beta", "gamma"}),
        ("volkerstrafgesetzbuch", {"beta"}),  # accents folded
        ("Völkerstrafgesetzbuch", {"beta"}),
        ("(torture OR pillaging) country:DE", {"alpha", "beta"}),
        ("nosuchwordanywhere", set()),
        ("terrorist", {"gamma"}),  # decisions without full text are found by their summary
    ],
)
def test_text_queries(corpus: dict[str, Any], q: str, expected: set[str]) -> None:
    assert uids(q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("court:koblenz", {"alpha"}),
        ('court:"court of justice"', {"beta"}),
        ("country:DE", {"alpha", "beta"}),
        ("country:de", {"alpha", "beta"}),
        ("-country:DE", {"gamma", "delta"}),
        ("year:2019", {"beta"}),
        ("year:2015..2020", {"beta", "gamma"}),
        ("year:2019..", {"alpha", "beta"}),
        ("year:..2015", {"gamma", "delta"}),
        ("crime:7(1)(f)", {"alpha"}),
        ("crime:crimes_against_humanity", {"alpha"}),
        # beta states no crime: it cites VStGB § 8, which implements article 8(2).
        ("crime:war_crimes", {"beta", "gamma"}),
        ("crime:8(2)(a)", {"beta"}),
        ("crime:terrorism", {"gamma"}),
        ("provision:DE:3", {"beta"}),
        ("provision:vstgb", {"beta"}),
        ("torture country:DE year:2020..2023", {"alpha"}),
        ("crime:war_crimes OR court:koblenz", {"alpha", "beta", "gamma"}),
    ],
)
def test_field_queries(corpus: dict[str, Any], q: str, expected: set[str]) -> None:
    assert uids(q) == expected


def test_empty_query_returns_everything_newest_first(corpus: dict[str, Any]) -> None:
    page = run("")
    assert [h.uid for h in page.hits] == ["alpha", "beta", "gamma", "delta"]
    assert page.count == 4


def test_filters_or_within_and_across_facets(corpus: dict[str, Any]) -> None:
    assert uids(filters={"country": ("DE", "NL")}) == {"alpha", "beta", "gamma"}
    assert uids(filters={"country": ("DE", "NL"), "situation": ("Nortavia",)}) == {"alpha", "gamma"}
    assert uids(filters={"has_text": ("no",)}) == {"gamma"}
    assert uids(filters={"terrorism": ("yes",)}) == {"gamma"}
    assert uids(filters={"language": ("de",)}) == {"beta"}
    assert uids(filters={"crime": ("8(2)(a)(i)",)}) == {"beta"}
    assert uids(filters={"provision": ("DE:3",)}) == {"beta"}
    assert uids(year_from=2015, year_to=2019) == {"beta", "gamma"}
    assert uids("torture", filters={"outcome": ("acquitted",)}) == {"delta"}


def test_facet_counts_are_decisions_not_paragraphs(corpus: dict[str, Any]) -> None:
    page = run("torture")  # alpha has the word in two paragraphs, delta in one
    assert facet(page, "country") == {"DE": 1, "FR": 1}
    assert facet(page, "language") == {"en": 1, "fr": 1}
    assert page.count == 2


def test_facets_cover_every_facet_with_counts(corpus: dict[str, Any]) -> None:
    page = run("")
    assert facet(page, "country") == {"DE": 2, "NL": 1, "FR": 1}
    assert facet(page, "year") == {"2022": 1, "2019": 1, "2015": 1, "2010": 1}
    assert facet(page, "court")["Federal Court of Justice"] == 1
    assert facet(page, "crime_group") == {
        "crimes_against_humanity": 1,
        "war_crimes": 2,
        "terrorism": 1,
    }
    assert facet(page, "crime")["7(1)(f)"] == 1
    assert facet(page, "crime")["8(2)(e)(v)"] == 2  # gamma states it; beta via VStGB § 8
    assert facet(page, "provision") == {"DE:3": 1}
    assert facet(page, "situation") == {"Nortavia": 2, "Ostravia": 1, "Westmark": 1}
    assert facet(page, "outcome") == {"convicted": 2, "upheld": 1, "acquitted": 1}
    assert facet(page, "instance") == {"first_instance": 3, "appeal": 1}
    assert facet(page, "language") == {"en": 2, "de": 1, "fr": 1}
    assert facet(page, "terrorism") == {"yes": 1, "no": 3}
    assert facet(page, "has_text") == {"yes": 3, "no": 1}


def test_facets_follow_query_and_filters(corpus: dict[str, Any]) -> None:
    page = run("pillaging", filters={"country": ("NL",)})
    assert page.count == 1
    # the ticked facet is counted without its own filter (values of one facet are ORed)
    assert facet(page, "country") == {"NL": 1, "DE": 1}
    assert facet(page, "has_text") == {"no": 1}


def test_a_ticked_facet_keeps_its_other_values_counted_under_the_other_filters(
    corpus: dict[str, Any],
) -> None:
    """Values of one facet are ORed: ticking France must not hide Germany."""
    page = run("", filters={"country": ("FR",)})
    assert page.count == 1
    assert facet(page, "country") == {"DE": 2, "NL": 1, "FR": 1}  # as if nothing were ticked
    assert facet(page, "outcome") == {"acquitted": 1}  # the other facets follow the filter
    # Two facets ticked: each is counted under the other's filter only.
    page = run("", filters={"country": ("DE",), "outcome": ("convicted",)})
    assert [h.uid for h in page.hits] == ["alpha"]
    assert facet(page, "country") == {"DE": 1, "NL": 1}  # convicted decisions, by country
    assert facet(page, "outcome") == {"convicted": 1, "upheld": 1}  # German decisions
    assert facet(page, "situation") == {"Nortavia": 1}


def test_three_ticked_facets_each_counted_under_the_other_two(corpus: dict[str, Any]) -> None:
    """Each ticked facet counts as the same search without its own filter counts it, and the
    page holds what passes all three."""
    ticked = {"country": ("DE", "NL"), "outcome": ("convicted", "upheld"), "has_text": ("yes",)}
    for q in ("", "pillaging OR torture"):
        page = run(q, filters=ticked)
        each = [uids(q, filters={name: values}) for name, values in ticked.items()]
        assert {h.uid for h in page.hits} == set.intersection(*each)
        assert page.count < run(q).count
        for name in ticked:
            others = {k: v for k, v in ticked.items() if k != name}
            assert facet(page, name) == facet(run(q, filters=others), name), (q, name)


def test_a_ticked_value_no_decision_has_still_shows_the_facet_s_other_values(
    corpus: dict[str, Any],
) -> None:
    page = run("", filters={"country": ("ZZ",), "outcome": ("convicted",)})
    assert page.count == 0 and page.hits == ()
    assert facet(page, "country") == facet(run("", filters={"outcome": ("convicted",)}), "country")
    assert facet(page, "outcome") == {}  # no decision of country ZZ
    assert all(not values for name, values in page.facets.items() if name != "country")


def test_facet_labels_come_from_vocabularies(corpus: dict[str, Any]) -> None:
    page = run("")
    labels = {f.value: f.label for f in page.facets["country"]}
    assert labels["DE"] == "Germany"
    crimes = {f.value: f.label for f in page.facets["crime"]}
    assert "torture" in crimes["7(1)(f)"].lower()
    provisions = {f.value: f.label for f in page.facets["provision"]}
    assert "Code of Crimes against International Law" in provisions["DE:3"]
    groups = {f.value: f.label for f in page.facets["crime_group"]}
    assert groups["war_crimes"] == "War crimes"


def test_without_facets(corpus: dict[str, Any]) -> None:
    assert run("torture", with_facets=False).facets == {}


def test_sort_by_date(corpus: dict[str, Any]) -> None:
    assert [h.uid for h in run("torture OR pillaging", sort="date_desc").hits] == [
        "alpha",
        "beta",
        "gamma",
        "delta",
    ]
    assert [h.uid for h in run("torture OR pillaging", sort="date_asc").hits] == [
        "delta",
        "gamma",
        "beta",
        "alpha",
    ]


def test_relevance_puts_the_decision_with_more_matches_first(corpus: dict[str, Any]) -> None:
    page = run("torture detainees OR torture", sort="relevance")
    assert page.hits[0].uid == "alpha"
    assert page.hits[0].score >= page.hits[-1].score


def test_filters_and_the_searcher_do_not_change_a_decision_s_score(
    corpus: dict[str, Any],
) -> None:
    """Relevance is the words' alone: a filter, a field of the query or who searches (the scope
    clause) selects decisions without adding to their score."""

    def score(q: str, actor: policy.Actor = CURATOR, **kwargs: Any) -> float:
        page = search_decisions(actor=actor, params=SearchParams(q=q, sort="relevance", **kwargs))
        return next(h.score for h in page.hits if h.uid == "alpha")

    alone = score("torture")
    assert alone > 0
    for other in (
        score("torture country:DE"),
        score("torture crime:7(1)(f)"),
        score("torture year:2020..2023"),
        score("torture", filters={"country": ("DE",), "crime": ("7(1)(f)",)}),
        score("torture", year_from=2020),
        score("torture", actor=policy.ANONYMOUS),
    ):
        assert other == pytest.approx(alone)


def test_paging(corpus: dict[str, Any]) -> None:
    first = run("", page_size=3)
    second = run("", page_size=3, page=2)
    assert first.count == second.count == 4
    assert [h.uid for h in first.hits] == ["alpha", "beta", "gamma"]
    assert [h.uid for h in second.hits] == ["delta"]
    assert run("", page=3, page_size=3).hits == ()


def test_hit_carries_metadata(corpus: dict[str, Any]) -> None:
    hit = run("court:koblenz").hits[0]
    assert (hit.uid, hit.country, hit.court, hit.decision_date) == (
        "alpha",
        "DE",
        "Higher Regional Court Koblenz",
        "2022-01-13",
    )
    assert hit.title == "Fictional Anton K. judgment"
    assert hit.url == "/decisions/alpha/"


def test_snippets_mark_matches_with_paragraph_anchors(corpus: dict[str, Any]) -> None:
    hit = run("torture").hits[0]
    assert hit.uid == "alpha"
    assert {s.paragraph for s in hit.snippets} == {1, 3}
    assert all(s.language == "en" for s in hit.snippets)
    assert {s.anchor for s in hit.snippets} == {"en-p1", "en-p3"}
    third = next(s for s in hit.snippets if s.paragraph == 3)
    assert third.html.count("<mark>torture</mark>") == 2


def test_snippets_mark_phrases_and_prefixes(corpus: dict[str, Any]) -> None:
    phrase = run('"crimes against humanity"').hits[0].snippets
    assert [s.paragraph for s in phrase] == [2]
    assert "<mark>Crimes against humanity</mark>" in phrase[0].html
    prefix = run("pillag*", filters={"country": ("DE",)}).hits[0].snippets
    assert "<mark>pillaging</mark>" in prefix[0].html


def test_snippets_are_html_escaped(corpus: dict[str, Any]) -> None:
    snippet = run("imprisonment").hits[0].snippets[0]
    assert "&lt;with&gt;" in snippet.html and "&amp;" in snippet.html
    assert "<with>" not in snippet.html
    assert snippet.html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippets_skip_excluded_words_and_fields(corpus: dict[str, Any]) -> None:
    hits = run("detainees -civilians country:DE").hits
    assert hits == ()
    hit = run("prison -pillaging").hits[0]
    assert all("<mark>pillaging" not in s.html for s in hit.snippets)
    assert run("country:DE").hits[0].snippets == ()


def test_summary_snippet_for_decision_without_text(corpus: dict[str, Any]) -> None:
    hit = run("terrorist").hits[0]
    assert hit.uid == "gamma"
    assert len(hit.snippets) == 1
    assert hit.snippets[0].source == "summary"
    assert hit.snippets[0].anchor == "summary"
    assert "<mark>terrorist</mark>" in hit.snippets[0].html


def test_snippets_from_translation_and_original(corpus: dict[str, Any]) -> None:
    hit = run("accused", filters={"country": ("DE",)}, decision_uid="beta").hits[0]
    assert {(s.language, s.paragraph) for s in hit.snippets} == {("de", 1), ("en", 1)} - {("de", 1)}
    assert run("angeklagte").hits[0].snippets[0].anchor == "de-p1"


def test_search_within_one_decision(corpus: dict[str, Any]) -> None:
    page = run("torture", decision_uid="alpha")
    assert page.count == 1
    assert [h.uid for h in page.hits] == ["alpha"]
    assert {s.paragraph for s in page.hits[0].snippets} == {1, 3}
    assert run("pillaging", decision_uid="alpha").count == 0
    assert run("torture", decision_uid="nosuch").count == 0


def test_long_paragraph_snippet_is_a_fragment_around_the_match(backend: str) -> None:
    from cicnet.search.services import rebuild_index
    from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

    d = DecisionFactory(uid="long")
    text = TextFactory(decision=d)
    body = "filler " * 200 + "the needle is here " + "padding " * 200
    ParagraphFactory(text=text, number=7, body=body)
    rebuild_index()
    snippet = run("needle").hits[0].snippets[0]
    assert "<mark>needle</mark>" in snippet.html
    assert len(snippet.html) < 400
    assert snippet.html.startswith("…") and snippet.html.endswith("…")
    assert snippet.paragraph == 7


@pytest.mark.parametrize(
    "q",
    [
        '"torture',
        "foo:bar",
        "country:",
        "year:20x",
        "year:2020..2010",
        "-",
        "torture -",
        "crime:nonsense",
        "(torture",
        "torture)",
        "a*",
        "to*ture",
        "OR torture",
        "torture OR",
        "country:Germany",
        'court:""',
        "()",
    ],
)
def test_malformed_queries_raise_query_error(corpus: dict[str, Any], q: str) -> None:
    with pytest.raises(QueryError) as exc:
        run(q)
    assert exc.value.parameter == "q"
    assert exc.value.message


def test_facets_counted_in_other_threads_equal_those_counted_inline(
    corpus: dict[str, Any], backend: str
) -> None:
    """tantivy counts the facets on a pool of threads while the request's thread finds the
    page; on one core it counts them inline. Both give the same counts, ticked facets too."""
    if backend != "tantivy":
        pytest.skip("the facet threads are the tantivy backend's")
    from cicnet.search import tantivy_backend

    cases = [("", {}), ("torture", {}), ("", {"country": ("DE",), "outcome": ("convicted",)})]
    threaded = [run(q, filters=filters).facets for q, filters in cases]
    assert tantivy_backend.facet_pool() is not None
    # One core, as taskset or a container's CPU set allows it (os.cpu_count() still says two).
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert tantivy_backend.facet_pool() is None
        assert [run(q, filters=filters).facets for q, filters in cases] == threaded
    finally:
        os.sched_setaffinity(0, allowed)
    assert threaded[2]["country"] and threaded[2]["outcome"]


def test_a_forked_worker_makes_its_own_facet_threads(corpus: dict[str, Any], backend: str) -> None:
    """gunicorn forks its workers after loading the app: a pool made before the fork has no
    threads in the child, so the child must make its own."""
    if backend != "tantivy":
        pytest.skip("the facet threads are the tantivy backend's")
    import os
    import select
    import signal

    from cicnet.search import tantivy_backend

    parent_pool = tantivy_backend.facet_pool()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: search, and say whether its pool is new
        try:
            page = run("torture")
            fresh = tantivy_backend.facet_pool() is not parent_pool
            os.write(write, b"ok" if fresh and page.facets["country"] else b"no")
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 60)
    if not ready:  # a pool inherited from the parent waits for threads the child lacks
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert ready and os.read(read, 2) == b"ok"


def test_each_hit_shows_its_own_best_paragraphs_when_the_page_has_many(backend: str) -> None:
    """A page's snippets come from one search over all its decisions' paragraphs, cut off and
    read in score order: each hit still shows its best paragraphs, the same as searching
    within it, also a hit whose single match ranks below every other decision's."""
    from cicnet.search.services import rebuild_index
    from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

    for d in range(6):
        # Five decisions match in fifteen paragraphs each (more than the page's search reads),
        # one in a single paragraph.
        matching = 1 if d == 5 else 15
        decision = DecisionFactory(uid=f"many-{d}", country="FR" if d == 5 else "DE")
        text = TextFactory(decision=decision)
        for n in range(1, 19):
            # Paragraph n holds the word n times in twenty words: no two score alike.
            k = n if n <= matching else 0
            body = " ".join(["needle"] * k + [f"hay{n}"] * (20 - k))
            ParagraphFactory(text=text, number=n, body=body)
    rebuild_index()
    for filters, count in (({}, 6), ({"country": ("DE",)}, 5)):
        page = run("needle", filters=filters)
        assert page.count == count
        for hit in page.hits:
            within = run("needle", decision_uid=hit.uid).hits[0].snippets
            best = [s.paragraph for s in within]
            assert [s.paragraph for s in hit.snippets] == best[:3], hit.uid
        shown = {h.uid: [s.paragraph for s in h.snippets] for h in page.hits}
        assert shown["many-0"] == [15, 14, 13]
        assert shown.get("many-5", [1]) == [1]
