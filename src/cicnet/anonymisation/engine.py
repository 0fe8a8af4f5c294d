"""``anonymise(text, *, policy, language)``: the one entry point of the anonymiser.

Detect candidates (model + rules) → apply the policy (mask or keep) → propagate every masked
name to its other occurrences → merge overlaps into sorted, disjoint spans → group the spans into
entities → give each entity its pseudonym. Pure Python over a string: no database, no network,
so a pipeline stage, the ``anonymise-spans`` command and the benchmark share it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import detect as detection
from . import pipelines, places
from .grouping import (
    Grouper,
    gender_before,
    initials_pseudonym,
    most_common_role,
    relative_of,
    role_of,
)
from .policies import Policy
from .policies import policy as load_policy
from .types import AnonymisationResult, Entity, Mention, Span

# Kinds whose masked surfaces are looked for again elsewhere in the text.
PROPAGATED_KINDS = ("PERSON", "LOC", "ORG", "DEM", "CODE", "MISC")
MIN_PROPAGATED_CHARS = 3


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _propagate(text: str, masked: list[Mention], kept: list[tuple[int, int]]) -> list[Mention]:
    """Other occurrences of the masked names, and of each word of a masked person's name."""
    surfaces: dict[str, tuple[str, float]] = {}
    for m in masked:
        if m.kind not in PROPAGATED_KINDS:
            continue
        candidates = [m.text]
        if m.kind == "LOC":
            # "the District of Kyrenia" masked: "Kyrenia" alone is the same place
            candidates.append(detection.PLACE_WORDS.sub("", m.text))
        if m.kind == "PERSON":
            candidates += [
                w
                for w in re.findall(r"[^\W\d_][\w’'-]*", m.text)
                if w[0].isupper() and w.lower() not in detection.NOT_NAMES
            ]
        for s in candidates:
            if len(s) >= MIN_PROPAGATED_CHARS and (s not in surfaces or m.kind == "PERSON"):
                surfaces[s] = (m.kind, m.confidence)
    if not surfaces:
        return []
    alternation = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    out = []
    for hit in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text):
        start, end = hit.span()
        if _overlaps(start, end, kept):
            continue
        kind, confidence = surfaces[hit.group(0)]
        if kind == "DEM" and detection.INSTITUTIONAL.match(text, end):
            continue
        if kind == "PERSON" and detection.CASE_CITATION_AFTER.match(text, end):
            continue
        out.append(
            Mention(start, end, kind, hit.group(0), round(confidence * 0.9, 2), "propagated")
        )
    return out


def _large_city(policy: Policy, name: str) -> bool:
    """Whether the ``large_cities`` rule of ``policy`` keeps the place ``name``."""
    return policy.keeps("large_cities") and (
        places.population(name) >= policy.large_city_population
    )


