"""HTML pages: search, browse, the decision reader, downloads and curation.

Views parse input, call one selector or service with the request's actor, and render. A decision
the actor may not see answers 404 exactly like a missing one, on every URL; curation pages answer
404 to everyone but curators, so they are not revealed either.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.citations import selectors as citation_selectors
from cicnet.errors import form_error
from cicnet.jurisprudence import selectors
from cicnet.jurisprudence.forms import BrowseForm, DecisionEditForm
from cicnet.jurisprudence.listing import decisions_browse
from cicnet.jurisprudence.models import Decision, Paragraph, Text
from cicnet.jurisprudence.services import (
    CurationDenied,
    CurationError,
    decision_transition,
    decision_update,
    text_mark_proofread,
    transitions_from,
)
from cicnet.law.crimes import collapse
from cicnet.search.labels import facet_label
from cicnet.search.params import (
    MAX_Q_LENGTH,
    SORT_LABELS,
    params_from_querydict,
    params_querystring,
    params_replace,
    params_with_filter_toggled,
)
from cicnet.search.types import FACETS, FacetValue, QueryError, SearchPage, SearchParams
from cicnet.server.downloads import file_attachment, open_stored_file

SEARCH_PAGE_SIZE = 10  # short pages read well on a phone (docs/decisions/0097)
BROWSE_PAGE_SIZE = 25
WITHIN_PAGE_SIZE = 50
FACET_SHOWN = 8  # values shown before "more"

FACET_LABELS: dict[str, str] = {
    "country": "Country",
    "court": "Court",
    "year": "Year",
    "crime_group": "Crime category",
    "crime": "Crime",
    "provision": "National provision",
    "situation": "Situation",
    "outcome": "Outcome",
    "instance": "Instance",
    "language": "Language of the text",
    "terrorism": "Terrorism charged cumulatively",
    "has_text": "Text of the decision",
}


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request for a page's region. Not a boosted link, and not htmx restoring a page
    missing from its history cache after Back: that one swaps in the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _search_decisions(*, actor: policy.Actor, params: SearchParams) -> SearchPage:
    # Imported here so the pages load even while the search app is being rebuilt around them.
    from cicnet.search.services import search_decisions

    return search_decisions(actor=actor, params=params)


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # the search with this value toggled


@dataclass(frozen=True)
class FacetBlock:
    name: str
    label: str
    options: tuple[FacetOption, ...]

    @property
    def shown(self) -> tuple[FacetOption, ...]:
        return self.options[:FACET_SHOWN]

    @property
    def more(self) -> tuple[FacetOption, ...]:
        return self.options[FACET_SHOWN:]

    @property
    def any_selected_in_more(self) -> bool:
        return any(o.selected for o in self.more)


def _url(path: str, params: SearchParams) -> str:
    qs = params_querystring(params, include_page_size=False)
    return f"{path}?{qs}" if qs else path


def _facet_blocks(
    path: str, params: SearchParams, facets: dict[str, tuple[FacetValue, ...]]
) -> list[FacetBlock]:
    blocks = []
    for name in FACETS:
        if name == "year":
            continue  # shown as a range with its own block
        values = list(facets.get(name, ()))
        selected = params.filters.get(name, ())
        known = {v.value for v in values}
        # A selected value always stays visible (and unticks), even when nothing matches now.
        values += [
            FacetValue(value=v, label=facet_label(name, v), count=0)
            for v in selected
            if v not in known
        ]
        values.sort(key=lambda v: (v.value not in selected, -v.count, v.label))
        options = tuple(
            FacetOption(
                value=v.value,
                label=v.label,
                count=v.count,
                selected=v.value in selected,
                url=_url(path, params_with_filter_toggled(params, name, v.value)),
            )
            for v in values
        )
        if options:
            blocks.append(
                FacetBlock(name=name, label=FACET_LABELS.get(name, name), options=options)
            )
    return blocks


def _year_options(
    path: str, params: SearchParams, facets: dict[str, tuple[FacetValue, ...]]
) -> list[FacetOption]:
    out = []
    for v in sorted(facets.get("year", ()), key=lambda v: v.value, reverse=True):
        try:
            year = int(v.value)
        except ValueError:
            continue
        selected = params.year_from == year and params.year_to == year
        target = params_replace(
            params, year_from=None if selected else year, year_to=None if selected else year, page=1
        )
        out.append(FacetOption(v.value, v.label, v.count, selected, _url(path, target)))
    return out


def _active_filters(
    path: str, params: SearchParams, blocks: list[FacetBlock]
) -> list[dict[str, str]]:
    labels = {(b.name, o.value): o.label for b in blocks for o in b.options}
    chips = []
    for name in FACETS:
        for value in params.filters.get(name, ()):
            chips.append(
                {
                    "facet": FACET_LABELS.get(name, name),
                    "label": labels.get((name, value)) or facet_label(name, value),
                    "url": _url(path, params_with_filter_toggled(params, name, value)),
                }
            )
    if params.year_from is not None or params.year_to is not None:
        lo, hi = params.year_from, params.year_to
        # An en dash is the typographic sign for a range.
        label = str(lo) if lo == hi else f"{lo or '…'}–{hi or '…'}"  # noqa: RUF001
        chips.append(
            {
                "facet": "Year",
                "label": label,
                "url": _url(path, params_replace(params, year_from=None, year_to=None, page=1)),
            }
        )
    return chips


def _pages(path: str, params: SearchParams, count: int) -> dict[str, Any]:
    paginator = Paginator(range(count), params.page_size)
    total = paginator.num_pages
    current = min(params.page, total)
    # 1 2 … 7 8 [9] 10 11 … 19 20: the first and last pages stay one click away.
    window = paginator.get_elided_page_range(current, on_each_side=2, on_ends=1)
    return {
        "number": current,
        "total": total,
        "previous": _url(path, params_replace(params, page=current - 1)) if current > 1 else "",
        "next": _url(path, params_replace(params, page=current + 1)) if current < total else "",
        "window": [
            (n, _url(path, params_replace(params, page=n)) if isinstance(n, int) else "")
            for n in window
        ],
        "first": (current - 1) * params.page_size + 1 if count else 0,
        "last": min(count, current * params.page_size),
        # A page past the end (an old link, a hand-edited URL) says so and links the last page,
        # instead of "no decisions match" under a count of matches.
        "past_end": params.page if count and params.page > total else 0,
        "last_page_url": _url(path, params_replace(params, page=total)),
    }


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search page: query box, facets, results. With htmx only the results region is sent;
    without JavaScript every state is the same URL rendered in full."""
    actor = request_actor(request)
    path = request.path
    error: QueryError | None = None
    try:
        params = params_from_querydict(request.GET, page_size=SEARCH_PAGE_SIZE)
    except QueryError as exc:
        error = exc
        params = SearchParams(
            q=(request.GET.get("q") or "")[:MAX_Q_LENGTH], page_size=SEARCH_PAGE_SIZE
        )
    result: SearchPage | None = None
    if error is None:
        try:
            result = _search_decisions(actor=actor, params=params)
        except QueryError as exc:
            error = exc
    facets = result.facets if result else {}
    blocks = _facet_blocks(path, params, facets)
    hits = result.hits if result else ()
    badges = selectors.decision_badges(actor=actor, uids=[h.uid for h in hits]) if hits else {}
    export_qs = params_querystring(params, include_page=False, include_page_size=False)
    context = {
        "params": params,
        "result": result,
        "rows": [(hit, badges.get(hit.uid)) for hit in hits],
        "error": error,
        "facet_blocks": blocks,
        "year_options": _year_options(path, params, facets),
        "active_filters": _active_filters(path, params, blocks),
        "pages": _pages(path, params, result.count) if result else None,
        "sort_labels": SORT_LABELS,
        "export_csv": "/api/v1/search/export.csv" + (f"?{export_qs}" if export_qs else ""),
        "export_jsonl": "/api/v1/search/export.jsonl" + (f"?{export_qs}" if export_qs else ""),
        "clear_url": path,
        "htmx": _is_htmx(request),
    }
    template = (
        "jurisprudence/search/_region.html"
        if _is_htmx(request)
        else "jurisprudence/search/page.html"
    )
    response = render(request, template, context)
    # One URL, two bodies (the page, or its region for htmx): a Back to a URL htmx pushed must
    # never be served the region from the browser's cache.
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


