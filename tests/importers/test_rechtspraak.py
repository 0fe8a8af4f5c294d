"""Importing from rechtspraak.nl's open data, served by a local HTTP server over the real fixture
XML: metadata mapped, the court's own translation linked as a language version, the pipeline
run (anonymisation, sign-off gate), and every failure a clear line with nothing half-written."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cicnet.anonymisation.models import AnonymisedMention, TextAnonymisation
from cicnet.errors import ActionDenied, UserInputError
from cicnet.importers.models import ImportRun
from cicnet.importers.rechtspraak import parse
from cicnet.importers.services import import_decisions
from cicnet.jurisprudence.models import Decision, Text

from .conftest import FIXTURES, PAIR

pytestmark = pytest.mark.django_db
UID = "ecli-nl-rbdha-2013-15631"


def test_pair_becomes_one_decision_with_the_courts_own_english(rechtspraak_server: Any) -> None:
    run = import_decisions(actor=None, source="rechtspraak", identifiers=[PAIR])
    assert run.status == "ok", run.results
    assert run.results[0]["outcome"] == "created" and run.results[0]["uid"] == UID
    d = Decision.objects.get(uid=UID)
    assert (d.country, d.court_id, d.court_original) == (
        "NL",
        "nl-rechtbank-den-haag",
        "Rechtbank Den Haag",
    )
    assert d.decision_date == dt.date(2013, 7, 3) and d.case_number == "SGR 12/5055"
    assert d.ecli == "ECLI:NL:RBDHA:2013:15631" and d.instance == "first_instance"
    assert d.state == "draft"  # arrives for curation, not published
    assert d.source_urls == [
        "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:RBDHA:2013:15631",
        "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:RBDHA:2013:99001",
    ]
    assert "Algemene wet bestuursrecht 8:75" in list(
        d.provisions.values_list("citation", flat=True)
    )
    nl, en = Text.objects.filter(decision=d).order_by("-is_original")
    assert (nl.language, nl.is_original, nl.provenance) == ("nl", True, "original")
    assert (en.language, en.is_original, en.provenance, en.unofficial) == (
        "en",
        False,
        "court",
        False,
    )
    assert (
        en.source_ecli == "ECLI:NL:RBDHA:2013:99001" and en.kind_label == "Court's own translation"
    )
    assert en.translator == "Rechtbank Den Haag"
    assert nl.detected_language == "nl" and en.detected_language == "en"
    assert "De rechtbank verklaart het beroep ongegrond." in nl.body
    assert "The court declares the appeal unfounded." in en.body
    # through the pipeline: both texts anonymised, the sign-off still to come
    records = TextAnonymisation.objects.filter(text__decision=d)
    assert records.count() == 2 and not records.filter(signed_off_at__isnull=False).exists()
    assert rechtspraak_server.requests == [
        "/uitspraken/content?id=ECLI%3ANL%3ARBDHA%3A2013%3A15631",
        "/uitspraken/content?id=ECLI%3ANL%3ARBDHA%3A2013%3A99001",
    ]


def test_courts_own_pseudonyms_are_kept_not_masked_again(rechtspraak_server: Any) -> None:
    import_decisions(actor=None, source="rechtspraak", identifiers=[PAIR])
    for text in Text.objects.filter(decision__uid=UID):
        body = "\n".join(text.paragraphs.values_list("body", flat=True))
        assert "[X]" in body and "[Z]" in body
        for m in AnonymisedMention.objects.filter(entity__anonymisation__text=text):
            paragraph = text.paragraphs.get(number=m.paragraph_number).body
            assert "[" not in paragraph[m.start : m.end] and "]" not in paragraph[m.start : m.end]


def test_reimport_is_unchanged(rechtspraak_server: Any) -> None:
    import_decisions(actor=None, source="rechtspraak", identifiers=[PAIR])
    again = import_decisions(actor=None, source="rechtspraak", identifiers=[PAIR])
    assert again.results[0]["outcome"] == "unchanged"
    assert Decision.objects.get(uid=UID).version == 1


def test_bad_identifier_stops_the_run_before_anything_is_fetched(rechtspraak_server: Any) -> None:
    with pytest.raises(UserInputError) as err:
        import_decisions(
            actor=None, source="rechtspraak", identifiers=["ECLI:NL:HR:1997:AA2065", "ECLI:NL:XX"]
        )
    assert "'ECLI:NL:XX' is not a valid ECLI" in err.value.message
    assert err.value.field == "identifiers"
    assert rechtspraak_server.requests == [] and not ImportRun.objects.exists()
    with pytest.raises(UserInputError, match="Dutch decisions only"):
        import_decisions(actor=None, source="rechtspraak", identifiers=["ECLI:DE:BGH:2020:1"])
    with pytest.raises(UserInputError, match="unknown source 'hudoc'"):
        import_decisions(actor=None, source="hudoc", identifiers=["001-1"])


def test_not_found_and_broken_answers_are_clear_and_write_nothing(rechtspraak_server: Any) -> None:
    run = import_decisions(
        actor=None,
        source="rechtspraak",
        identifiers=[
            "ECLI:NL:RBDHA:2013:15631+ECLI:NL:RBDHA:2013:12345",  # translation missing
            "ECLI:NL:RBDHA:2013:77777",  # answers HTML
            "ECLI:NL:HR:1997:AA2065",  # fine
        ],
    )
    assert run.status == "partial"
    missing, broken, fine = run.results
    assert (
        missing["outcome"] == "failed"
        and "ECLI:NL:RBDHA:2013:12345: not found" in missing["messages"][0]
    )
    assert (
        broken["outcome"] == "failed"
        and "not a rechtspraak.nl open-data document" in broken["messages"][0]
    )
    assert fine["outcome"] == "created"
    # the original of the failed pair was fetched but not written: nothing half-written
    assert list(Decision.objects.values_list("uid", flat=True)) == ["ecli-nl-hr-1997-aa2065"]


def test_translation_of_another_case_is_refused(rechtspraak_server: Any) -> None:
    run = import_decisions(
        actor=None,
        source="rechtspraak",
        identifiers=["ECLI:NL:RBDHA:2013:15631+ECLI:NL:RBGEL:2015:6991"],
    )
    [result] = run.results
    assert result["outcome"] == "failed" and "not by Rechtbank Den Haag" in result["messages"][0]
    assert not Decision.objects.exists()


def test_unreachable_source_is_named(settings: Any) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CICNET_IMPORT_RECHTSPRAAK_URL = f"http://127.0.0.1:{port}"
    run = import_decisions(actor=None, source="rechtspraak", identifiers=["ECLI:NL:HR:1997:AA2065"])
    [result] = run.results
    assert (
        run.status == "failed" and "cannot reach rechtspraak.nl open data" in result["messages"][0]
    )
    assert "CICNET_IMPORT_RECHTSPRAAK_URL" in result["messages"][0]
    assert not Decision.objects.exists()


def test_member_may_not_import(rechtspraak_server: Any, actors: dict[str, Any]) -> None:
    for role in ("anonymous", "member"):
        with pytest.raises(ActionDenied):
            import_decisions(actor=actors[role], source="rechtspraak", identifiers=[PAIR])
    assert not ImportRun.objects.exists() and rechtspraak_server.requests == []


def test_command_imports_and_reports_each_identifier(rechtspraak_server: Any, capsys: Any) -> None:
    call_command("import", "rechtspraak", "ECLI:NL:HR:1997:AA2065")
    out = capsys.readouterr().out
    assert "ECLI:NL:HR:1997:AA2065: created ecli-nl-hr-1997-aa2065" in out
    with pytest.raises(CommandError, match="1 of 1 failed"):
        call_command("import", "rechtspraak", "ECLI:NL:HR:1997:ZZ9999")
    assert "ECLI:NL:HR:1997:ZZ9999: not found" in capsys.readouterr().err
    with pytest.raises(CommandError, match="not a valid ECLI"):
        call_command("import", "rechtspraak", "nonsense")


def test_command_reads_a_bulk_download_folder(tmp_path: Path, capsys: Any) -> None:
    call_command("import", "rechtspraak", "ECLI:NL:CRVB:2013:1886", "--from-folder", str(FIXTURES))
    d = Decision.objects.get(ecli="ECLI:NL:CRVB:2013:1886")
    assert d.court_id == "nl-centrale-raad-van-beroep" and d.instance == "appeal"


def test_parse_maps_every_fixture() -> None:
    for path in sorted(FIXTURES.glob("*.xml")):
        parsed = parse(path.read_bytes(), what=path.name)
        assert parsed.ecli == path.stem.replace(".", ":")
        assert parsed.court and parsed.date and parsed.case_numbers and parsed.paragraphs


def test_parse_refuses_entity_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b"<open-rechtspraak>&a;</open-rechtspraak>"
    )
    with pytest.raises(UserInputError, match="not readable XML"):
        parse(bomb, what="ECLI:NL:X:1:1")


def test_import_of_a_catalogued_ecli_adds_the_texts_and_keeps_the_curated_metadata(
    rechtspraak_server: Any,
) -> None:
    from tests.factories import DecisionFactory

    DecisionFactory(
        uid="nl-rb-catalogued",
        ecli="ECLI:NL:RBDHA:2013:15631",
        country="NL",
        court_id="nl-rechtbank-den-haag",
        court="District Court of The Hague",
        title="Catalogued title (curated)",
        summary="Curated summary.",
        state="published",
        source_urls=["https://example.org/catalogue"],
    )
    run = import_decisions(actor=None, source="rechtspraak", identifiers=[PAIR])
    [result] = run.results
    assert result["outcome"] == "updated" and result["uid"] == "nl-rb-catalogued"
    assert "kept as curated" in result["messages"][0]
    d = Decision.objects.get(uid="nl-rb-catalogued")
    assert (d.title, d.summary, d.state) == (
        "Catalogued title (curated)",
        "Curated summary.",
        "published",
    )
    assert d.source_urls[0] == "https://example.org/catalogue" and len(d.source_urls) == 3
    assert sorted(d.texts.values_list("language", flat=True)) == ["en", "nl"]
    assert Decision.objects.count() == 1


def test_demo_pairs_are_the_notices_pairs_and_well_formed() -> None:
    from cicnet.demo.rechtspraak_pairs import rechtspraak_pairs
    from cicnet.importers.rechtspraak import Rechtspraak

    pairs = rechtspraak_pairs()
    assert "ECLI:NL:RBDHA:2021:3998+ECLI:NL:RBDHA:2021:5336" in pairs
    assert "ECLI:NL:GHDHA:2023:2191+ECLI:NL:GHDHA:2023:2961" in pairs
    assert "ECLI:NL:RBDHA:2019:7430+ECLI:NL:RBDHA:2019:10647" in pairs
    assert [Rechtspraak().parse_request(p).label for p in pairs] == pairs


def test_search_lists_a_courts_eclis_and_imports_them(rechtspraak_server: Any, capsys: Any) -> None:
    from cicnet.importers.rechtspraak import Rechtspraak

    creator = "http://standaarden.overheid.nl/owms/terms/Rechtbank_Gelderland"
    assert Rechtspraak().search(f"creator={creator}&max=10") == ["ECLI:NL:RBGEL:2015:6991"]
    call_command("import", "rechtspraak", "--search", f"creator={creator}&date=2015-01-01")
    assert "search: 1 ECLIs listed" in capsys.readouterr().out
    assert Decision.objects.filter(ecli="ECLI:NL:RBGEL:2015:6991").exists()
    assert rechtspraak_server.requests[1].startswith("/uitspraken/zoeken?creator=http")
    with pytest.raises(CommandError, match="unknown parameter q"):
        call_command("import", "rechtspraak", "--search", "q=genocide")
