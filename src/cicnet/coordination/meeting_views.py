"""Pages of the ad hoc coordination meetings, under /coordination/meetings/.

A national authority's contact point asks its network's Secretariat for a meeting and follows
its request; the Secretariat reads the requests and accepts (scheduling the meeting) or
declines with a reason. Everyone else gets 404. Behind the vault's guard like every
coordination page; views parse input, call one service or selector of ``meeting_requests``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.coordination import meeting_requests
from cicnet.coordination.forms import MeetingDecisionForm, MeetingRequestForm
from cicnet.errors import UserInputError, form_error, form_submit
from cicnet.evidence.views import vault_view


def _request_form(actor: policy.Actor, data: object = None) -> MeetingRequestForm:
    return MeetingRequestForm(
        data,
        requesters=meeting_requests.requesters_for(actor=actor),
        candidates=meeting_requests.concerned_candidates(actor=actor),
        cases=[c.uid for c in meeting_requests.cases_to_name(actor=actor)],
    )


@require_http_methods(["GET", "POST"])
@vault_view
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The actor's requests (a Secretariat: its networks'); a contact point asks for one."""
    actor = request_actor(request)
    rows = meeting_requests.requests_for(actor=actor)
    can_request = meeting_requests.requesters_for(actor=actor).exists()
    if not can_request and not policy.can_receive_meeting_requests(actor):
        raise Http404("nothing here for you")
    form = _request_form(actor, request.POST or None)
    if request.method == "POST":
        if not can_request:
            raise Http404("nothing here for you")
        created = form_submit(
            form, lambda: meeting_requests.meeting_request(actor=actor, data=form.data_object())
        )
        if created is not None:
            messages.success(request, "Request sent to the network's Secretariat.")
            return redirect("coordination-meeting", uid=created.uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/meetings.html",
        {"rows": rows, "form": form, "can_request": can_request},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@vault_view
def meeting_detail(request: HttpRequest, uid: str) -> HttpResponse:
    """A request and its status; the Secretariat decides on it here."""
    actor = request_actor(request)
    row = meeting_requests.request_get(actor=actor, uid=uid)
    if row is None:
        raise Http404("no such request")
    can_decide = policy.can_decide_meeting_request(actor, row)
    initial = {
        "decision": "accept",
        "number": meeting_requests.meeting_number_offer(network_id=row.network_id),
        "title": "Ad hoc coordination meeting",
    }
    form = MeetingDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_decide:
            raise Http404("no such request")
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    meeting_requests.meeting_request_accept(
                        actor=actor, request=row, data=form.schedule_data()
                    )
                    messages.success(request, "Meeting scheduled; the invitees are on its list.")
                else:
                    meeting_requests.meeting_request_decline(
                        actor=actor, request=row, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, "Request declined; the requester reads why.")
            except UserInputError as exc:
                form_error(form, exc)
            else:
                return redirect("coordination-meeting", uid=uid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/meeting.html",
        {
            "row": row,
            "concerned": meeting_requests.concerned_of(actor=actor, request=row),
            "scheduled": meeting_requests.scheduled_meeting_of(actor=actor, request=row),
            "form": form,
            "can_decide": can_decide,
        },
        status=status,
    )
