"""Pages of the knowledge app: universal jurisdiction by country (/knowledge/countries/…), the
survivors' guides (/guides/…, no login), the network's knowledge (publications, meeting
conclusions, EU Day Against Impunity) and the calendar feeds (/knowledge/calendar…).

Views parse the request, call one selector or service and render; every count and every contact
they show comes from the selectors, which read through the policy."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicnet.access import policy
from cicnet.access.context import request_actor
from cicnet.errors import ActionDenied, UserInputError
from cicnet.knowledge import catalogue, guides, selectors, services
from cicnet.knowledge.ical import calendar_feed
from cicnet.knowledge.jurisdiction import conditions
from cicnet.vocabularies import vocabulary

MAX_Q_LENGTH = 200


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/home.html",
        {"section": "home", "guides": guides.guides(), "countries": selectors.known_countries()},
    )


@require_GET
def countries(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request,
        "knowledge/countries.html",
        {
            "section": "countries",
            "rows": selectors.countries_index(actor=actor),
            "conditions": conditions(),
        },
    )


@require_GET
def country(request: HttpRequest, country: str) -> HttpResponse:
    actor = request_actor(request)
    try:
        code = selectors.parse_country(country)
    except UserInputError as exc:
        return _error(request, exc, status=400)
    if code != country:
        return redirect("knowledge-country", country=code)
    profile = selectors.country_profile(actor=actor, country=code)
    if profile is None:
        raise Http404("cicnet records nothing about this country")
    return render(request, "knowledge/country.html", {"section": "countries", "p": profile})


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    try:
        comparison = selectors.countries_compare(actor=actor, countries=request.GET.getlist("c"))
    except UserInputError as exc:
        return _error(request, exc, status=400)
    return render(request, "knowledge/compare.html", {"section": "countries", "cmp": comparison})


# --- survivors' guides (public, no login) ------------------------------------------------------


@require_GET
def guides_index(request: HttpRequest) -> HttpResponse:
    entries = []
    for slug, versions in guides.guides().items():
        original = versions[guides.ORIGINAL_LANGUAGE]
        entries.append(
            {
                "original": original,
                "versions": [
                    versions[lang.code]
                    for lang in guides.guide_languages()
                    if lang.code in versions
                ],
                "missing": guides.missing_languages(slug),
            }
        )
    return render(
        request,
        "knowledge/guides.html",
        {
            "section": "guides",
            "entries": entries,
            "countries": selectors.sourced_countries(),
        },
    )


@require_GET
def guide(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    version = guides.guide_version(slug, lang)
    if version is None:
        raise Http404("no such guide in this language")
    source, organisations = catalogue.support_organisations()
    versions = guides.guides()[slug]
    return render(
        request,
        "knowledge/guide.html",
        {
            "section": "guides",
            "g": version,
            "label": guides.written_by_label(version),
            "versions": [
                versions[lang.code] for lang in guides.guide_languages() if lang.code in versions
            ],
            "missing": guides.missing_languages(slug),
            "organisations": organisations,
            "organisations_source": source,
            "countries": selectors.sourced_countries(),
        },
    )


@require_GET
def guide_country(request: HttpRequest, country: str) -> HttpResponse:
    """Seeking justice in one country: the sourced facts that matter to a survivor, in plain
    order, with the specialised units and the support organisations."""
    try:
        code = selectors.parse_country(country)
    except UserInputError as exc:
        return _error(request, exc, status=400)
    profile = selectors.country_profile(actor=policy.ANONYMOUS, country=code)
    if profile is None or profile.jurisdiction is None:
        raise Http404("no sourced facts for this country yet")
    source, organisations = catalogue.support_organisations()
    return render(
        request,
        "knowledge/guide_country.html",
        {
            "section": "guides",
            "p": profile,
            "organisations": organisations,
            "organisations_source": source,
            "guide_versions": list(guides.guides().get("seeking-justice", {}).values()),
        },
    )


# --- the network's knowledge -------------------------------------------------------------------


@require_GET
def publications(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    kinds = vocabulary("network", "document_kinds")
    if kind and kind not in kinds:
        return _error(
            request,
            UserInputError(f"kind: {kind!r} is not one of {', '.join(kinds.ids())}.", field="kind"),
            status=400,
        )
    if len(q) > MAX_Q_LENGTH:
        return _error(
            request,
            UserInputError(f"q: at most {MAX_Q_LENGTH} characters; shorten it.", field="q"),
            status=400,
        )
    return render(
        request,
        "knowledge/publications.html",
        {
            "section": "publications",
            "items": catalogue.publications_filtered(kind=kind, q=q),
            "kinds": kinds.choices(),
            "kind": kind,
            "q": q,
        },
    )


@require_GET
def conclusions(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request,
        "knowledge/conclusions.html",
        {"section": "conclusions", "page": selectors.conclusions_page(actor=actor)},
    )


@require_GET
def eu_day(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/eu_day.html",
        {"section": "eu-day", "editions": catalogue.eu_day_editions()},
    )


# --- calendar feeds ------------------------------------------------------------------------------


def _ics(request: HttpRequest, actor: policy.Actor, name: str, *, private: bool) -> HttpResponse:
    body = calendar_feed(
        actor=actor,
        today=timezone.localdate(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        name=name,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cicnet.ics"'
    # A private feed's address is a secret: no shared cache may keep it, whatever it holds.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    return response


@require_GET
def calendar_public(request: HttpRequest) -> HttpResponse:
    """The public feed: what an anonymous visitor may see, whoever fetches it."""
    return _ics(request, policy.ANONYMOUS, "cicnet (public)", private=False)


@require_GET
def calendar_private(request: HttpRequest, token: str) -> HttpResponse:
    owner = services.calendar_feed_owner(token=token)
    if owner is None:
        raise Http404("no such feed")
    return _ics(request, owner, "cicnet (private)", private=True)


@require_http_methods(["GET", "POST"])
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not policy.can_hold_calendar_feed(actor):
        return redirect(f"/accounts/login/?next={request.path}")
    new_url = ""
    error = ""
    status = 200
    if request.method == "POST":
        try:
            created = services.calendar_feed_create(
                actor=actor, label=request.POST.get("label", "")
            )
        except UserInputError as exc:
            error = exc.message
            status = 400
        else:
            new_url = request.build_absolute_uri(f"/knowledge/calendar/{created.token}.ics")
    return render(
        request,
        "knowledge/calendar_feeds.html",
        {
            "section": "calendar",
            "feeds": selectors.calendar_feeds_of(actor=actor),
            "new_url": new_url,
            "error": error,
            "public_url": request.build_absolute_uri("/knowledge/calendar.ics"),
        },
        status=status,
    )


@require_POST
def calendar_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        services.calendar_feed_revoke(actor=actor, feed_id=feed_id)
    except ActionDenied:
        raise Http404("no such feed") from None
    messages.success(request, "Feed revoked: calendar programs using its address get nothing more.")
    return redirect("knowledge-calendar-feeds")


def _error(request: HttpRequest, exc: UserInputError, *, status: int) -> HttpResponse:
    return render(request, "knowledge/error.html", {"error": exc.message}, status=status)
