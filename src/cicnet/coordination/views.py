"""Pages of case coordination, under /coordination/.

Every view needs a logged-in user with a second-factor-verified session (the vault's guard,
``evidence.views.vault_view``: strict CSP, no caching). What the actor may not read answers
404 exactly like a missing page. Views parse input, call one selector or service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.coordination import (
    jit_acting,
    jit_documents,
    jit_parties,
    jits,
    questions,
    requests,
    selectors,
    services,
)
from cicnet.coordination.forms import (
    AnswerForm,
    CaseForm,
    PersonForm,
    QuestionForm,
    RequestForm,
    ShareForm,
    TeamActionForm,
    TeamForm,
)
from cicnet.errors import UserInputError, form_error, form_submit
from cicnet.evidence.views import vault_view
from cicnet.law.crimes import crime
from cicnet.vocabularies import vocabulary


def _actor(request: HttpRequest) -> policy.Actor:
    actor = request_actor(request)
    if not policy.can_use_coordination(actor):
        raise Http404("nothing here for you")
    return actor


@require_GET
@vault_view
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "coordination/home.html",
        {
            "cases": selectors.cases_for(actor=actor),
            "hits": selectors.hits_for(actor=actor),
            "authorities": selectors.authorities_for(actor=actor),
            "can_view_statistics": policy.can_view_crosscheck_statistics(actor),
        },
    )


@require_http_methods(["GET", "POST"])
@vault_view
def case_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authorities = selectors.authorities_for(actor=actor)
    if not authorities.exists():
        raise Http404("you act for no national authority")
    form = CaseForm(request.POST or None, authorities=authorities)
    if request.method == "POST":
        case = form_submit(
            form, lambda: services.case_register(actor=actor, data=form.data_object())
        )
        if case is not None:
            messages.success(request, f"Case {case.uid} registered.")
            return redirect("coordination-case", uid=case.uid)
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/case_new.html", {"form": form}, status=status)


def _case_page(
    request: HttpRequest,
    actor: policy.Actor,
    view: selectors.CaseView,
    person_form: PersonForm,
    status: int = 200,
) -> HttpResponse:
    orgs, sessions = selectors.share_targets(actor=actor, case=view.case)
    crimes = [(c, crime(c)) for c in view.case.crimes]
    return render(
        request,
        "coordination/case.html",
        {
            "view": view,
            "case": view.case,
            "crimes": crimes,
            "stage": vocabulary("coordination", "case_stages").label(view.case.stage),
            "person_form": person_form,
            "share_orgs": orgs,
            "share_sessions": sessions,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@vault_view
def case_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    view = selectors.case_get(actor=actor, uid=uid)
    if view is None:
        raise Http404("no such case")
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if not view.is_owner:
            raise Http404("no such case")
        added = form_submit(
            form, lambda: services.person_add(actor=actor, case=view.case, data=form.data_object())
        )
        if added is not None:
            hits = added[1]
            found = f" {len(hits)} candidate hit(s) found." if hits else " No hit."
            messages.success(request, "Person added and cross-checked." + found)
            return redirect("coordination-case", uid=uid)
        return _case_page(request, actor, view, form, status=400)
    return _case_page(request, actor, view, form)


@require_POST
@vault_view
def case_share(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    view = selectors.case_get(actor=actor, uid=uid)
    if view is None or not view.is_owner:
        raise Http404("no such case")
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Share with: pick one authority or one closed session.")
        return redirect("coordination-case", uid=uid)
    try:
        services.case_share(
            actor=actor,
            case=view.case,
            organisation_id=form.cleaned_data["organisation"],
            session_id=form.cleaned_data["session"],
        )
    except UserInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Case summary shared.")
    return redirect("coordination-case", uid=uid)


@require_GET
@vault_view
def hit_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "coordination/hits.html", {"rows": selectors.hits_for(actor=actor)})


@require_GET
@vault_view
def hit_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    row = selectors.hit_get(actor=actor, uid=uid)
    if row is None:
        raise Http404("no such hit")
    return render(request, "coordination/hit.html", {"row": row})


@require_POST
@vault_view
def hit_reveal(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    hit = selectors.hit_for_write(actor=actor, uid=uid)
    if hit is None:
        raise Http404("no such hit")
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Reveal: tick the box to confirm that you reveal your record.")
        return redirect("coordination-hit", uid=uid)
    try:
        services.hit_reveal(actor=actor, hit=hit)
    except UserInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your record is now visible to the other authority.")
    return redirect("coordination-hit", uid=uid)


@require_GET
@vault_view
def check_log(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request, "coordination/log.html", {"entries": selectors.check_log_for(actor=actor)}
    )


@require_GET
@vault_view
def statistics(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    stats = selectors.statistics(actor=actor)
    if stats is None:
        raise Http404("no statistics for you")
    return render(
        request,
        "coordination/statistics.html",
        {"stats": stats, "requests": requests.request_statistics(actor=actor)},
    )


def _questions_actor(request: HttpRequest) -> policy.Actor:
    actor = request_actor(request)
    if not actor.network_ids:
        raise Http404("nothing here for you")
    return actor


@require_GET
@vault_view
def question_list(request: HttpRequest) -> HttpResponse:
    """Open questions addressed to the actor and the knowledge base (answered ones), searchable."""
    actor = _questions_actor(request)
    q = request.GET.get("q", "")[:200]
    return render(
        request,
        "coordination/questions.html",
        {
            "open": questions.questions_for(actor=actor, answered=False),
            "answered": questions.questions_for(actor=actor, q=q, answered=True),
            "q": q,
            "can_ask": bool(questions.networks_to_ask(actor=actor)),
        },
    )


@require_http_methods(["GET", "POST"])
@vault_view
def question_new(request: HttpRequest) -> HttpResponse:
    actor = _questions_actor(request)
    networks = questions.networks_to_ask(actor=actor)
    if not networks:
        raise Http404("you may not ask")
    form = QuestionForm(request.POST or None, networks=networks)
    if request.method == "POST":
        question = form_submit(
            form, lambda: questions.question_ask(actor=actor, data=form.data_object())
        )
        if question is not None:
            messages.success(request, "Question sent.")
            return redirect("coordination-question", uid=question.uid)
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/question_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@vault_view
def question_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _questions_actor(request)
    question = questions.question_get(actor=actor, uid=uid)
    if question is None:
        raise Http404("no such question")
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                questions.answer_post(
                    actor=actor,
                    question=question,
                    body=form.cleaned_data["body"],
                    cites=form.cleaned_data["cites"].splitlines(),
                    parent_id=form.cleaned_data["parent"],
                )
            except UserInputError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Answer posted.")
                return redirect("coordination-question", uid=uid)
        status = 400
    return render(
        request,
        "coordination/question.html",
        {
            "question": question,
            "answers": questions.answers_of(actor=actor, question=question),
            "form": form,
            "can_answer": policy.can_answer(actor, question),
            "can_mark_answered": policy.can_mark_answered(actor, question),
            "countries": [c for c in question.countries.split(",") if c],
        },
        status=status,
    )


@require_POST
@vault_view
def question_answered(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _questions_actor(request)
    question = questions.question_get(actor=actor, uid=uid)
    if question is None or not policy.can_mark_answered(actor, question):
        raise Http404("no such question")
    questions.question_mark_answered(actor=actor, question=question)
    messages.success(request, "Marked answered: it is now in the knowledge base.")
    return redirect("coordination-question", uid=uid)


@require_http_methods(["GET", "POST"])
@vault_view
def jit_list(request: HttpRequest) -> HttpResponse:
    """The teams the actor's organisations are members of; national authorities create one."""
    actor = request_actor(request)
    teams = jits.jits_for(actor=actor)
    can_create = policy.can_create_jit(actor)
    if not can_create and not teams.exists():
        raise Http404("nothing here for you")
    form = TeamForm(request.POST or None, candidates=jits.member_candidates(actor=actor))
    if request.method == "POST":
        if not can_create:
            raise Http404("nothing here for you")
        team = form_submit(form, lambda: jits.jit_create(actor=actor, data=form.data_object()))
        if team is not None:
            messages.success(request, f"Team {team.uid} created.")
            return redirect("coordination-jit", uid=team.uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/jits.html",
        {"teams": teams, "form": form, "can_create": can_create},
        status=status,
    )