# --- browse ---------------------------------------------------------------------------------


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """All decisions the actor may see, newest first, with simple filters."""
    actor = request_actor(request)
    curator = policy.can_curate(actor)
    form = BrowseForm(request.GET or None, curator=curator)
    decisions = decisions_browse(actor=actor, filters=form.filters())
    page = Paginator(decisions, BROWSE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jurisprudence/browse.html",
        {
            "form": form,
            "page": page,
            "curator": curator,
            "filter_qs": query.urlencode(),
        },
    )


# --- the reader -----------------------------------------------------------------------------


def _visible_decision(request: HttpRequest, uid: str, *, with_texts: bool = True) -> Decision:
    decision = selectors.decision_get(actor=request_actor(request), uid=uid, with_texts=with_texts)
    if decision is None:
        raise Http404("No such decision.")
    return decision


@dataclass(frozen=True)
class AlignedRow:
    number: int
    left: Paragraph | None
    right: Paragraph | None


def _aligned(left: Text, right: Text) -> list[AlignedRow]:
    lp = {p.number: p for p in left.paragraphs.all()}
    rp = {p.number: p for p in right.paragraphs.all()}
    return [AlignedRow(n, lp.get(n), rp.get(n)) for n in sorted(lp.keys() | rp.keys())]


def _reading_layout(texts: list[Text], view: str) -> dict[str, Any]:
    """Which texts to show and how: side by side (an original and a translation, English
    preferred) or one text at a time (``?view=<lang>``)."""
    original = next((t for t in texts if t.is_original), None)
    translations = [t for t in texts if not t.is_original]
    translation = next((t for t in translations if t.language == "en"), None) or (
        translations[0] if translations else None
    )
    chosen = next((t for t in texts if t.language == view), None)
    if chosen is not None:
        return {
            "mode": "single",
            "texts": [chosen],
            "original": original,
            "translation": translation,
        }
    if original is not None and translation is not None:
        rest = [t for t in texts if t not in (original, translation)]
        return {
            "mode": "pair",
            "rows": _aligned(original, translation),
            "original": original,
            "translation": translation,
            "texts": rest,
        }
    return {"mode": "single", "texts": texts, "original": original, "translation": translation}


