"""Case coordination under /coordination/."""

from django.urls import path

from cicnet.coordination import jit_party_views, jit_views, meeting_views, views

urlpatterns = [
    path("", views.home, name="coordination-home"),
    path("cases/new/", views.case_new, name="coordination-case-new"),
    path("cases/<str:uid>/", views.case_detail, name="coordination-case"),
    path("cases/<str:uid>/share", views.case_share, name="coordination-share"),
    path("hits/", views.hit_list, name="coordination-hits"),
    path("hits/<str:uid>/", views.hit_detail, name="coordination-hit"),
    path("hits/<str:uid>/reveal", views.hit_reveal, name="coordination-reveal"),
    path("log/", views.check_log, name="coordination-log"),
    path("questions/", views.question_list, name="coordination-questions"),
    path("questions/new/", views.question_new, name="coordination-question-new"),
    path("questions/<str:uid>/", views.question_detail, name="coordination-question"),
    path(
        "questions/<str:uid>/answered",
        views.question_answered,
        name="coordination-question-answered",
    ),
    path("jits/", views.jit_list, name="coordination-jits"),
    path("jits/<str:uid>/", views.jit_detail, name="coordination-jit"),
    path(
        "jits/<str:uid>/members/new/",
        jit_party_views.member_new,
        name="coordination-jit-member-new",
    ),
    path(
        "jits/<str:uid>/amendments/<str:amd>/agree",
        jit_party_views.amendment_agree,
        name="coordination-jit-amendment-agree",
    ),
    path(
        "jits/<str:uid>/amendments/<str:amd>/decline",
        jit_party_views.amendment_decline,
        name="coordination-jit-amendment-decline",
    ),
    path("jits/<str:uid>/withdraw/", jit_party_views.withdraw, name="coordination-jit-withdraw"),
    path("jits/<str:uid>/documents/", jit_views.document_new, name="coordination-jit-document-new"),
    path(
        "jits/<str:uid>/documents/<str:doc>/",
        jit_views.document_detail,
        name="coordination-jit-document",
    ),
    path(
        "jits/<str:uid>/documents/<str:doc>/v<int:number>",
        jit_views.document_download,
        name="coordination-jit-document-download",
    ),
    path(
        "jits/<str:uid>/items/<str:item_uid>/download",
        jit_views.item_download,
        name="coordination-jit-item-download",
    ),
    path("meetings/", meeting_views.meeting_list, name="coordination-meetings"),
    path("meetings/<str:uid>/", meeting_views.meeting_detail, name="coordination-meeting"),
    path("requests/", views.request_list, name="coordination-requests"),
    path("requests/<str:uid>/", views.request_detail, name="coordination-request"),
    path("statistics/", views.statistics, name="coordination-statistics"),
]