def _team_action(actor: policy.Actor, team: Any, form: TeamActionForm) -> str:
    c = form.cleaned_data
    action = c["action"]
    if action == "extend":
        if c["new_expiry"] is None:
            raise UserInputError(
                "New end: give the date the agreement now ends.", field="new_expiry"
            )
        jits.jit_extend(actor=actor, team=team, new_expiry=c["new_expiry"], note=c["note"] or "")
        return "Extension recorded."
    if action == "task":
        jits.task_add(
            actor=actor,
            team=team,
            title=c["title"] or "",
            assignee_id=c["assignee"] or 0,
            due=c["due"],
        )
        return "Task added."
    if action == "done":
        jits.task_done(actor=actor, team=team, task_id=c["task"] or 0)
        return "Task done."
    jits.item_share(
        actor=actor, team=team, submission_uid=c["submission"] or "", item_uid=c["item"] or ""
    )
    return "Item shared into the team; its custody log records it."


@require_http_methods(["GET", "POST"])
@vault_view
def jit_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = request_actor(request)
    team = jits.jit_get(actor=actor, uid=uid)
    if team is None:
        raise Http404("no such team")
    if request.method == "POST":
        form = TeamActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Action: the form was incomplete; fill in the fields named.")
        else:
            try:
                messages.success(request, _team_action(actor, team, form))
            except UserInputError as exc:
                messages.error(request, exc.message)
        return redirect("coordination-jit", uid=uid)
    members = jits.team_members(actor=actor, team=team)  # active and withdrawn: the history
    amendments = jit_parties.team_amendments(actor=actor, team=team)
    acting = (
        jit_acting.acting_choices(actor=actor, team=team, parties_only=True) if amendments else []
    )
    return render(
        request,
        "coordination/jit.html",
        {
            "team": team,
            "members": [m for m in members if m.is_active],
            "former": [m for m in members if not m.is_active],
            "amendments": amendments,
            # A contact point of two or more parties says which one answers (jit_acting).
            "acting_parties": acting if len(acting) > 1 else [],
            "can_propose": policy.can_propose_jit_member(actor, team),
            "can_withdraw": policy.can_withdraw_from_jit(actor, team),
            "extensions": jits.team_extensions(actor=actor, team=team),
            "tasks": jits.team_tasks(actor=actor, team=team),
            "documents": jit_documents.team_documents(actor=actor, team=team),
            "items": jits.team_items(actor=actor, team=team),
        },
    )


