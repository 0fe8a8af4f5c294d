"""The app's cross-checks: encode at the owner's side, compare encodings with every other
authority's, record candidate hits and log them for both sides.

Runs inside the transaction of the write that triggered it (a person added, a case
registered), so a hit exists exactly when the record that caused it does. The comparison reads
only ``CasePerson.encoding`` and ``Case.situation_encoding`` of the other authorities; their
names and situations are never loaded here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from anyascii import anyascii
from django.conf import settings

from cicnet.access.policy import Actor
from cicnet.coordination import linkage
from cicnet.coordination.models import Case, CasePerson, CheckLogEntry, Hit
from cicnet.coordination.names import skeleton
from cicnet.network.models import Network

# Situations: the Dice score of the encoded situation-and-places words needed, with at least
# one crime in common and overlapping periods where both give one.
SITUATION_THRESHOLD = 0.55
_STOPWORDS = frozenset(
    {"the", "of", "in", "and", "at", "on", "for", "to", "a", "an", "by", "with", "from"}
)


def network_key(network: Network) -> bytes:
    """The network's linkage key: every authority of a network encodes under the same key, so
    encodings compare; another network's encodings do not. Derived from
    ``CICNET_LINKAGE_SECRET`` (docs/deploy.md)."""
    secret = str(settings.CICNET_LINKAGE_SECRET).encode("utf-8")
    return hmac.new(secret, f"coordination:{network.slug}".encode(), hashlib.sha256).digest()


def encode_person(person: CasePerson, key: bytes) -> dict[str, object]:
    encoded = linkage.encode_person(
        [str(n) for n in person.names], person.birth_year, person.nationality, key
    )
    data = encoded.to_json()
    data["blocks"] = sorted(encoded.blocks)
    return data


def reencode_stale(persons: Any, cases: Any) -> tuple[int, int]:
    """Re-encode the stored persons and case situations whose encoding an earlier scheme
    made (``linkage.SCHEME``), under their network's key; returns how many of each. Called by
    the data migration that comes with a new scheme, so that encodings stay comparable; the
    next save of a person checks it against the re-encoded others."""
    keys: dict[int, bytes] = {}

    def key_of(case: Any) -> bytes:
        if case.network_id not in keys:
            keys[case.network_id] = network_key(case.network)
        return keys[case.network_id]

    done_persons = 0
    for person in persons.select_related("case__network").iterator(chunk_size=500):
        if (person.encoding or {}).get("scheme") != linkage.SCHEME:
            person.encoding = encode_person(person, key_of(person.case))
            person.save(update_fields=["encoding"])
            done_persons += 1
    done_cases = 0
    for case in cases.select_related("network").iterator(chunk_size=500):
        if (case.situation_encoding or {}).get("scheme") != linkage.SCHEME:
            case.situation_encoding = encode_situation(case, key_of(case))
            case.save(update_fields=["situation_encoding"])
            done_cases += 1
    return done_persons, done_cases


def situation_tokens(text: str) -> list[str]:
    """Words of a situation and its places: transliterated, numbers kept ("Branch 251")."""
    words = re.split(r"[^a-z0-9]+", anyascii(text).lower().replace("'", ""))
    out = []
    for word in words:
        if not word or word in _STOPWORDS:
            continue
        out.append(word if word.isdigit() else skeleton(word) or word)
    return out


def encode_situation(case: Case, key: bytes) -> dict[str, object]:
    tokens = situation_tokens(f"{case.situation} {case.places}")
    bits = linkage.clk(linkage.bigrams(tokens), key)
    crimes = sorted(
        linkage.attribute_key("crime", str(c).split("(")[0], key) for c in case.crimes or []
    )
    return {
        "scheme": linkage.SCHEME,
        "clk": linkage.Encoded(clks=(bits,)).to_json()["clks"],
        "crimes": crimes,
        "period": [case.period_start, case.period_end],
    }


def _log(
    org_id: int,
    event: str,
    case: Case | None,
    hit: Hit | None,
    detail: dict[str, object],
    label: str,
) -> None:
    CheckLogEntry.objects.create(
        organisation_id=org_id, event=event, case=case, hit=hit, detail=detail, actor_label=label
    )


def _ordered(case: Case, other: Case) -> tuple[Case, Case, bool]:
    """Hits are stored once per pair, the older case as ``a``."""
    return (case, other, False) if case.pk < other.pk else (other, case, True)


def check_person(*, actor: Actor, person: CasePerson) -> list[Hit]:
    """Compare one (already encoded) person with the persons of every other authority of the
    case's network; record the hits and log the check and each hit for both sides."""
    case = person.case
    mine = linkage.Encoded.from_json(person.encoding)
    others = (
        CasePerson.objects.filter(case__network_id=case.network_id)
        .exclude(case__organisation_id=case.organisation_id)
        .only("pk", "encoding", "case_id")
        .select_related(None)
    )
    rows = list(others.iterator())
    compared = len(rows)
    # The same batch rule as ``cicnet crosscheck-names``, on every person of the others (no
    # blocking: hundreds to thousands of rows).
    found = linkage.crosscheck(
        [mine], [linkage.Encoded.from_json(o.encoding) for o in rows], blocking=False
    )
    hits: list[Hit] = []
    for _, j, match in found:
        other = rows[j]
        other_case = Case.objects.only("pk", "organisation_id").get(pk=other.case_id)
        a, b, swapped = _ordered(case, other_case)
        pa, pb = (other, person) if swapped else (person, other)
        hit, created = Hit.objects.get_or_create(
            kind="person",
            case_a=a,
            case_b=b,
            person_a=pa,
            person_b=pb,
            defaults={"score": match.score, "band": match.band, "matched": list(match.matched)},
        )
        if created:
            hits.append(hit)
            detail: dict[str, object] = {"band": match.band, "matched": list(match.matched)}
            _log(case.organisation_id, "hit", case, hit, detail, actor.username or "system")
            _log(other_case.organisation_id, "hit", other_case, hit, detail, "system")
    _log(
        case.organisation_id,
        "check",
        case,
        None,
        {"what": "person", "compared_with": compared, "hits": len(hits)},
        actor.username or "system",
    )
    return hits


