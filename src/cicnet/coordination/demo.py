"""The coordination demo: two fictional authorities of the Genocide Network's demo (net-ncp's
War Crimes Unit, DE, and net-ncp-b's National Prosecution B, SE) coordinate a fictional case.

Everything here is invented and says so (docs/coordination.md, "The demo"): the person
"Kazim al-Rashidi" / "كاظم الراشدي" is a made-up suspect, written in Latin script by one
authority and in Arabic script by the other, so the blind cross-check finds the candidate hit
itself. Every row is written through the app's own services, as the contact points would
through the pages: access rules, the cross-check, check logs, the audit log, the custody log of
the vault item shared into the team. ``load_coordination_demo()`` is idempotent: each piece is
looked up by its fixed reference, name or title first and left alone when present.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.coordination import jit_documents, jit_parties, jits, questions, requests, services
from cicnet.coordination.models import (
    AssistanceRequest,
    Case,
    Hit,
    JointTeam,
    Question,
)
from cicnet.evidence.demo import DEMO_TITLE
from cicnet.evidence.models import Submission
from cicnet.jurisprudence.selectors import decisions_for
from cicnet.network.demo import EU_SLUG
from cicnet.network.models import Network, Organisation

LATIN_NAME = "Kazim al-Rashidi"
ARABIC_NAME = "كاظم الراشدي"
CASE_A = "DEMO-WCU-2025-014"  # net-ncp's case (DE): the suspect in Latin script
CASE_B = "DEMO-NPB-2025-007"  # net-ncp-b's case (SE): the same suspect in Arabic script
QUESTION_TITLE = (
    "(demo) Case law on aiding and abetting crimes against humanity in a detention facility?"
)
REQUEST_REFERENCE = "DEMO-MLA-2025-031"
TEAM_NAME = "(demo) Fictional JIT on Branch 77 detention"
# The decision the answer cites and describes (the catalogue's first record: Eyad A., aiding and
# abetting crimes against humanity; its sources are recorded with it). With ``load_demo --limit
# 0`` it is not loaded and the answer says so.
CITED_DECISION = "de-olg-koblenz-eyad-a-2021"
_SITUATION = "(demo) Fictional detention facility 'Branch 77' in a fictional town"
_PLACES = "Fictional town (demo)"
_PLAN = (
    b"FICTIONAL DEMO DOCUMENT - operational action plan of a fictional joint investigation "
    b"team.\n1. Each party lists the witnesses it heard about the fictional Branch 77.\n"
    b"2. Party B hears the two witnesses residing in its country.\n"
)


@dataclass
class CoordinationDemoResult:
    created: list[str] = field(default_factory=list)  # what this run added, for the output


def _actor(username: str) -> policy.Actor | None:
    user = User.objects.filter(username=username).first()
    return policy.actor_for(user) if user is not None else None


def _authority(actor: policy.Actor, network: Network) -> Organisation | None:
    return (
        policy.authorities_of(actor, Organisation.objects.filter(network=network))
        .order_by("pk")
        .first()
    )


def _case(
    actor: policy.Actor, org: Organisation, reference: str, name: str, stage: str, unit: str
) -> tuple[Case, bool]:
    case = Case.objects.filter(organisation=org, reference=reference).first()
    if case is not None:
        return case, False
    case = services.case_register(
        actor=actor,
        data=services.CaseData(
            organisation_id=org.pk,
            reference=reference,
            situation=_SITUATION,
            crimes=["7(1)(f)", "7(1)(e)"],
            period_start=2012,
            period_end=2014,
            places=_PLACES,
            stage=stage,
            jit_sought=True,
            witness_count=6,
            evidence_categories=["witness_testimony", "documents"],
        ),
    )
    services.person_add(
        actor=actor,
        case=case,
        data=services.PersonData(
            names=[name],
            birth_date=None,
            birth_year=1971,
            nationality="SY",
            role="suspect",
            unit=unit,
        ),
    )
    return case, True


def _question(
    asker: policy.Actor, answerer: policy.Actor, network: Network, today: dt.date
) -> bool:
    if Question.objects.filter(network=network, title=QUESTION_TITLE).exists():
        return False
    question = questions.question_ask(
        actor=asker,
        data=questions.QuestionData(
            network_id=network.pk,
            title=QUESTION_TITLE,
            body="Fictional demo question: our case concerns a suspect who ran the guard shifts "
            "of a fictional detention facility. Has a court of a member State convicted a "
            "low-ranking official for aiding and abetting crimes against humanity committed "
            "in such a facility, and on what findings?",
            audience="all",
            countries=[],
            kb_tier="network",
            deadline=today + dt.timedelta(days=30),
        ),
    )
    cited = decisions_for(actor=answerer).filter(uid=CITED_DECISION).first()
    body = (
        "Fictional demo answer: yes. The Higher Regional Court of Koblenz convicted a former "
        "member of a Syrian intelligence service for aiding and abetting crimes against "
        "humanity; see the judgment cited (its summary lists the findings on the detention "
        "facility)."
        if cited is not None
        else "Fictional demo answer: the Koblenz judgments on Syrian detention facilities are "
        "the ones to read (the demo was loaded without decisions, so none is cited here)."
    )
    questions.answer_post(
        actor=answerer,
        question=question,
        body=body,
        cites=[f"/decisions/{cited.uid}/"] if cited is not None else [],
    )
    return True


def _request(
    sender: policy.Actor,
    recipient: policy.Actor,
    from_org: Organisation,
    to_org: Organisation,
    today: dt.date,
) -> bool:
    if AssistanceRequest.objects.filter(
        from_organisation=from_org, reference=REQUEST_REFERENCE
    ).exists():
        return False
    request = requests.request_record(
        actor=sender,
        data=requests.RequestData(
            from_organisation_id=from_org.pk,
            to_organisation_id=to_org.pk,
            kind="mla",
            reference=REQUEST_REFERENCE,
            subject="(demo) Hearing of two fictional witnesses of Branch 77 residing in country B",
            sent_on=today - dt.timedelta(days=20),
            deadline=today + dt.timedelta(days=70),
        ),
    )
    requests.request_move(actor=recipient, request=request, to="received")
    requests.request_share(actor=sender, request=request, shared=True)
    return True


def _team(
    a: policy.Actor,
    b: policy.Actor,
    org_a: Organisation,
    org_b: Organisation,
    network: Network,
    today: dt.date,
) -> bool:
    if JointTeam.objects.filter(network=network, name=TEAM_NAME).exists():
        return False
    signed = today - dt.timedelta(days=60)
    team = jits.jit_create(
        actor=a,
        data=jits.TeamData(
            network_id=network.pk,
            name=TEAM_NAME,
            member_ids=[org_a.pk, org_b.pk],
            agreement_title="(demo) Fictional agreement setting up a joint investigation team "
            "on the Branch 77 detention facility",
            agreement_signed_on=signed,
            agreement_expires_on=signed + dt.timedelta(days=730),
        ),
    )
    jits.task_add(
        actor=a,
        team=team,
        title="(demo) Hear the two fictional witnesses residing in country B",
        assignee_id=org_b.pk,
        due=today + dt.timedelta(days=45),
    )
    jit_documents.document_upload(
        actor=b,
        team=team,
        title="(demo) Fictional operational action plan",
        kind="working",
        filename="operational-action-plan-demo.txt",
        chunks=[_PLAN],
        size=len(_PLAN),
        note="Fictional demo document.",
    )
    # The demo submission's photo (net-cso to net-ncp; handling code "unrestricted"), shared
    # through the service so that its custody log records the share.
    submission = Submission.objects.filter(title=DEMO_TITLE).first()
    photo = submission.items.filter(filename="school-photo.png").first() if submission else None
    if submission is not None and photo is not None:
        jits.item_share(actor=a, team=team, submission_uid=submission.uid, item_uid=photo.uid)
    # Party B proposes the observer State's authority (net-observer); the amendment awaits
    # party A's agreement, so net-ncp sees it with its agree and decline buttons.
    third = (
        jit_parties.addition_candidates(actor=b, team=team)
        .filter(org_type="observer_state_authority", is_fictional=True)
        .order_by("pk")
        .first()
    )
    if third is not None:
        jit_parties.member_propose(
            actor=b, team=team, organisation_id=third.pk, dated=today, note="(demo) Amendment 1"
        )
    return True


@transaction.atomic
def load_coordination_demo() -> CoordinationDemoResult:
    """Create or complete the coordination demo (safe to run again); nothing without the two
    contact points of the network demo (``network_demo_load``)."""
    result = CoordinationDemoResult()
    network = Network.objects.filter(slug=EU_SLUG).first()
    a, b = _actor("net-ncp"), _actor("net-ncp-b")
    if network is None or a is None or b is None:
        return result
    org_a, org_b = _authority(a, network), _authority(b, network)
    if org_a is None or org_b is None:
        return result
    today = timezone.localdate()
    _, made_a = _case(a, org_a, CASE_A, LATIN_NAME, "investigation", "(demo) Fictional unit")
    case_b, made_b = _case(b, org_b, CASE_B, ARABIC_NAME, "investigation", "")
    if made_a or made_b:
        result.created.append("two cases with a candidate hit")
    if not case_b.shares.filter(organisation=org_a).exists():
        services.case_share(actor=b, case=case_b, organisation_id=org_a.pk)
        result.created.append("a shared case summary")
    if _question(b, a, network, today):
        result.created.append("a question with an answer")
    if _request(a, b, org_a, org_b, today):
        result.created.append("a request for assistance")
    if _team(a, b, org_a, org_b, network, today):
        result.created.append("a joint investigation team")
    return result


def demo_hit(case_uid: str) -> Hit | None:
    """The candidate hit of the demo case ``case_uid`` (for tests and the output)."""
    return Hit.objects.filter(case_a__uid=case_uid).first() or (
        Hit.objects.filter(case_b__uid=case_uid).first()
    )