@require_http_methods(["GET", "POST"])
@vault_view
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests for assistance and extradition of the actor's authorities (and, for a
    Secretariat, those shared with it)."""
    actor = request_actor(request)
    rows = requests.requests_for(actor=actor)
    senders = selectors.authorities_for(actor=actor)
    if not senders.exists() and not rows.exists():
        raise Http404("nothing here for you")
    form = RequestForm(
        request.POST or None, senders=senders, recipients=requests.recipients_for(actor=actor)
    )
    if request.method == "POST":
        if not senders.exists():
            raise Http404("nothing here for you")
        created = form_submit(
            form, lambda: requests.request_record(actor=actor, data=form.data_object())
        )
        if created is not None:
            messages.success(request, "Request recorded.")
            return redirect("coordination-request", uid=created.uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/requests.html",
        {"rows": rows, "form": form, "can_record": senders.exists()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@vault_view
def request_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = request_actor(request)
    row = requests.request_get(actor=actor, uid=uid)
    if row is None:
        raise Http404("no such request")
    if request.method == "POST":
        if policy.request_side(actor, row) is None:
            raise Http404("no such request")
        try:
            if "share" in request.POST:
                requests.request_share(
                    actor=actor, request=row, shared=request.POST["share"] == "yes"
                )
            else:
                requests.request_move(actor=actor, request=row, to=request.POST.get("to", ""))
        except UserInputError as exc:
            messages.error(request, exc.message)
        return redirect("coordination-request", uid=uid)
    return render(
        request,
        "coordination/request.html",
        {
            "row": row,
            "side": policy.request_side(actor, row),
            "moves": requests.moves_for(actor=actor, request=row),
        },
    )