def _periods_overlap(p: list[object], q: list[object]) -> bool:
    def years(v: list[object]) -> tuple[int, int] | None:
        start, end = [*v, None, None][:2]
        if not isinstance(start, int) and not isinstance(end, int):
            return None
        s = start if isinstance(start, int) else end
        e = end if isinstance(end, int) else start
        assert isinstance(s, int) and isinstance(e, int)
        return s, e

    a, b = years(p), years(q)
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])


def check_situation(*, actor: Actor, case: Case) -> list[Hit]:
    """Compare a case's encoded situation with every other authority's cases."""
    mine = case.situation_encoding
    my_clk = linkage.Encoded.from_json({"clks": mine.get("clk", [])})
    my_crimes = set(mine.get("crimes", []))
    others = (
        Case.objects.filter(network_id=case.network_id)
        .exclude(organisation_id=case.organisation_id)
        .only("pk", "organisation_id", "situation_encoding")
    )
    hits: list[Hit] = []
    compared = 0
    for other in others.iterator():
        compared += 1
        enc = other.situation_encoding
        other_clk = linkage.Encoded.from_json({"clks": enc.get("clk", [])})
        match = linkage.compare(my_clk, other_clk, SITUATION_THRESHOLD)
        common = my_crimes & set(enc.get("crimes", []))
        if match is None or not common:
            continue
        if not _periods_overlap(list(mine.get("period", [])), list(enc.get("period", []))):
            continue
        a, b, _ = _ordered(case, other)
        matched = ["situation", "crimes", "period"]
        band = "strong" if match.score >= linkage.STRONG else "possible"
        hit, created = Hit.objects.get_or_create(
            kind="situation",
            case_a=a,
            case_b=b,
            person_a=None,
            person_b=None,
            defaults={"score": match.score, "band": band, "matched": matched},
        )
        if created:
            hits.append(hit)
            detail: dict[str, object] = {"band": band, "matched": matched}
            _log(case.organisation_id, "hit", case, hit, detail, actor.username or "system")
            _log(other.organisation_id, "hit", other, hit, detail, "system")
    _log(
        case.organisation_id,
        "check",
        case,
        None,
        {"what": "situation", "compared_with": compared, "hits": len(hits)},
        actor.username or "system",
    )
    return hits
