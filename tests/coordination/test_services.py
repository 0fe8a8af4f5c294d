"""Registering cases and persons, the cross-check they trigger, shares and reveals: each
field's error names it, hits are logged for both sides, reveals need the owner's action."""

from __future__ import annotations

import datetime as dt

import pytest

from cicnet.audit.models import AuditEntry
from cicnet.coordination import services
from cicnet.coordination.models import CheckLogEntry, Hit, Reveal
from cicnet.errors import ActionDenied

from .conftest import ARABIC, LATIN, World, case_data, person_data


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": " "}, "reference"),
        ({"situation": ""}, "situation"),
        ({"crimes": ["7(1)(zz)"]}, "crimes"),
        ({"stage": "rumour"}, "stage"),
        ({"period_start": 1800}, "period_start"),
        ({"period_start": 2013, "period_end": 2012}, "period_end"),
        ({"evidence_categories": ["gossip"]}, "evidence_categories"),
        ({"reference": "FICT-1"}, "reference"),  # taken by the world's DE case
    ],
)
def test_a_bad_case_field_is_named(world: World, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(services.CoordinationInputError) as exc:
        services.case_register(
            actor=world.actors["de"], data=case_data(world.orgs["de"], **overrides)
        )
    assert exc.value.field == field
    # the message starts with the field's label as the form shows it
    label = exc.value.message.split(":")[0]
    assert label in ("Reference", "Situation", "Crimes", "Stage", "Period", "Evidence held")


def test_a_case_only_for_an_authority_the_actor_acts_for(world: World) -> None:
    for role in ("fr", "cso", "secretariat", "admin"):
        with pytest.raises(services.CoordinationInputError) as exc:
            services.case_register(
                actor=world.actors[role], data=case_data(world.orgs["de"], reference="X")
            )
        assert exc.value.field == "organisation"


def test_a_person_with_no_name_and_no_birth_year_is_refused(world: World) -> None:
    with pytest.raises(services.CoordinationInputError) as exc:
        services.person_add(
            actor=world.actors["de"],
            case=world.case_de,
            data=person_data(names=["  "], birth_year=None),
        )
    assert exc.value.field == "names"
    assert "name or a year of birth" in exc.value.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"names": ["--"]}, "names"),
        ({"birth_year": 1850}, "birth_year"),
        ({"birth_date": dt.date(1970, 5, 1), "birth_year": 1971}, "birth_year"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date"),
        ({"nationality": "Syria"}, "nationality"),
        ({"role": "witness"}, "role"),
    ],
)
def test_a_bad_person_field_is_named(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(services.CoordinationInputError) as exc:
        services.person_add(
            actor=world.actors["de"], case=world.case_de, data=person_data(**overrides)
        )
    assert exc.value.field == field


def test_only_the_owner_adds_persons(world: World) -> None:
    for role in ("fr", "de_colleague"):
        if role == "fr":
            with pytest.raises(ActionDenied):
                services.person_add(
                    actor=world.actors[role], case=world.case_de, data=person_data()
                )
        else:
            services.person_add(actor=world.actors[role], case=world.case_de, data=person_data())


def test_the_hit_links_the_two_cases_and_is_logged_for_both_without_names(world: World) -> None:
    hit = world.hit
    assert {hit.case_a_id, hit.case_b_id} == {world.case_de.pk, world.case_fr.pk}
    assert hit.kind == "person"
    assert hit.matched == ["name", "birth year", "nationality"]
    for org in ("de", "fr"):
        events = set(
            CheckLogEntry.objects.filter(organisation=world.orgs[org]).values_list(
                "event", flat=True
            )
        )
        assert {"check", "hit"} <= events, org
    stored = repr(list(CheckLogEntry.objects.values())) + repr(list(AuditEntry.objects.values()))
    stored += repr(list(Hit.objects.values()))
    assert "Hamad" not in stored and ARABIC not in stored
    # the second person of the same authority does not hit its own case
    _, hits = services.person_add(
        actor=world.actors["de"], case=world.case_de, data=person_data(names=["Muhamad Alhamad"])
    )
    assert len(hits) == 1 and hits[0].case_b_id == world.case_fr.pk


def test_a_situation_hit_needs_close_situations_and_a_common_crime(world: World) -> None:
    assert Hit.objects.filter(kind="situation").count() == 1  # Branch 251 in both world cases
    nl = world.actors["nl"]
    other = services.case_register(
        actor=nl,
        data=case_data(world.orgs["nl"], reference="NL-1", crimes=["8(2)(b)(ix)"]),
    )
    assert not Hit.objects.filter(kind="situation", case_b=other).exists()  # no common crime
    far = services.case_register(
        actor=nl,
        data=case_data(
            world.orgs["nl"], reference="NL-2", situation="Shelling of Kharkiv", places="Kharkiv"
        ),
    )
    assert not Hit.objects.filter(kind="situation", case_b=far).exists()
    near = services.case_register(
        actor=nl,
        data=case_data(world.orgs["nl"], reference="NL-3", situation="Branch 251 Damaskus"),
    )
    assert Hit.objects.filter(kind="situation", case_b=near).count() == 2


def test_reveal_shows_one_side_to_the_other_once(world: World) -> None:
    reveal = services.hit_reveal(actor=world.actors["fr"], hit=world.hit)
    assert reveal.snapshot["person"]["names"] == [ARABIC]  # type: ignore[index]
    assert reveal.organisation_id == world.orgs["fr"].pk
    with pytest.raises(services.CoordinationInputError):
        services.hit_reveal(actor=world.actors["fr"], hit=world.hit)
    for role in ("nl", "secretariat", "admin", "cso"):
        with pytest.raises(ActionDenied):
            services.hit_reveal(actor=world.actors[role], hit=world.hit)
    assert CheckLogEntry.objects.filter(
        organisation=world.orgs["de"], event="revealed_to_you"
    ).exists()
    assert CheckLogEntry.objects.filter(organisation=world.orgs["fr"], event="reveal").exists()
    assert Reveal.objects.count() == 1
    # DE's record was not revealed by FR's choice
    assert LATIN not in repr(Reveal.objects.values_list("snapshot", flat=True))


def test_the_check_log_refuses_changes(world: World) -> None:
    entry = CheckLogEntry.objects.first()
    assert entry is not None
    entry.event = "tampered"
    with pytest.raises(RuntimeError):
        entry.save()


def test_share_with_another_authority_or_a_closed_session_only(world: World) -> None:
    de = world.actors["de"]
    with pytest.raises(services.CoordinationInputError) as exc:
        services.case_share(actor=de, case=world.case_de, organisation_id=world.orgs["cso"].pk)
    assert exc.value.field == "organisation"
    with pytest.raises(services.CoordinationInputError):
        services.case_share(actor=de, case=world.case_de)
    open_session = world.session.meeting.sessions.create(kind="open")
    with pytest.raises(services.CoordinationInputError) as exc:
        services.case_share(actor=de, case=world.case_de, session_id=open_session.pk)
    assert exc.value.field == "session"
    with pytest.raises(ActionDenied):
        services.case_share(
            actor=world.actors["fr"], case=world.case_de, organisation_id=world.orgs["nl"].pk
        )
    services.case_share(actor=de, case=world.case_de, organisation_id=world.orgs["fr"].pk)


def test_encodings_of_an_earlier_scheme_are_re_encoded_and_compare_again(world: World) -> None:
    from cicnet.coordination import crosscheck, linkage
    from cicnet.coordination.models import Case, CasePerson

    fresh = {p.pk: p.encoding for p in CasePerson.objects.all()}
    situations = {c.pk: c.situation_encoding for c in Case.objects.all()}
    assert fresh and all(e["scheme"] == linkage.SCHEME for e in fresh.values())
    # What the encodings of an earlier scheme look like: no "scheme", other bits.
    CasePerson.objects.update(encoding={"clks": [], "short_from": 0, "blocks": []})
    Case.objects.filter(pk=world.case_de.pk).update(situation_encoding={"clk": []})
    assert crosscheck.reencode_stale(CasePerson.objects.all(), Case.objects.all()) == (
        len(fresh),
        1,
    )
    assert {p.pk: p.encoding for p in CasePerson.objects.all()} == fresh
    assert {c.pk: c.situation_encoding for c in Case.objects.all()} == situations
    # Nothing stale is left: a second run changes nothing.
    assert crosscheck.reencode_stale(CasePerson.objects.all(), Case.objects.all()) == (0, 0)
    mine = linkage.Encoded.from_json(world.person_de.encoding)
    theirs = linkage.Encoded.from_json(CasePerson.objects.get(pk=world.person_fr.pk).encoding)
    assert linkage.compare(mine, theirs) is not None


def test_hits_are_listed_strongest_band_first(world: World) -> None:
    """A weak hit (names only in another order, a birth year unknown) may score above a possible
    one; the list puts the band first, then the score."""
    from cicnet.coordination.models import Hit
    from cicnet.coordination.selectors import hits_for

    assert world.hit.band == "strong"
    Hit.objects.filter(pk=world.hit.pk).update(score=0.90)
    Hit.objects.create(
        kind=world.hit.kind,
        case_a=world.hit.case_a,
        case_b=world.hit.case_b,
        person_a=world.hit.person_a,
        person_b=None,
        score=0.99,
        band="weak",
    )
    Hit.objects.create(
        kind="situation",
        case_a=world.hit.case_a,
        case_b=world.hit.case_b,
        score=0.86,
        band="possible",
    )
    for role in ("de", "fr"):
        rows = hits_for(actor=world.actors[role])
        bands = [row.hit.band for row in rows]
        assert bands == sorted(bands, key=["strong", "possible", "weak"].index), role
        assert bands[-1] == "weak" and "possible" in bands and rows[-1].hit.score == 0.99


LATIN_FILTERS = ("latin", "latin_wide", "latin_free", "latin_free_wide")


@pytest.mark.parametrize(
    ("scheme", "lacks"),
    [
        # What decision 0165's scheme 3 stored: no place-tagged vowel marks, no Latin vowels.
        (3, ("placed_vowels", *LATIN_FILTERS)),
        # What decision 0180's scheme 4 stored: no Latin vowels (decision 0181).
        (4, LATIN_FILTERS),
    ],
)
def test_encodings_of_an_earlier_scheme_lack_filters_and_are_re_encoded(
    world: World, scheme: int, lacks: tuple[str, ...]
) -> None:
    from cicnet.coordination import crosscheck, linkage
    from cicnet.coordination.models import Case, CasePerson

    person = CasePerson.objects.get(pk=world.person_de.pk)
    fresh = person.encoding
    assert fresh["scheme"] == linkage.SCHEME == 5
    assert fresh["placed_vowels"] and all(fresh[k] for k in LATIN_FILTERS)
    old = {k: v for k, v in fresh.items() if k not in lacks} | {"scheme": scheme}
    CasePerson.objects.filter(pk=person.pk).update(encoding=old)
    assert crosscheck.reencode_stale(CasePerson.objects.all(), Case.objects.all()) == (1, 0)
    assert CasePerson.objects.get(pk=person.pk).encoding == fresh
