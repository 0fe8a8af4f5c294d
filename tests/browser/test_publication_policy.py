"""The publication policy in Chromium: a curator finds a decision in the anonymisation queue
(its German original flagged: no language model), sees in the workbench what the default
``publication`` policy masks and keeps, compares it with ``strict``, returns to publication and
signs off; the public then reads a judgment with every person pseudonymised by role and the
court, the procedural dates and the citation intact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cicnet.anonymisation.services import decision_anonymise
from cicnet.search.services import rebuild_index
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

ENGLISH = (
    "On 4 March 2019 the Koblenz Higher Regional Court heard the witness Eyad Darwish, who was "
    "born on 2 May 1980 and lives in Kalogrea. The accused Anwar Raslan denied the charges "
    "(see Smith v. the United Kingdom, no. 12345/06, 23 September 2008)."
)
GERMAN = (
    "Am 4. März 2019 hörte das Oberlandesgericht Koblenz den Zeugen Eyad Darwish. Der "
    "Angeklagte Anwar Raslan bestritt die Vorwürfe."
)


def test_curator_reviews_under_the_publication_policy(new_page: Callable[..., Any]) -> None:
    decision = DecisionFactory(
        uid="pub-browser", state="published", access="public", title="Publication judgment"
    )
    english = TextFactory(decision=decision, language="en", is_original=False, anonymisation=False)
    ParagraphFactory(text=english, number=1, body=ENGLISH)
    german = TextFactory(decision=decision, language="de", is_original=True, anonymisation=False)
    ParagraphFactory(text=german, number=1, body=GERMAN)
    decision_anonymise(decision=decision)  # the default policy: publication
    rebuild_index()
    UserFactory(username="pub-curator", role="curator")

    page = new_page("pub-curator")
    page.goto("/curation/")
    page.click('[data-testid="anonymisation-queue-link"]')
    row = page.locator('[data-testid="anonymisation-queue"] [data-uid="pub-browser"]')
    assert row.locator('[data-testid="no-model-flag"]').count() == 1  # German, not English
    row.locator("text=Review in full").click()
    page.wait_for_selector('[data-testid="workbench"]')
    assert page.locator('[data-testid="no-model-flag"]').count() == 1
    assert "publication" in page.locator('[data-testid="policy-form"] select').input_value()

    body = f'[data-text="{english.id}"][data-paragraph="1"]'
    marked = page.locator(f"{body} mark").all_inner_texts()
    # persons, the date of birth and the village of residence are masked …
    for masked in ("Eyad Darwish", "2 May 1980", "Kalogrea", "Anwar Raslan"):
        assert masked in marked, marked
    # … the court, the procedural date and the citation are not
    for kept in ("Koblenz", "4 March 2019", "Smith", "12345/06", "23 September 2008"):
        assert not any(kept in m for m in marked), (kept, marked)

    # strict, the Secretariat's own policy, masks the procedural date too; then back
    page.select_option('[data-testid="policy-form"] select', "strict")
    page.click('[data-testid="policy-form"] button')
    page.wait_for_selector(f'{body} mark:has-text("4 March 2019")')
    page.select_option('[data-testid="policy-form"] select', "publication")
    page.click('[data-testid="policy-form"] button')
    page.wait_for_selector(f'{body} mark:has-text("Kalogrea")')
    assert page.locator(f'{body} mark:has-text("4 March 2019")').count() == 0

    public = new_page()
    public.goto("/decisions/pub-browser/")
    assert "Darwish" not in public.content()  # not signed off: withheld, never shown raw

    page.click('[data-testid="sign-off"]')
    page.wait_for_selector('[data-testid="signed-off"]')
    assert page.locator('[data-testid="no-model-flag"]').count() == 0

    public.goto("/decisions/pub-browser/")
    html = public.content()
    for name in ("Darwish", "Raslan", "Kalogrea", "2 May 1980"):
        assert name not in html, name
    for shown in (
        "On 4 March 2019 the Koblenz Higher Regional Court heard the witness [witness 1]",
        "The accused Anwar R. denied",
        "Smith v. the United Kingdom, no. 12345/06, 23 September 2008",
        "Oberlandesgericht Koblenz den Zeugen [witness 1]",
    ):
        assert shown in html, shown