@dataclass(frozen=True)
class _CrimeLine:
    crime_id: str
    derived: bool


def _crimes_for_display(decision: Decision) -> list[_CrimeLine]:
    """Charged crimes, then those derived from cited provisions, each list collapsed to generic
    entries where a provision covers a whole article or paragraph (law.crimes.collapse)."""
    rows = list(decision.crimes.all())
    charged = sorted(c.crime_id for c in rows if not c.derived)
    derived = sorted(c.crime_id for c in rows if c.derived)
    lines = [_CrimeLine(cid, False) for cid in charged]
    # Charged crimes count towards a complete set: charged torture plus a provision covering
    # the rest of article 7 shows as torture, then article 7 (derived).
    lines += [_CrimeLine(cid, True) for cid in collapse(charged + derived) if cid not in charged]
    return lines


@require_GET
def decision_detail(request: HttpRequest, uid: str) -> HttpResponse:
    actor = request_actor(request)
    decision = _visible_decision(request, uid)
    texts = list(decision.texts.all())
    view = request.GET.get("view", "")
    context = {
        "decision": decision,
        "texts": texts,
        # One badge for the decision: complete if any text is, else what the excerpt holds.
        "text_badge": next(
            (t for t in texts if not t.is_excerpt), next((t for t in texts if t.is_excerpt), None)
        ),
        "layout": _reading_layout(texts, view),
        "view": view,
        "crimes": _crimes_for_display(decision),
        "provisions": list(decision.provisions.all()),
        "siblings": selectors.proceedings_siblings(actor=actor, decision=decision),
        "citations": citation_selectors.citations_of(actor=actor, decision=decision),
        "cited_by": citation_selectors.cited_by(actor=actor, decision=decision),
        "transitions": transitions_from(decision.state) if policy.can_curate(actor) else (),
        "anonymisation_status": _anonymisation_status(actor, decision),
        "anonymisation_notes": _anonymisation_notes(actor, texts),
        **_meaning(actor, decision, texts),
    }
    return render(request, "jurisprudence/decision/page.html", context)


