"""Secure cooperation under /cooperation/: submissions, their items, the upload endpoints."""

from django.urls import path

from cicnet.evidence import views

urlpatterns = [
    path("", views.submission_list, name="evidence-list"),
    path("guide/", views.guide, name="evidence-guide"),
    path("new/", views.submission_new, name="evidence-new"),
    path("uploads/<str:upload_id>/", views.upload_chunk, name="evidence-upload-chunk"),
    path("<str:uid>/", views.submission_detail, name="evidence-submission"),
    path("<str:uid>/edit/", views.submission_edit, name="evidence-edit"),
    path("<str:uid>/submit", views.submission_submit, name="evidence-submit"),
    path("<str:uid>/transition", views.referral_transition, name="evidence-transition"),
    path("<str:uid>/messages", views.message_post, name="evidence-message"),
    path("<str:uid>/share", views.submission_share, name="evidence-share"),
    path("<str:uid>/shares/<int:share_id>/revoke", views.share_revoke, name="evidence-unshare"),
    path("<str:uid>/export", views.submission_export, name="evidence-export"),
    path("<str:uid>/uploads/", views.upload_start, name="evidence-upload-start"),
    path(
        "<str:uid>/uploads/<str:upload_id>/complete",
        views.upload_complete,
        name="evidence-upload-complete",
    ),
    path("<str:uid>/items/<str:item_uid>/", views.item_detail, name="evidence-item"),
    path("<str:uid>/items/<str:item_uid>/download", views.item_download, name="evidence-download"),
]
