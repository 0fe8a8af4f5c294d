from django.urls import path

from cicnet.insights import views

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("<slug:dimension>.csv", views.statistics_csv, name="statistics-csv"),
    path("network/<slug:slug>/", views.network_statistics_page, name="network-statistics"),
]
