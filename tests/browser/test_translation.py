"""Translation in Chromium: a curator uploads the English of a German judgment, sees it aligned
side by side, corrects one pair and publishes; a translator translates a German paragraph in
the workspace using a translation-memory suggestion, with the termbase's hit highlighted, and a
reviewer approves it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cicnet.access import policy
from cicnet.translation import services
from cicnet.translation.models import Segment, TranslatorRole
from tests.factories import UserFactory
from tests.translation.conftest import german_decision

from .test_accessibility import _describe, _violations


def _accessible(page: Any, who: str) -> None:
    """axe-core's WCAG 2 A/AA rules on the page as it stands (the rules test_accessibility
    runs)."""
    problems = [line for v in _violations(page) for line in _describe(page.url, who, v)]
    assert not problems, "WCAG A/AA violations:\n" + "\n".join(problems)


ENGLISH = [
    "The Higher Regional Court of Koblenz convicted the accused on 13 January 2022.",
    "The accused is guilty of crimes against humanity in 27 cases under § 7 VStGB.",
    "The accused bears the costs of the proceedings.",
    "Unofficial translation.",
]


def test_curator_aligns_corrects_and_publishes(
    new_page: Callable[..., Any], tmp_path: Path
) -> None:
    decision = german_decision("de-browser-align")
    UserFactory(username="tr-curator", role="curator")
    upload = tmp_path / "judgment.en.txt"
    upload.write_text("\n\n".join(ENGLISH), encoding="utf-8")

    page = new_page("tr-curator")
    page.goto("/")
    page.click('[data-testid="nav-translation"]')
    page.fill('[data-testid="align-decision"]', decision.uid)
    page.fill('[data-testid="align-language"]', "en")
    page.set_input_files('[data-testid="align-file"]', str(upload))
    page.click('[data-testid="align-upload"]')
    page.wait_for_selector('[data-testid="alignment"]')
    page.wait_for_load_state("load")  # the deferred translation.js has attached its handlers

    pairs = page.locator('[data-testid="pair"]')
    assert pairs.count() == 3
    _accessible(page, "tr-curator")
    # Side by side: the German paragraph and its English in one row.
    first = pairs.nth(0)
    assert (
        "Oberlandesgericht Koblenz" in first.locator('[data-testid="pair-original"]').inner_text()
    )
    assert "Higher Regional Court" in first.locator('[data-testid="pair-translation"]').inner_text()
    # The aligner gave the costs sentence to ¶2 and left the note alone with ¶3: fix that pair.
    second = pairs.nth(1)
    assert second.locator('[data-testid="pair-translation"]').count() == 2
    second.locator('[data-testid="shift-down"]').click()
    page.wait_for_function(
        """() => document.querySelectorAll(
            '#pair-1 [data-testid="pair-translation"]').length === 1"""
    )
    third = page.locator("#pair-2")
    assert third.locator('[data-testid="pair-translation"]').count() == 2
    assert "costs" in third.inner_text()
    assert "corrected" in page.locator("#pair-1").inner_text()

    # Publication anonymises the new text at once (the real anonymiser: the first run in a
    # process loads its models), so it may take longer than a click usually does.
    page.click('[data-testid="alignment-publish"]', timeout=90_000)
    page.wait_for_url(f"**/decisions/{decision.uid}/", timeout=90_000)
    labels = page.locator('[data-testid="text-label"]').all_inner_texts()
    assert any("English — Human translation (unofficial)" in label for label in labels)
    english = decision.texts.get(language="en")
    assert english.paragraphs.get(number=3).body.startswith("The accused bears the costs")


def test_translator_uses_memory_and_termbase_and_reviewer_approves(
    new_page: Callable[..., Any],
) -> None:
    curator = UserFactory(username="tr-lead", role="curator")
    translator = UserFactory(username="tr-translator", role="curator")
    reviewer = UserFactory(username="tr-reviewer", role="curator")
    TranslatorRole.objects.create(user=translator, role="translator")
    TranslatorRole.objects.create(user=reviewer, role="reviewer")
    lead = policy.actor_for(curator)
    # An earlier judgment of the same court, its ¶2 already translated: the memory's source.
    earlier = services.job_open(
        actor=lead, decision=german_decision("de-browser-earlier"), target_language="en"
    )
    seg = earlier.segments.get(number=2)
    services.segment_save(
        actor=policy.actor_for(translator),
        segment=seg,
        body="The accused is guilty of crimes against humanity in 27 cases under § 7 VStGB.",
        version=seg.version,
    )
    job = services.job_open(
        actor=lead, decision=german_decision("de-browser-new"), target_language="en"
    )

    page = new_page("tr-translator")
    page.goto(f"/translation/jobs/{job.pk}/")
    _accessible(page, "tr-translator")
    row = page.locator("#seg-2")
    # The termbase hit: the German term highlighted, its English and the statute it comes from.
    term = row.locator('[data-testid="term"]')
    assert term.inner_text() == "Verbrechen gegen die Menschlichkeit"
    assert "crimes against humanity" in row.locator('[data-testid="term-equivalent"]').inner_text()
    assert "§ 321a" in row.locator('[data-testid="termbase"]').inner_text()
    # The translation memory offers the earlier translation; use it, adjust, save.
    memory = row.locator('[data-testid="memory-target"]').first.inner_text()
    assert memory.startswith("The accused is guilty of crimes against humanity")
    row.locator('[data-testid="use-memory"]').first.click()
    box = row.locator('[data-testid="body"]')
    assert box.input_value() == memory
    box.fill(memory.replace("27 cases", "27 cases (count 1)"))
    row.locator('[data-testid="save"]').click()
    page.wait_for_function(
        """() => document.querySelector('#seg-2').dataset.status === 'translated'"""
    )
    assert "translated by tr-translator" in page.locator("#seg-2 [data-testid=status]").inner_text()
    # A translator may not approve: no button.
    assert page.locator('#seg-2 [data-testid="approve"]').count() == 0

    review = new_page("tr-reviewer")
    review.goto(f"/translation/jobs/{job.pk}/")
    review.locator('#seg-2 [data-testid="approve"]').click()
    review.wait_for_function(
        """() => document.querySelector('#seg-2').dataset.status === 'reviewed'"""
    )
    status = review.locator("#seg-2 [data-testid=status]").inner_text()
    assert "reviewed by tr-reviewer" in status and "translated by tr-translator" in status
    saved = Segment.objects.get(job=job, number=2)
    assert saved.status == "reviewed" and saved.body.endswith("(count 1) under § 7 VStGB.")
    assert review.locator('[data-testid="progress"]').inner_text().startswith("1 of 3")
