"""Random public ids for the addresses of coordination pages (``HIT-…``, ``MR-…``).

A row's counter (``pk``) in an address told an authority how many hits, meeting requests …
the other authorities had had since its last one: a count outside the policy
(docs/decisions/0173). Like ``evidence.services.new_uid``, but longer: these ids are minted
by the thousand (every cross-check may find hits).
"""

from __future__ import annotations

import secrets
from typing import Any

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed


def public_uid(prefix: str) -> str:
    """``prefix`` and ten random characters (about 49 bits)."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def fill_public_uids(apps: Any, models_and_prefixes: tuple[tuple[str, str], ...]) -> None:
    """Give every existing row of each coordination model a distinct public id: the data step
    of the migrations that add these ids (0008, 0010), on their historical models."""
    for model, prefix in models_and_prefixes:
        rows = apps.get_model("coordination", model)
        seen: set[str] = set()
        for pk in rows.objects.values_list("pk", flat=True).order_by("pk"):
            uid = public_uid(prefix)
            while uid in seen:
                uid = public_uid(prefix)
            seen.add(uid)
            rows.objects.filter(pk=pk).update(uid=uid)
