"""Appending to an item's custody log in the database (the hashing and signing are in
``custody.py``; the keys in ``crypto.py``).

Every access to an item goes through ``custody_append`` inside the same transaction as the
access itself, so an access that is not logged does not happen. Appends to one item are
serialised by locking the item's row (``select_for_update`` on PostgreSQL; SQLite's write
transactions are already exclusive), and the unique (item, seq) pair is the backstop.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.db import transaction
from django.utils import timezone

from cicnet.evidence import crypto, custody
from cicnet.evidence.models import CustodyEntry, EvidenceItem, SigningKey


def _now_text() -> str:
    return (
        timezone.now().astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    )


def _register_key(key_id: str, public_pem: str) -> None:
    SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key_pem": public_pem})


@transaction.atomic
def custody_append(
    *,
    item: EvidenceItem,
    action: str,
    actor: str,
    organisation: str,
    purpose: str,
    details: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Append one signed entry to ``item``'s log and return it."""
    EvidenceItem.objects.select_for_update().filter(pk=item.pk).exists()
    last = CustodyEntry.objects.filter(item=item).order_by("-seq").first()
    private_key = crypto.signing_key()
    public_key = private_key.public_key()
    key_id = custody.key_id(public_key)
    _register_key(key_id, crypto.public_key_pem(public_key))
    fields = {
        "item": item.uid,
        "seq": (last.seq + 1) if last else 1,
        "action": action,
        "actor": actor,
        "organisation": organisation,
        "at": _now_text(),
        "purpose": purpose,
        "details": details or {},
        "prev_hash": last.entry_hash if last else custody.GENESIS,
    }
    sealed = custody.seal_entry(fields, private_key)
    return CustodyEntry.objects.create(
        item=item,
        seq=sealed["seq"],
        action=sealed["action"],
        actor=sealed["actor"],
        organisation=sealed["organisation"],
        at=sealed["at"],
        purpose=sealed["purpose"],
        details=sealed["details"],
        prev_hash=sealed["prev_hash"],
        entry_hash=sealed["entry_hash"],
        key_id=sealed["key_id"],
        signature=sealed["signature"],
    )


def custody_entries(item: EvidenceItem) -> list[dict[str, Any]]:
    """The item's log as the dicts that were hashed and signed."""
    return [e.as_entry() for e in CustodyEntry.objects.filter(item=item).order_by("seq")]


def custody_check(item: EvidenceItem) -> list[str]:
    """Problems found re-verifying the stored chain (empty when intact)."""
    keys: dict[str, Any] = {
        k.key_id: load_pem_public_key(k.public_key_pem.encode("ascii"))
        for k in SigningKey.objects.all()
    }
    return custody.verify_chain(item.uid, custody_entries(item), keys)
