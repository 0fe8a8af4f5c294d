"""Random public ids for the addresses of coordination pages (``HIT-…``, ``MR-…``).

A row's counter (``pk``) in an address told an authority how many hits, meeting requests …
the other authorities had had since its last one: a count outside the policy
(docs/decisions/0173). Like ``evidence.services.new_uid``, but longer: these ids are minted
by the thousand (every cross-check may find hits).
"""

from __future__ import annotations

import secrets

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed


def public_uid(prefix: str) -> str:
    """``prefix`` and ten random characters (about 49 bits)."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))
