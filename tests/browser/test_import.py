"""Importing in Chromium: a curator imports a rechtspraak.nl judgment and the court's own English
version (from the local open-data server) on the curators' page and reads both side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import UserFactory
from tests.importers.conftest import PAIR, rechtspraak_server  # noqa: F401 - the fixture


def test_curator_imports_a_judgment_and_its_english_version(
    new_page: Callable[..., Any],
    rechtspraak_server: Any,  # noqa: F811 - the fixture imported above
) -> None:
    UserFactory(username="import-curator", role="curator")
    page = new_page("import-curator")
    page.goto("/curation/import/")
    page.select_option('select[name="source"]', "rechtspraak")
    page.fill('textarea[name="identifiers"]', PAIR)
    page.click('[data-testid="import-form"] button[type="submit"]', no_wait_after=True)
    # the first import loads the language and NER models: allow for it
    line = page.wait_for_selector('[data-testid="import-line"]', timeout=240_000)
    assert line.get_attribute("data-outcome") == "created"
    assert "ECLI:NL:RBDHA:2013:15631+ECLI:NL:RBDHA:2013:99001" in line.inner_text()
    assert "import-curator" in page.inner_text('[data-testid="import-runs"]')

    page.click('[data-testid="import-line"] a')
    page.wait_for_selector('[data-testid="parallel"]')
    labels = page.locator('[data-testid="parallel"] [data-testid="text-label"]').all_inner_texts()
    assert labels[0].startswith("Dutch — Original")
    assert labels[1].startswith("English — Court's own translation")
    assert "ECLI:NL:RBDHA:2013:15631" in page.inner_text("h1")
    # a bad identifier is answered on the form, naming it
    page.goto("/curation/import/")
    page.fill('textarea[name="identifiers"]', "ECLI:NL:NOPE")
    page.click('[data-testid="import-form"] button[type="submit"]')
    assert "'ECLI:NL:NOPE' is not a valid ECLI" in page.inner_text('[data-testid="import-form"]')