def _meaning(actor: policy.Actor, decision: Decision, texts: list[Text]) -> dict[str, Any]:
    """Similar decisions (across languages) and whether the texts are embedded yet."""
    from cicnet.search.services import embedding_state, similar_decisions

    if not texts:
        return {"embedding": "none", "similar_decisions": None}
    state = embedding_state(decision.id, texts)
    similar = similar_decisions(actor=actor, uid=decision.uid, limit=5) if state != "off" else None
    return {"embedding": state, "similar_decisions": similar}


@require_GET
def decision_similar_paragraphs(
    request: HttpRequest, uid: str, lang: str, number: int
) -> HttpResponse:
    """Paragraphs of other decisions close in meaning to one paragraph, in any language (htmx
    fills the reader's panel; without JS a page of its own). Only decisions the actor may read."""
    from cicnet.search.services import similar_for_paragraph

    actor = request_actor(request)
    decision = _visible_decision(request, uid, with_texts=False)
    reason, similar = similar_for_paragraph(
        actor=actor, decision=decision, language=lang, number=number
    )
    if reason == "missing":
        raise Http404("No such paragraph.")
    context = {
        "decision": decision,
        "lang": lang,
        "number": number,
        "similar": similar,
        "reason": reason,
    }
    template = (
        "jurisprudence/decision/_similar.html"
        if _is_htmx(request)
        else "jurisprudence/decision/similar.html"
    )
    return render(request, template, context)


def _anonymisation_notes(actor: policy.Actor, texts: list[Text]) -> list[Any]:
    """How each text was anonymised, for readers below the Secretariat (who read originals)."""
    if policy.can_read_original(actor):
        return []
    from cicnet.anonymisation.selectors import anonymisation_notes

    return anonymisation_notes(texts)


def _anonymisation_status(actor: policy.Actor, decision: Decision) -> str:
    if not policy.can_review_anonymisation(actor):
        return ""
    from cicnet.anonymisation.review import status_label  # the app imports jurisprudence models

    return status_label(decision)


@require_GET
def decision_search_within(request: HttpRequest, uid: str) -> HttpResponse:
    """Search inside one decision (htmx fills the reader's box; without JS a page of its own)."""
    actor = request_actor(request)
    decision = _visible_decision(request, uid, with_texts=False)
    error: QueryError | None = None
    hit = None
    q = (request.GET.get("q") or "").strip()
    if q:
        try:
            params = params_replace(
                params_from_querydict(request.GET, page_size=WITHIN_PAGE_SIZE),
                decision_uid=decision.uid,
                with_facets=False,
                page=1,
                filters={},
                year_from=None,
                year_to=None,
            )
            result = _search_decisions(actor=actor, params=params)
            hit = next((h for h in result.hits if h.uid == decision.uid), None)
        except QueryError as exc:
            error = exc
    context = {"decision": decision, "q": q, "hit": hit, "error": error}
    template = (
        "jurisprudence/decision/_within.html"
        if _is_htmx(request)
        else "jurisprudence/decision/within.html"
    )
    return render(request, template, context)


