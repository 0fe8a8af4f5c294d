"""The coordination demo (``cicnet load_demo``): two fictional authorities whose cases name the
same fictional suspect in Latin and Arabic script get a candidate hit from the real
cross-check; a shared case summary, a question answered with a citation, a request, a joint
investigation team with its task, document, vault item (custody log) and a pending amendment —
all written through the services (audit), labelled as demo, and loaded once however often the
command runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.audit.models import AuditEntry
from cicnet.coordination import jit_parties, jits, questions, requests, selectors
from cicnet.coordination.demo import (
    ARABIC_NAME,
    CASE_A,
    CASE_B,
    LATIN_NAME,
    QUESTION_TITLE,
    TEAM_NAME,
)
from cicnet.coordination.models import (
    AssistanceRequest,
    Case,
    CheckLogEntry,
    Hit,
    JointTeam,
    JointTeamAmendment,
    Question,
)
from cicnet.evidence.custody_log import custody_check, custody_entries

pytestmark = pytest.mark.django_db


def _load(limit: int) -> str:
    out = StringIO()
    call_command("load_demo", limit=limit, stdout=out, stderr=out)
    return out.getvalue()


def _actor(username: str) -> policy.Actor:
    return policy.actor_for(User.objects.get(username=username))


def test_demo_cases_get_a_blind_hit_on_the_same_fictional_suspect_in_two_scripts() -> None:
    output = _load(limit=1)
    assert "Demo coordination (fictional" in output
    a, b = Case.objects.get(reference=CASE_A), Case.objects.get(reference=CASE_B)
    assert a.organisation_id != b.organisation_id and a.network_id == b.network_id
    assert list(a.persons.values_list("names", flat=True)) == [[LATIN_NAME]]
    assert list(b.persons.values_list("names", flat=True)) == [[ARABIC_NAME]]
    hit = Hit.objects.get(kind="person")
    assert {hit.case_a_id, hit.case_b_id} == {a.pk, b.pk} and hit.band == "strong"
    # Found by the check that ran when B's person was saved: both check logs say so.
    assert CheckLogEntry.objects.filter(organisation=a.organisation, hit=hit).exists()
    assert CheckLogEntry.objects.filter(organisation=b.organisation, hit=hit).exists()
    ncp = _actor("net-ncp")
    row = selectors.hit_get(actor=ncp, uid=hit.uid)
    assert row is not None and row.their_reveal is None  # blind: nothing of B's names
    # B shared its summary with A: A reads it, without B's persons.
    shared = selectors.case_get(actor=ncp, uid=b.uid)
    assert shared is not None and not shared.is_owner and shared.persons == []
    for outsider in ("net-cso", "net-secretariat", "net-observer", "demo-admin"):
        assert selectors.case_get(actor=_actor(outsider), uid=b.uid) is None
        assert selectors.hit_get(actor=_actor(outsider), uid=hit.uid) is None
    assert AuditEntry.objects.filter(action="coordination.case_register").count() == 2


def test_demo_question_request_and_team_are_written_through_the_services() -> None:
    _load(limit=3)  # Koblenz: Eyad A., his appeal and Anwar R.; the answer describes Eyad A.'s
    ncp, ncp_b = _actor("net-ncp"), _actor("net-ncp-b")
    question = Question.objects.get(title=QUESTION_TITLE)
    answers = questions.answers_of(actor=ncp_b, question=question)
    assert len(answers) == 1 and "Fictional demo answer" in answers[0].body
    assert [c["path"] for c in answers[0].citations] == ["/decisions/de-olg-koblenz-eyad-a-2021/"]
    request = AssistanceRequest.objects.get()
    assert request.state == "received" and request.shared_with_secretariat
    assert requests.request_get(actor=_actor("net-secretariat"), uid=request.uid) is not None
    assert requests.request_get(actor=_actor("net-cso"), uid=request.uid) is None

    team = JointTeam.objects.get(name=TEAM_NAME)
    assert jits.jit_get(actor=ncp, uid=team.uid) is not None
    assert jits.jit_get(actor=ncp_b, uid=team.uid) is not None
    assert len(jits.team_tasks(actor=ncp, team=team)) == 1
    assert team.documents.count() == 1
    (shared,) = team.items.select_related("item")
    assert shared.item.handling_code == "unrestricted"
    entries = custody_entries(shared.item)
    assert entries[-1]["action"] == "shared" and team.uid in entries[-1]["purpose"]
    assert custody_check(shared.item) == []
    # Party B proposed the observer State's authority; party A's agreement is awaited, and the
    # authority proposed sees nothing of the team until then.
    amendment = JointTeamAmendment.objects.get(team=team)
    assert amendment.state == "proposed" and amendment.organisation.org_type == (
        "observer_state_authority"
    )
    (row,) = jit_parties.team_amendments(actor=ncp, team=team)
    assert row.can_answer and row.waiting == [Case.objects.get(reference=CASE_A).organisation.name]
    assert jits.jit_get(actor=_actor("net-observer"), uid=team.uid) is None


def test_demo_without_decisions_answers_without_a_citation() -> None:
    _load(limit=0)
    (answer,) = Question.objects.get(title=QUESTION_TITLE).answers.all()
    assert answer.citations == [] and "none is cited" in answer.body


def test_loading_the_demo_again_adds_no_coordination_row() -> None:
    _load(limit=0)
    counts = {
        model.__name__: model.objects.count()
        for model in (Case, Hit, Question, AssistanceRequest, JointTeam, JointTeamAmendment)
    }
    audit = AuditEntry.objects.filter(action__startswith="coordination.").count()
    output = _load(limit=0)
    assert "Demo coordination" not in output
    assert {m: globals()[m].objects.count() for m in counts} == counts
    assert AuditEntry.objects.filter(action__startswith="coordination.").count() == audit


def test_demo_coordination_is_labelled_fictional() -> None:
    _load(limit=0)
    for case in Case.objects.all():
        assert case.reference.startswith("DEMO-") and "(demo)" in case.situation
        assert "(demo)" in case.organisation.name
    assert Question.objects.get().title.startswith("(demo)")
    assert AssistanceRequest.objects.get().subject.startswith("(demo)")
    team = JointTeam.objects.get()
    assert team.name.startswith("(demo)") and team.agreement_title.startswith("(demo)")
    assert all(d.title.startswith("(demo)") for d in team.documents.all())
    assert all(t.title.startswith("(demo)") for t in team.tasks.all())
