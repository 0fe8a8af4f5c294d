"""HTML pages of the jurisprudence database: search, browse, reader, downloads, curation."""

from django.urls import path

from cicnet.jurisprudence import views

urlpatterns = [
    path("", views.search, name="search"),
    path("search/", views.search, name="search-page"),
    path("decisions/", views.browse, name="browse"),
    path("decisions/<slug:uid>/", views.decision_detail, name="decision"),
    path("decisions/<slug:uid>.json", views.decision_json, name="decision-json"),
    path("decisions/<slug:uid>/search/", views.decision_search_within, name="decision-search"),
    path(
        "decisions/<slug:uid>/similar/<str:lang>/<int:number>/",
        views.decision_similar_paragraphs,
        name="decision-similar-paragraphs",
    ),
    path("decisions/<slug:uid>/files/<str:lang>", views.decision_file, name="decision-file"),
    path("decisions/<slug:uid>/edit/", views.decision_edit, name="decision-edit"),
    path("decisions/<slug:uid>/state/", views.decision_state, name="decision-state"),
    path(
        "decisions/<slug:uid>/texts/<str:lang>/proofread/",
        views.text_proofread,
        name="text-proofread",
    ),
    path("curation/", views.curation_queue, name="curation"),
]
