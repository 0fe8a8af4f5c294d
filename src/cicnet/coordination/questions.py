"""Questions to the network: ask, answer in a thread citing decisions and library documents,
mark answered (the question joins the tiered knowledge base), search the knowledge base, and
the deadline reminders. Reads and writes go through ``access/policy/coordination.py``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.models import Answer, Question
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.jurisprudence.selectors import decision_get, decisions_for
from cicnet.network.models import Document, Membership, Network, Organisation
from cicnet.network.selectors import document_get, network_get
from cicnet.vocabularies import vocabulary

MAX_CITATIONS = 20
_DECISION = re.compile(r"^/decisions/(?P<uid>[A-Za-z0-9._-]+)/?$")
_DOCUMENT = re.compile(r"^/network/(?P<slug>[a-z0-9-]+)/documents/(?P<id>\d+)/?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
REMIND_DAYS_BEFORE = 3


@dataclass(frozen=True)
class QuestionData:
    network_id: int
    title: str
    body: str
    audience: str
    countries: list[str]
    kb_tier: str
    deadline: dt.date | None


def questions_for(
    *, actor: policy.Actor, q: str = "", answered: bool | None = None
) -> QuerySet[Question]:
    """The questions the actor reads; ``q`` searches title, body and answers (knowledge base)."""
    rows = policy.questions_visible(
        actor, Question.objects.select_related("organisation", "network")
    )
    if answered is not None:
        rows = rows.filter(answered_at__isnull=not answered)
    if q.strip():
        for word in q.split()[:10]:
            rows = rows.filter(
                Q(title__icontains=word)
                | Q(body__icontains=word)
                | Q(answers__body__icontains=word)
            )
        rows = rows.distinct()
    return rows.order_by("-created_at")


def question_get(*, actor: policy.Actor, uid: str) -> Question | None:
    return questions_for(actor=actor).filter(uid=uid).first()


@dataclass(frozen=True)
class ShownCitation:
    """A citation as one reader sees it: the decision's or document's title today, with its
    link, or only its kind where the reader may not read it."""

    kind: str
    path: str
    title: str


_NOT_YOURS = {
    "decision": "a decision you may not read",
    "document": "a library document you may not read",
}


def answers_of(*, actor: policy.Actor, question: Question) -> list[Answer]:
    """The thread, for a reader of the question (the question's visibility is the thread's).
    Each answer's ``shown_citations`` are its citations resolved for this reader: the author
    could read what they cited, a reader of the thread may not (a classified library document,
    an unpublished decision), so neither its title nor its link is shown to them."""
    if question_get(actor=actor, uid=question.uid) is None:
        return []
    answers = list(question.answers.select_related("organisation", "author"))
    uids: set[str] = set()
    document_ids: set[int] = set()
    for answer in answers:
        for cited in answer.citations or []:
            if m := _DECISION.match(str(cited.get("path", ""))):
                uids.add(m["uid"])
            elif m := _DOCUMENT.match(str(cited.get("path", ""))):
                document_ids.add(int(m["id"]))
    # Decision rows through ``decisions_for``: its rows come out masked for readers below the
    # Secretariat (``anonymisation.headings``); a ``values_list`` would read the stored title.
    decisions = (
        {d.uid: d.title for d in decisions_for(actor=actor).filter(uid__in=sorted(uids))}
        if uids
        else {}
    )
    documents = dict(
        policy.documents_visible(actor, Document.objects.filter(pk__in=document_ids)).values_list(
            "pk", "title"
        )
        if document_ids
        else []
    )
    for answer in answers:
        shown = []
        for cited in answer.citations or []:
            kind, path = str(cited.get("kind", "")), str(cited.get("path", ""))
            title: str | None = None
            if m := _DECISION.match(path):
                title = decisions.get(m["uid"])
            elif m := _DOCUMENT.match(path):
                title = documents.get(int(m["id"]))
            if title is None:
                shown.append(
                    ShownCitation(kind, "", _NOT_YOURS.get(kind, "a link you may not read"))
                )
            else:
                shown.append(ShownCitation(kind, path, title))
        answer.shown_citations = shown  # type: ignore[attr-defined]  # per reader, not stored
    return answers


def networks_to_ask(*, actor: policy.Actor) -> list[Network]:
    return [
        n
        for n in Network.objects.filter(pk__in=sorted(actor.network_ids)).order_by("name")
        if policy.can_ask_question(actor, n.pk)
    ]


def _acting_organisation(actor: policy.Actor, network_id: int) -> Organisation | None:
    return (
        Organisation.objects.filter(pk__in=sorted(actor.organisation_ids), network_id=network_id)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def question_ask(*, actor: policy.Actor, data: QuestionData) -> Question:
    if not policy.can_ask_question(actor, data.network_id):
        raise CoordinationInputError("Network: pick a network where you may ask.", field="network")
    organisation = _acting_organisation(actor, data.network_id)
    if organisation is None:
        raise CoordinationInputError("Network: you act for no organisation there.", field="network")
    if not data.title.strip():
        raise CoordinationInputError("Question: write the question in one line.", field="title")
    if not data.body.strip():
        raise CoordinationInputError("Details: say what you need to know and why.", field="body")
    if data.audience not in vocabulary("coordination", "question_audiences"):
        raise CoordinationInputError(
            "Ask: pick all, some countries or the Secretariat.", field="audience"
        )
    countries = sorted({c.strip().upper() for c in data.countries if c.strip()})
    bad = [c for c in countries if not _COUNTRY.match(c)]
    if bad:
        raise CoordinationInputError(
            f"Countries: {', '.join(bad)} is not a two-letter ISO code (DE, FR …).",
            field="countries",
        )
    if data.audience == "countries" and not countries:
        raise CoordinationInputError(
            "Countries: name at least one country to ask, or ask all.", field="countries"
        )
    if data.kb_tier not in vocabulary("coordination", "knowledge_tiers"):
        raise CoordinationInputError("Knowledge base: pick a tier.", field="kb_tier")
    if data.deadline is not None and data.deadline < timezone.localdate():
        raise CoordinationInputError("Deadline: it has passed; pick a later day.", field="deadline")
    question = Question.objects.create(
        network_id=data.network_id,
        organisation=organisation,
        asked_by_id=actor.user_id,
        title=data.title.strip(),
        body=data.body.strip(),
        audience=data.audience,
        countries="," + ",".join(countries) + "," if data.audience == "countries" else "",
        kb_tier=data.kb_tier,
        deadline=data.deadline,
    )
    audit_record(
        actor=actor,
        action="coordination.question_ask",
        object_type="coordination.question",
        object_id=question.uid,
        changes={"audience": question.audience, "kb_tier": question.kb_tier},
    )
    return question


def parse_citations(*, actor: policy.Actor, lines: list[str]) -> list[dict[str, str]]:
    """Links to decisions (``/decisions/<uid>/``) and library documents
    (``/network/<slug>/documents/<id>/``), full URLs or paths; each must exist and be readable by
    the actor (one cannot cite what one cannot see)."""
    out: list[dict[str, str]] = []
    for line in [x.strip() for x in lines if x.strip()][: MAX_CITATIONS + 1]:
        if len(out) >= MAX_CITATIONS:
            raise CoordinationInputError(f"Cites: at most {MAX_CITATIONS} links.", field="cites")
        path = urlparse(line).path
        if m := _DECISION.match(path):
            decision = decision_get(actor=actor, uid=m["uid"], with_texts=False)
            if decision is None:
                raise CoordinationInputError(
                    f"Cites: {line} is no decision you can read; copy its link from the database.",
                    field="cites",
                )
            out.append(
                {"kind": "decision", "path": f"/decisions/{decision.uid}/", "title": decision.title}
            )
            continue
        if m := _DOCUMENT.match(path):
            network = network_get(actor=actor, slug=m["slug"])
            document = (
                document_get(actor=actor, network=network, document_id=int(m["id"]))
                if network is not None
                else None
            )
            if network is None or document is None:
                raise CoordinationInputError(
                    f"Cites: {line} is no library document you can read.", field="cites"
                )
            out.append(
                {
                    "kind": "document",
                    "path": f"/network/{network.slug}/documents/{document.pk}/",
                    "title": document.title,
                }
            )
            continue
        raise CoordinationInputError(
            f"Cites: {line} is not a link to a decision (/decisions/…) or a library document "
            "(/network/…/documents/…).",
            field="cites",
        )
    return out


@transaction.atomic
def answer_post(
    *,
    actor: policy.Actor,
    question: Question,
    body: str,
    cites: list[str],
    parent_id: int | None = None,
) -> Answer:
    if question_get(actor=actor, uid=question.uid) is None:
        raise CoordinationDenied("no such question")
    if not policy.can_answer(actor, question):
        raise CoordinationInputError(
            "Answer: this question is closed (marked answered); ask a new one.", field="body"
        )
    if not body.strip():
        raise CoordinationInputError("Answer: write the answer.", field="body")
    organisation = _acting_organisation(actor, question.network_id)
    if organisation is None:
        raise CoordinationDenied("acts for no organisation in the network")
    parent = None
    if parent_id is not None:
        parent = question.answers.filter(pk=parent_id).first()
        if parent is None:
            raise CoordinationInputError(
                "Reply to: that answer is not in this thread.", field="parent"
            )
    answer = Answer.objects.create(
        question=question,
        parent=parent,
        author_id=actor.user_id,
        organisation=organisation,
        body=body.strip(),
        citations=parse_citations(actor=actor, lines=cites),
    )
    audit_record(
        actor=actor,
        action="coordination.answer_post",
        object_type="coordination.question",
        object_id=question.uid,
        changes={"answer": answer.pk, "citations": len(answer.citations)},
    )
    return answer


@transaction.atomic
def question_mark_answered(*, actor: policy.Actor, question: Question) -> None:
    if not policy.can_mark_answered(actor, question):
        raise CoordinationDenied("only the asking organisation marks its open question answered")
    question.answered_at = timezone.now()
    question.save(update_fields=["answered_at"])
    audit_record(
        actor=actor,
        action="coordination.question_answered",
        object_type="coordination.question",
        object_id=question.uid,
        changes={"kb_tier": question.kb_tier},
    )


def _addressee_emails(question: Question) -> list[str]:
    """E-mail addresses of the practitioners asked whose organisation has not answered yet."""
    answered_orgs = set(question.answers.values_list("organisation_id", flat=True))
    roles = (
        ["secretariat"] if question.audience == "secretariat" else sorted(policy.PRACTITIONER_ROLES)
    )
    members = Membership.objects.filter(
        network_id=question.network_id, is_active=True, role__in=roles
    ).exclude(organisation_id=question.organisation_id)
    if question.audience == "countries":
        codes = [c for c in question.countries.split(",") if c]
        members = members.filter(organisation__country__in=codes)
    emails = set()
    for m in members.select_related("person__user"):
        if m.organisation_id in answered_orgs:
            continue
        user = m.person.user
        email = (user.email if user is not None else "") or m.person.email
        if email:
            emails.add(email)
    return sorted(emails)


def _mailer(subject: str, body: str, emails: list[str]) -> Callable[[], None]:
    def send() -> None:
        send_mail(subject, body, None, emails)

    return send


def reminders_send(*, today: dt.date | None = None, base_url: str = "") -> int:
    """E-mail, once per question, the practitioners asked who have not answered an open
    question whose deadline is within ``REMIND_DAYS_BEFORE`` days. Returns how many questions
    were reminded. The mail names the question and links to it; its body is not copied."""
    today = today or timezone.localdate()
    due = Question.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        deadline__isnull=False,
        deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        deadline__gte=today,
    ).select_related("network")
    sent = 0
    for question in due:
        emails = _addressee_emails(question)
        with transaction.atomic():
            question.reminded_at = timezone.now()
            question.save(update_fields=["reminded_at"])
            if emails:
                link = f"{base_url.rstrip('/')}/coordination/questions/{question.uid}/"
                subject = (
                    f"[{question.network.short_name or question.network.name}] "
                    f"Answer wanted by {question.deadline:%d %B %Y}"
                )
                body = (
                    "A question to the network awaits your authority's answer by "
                    f"{question.deadline:%d %B %Y}:\n\n{question.title}\n\n{link}\n"
                )
                transaction.on_commit(_mailer(subject, body, emails))
        sent += 1
    return sent
