"""Bulk sign-off (issue 16, "the gate holds"): a curator signs off a batch of automatic
anonymisations through one audited path, recorded as what it is and told to readers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cicnet.anonymisation.models import TextAnonymisation
from cicnet.anonymisation.selectors import WITHHELD
from cicnet.anonymisation.services import decision_anonymise
from cicnet.audit.models import AuditEntry
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory, UserFactory

BODY = "The witness Eyad Darwish testified that the accused Anwar Raslan ordered the beatings."


def _anonymised(uid: str) -> Any:
    decision = DecisionFactory(uid=uid, access="public", state="published")
    text = TextFactory(decision=decision, language="en", anonymisation=False)
    ParagraphFactory(text=text, number=1, body=BODY)
    decision_anonymise(decision=decision)
    return decision


def _sign_off(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("anonymisation", "sign-off", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def curator(db: None) -> Any:
    return UserFactory(username="secretariat-1", role="curator")


def test_a_batch_is_signed_off_in_bulk_audited_and_told_to_readers(curator: Any) -> None:
    first, second = _anonymised("bulk-1"), _anonymised("bulk-2")
    assert WITHHELD in Client().get("/decisions/bulk-1/").content.decode()
    out, _ = _sign_off("--batch", "ECtHR import 2026-12", "--by", "secretariat-1", "--pending")
    assert "2 decision(s) signed off in bulk, 0 already signed off, 0 refused" in out
    records = TextAnonymisation.objects.filter(text__decision__in=[first, second])
    assert {(r.sign_off_kind, r.sign_off_batch, r.signed_off_by_id) for r in records} == {
        ("bulk", "ECtHR import 2026-12", curator.id)
    }
    entries = AuditEntry.objects.filter(action="anonymisation.sign_off").order_by("object_id")
    assert [(e.object_id, e.changes["kind"], e.changes["batch"]) for e in entries] == [
        ("bulk-1", "bulk", "ECtHR import 2026-12"),
        ("bulk-2", "bulk", "ECtHR import 2026-12"),
    ]
    page = Client().get("/decisions/bulk-1/").content.decode()
    assert WITHHELD not in page and "[witness 1]" in page and "Darwish" not in page
    assert "anonymised automatically" in page and "without review by a person" in page
    assert "ECtHR import 2026-12" in page
    # Again: nothing left to do.
    out, _ = _sign_off("--batch", "again", "--by", "secretariat-1", "--pending")
    assert "0 decision(s) signed off in bulk" in out


def test_a_workbench_sign_off_reads_as_reviewed(curator: Any) -> None:
    _anonymised("reviewed-1")
    client = Client()
    client.force_login(curator)
    response = client.post("/decisions/reviewed-1/anonymisation/sign-off/")
    assert response.status_code in (200, 302)
    record = TextAnonymisation.objects.get(text__decision__uid="reviewed-1")
    assert record.sign_off_kind == "reviewed"
    page = Client().get("/decisions/reviewed-1/").content.decode()
    assert "who reviewed and signed it off" in page and "anonymised automatically" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch", " ", "--by", "secretariat-1", "--pending"], "batch: give the batch a label"),
        (["--batch", "b", "--by", "nobody", "--pending"], "by: no user 'nobody'"),
        (["--batch", "b", "--by", "member-1", "--pending"], "Only the Secretariat"),
        (["--batch", "b", "--by", "secretariat-1", "--decision", "nope"], "no decision nope"),
    ],
)
def test_bad_sign_offs_are_refused_and_sign_nothing(
    curator: Any, args: list[str], message: str
) -> None:
    UserFactory(username="member-1", role="member")
    _anonymised("kept-1")
    with pytest.raises(CommandError, match=message):
        _sign_off(*args)
    assert not TextAnonymisation.objects.filter(signed_off_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="anonymisation.sign_off").exists()


def test_a_decision_with_a_text_not_anonymised_is_refused_and_the_rest_go_ahead(
    curator: Any,
) -> None:
    _anonymised("ok-1")
    broken = DecisionFactory(uid="broken-1")
    ParagraphFactory(text=TextFactory(decision=broken, anonymisation=False), body=BODY)
    with pytest.raises(CommandError, match="1 decision"):
        _sign_off(
            "--batch", "b", "--by", "secretariat-1", "--decision", "ok-1", "--decision", "broken-1"
        )
    assert TextAnonymisation.objects.get(text__decision__uid="ok-1").sign_off_kind == "bulk"
