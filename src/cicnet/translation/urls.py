"""The translation pages under /translation/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="translation-home"),
    path("jobs/", views.job_open, name="translation-job-open"),
    path("roles/", views.role_grant, name="translation-role-grant"),
    path("jobs/<int:job_id>/", views.workspace, name="translation-workspace"),
    path(
        "jobs/<int:job_id>/paragraphs/<int:number>/save/",
        views.segment_save,
        name="translation-segment-save",
    ),
    path(
        "jobs/<int:job_id>/paragraphs/<int:number>/review/",
        views.segment_review,
        name="translation-segment-review",
    ),
    path("jobs/<int:job_id>/draft/", views.machine_draft, name="translation-draft"),
    path("jobs/<int:job_id>/publish/", views.job_publish, name="translation-job-publish"),
    path("alignments/", views.alignment_create, name="translation-alignment-create"),
    path("alignments/<int:alignment_id>/", views.alignment_page, name="translation-alignment"),
    path(
        "alignments/<int:alignment_id>/correct/",
        views.alignment_correct,
        name="translation-alignment-correct",
    ),
    path(
        "alignments/<int:alignment_id>/publish/",
        views.alignment_publish,
        name="translation-alignment-publish",
    ),
    path("etranslation/done/", views.etranslation_done, name="translation-etranslation-done"),
    path("etranslation/error/", views.etranslation_error, name="translation-etranslation-error"),
]
