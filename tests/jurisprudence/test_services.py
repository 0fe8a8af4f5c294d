"""Curation services: permissions, validation, audit, versions, transitions, re-indexing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.jurisprudence.models import Decision, DecisionVersion
from cicnet.jurisprudence.services import (
    CurationDenied,
    CurationError,
    decision_transition,
    decision_update,
)
from cicnet.search.services import rebuild_index, search_decisions
from cicnet.search.types import SearchParams

from ..factories import DecisionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_curators_may_curate(role: str, actors: dict[str, policy.Actor]) -> None:
    decision = DecisionFactory(state="draft")
    with pytest.raises(CurationDenied):
        decision_update(actor=actors[role], decision=decision, changes={"title": "New"})
    with pytest.raises(CurationDenied):
        decision_transition(actor=actors[role], decision=decision, to_state="review")
    decision.refresh_from_db()
    assert decision.title != "New" and decision.state == "draft"
    assert not AuditEntry.objects.exists()


def test_update_is_audited_versioned_and_snapshotted(actors: dict[str, policy.Actor]) -> None:
    decision = DecisionFactory(
        title="Old title", outcome="convicted", version=1, court_id="de-olg-koblenz"
    )
    updated = decision_update(
        actor=actors["curator"],
        decision=decision,
        changes={
            "title": "New title",
            "outcome": "acquitted",
            "court": decision.court_id,
            "decision_date": "2020-03-04",
            "keywords": ["a", "b"],
        },
    )
    assert updated.version == 2
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.title, stored.outcome, stored.decision_date) == (
        "New title",
        "acquitted",
        dt.date(2020, 3, 4),
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "decision.update" and entry.object_id == decision.uid
    assert entry.actor_label == "curator1"
    assert entry.changes == {
        "title": ["Old title", "New title"],
        "outcome": ["convicted", "acquitted"],
        "decision_date": ["2021-02-24", "2020-03-04"],
        "keywords": [[], ["a", "b"]],
    }
    snapshot = DecisionVersion.objects.get(decision=decision)
    assert (
        snapshot.version == 1
        and snapshot.reason == "edit"
        and snapshot.snapshot["title"] == "Old title"
    )


def test_update_without_changes_writes_nothing(actors: dict[str, policy.Actor]) -> None:
    decision = DecisionFactory(title="Same")
    decision_update(actor=actors["curator"], decision=decision, changes={"title": "Same"})
    assert not AuditEntry.objects.exists() and not DecisionVersion.objects.exists()
    assert Decision.objects.get(pk=decision.pk).version == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"outcome": "hanged"}, "outcome"),
        ({"instance": "supreme"}, "instance"),
        ({"access": "everyone"}, "access"),
        ({"country": "Germany"}, "country"),
        ({"ecli": "ECLI:DE-BGH-2020"}, "ecli"),
        ({"decision_date": "24/02/2021"}, "decision_date"),
        ({"crimes": ["7(1)(zz)"]}, "crimes"),
        ({"source_urls": ["ftp://x"]}, "source_urls"),
        ({"title": ""}, "title"),
        ({"uid": "renamed"}, "uid"),
        ({"state": "published"}, "state"),
    ],
)
def test_bad_values_name_the_field_and_change_nothing(
    changes: dict[str, Any], field: str, actors: dict[str, policy.Actor]
) -> None:
    decision = DecisionFactory()
    with pytest.raises(CurationError) as exc:
        decision_update(actor=actors["curator"], decision=decision, changes=changes)
    assert exc.value.field == field and exc.value.message.startswith(field)
    assert Decision.objects.get(pk=decision.pk).version == 1
    assert not AuditEntry.objects.exists()


def test_duplicate_ecli_is_refused(actors: dict[str, policy.Actor]) -> None:
    DecisionFactory(ecli="ECLI:NL:HR:2021:123")
    other = DecisionFactory()
    with pytest.raises(CurationError, match="already used"):
        decision_update(
            actor=actors["curator"], decision=other, changes={"ecli": "ECLI:NL:HR:2021:123"}
        )


def test_stale_form_version_is_refused(actors: dict[str, policy.Actor]) -> None:
    decision = DecisionFactory()
    decision_update(actor=actors["curator"], decision=decision, changes={"title": "First"})
    with pytest.raises(CurationError) as exc:
        decision_update(
            actor=actors["admin"],
            decision=decision,
            changes={"title": "Second"},
            expected_version=1,
        )
    assert exc.value.field == "version"


def test_crimes_and_provisions_are_replaced_with_derived_crimes(
    actors: dict[str, policy.Actor],
) -> None:
    decision = DecisionFactory(country="DE")
    decision.crimes.create(crime_id="6(a)")
    decision_update(
        actor=actors["curator"],
        decision=decision,
        changes={"crimes": ["7(1)(f)"], "provisions": ["VStGB § 7"]},
    )
    crimes = {c.crime_id: c.derived for c in decision.crimes.all()}
    assert crimes["7(1)(f)"] is False and "6(a)" not in crimes
    assert crimes.get("7(1)(a)") is True  # derived from VStGB § 7 (crimes against humanity)
    provision = decision.provisions.get()
    assert provision.citation == "VStGB § 7" and provision.national_provision_key.startswith("DE:")
    entry = AuditEntry.objects.get()
    assert entry.changes["crimes"] == [["6(a)"], ["7(1)(f)"]]
    assert entry.changes["provisions"] == [[], ["VStGB § 7"]]


def test_transitions_follow_the_workflow_and_record_who_and_when(
    actors: dict[str, policy.Actor],
) -> None:
    curator = actors["curator"]
    decision = DecisionFactory(state="draft")
    with pytest.raises(CurationError, match="state"):
        decision_transition(actor=curator, decision=decision, to_state="published")
    decision = decision_transition(actor=curator, decision=decision, to_state="review")
    decision = decision_transition(actor=curator, decision=decision, to_state="published")
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.state == "published" and stored.version == 3
    assert stored.published_by_id == curator.user_id and stored.published_at is not None
    assert stored.state_changed_by_id == curator.user_id
    decision = decision_transition(actor=curator, decision=stored, to_state="draft")
    assert Decision.objects.get(pk=decision.pk).state == "draft"
    states = [e.changes["state"] for e in AuditEntry.objects.order_by("id")]
    assert states == [["draft", "review"], ["review", "published"], ["published", "draft"]]
    assert (
        list(DecisionVersion.objects.filter(decision=decision).values_list("reason", flat=True))
        == ["state"] * 3
    )
    with pytest.raises(CurationError, match="unknown state"):
        decision_transition(actor=curator, decision=decision, to_state="archived")


def test_publishing_reindexes_after_commit(
    actors: dict[str, policy.Actor], django_capture_on_commit_callbacks: Any
) -> None:
    decision = DecisionFactory(state="review", title="Freshly published")
    rebuild_index()
    anonymous = SearchParams(q="")
    assert search_decisions(actor=actors["anonymous"], params=anonymous).count == 0
    with django_capture_on_commit_callbacks(execute=True):
        decision_transition(actor=actors["curator"], decision=decision, to_state="published")
    assert [h.uid for h in search_decisions(actor=actors["anonymous"], params=anonymous).hits] == [
        decision.uid
    ]


def test_editing_reindexes_after_commit(
    actors: dict[str, policy.Actor], django_capture_on_commit_callbacks: Any
) -> None:
    decision = DecisionFactory(country="DE")
    rebuild_index()
    with django_capture_on_commit_callbacks(execute=True):
        decision_update(actor=actors["curator"], decision=decision, changes={"country": "SE"})
    page = search_decisions(
        actor=actors["anonymous"], params=SearchParams(filters={"country": ("SE",)})
    )
    assert [h.uid for h in page.hits] == [decision.uid]


def test_ecli_must_name_the_decisions_country(actors: dict[str, policy.Actor]) -> None:
    decision = DecisionFactory(country="DE")
    with pytest.raises(CurationError, match="does not match the country 'DE'") as exc:
        decision_update(
            actor=actors["curator"], decision=decision, changes={"ecli": "ECLI:NL:HR:2021:1"}
        )
    assert exc.value.field == "ecli"
    decision_update(
        actor=actors["curator"], decision=decision, changes={"ecli": "ecli:de:bgh:2022:1"}
    )
    assert Decision.objects.get(pk=decision.pk).ecli == "ECLI:DE:BGH:2022:1"
    # A Greek decision carries the EU code EL; the ECtHR's ECLI uses CE whatever the State.
    greek = DecisionFactory(country="GR")
    decision_update(actor=actors["curator"], decision=greek, changes={"ecli": "ECLI:EL:AP:2020:7"})
    decision_update(
        actor=actors["curator"], decision=greek, changes={"ecli": "ECLI:CE:ECHR:2020:7"}
    )


def test_a_national_courts_decision_keeps_the_courts_state(
    actors: dict[str, policy.Actor],
) -> None:
    decision = DecisionFactory(country="DE")
    decision_update(actor=actors["curator"], decision=decision, changes={"court": "de-olg-koblenz"})
    with pytest.raises(CurationError, match="is a court of DE") as exc:
        decision_update(actor=actors["curator"], decision=decision, changes={"country": "SE"})
    assert exc.value.field == "country"
    assert Decision.objects.get(pk=decision.pk).country == "DE"
    # Court and country changed together, consistently, pass.
    decision_update(
        actor=actors["curator"],
        decision=decision,
        changes={"country": "SE", "court": "se-stockholms-tingsratt"},
    )
    assert Decision.objects.get(pk=decision.pk).country == "SE"


def test_one_metadata_field_list_feeds_storage_editing_the_form_and_versions(db: None) -> None:
    # Issue 11: four copies of the list (and three hand-built dicts) had drifted apart.
    from cicnet.jurisprudence.forms import DecisionEditForm
    from cicnet.jurisprudence.models import METADATA_FIELDS, decision_snapshot
    from cicnet.jurisprudence.services import EDITABLE_FIELDS
    from cicnet.pipeline import store

    assert store._FIELDS == METADATA_FIELDS
    assert set(decision_snapshot(DecisionFactory())) >= set(METADATA_FIELDS)
    assert set(EDITABLE_FIELDS) == (set(METADATA_FIELDS) - {"court_id", "court_original"}) | {
        "crimes",
        "provisions",
    }
    form = DecisionEditForm(initial=DecisionEditForm.initial_for(DecisionFactory()))
    assert set(form.fields) >= set(EDITABLE_FIELDS)
    assert set(form.initial) >= set(EDITABLE_FIELDS)
