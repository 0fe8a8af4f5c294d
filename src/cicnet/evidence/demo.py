"""The demo submission: the fictional Documentation Centre (net-cso) sends two fictional items
to the fictional War Crimes Unit (net-ncp), which acknowledges it. Everything here is invented
and says so; it runs through the real services (upload, hash check, custody log)."""

from __future__ import annotations

import hashlib
import struct
import zlib

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.evidence import selectors, services, uploads
from cicnet.evidence.models import Submission
from cicnet.network.models import Organisation

DEMO_TITLE = "(demo) Fictional shelling of a school in a fictional town"


def _png(width: int = 64, height: int = 48) -> bytes:
    """A small grey-gradient PNG, generated (no image library needed)."""
    rows = b"".join(b"\x00" + bytes((x * 4) % 256 for x in range(width)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


_TRANSCRIPT = (
    b"FICTIONAL DEMO TRANSCRIPT - not a real testimony.\n"
    b"Witness W-1 (pseudonym) describes, in a fictional town, shelling near a school on a "
    b"morning in spring. Names are withheld; consent reference DEMO-CONSENT-1.\n"
)


def _add(actor: policy.Actor, uid: str, name: str, content: bytes, **meta: object) -> None:
    context = selectors.submission_context(actor=actor, uid=uid)
    assert context is not None
    metadata: dict[str, object] = {
        "description": "",
        "captured_at": None,
        "captured_note": "spring (fictional)",
        "capture_place": "Fictional town",
        "capture_method": "",
        "collector": "Collector A (pseudonym, fictional)",
        "source": "",
        "source_anonymous": True,
        "consent_reference": "DEMO-CONSENT-1",
        "consent_scope": "Use by the addressed national authority; fictional demo consent.",
        "handling_code": "unrestricted",
        "source_reliability": "X",
        "information_reliability": "3",
        "sensitive_sgbv": False,
        "sensitive_child": False,
        "sensitive_protected_witness": False,
        "parent": "",
        "derivation": "",
        "related": [],
        **meta,
    }
    upload = uploads.upload_start(
        actor=actor, context=context, filename=name, size=len(content), metadata=metadata
    )
    uploads.upload_chunk(actor=actor, upload_id=upload.upload_id, offset=0, data=content)
    uploads.upload_complete(
        actor=actor,
        context=context,
        upload_id=upload.upload_id,
        declared_sha256=hashlib.sha256(content).hexdigest(),
    )


def load_evidence_demo() -> bool:
    """Create the demo submission once; returns whether it was created."""
    if Submission.objects.filter(title=DEMO_TITLE).exists():
        return False
    cso_user = User.objects.filter(username="net-cso").first()
    ncp_user = User.objects.filter(username="net-ncp").first()
    if cso_user is None or ncp_user is None:
        return False
    cso = policy.actor_for(cso_user)
    ncp = policy.actor_for(ncp_user)
    cso_org = Organisation.objects.filter(
        pk__in=sorted(cso.organisation_ids), org_type="civil_society"
    ).first()
    authority = Organisation.objects.filter(pk__in=sorted(ncp.organisation_ids)).first()
    if cso_org is None or authority is None:
        return False
    submission = services.submission_create(
        actor=cso,
        organisation=cso_org,
        data=services.SubmissionData(
            title=DEMO_TITLE,
            narrative="A fictional account written for the demo: no real event, place or "
            "person is described.",
            places="Fictional town (demo)",
            period_start=None,
            period_end=None,
            period_note="spring (fictional)",
            crimes=["8(2)(b)(ix)", "8(2)(b)(ii)"],
            persons=[{"ref": "W-1", "role": "witness", "note": "fictional"}],
            victims_count=None,
            languages=["en"],
            assessment="Demo only.",
            addressees=[authority],
        ),
    )
    _add(
        cso,
        submission.uid,
        "school-photo.png",
        _png(),
        description="Fictional generated image standing in for a photo (demo).",
    )
    _add(
        cso,
        submission.uid,
        "witness-w1-transcript.txt",
        _TRANSCRIPT,
        description="Fictional transcript of witness W-1 (demo).",
        handling_code="no_onward_sharing",
        sensitive_protected_witness=True,
    )
    context = selectors.submission_context(actor=cso, uid=submission.uid)
    assert context is not None
    services.submission_submit(actor=cso, context=context)
    authority_context = selectors.submission_context(actor=ncp, uid=submission.uid)
    assert authority_context is not None
    services.referral_transition(
        actor=ncp,
        context=authority_context,
        referral_id=authority_context.referrals[0].pk,
        to="acknowledged",
        message="Received (demo message).",
    )
    return True
