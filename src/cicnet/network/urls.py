"""HTML pages of the networks, under /network/."""

from django.urls import path

from cicnet.network import views

urlpatterns = [
    path("", views.network_list, name="network-list"),
    path("calendar/", views.calendar, name="network-calendar"),
    path("search/", views.global_search, name="network-search"),
    path("me/", views.my_data, name="network-me"),
    path("join/<str:token>/", views.join, name="network-join"),
    path("me/export.json", views.my_data_export, name="network-me-export"),
    path("me/notifications/", views.my_notifications, name="network-me-notifications"),
    path("<slug:slug>/", views.network_home, name="network-home"),
    path("<slug:slug>/directory/", views.directory, name="network-directory"),
    path("<slug:slug>/countries/<str:country>/", views.country, name="network-country"),
    path("<slug:slug>/meetings/", views.meetings, name="network-meetings"),
    path("<slug:slug>/meetings/<int:number>/", views.meeting_detail, name="network-meeting"),
    path("<slug:slug>/library/", views.library, name="network-library"),
    path("<slug:slug>/library/add/", views.document_upload, name="network-document-add"),
    path(
        "<slug:slug>/documents/<int:document_id>/", views.document_detail, name="network-document"
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/download",
        views.document_download,
        name="network-document-download",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/classification/",
        views.document_classification,
        name="network-document-classification",
    ),
    path("<slug:slug>/view-log/", views.view_log, name="network-view-log"),
    path("<slug:slug>/invitations/", views.invitations, name="network-invitations"),
]
