"""The blind comparison itself: normalisation across scripts, Bloom-filter encodings under a
network key, the one matching rule and blocking (no database)."""

from __future__ import annotations

import pytest

from cicnet.coordination import linkage
from cicnet.coordination.names import has_usable_name, name_tokens

KEY = b"fictional network key"
SAME_MAN = [
    "Mohammed al-Hamad",
    "Muhamad Alhamad",
    "محمد الحمد",
    "Мухаммад аль-Хамад",
    "HAMAD, Mohamed El",
]


def enc(*names: str, by: int | None = None, nat: str = "", key: bytes = KEY) -> linkage.Encoded:
    return linkage.encode_person(list(names), by, nat, key)


@pytest.mark.parametrize("variant", SAME_MAN[1:])
def test_spellings_of_one_name_in_three_scripts_match_blind(variant: str) -> None:
    match = linkage.compare(enc(SAME_MAN[0]), enc(variant))
    assert match is not None, (name_tokens(SAME_MAN[0]), name_tokens(variant))
    assert match.matched == ("name",)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Anwar Raslan", "أنور رسلان"),
        ("Anwar Raslan", "Анвар Раслан"),
        ("Yuriy Shcherbakov", "Iouri Chtcherbakov"),
        ("Yuriy Shcherbakov", "Юрий Щербаков"),
        ("Eyad al-Gharib", "إياد الغريب"),
    ],
)
def test_transliteration_conventions_meet(a: str, b: str) -> None:
    assert linkage.compare(enc(a), enc(b)) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed al-Hamad", "Anwar Raslan"),
        ("Mohammed al-Hamad", "Ahmed Hamza"),
        ("Yuriy Shcherbakov", "Yuriy Kuznetsov"),
        ("Eyad al-Gharib", "Omar Yusuf"),
    ],
)
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert linkage.compare(enc(a), enc(b)) is None


def test_conflicting_birth_years_are_no_hit_and_agreeing_ones_are_reported() -> None:
    assert linkage.compare(enc(SAME_MAN[0], by=1970), enc(SAME_MAN[2], by=1971)) is None
    match = linkage.compare(
        enc(SAME_MAN[0], by=1970, nat="SY"), enc(SAME_MAN[2], by=1970, nat="sy")
    )
    assert match is not None
    assert match.matched == ("name", "birth year", "nationality")
    # one side without a birth year: the name decides
    assert linkage.compare(enc(SAME_MAN[0], by=1970), enc(SAME_MAN[2])) is not None


def test_encodings_under_another_network_key_do_not_compare() -> None:
    assert linkage.compare(enc(SAME_MAN[0]), enc(SAME_MAN[0], key=b"other key")) is None


def test_the_encoding_carries_no_name_and_survives_json() -> None:
    encoded = enc(*SAME_MAN, by=1970, nat="SY")
    data = encoded.to_json()
    text = repr(data).lower()
    assert "hamad" not in text and "1970" not in text and "sy'" not in text
    back = linkage.Encoded.from_json(data)
    assert back.clks == encoded.clks
    assert linkage.compare(back, enc("Muhamad Alhamad")) is not None


def test_blind_score_tracks_the_clear_score() -> None:
    a, b = "Mohammed al-Hamad Ibrahim", "Muhamad Alhamad"
    blind = linkage.compare(enc(a), enc(b), threshold=0.0)
    clear = linkage.compare(
        linkage.clear_person([a], None, ""), linkage.clear_person([b], None, ""), threshold=0.0
    )
    assert blind is not None and clear is not None
    assert abs(blind.score - clear.score) < 0.05


def test_blocking_finds_the_same_hits_as_comparing_everything() -> None:
    left = [enc(n) for n in ["Mohammed al-Hamad", "Anwar Raslan", "Yuriy Shcherbakov"]]
    right = [enc(n) for n in ["Юрий Щербаков", "Omar Yusuf", "محمد الحمد", "أنور رسلان"]]
    blocked = linkage.crosscheck(left, right, blocking=True)
    full = linkage.crosscheck(left, right, blocking=False)
    assert [(i, j) for i, j, _ in blocked] == [(i, j) for i, j, _ in full]
    assert {(i, j) for i, j, _ in full} == {(0, 2), (1, 3), (2, 0)}


def test_a_name_without_letters_is_not_usable() -> None:
    assert not has_usable_name(["---", "12"])
    assert has_usable_name(["Ali"])