@require_GET
def decision_json(request: HttpRequest, uid: str) -> HttpResponse:
    from cicnet.jurisprudence.exports import decision_as_dict  # built by the API work

    actor = request_actor(request)
    decision = _visible_decision(request, uid)
    response = JsonResponse(
        decision_as_dict(decision, actor=actor),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{decision.uid}.json"'
    return response


@require_GET
def decision_file(request: HttpRequest, uid: str, lang: str) -> FileResponse:
    """The stored source file of one language copy, as an attachment."""
    decision = _visible_decision(request, uid)
    if not policy.can_read_original(request_actor(request)):
        # the source file is the raw text; other tiers download the anonymised JSON instead
        raise Http404("The source file is available to the Secretariat only.")
    text = next((t for t in decision.texts.all() if t.language == lang), None)
    if text is None or not text.source_file:
        raise Http404("This decision has no stored file in that language.")
    handle = open_stored_file(text.source_file)
    if handle is None:
        raise Http404("The stored file is missing.")
    return file_attachment(handle, filename=text.source_filename or Path(text.source_file).name)


# --- curation -------------------------------------------------------------------------------


def _curator(request: HttpRequest) -> policy.Actor:
    actor = request_actor(request)
    if not policy.can_curate(actor):
        raise Http404("No such page.")
    return actor


@require_GET
def curation_queue(request: HttpRequest) -> HttpResponse:
    actor = _curator(request)
    page = Paginator(selectors.curation_queue(actor=actor), 50).get_page(request.GET.get("page"))
    return render(request, "jurisprudence/curation/queue.html", {"page": page})


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _curator(request)
    decision = _visible_decision(request, uid, with_texts=False)
    if request.method == "POST":
        form = DecisionEditForm(request.POST)
        if form.is_valid():
            try:
                decision_update(
                    actor=actor,
                    decision=decision,
                    changes=form.changes(),
                    expected_version=form.cleaned_data["version"],
                )
            except CurationError as exc:
                form_error(form, exc)  # the hidden version field's errors go on top
            except CurationDenied:
                raise Http404("No such page.") from None
            else:
                messages.success(request, "Changes saved.")
                return redirect(decision.get_absolute_url())
    else:
        form = DecisionEditForm(initial=DecisionEditForm.initial_for(decision))
    history = selectors.decision_history(actor=actor, decision=decision)
    return render(
        request,
        "jurisprudence/curation/edit.html",
        {
            "decision": decision,
            "form": form,
            "history": history,
            "transitions": transitions_from(decision.state),
        },
    )


@require_POST
def decision_state(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _curator(request)
    decision = _visible_decision(request, uid)
    to_state = request.POST.get("to_state", "")
    allowed = [t.to_state for t in transitions_from(decision.state)]
    asks = to_state == "published" and to_state in allowed
    if asks and request.POST.get("confirm") != "yes":
        # Publishing asks first, saying what becomes visible and to whom.
        preview = selectors.publication_preview(actor=actor, decision=decision)
        return render(
            request,
            "jurisprudence/curation/publish_confirm.html",
            {"decision": decision, "preview": preview, "next": request.POST.get("next", "")},
        )
    try:
        decision = decision_transition(actor=actor, decision=decision, to_state=to_state)
    except CurationError as exc:
        messages.error(request, exc.message)
    except CurationDenied:
        raise Http404("No such page.") from None
    else:
        messages.success(request, f"Now '{decision.get_state_display()}'.")
    target = request.POST.get("next", "")
    return redirect(target if target in ("/curation/",) else decision.get_absolute_url())


@require_POST
def text_proofread(request: HttpRequest, uid: str, lang: str) -> HttpResponse:
    """A curator records that an OCR'd text was proofread against its scan."""
    actor = _curator(request)
    decision = _visible_decision(request, uid, with_texts=False)
    try:
        text_mark_proofread(actor=actor, decision=decision, language=lang)
    except CurationError as exc:
        messages.error(request, exc.message)
    except CurationDenied:
        raise Http404("No such page.") from None
    else:
        messages.success(request, "Marked as proofread.")
    return redirect(decision.get_absolute_url())
