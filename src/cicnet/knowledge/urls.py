"""HTML pages of the knowledge app: /knowledge/… and the survivors' guides under /guides/."""

from django.urls import path

from cicnet.knowledge import views

urlpatterns = [
    path("knowledge/", views.home, name="knowledge-home"),
    path("knowledge/countries/", views.countries, name="knowledge-countries"),
    path("knowledge/countries/compare/", views.compare, name="knowledge-compare"),
    path("knowledge/countries/<str:country>/", views.country, name="knowledge-country"),
    path("knowledge/publications/", views.publications, name="knowledge-publications"),
    path("knowledge/conclusions/", views.conclusions, name="knowledge-conclusions"),
    path("knowledge/eu-day/", views.eu_day, name="knowledge-eu-day"),
    path("knowledge/calendar.ics", views.calendar_public, name="knowledge-calendar-public"),
    path("knowledge/calendar/", views.calendar_feeds, name="knowledge-calendar-feeds"),
    path(
        "knowledge/calendar/<int:feed_id>/revoke/",
        views.calendar_feed_revoke,
        name="knowledge-calendar-revoke",
    ),
    path(
        "knowledge/calendar/<str:token>.ics",
        views.calendar_private,
        name="knowledge-calendar-private",
    ),
    path("guides/", views.guides_index, name="guides"),
    path("guides/countries/<str:country>/", views.guide_country, name="guide-country"),
    path("guides/<slug:slug>/<str:lang>/", views.guide, name="guide"),
]
