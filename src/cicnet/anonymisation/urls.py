"""The anonymisation workbench under /decisions/<uid>/anonymisation/."""

from django.urls import path

from . import views

urlpatterns = [
    path("anonymisation/", views.queue_page, name="anonymisation-queue"),
    path(
        "decisions/<slug:uid>/anonymisation/", views.workbench_page, name="anonymisation-workbench"
    ),
    path(
        "decisions/<slug:uid>/anonymisation/mention/",
        views.mention_status,
        name="anonymisation-mention",
    ),
    path(
        "decisions/<slug:uid>/anonymisation/entity/",
        views.entity_status,
        name="anonymisation-entity",
    ),
    path(
        "decisions/<slug:uid>/anonymisation/pseudonym/",
        views.pseudonym,
        name="anonymisation-pseudonym",
    ),
    path("decisions/<slug:uid>/anonymisation/merge/", views.merge, name="anonymisation-merge"),
    path("decisions/<slug:uid>/anonymisation/split/", views.split, name="anonymisation-split"),
    path("decisions/<slug:uid>/anonymisation/add/", views.add, name="anonymisation-add"),
    path(
        "decisions/<slug:uid>/anonymisation/policy/",
        views.apply_policy,
        name="anonymisation-policy",
    ),
    path(
        "decisions/<slug:uid>/anonymisation/sign-off/",
        views.sign_off,
        name="anonymisation-sign-off",
    ),
]