def _name_words(surface: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[^\W\d_][\w’'-]+", surface)
        if w.lower() not in detection.NOT_NAMES and w not in ("Judge", "Justice")
    ]


def _merge(mentions: list[Mention]) -> list[list[Mention]]:
    """Overlapping mentions merged into groups; each group becomes one span."""
    groups: list[list[Mention]] = []
    end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if groups and m.start < end:
            groups[-1].append(m)
            end = max(end, m.end)
        else:
            groups.append([m])
            end = m.end
    return groups


def _bare(pseudonym: str) -> str:
    """ "[victim 3]" → "victim 3": a pseudonym inside another ("[relative of victim 3]")."""
    return pseudonym.strip().removeprefix("[").removesuffix("]")


def _pseudonyms(
    policy: Policy,
    grouper: Grouper,
    kinds: dict[int, str],
    roles: dict[int, str | None],
    anchors: dict[int, str | int | None],
) -> dict[int, str]:
    """One pseudonym per entity key. Role templates may hold ``{n}`` (numbered per role),
    ``{initials}`` (the name as courts publish an accused's: "Anwar R.") and ``{of}`` (the
    pseudonym of the person a relative is related to; "[relative N]" when the text does not
    say whose)."""
    counters = grouper.counters
    role_totals: dict[str, int] = defaultdict(int)
    for key, role in roles.items():
        if role and kinds[key] == "PERSON":
            role_totals[role] += 1
    out = grouper.pseudonyms
    # relatives last: the pseudonym of the person they are related to comes first
    for key in sorted(kinds, key=lambda k: (roles.get(k) == "relative", k)):
        kind = kinds[key]
        if key in out:
            continue
        if kind == "PERSON" and policy.persons == "remove":
            out[key] = ""
            continue
        if kind == "PERSON" and policy.persons == "initials":
            out[key] = initials_pseudonym(grouper.person_entity(key))
            continue
        template = policy.placeholder(kind)
        role = roles.get(key)
        if kind == "PERSON" and role and role in policy.roles:
            template = policy.roles[role]
            if "{initials}" in template:
                out[key] = template.replace(
                    "{initials}", initials_pseudonym(grouper.person_entity(key))
                )
                continue
            if "{of}" in template:
                anchor = anchors.get(key)
                of = None
                if anchor == "applicant":
                    of = _bare(policy.roles.get("applicant", "[applicant]"))
                elif isinstance(anchor, int) and anchor in out and anchor != key:
                    of = _bare(out[anchor])
                if of:
                    template = template.replace("{of}", of)
                    counter = f"role:{role}:{of}"
                    counters[counter] += 1
                    out[key] = template.replace("{n}", str(counters[counter]))
                    continue
                template = re.sub(r"\s*\bof\s+\{of\}", " {n}", template)
            if "{n}" not in template and role_totals[role] > 1:
                template = template.rstrip("]") + " {n}]"
            counter = f"role:{role}"
        else:
            counter = template
        counters[counter] += 1
        out[key] = template.replace("{n}", str(counters[counter]))
    return {key: out[key] for key in kinds}


def anonymise(
    text: str,
    *,
    policy: str | Policy = "strict",
    language: str = "en",
    grouper: Grouper | None = None,
    extra: tuple[Mention, ...] = (),
) -> AnonymisationResult:
    """Find the identifying mentions of ``text`` and pseudonymise them under ``policy``.

    ``language`` is an ISO 639-1 code; a language without a spaCy pipeline is handled by the
    rules alone and the result asks for review. Pass the same ``grouper`` for several texts
    (decisions of one proceedings, an original and its translation) to give a person the same
    pseudonym in all of them. ``extra`` are mentions found elsewhere (names carried over from a
    translation, see ``propagate.py``); the policy applies to them like to any other.
    """
    pol = load_policy(policy) if isinstance(policy, str) else policy
    grouper = grouper or Grouper()
    review: list[str] = []
    if language not in pipelines.PIPELINE_PACKAGES:
        review.append(
            f"no language model for {language!r}: only rules were applied; check every name"
        )

    masked: list[Mention] = []
    kept: list[Mention] = []
    kept_reasons: dict[tuple[int, int], str | None] = {}
    for candidate in detection.detect(text, language):
        m = candidate.mention
        reason = candidate.keep_reason
        keep = (
            not pol.masks(m.kind)
            or pol.keeps(reason)
            or (pol.mode(m.kind) == "protected" and not pol.protects(candidate.protect))
        )
        if not keep and m.kind == "LOC" and reason is None and _large_city(pol, m.text):
            keep, reason = True, "large_cities"
        (kept if keep else masked).append(m)
        if keep:
            kept_reasons[(m.start, m.end)] = reason
    masked += [m for m in extra if pol.masks(m.kind)]
    # what the model found inside a kept organisation ("Sąd Rejonowy" in "the District Court
    # (Sąd Rejonowy)"), or a rule's shorter reading of it ("Commonwealth Office" in "the Foreign
    # and Commonwealth Office"), is part of that name
    # only what a keep rule keeps (a court, a state …) shields; a place merely not tied to a
    # person ("Kalogrea" in "the police came to Kalogrea") must not shield a name masked elsewhere
    reasoned = [m for m in kept if kept_reasons.get((m.start, m.end))]
    kept_orgs = [
        (m.start, m.end) for m in reasoned if m.kind in ("ORG", "LOC") or m.source == "pseudonym"
    ]
    masked = [
        m
        for m in masked
        if not (
            (m.source in ("ner", "propagated") or m.kind in ("ORG", "LOC"))
            and any(s <= m.start and m.end <= e for s, e in kept_orgs)
        )
    ]
    # a kept mention shields what lies inside it ("Turkish" in "the Turkish Government") from
    # propagation, but not from a direct detection
    kept_spans = [(m.start, m.end) for m in reasoned if m.kind in ("ORG", "LOC", "PERSON")]
    masked += _propagate(text, masked, kept_spans)
    # an official or representative the policy keeps stays named wherever the text names them:
    # "Judge Kerber", "Kerber"
    officials = [
        m
        for m in kept
        if m.kind == "PERSON"
        and kept_reasons.get((m.start, m.end)) in ("officials_in_office", "representatives")
    ]
    if officials:
        words = {w for m in officials for w in _name_words(m.text)}
        spans_kept = [(m.start, m.end) for m in officials]
        masked = [
            m
            for m in masked
            if not (
                m.kind == "PERSON"
                and (
                    _overlaps(m.start, m.end, spans_kept)
                    or (_name_words(m.text) and set(_name_words(m.text)) <= words)
                )
            )
        ]

    groups = _merge(masked)
    # persons are grouped longest name first, so "Raslan" finds "Anwar Raslan" wherever it is
    heads = [max(g, key=lambda m: (m.end - m.start, m.confidence)) for g in groups]
    keys: dict[int, int] = {}
    order = sorted(
        range(len(groups)),
        key=lambda i: (heads[i].kind != "PERSON", -len(heads[i].text.split()), heads[i].start),
    )
    for i in order:
        head = heads[i]
        surface = text[groups[i][0].start : max(m.end for m in groups[i])]
        if head.kind == "PERSON":
            keys[i] = grouper.person(head.text, gender=gender_before(text, groups[i][0].start))
        else:
            keys[i] = grouper.other(head.kind, surface)

    kinds: dict[int, str] = {}
    roles: dict[int, list[str | None]] = defaultdict(list)
    anchors: dict[int, str | int | None] = {}
    confidences: dict[int, float] = defaultdict(float)
    mentions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    raw_spans = []
    for i, group in enumerate(groups):
        start, end = group[0].start, max(m.end for m in group)
        key, head = keys[i], heads[i]
        kinds.setdefault(key, head.kind)
        confidence = max(m.confidence for m in group)
        confidences[key] = max(confidences[key], confidence)
        mentions[key].append((start, end))
        if head.kind == "PERSON":
            role = role_of(text, start, end)
            roles[key].append(role)
            if role == "relative" and key not in anchors:
                anchors[key] = relative_of(text, start, end)
        raw_spans.append((start, end, head.kind, key, confidence, head.source))

    entity_roles = {key: most_common_role(r) for key, r in roles.items()}
    # "X's son": the offset of X's name → the key of the entity masked there
    for key, anchor in list(anchors.items()):
        if isinstance(anchor, int) and not isinstance(anchor, bool):
            hits = [i for i, g in enumerate(groups) if g[0].start <= anchor < max(m.end for m in g)]
            anchors[key] = keys[hits[0]] if hits and kinds.get(keys[hits[0]]) == "PERSON" else None
    pseudonyms = _pseudonyms(pol, grouper, kinds, entity_roles, anchors)
    # entity ids follow the order of first appearance in this text
    first_seen = sorted(mentions, key=lambda k: mentions[k][0][0])
    ids = {key: f"E{n}" for n, key in enumerate(first_seen, start=1)}
    spans = tuple(
        Span(s, e, kind, ids[key], round(conf, 2), source, text[s:e])
        for s, e, kind, key, conf, source in raw_spans
    )
    entities = tuple(
        Entity(
            id=ids[key],
            kind=kinds[key],
            canonical=(
                grouper.person_entity(key).canonical
                if kinds[key] == "PERSON"
                else text[mentions[key][0][0] : mentions[key][0][1]]
            ),
            pseudonym=pseudonyms[key],
            confidence=round(confidences[key], 2),
            role=entity_roles.get(key),
            mentions=tuple(mentions[key]),
        )
        for key in first_seen
    )
    masked_spans = [(s.start, s.end) for s in spans]
    kept_out = tuple(
        sorted(
            (m for m in kept if not _overlaps(m.start, m.end, masked_spans)),
            key=lambda m: (m.start, m.end),
        )
    )
    return AnonymisationResult(
        text=text,
        language=language,
        policy=pol.id,
        spans=spans,
        entities=entities,
        kept=kept_out,
        review=tuple(review),
        without_model=language not in pipelines.PIPELINE_PACKAGES,
    )
