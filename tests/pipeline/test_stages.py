"""The stage contract and the runner's configuration; the index stage against the real search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cicnet.pipeline import index as index_stage
from cicnet.pipeline.base import Stage
from cicnet.pipeline.models import StageRun
from cicnet.pipeline.runner import PIPELINE, STAGES, ingest_path, pipeline_stages


def test_every_configured_stage_has_a_name_version_and_run() -> None:
    stages = pipeline_stages()
    assert [s.name for s in stages] == list(PIPELINE)
    for stage in stages:
        assert isinstance(stage, Stage) and stage.name in STAGES
        assert stage.version and callable(stage.run)
    # Only the writing stages are left out by --check.
    assert [s.name for s in stages if s.writes] == ["store", "anonymise", "cite", "index"]


def test_unknown_stage_in_the_setting_is_an_error(settings: Any) -> None:
    settings.CICNET_PIPELINE = ["validate", "translate"]
    with pytest.raises(ValueError, match="unknown stage 'translate'"):
        pipeline_stages()


@pytest.mark.django_db
def test_pipeline_order_comes_from_the_setting(settings: Any, good_dir: Path) -> None:
    settings.CICNET_PIPELINE = ["validate", "extract", "split", "store"]
    assert ingest_path(good_dir / "fr-cass-example-2023.yaml").ok
    assert sorted(StageRun.objects.values_list("stage", flat=True)) == [
        "extract",
        "split",
        "store",
        "validate",
    ]


@pytest.mark.django_db
def test_index_stage_is_skipped_while_search_services_are_missing(
    monkeypatch: Any, good_dir: Path
) -> None:
    monkeypatch.setattr(index_stage, "SEARCH_SERVICES", "cicnet.search.not_there")
    assert ingest_path(good_dir / "fr-cass-example-2023.yaml").ok
    run = StageRun.objects.get(stage="index")
    assert run.status == "skipped"


@pytest.mark.django_db(transaction=True)
def test_ingested_decision_is_searchable_after_commit(
    good_dir: Path, actors: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services = pytest.importorskip("cicnet.search.services")
    from cicnet.anonymisation.sign_off import sign_off_batch
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.types import SearchParams

    def found(q: str) -> list[str]:
        page = services.search_decisions(actor=actors["curator"], params=SearchParams(q=q))
        return [hit.uid for hit in page.hits]

    assert ingest_path(good_dir).ok
    assert StageRun.objects.filter(stage="index", status="ok").count() == 5
    assert found("Koblenz") == ["de-olg-example-2022"]
    # The index serves every tier: a text's words are in it once its anonymisation is signed off.
    assert found("Haftbedingungen") == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_off_batch(
            actor=actors["curator"],
            decisions=Decision.objects.filter(uid="de-olg-example-2022"),
            batch="test",
        )
    assert found("Haftbedingungen") == ["de-olg-example-2022"]
