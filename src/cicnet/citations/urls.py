from django.urls import path

from cicnet.citations import views

urlpatterns = [
    path("decisions/<slug:uid>/citations/", views.decision_citations, name="decision-citations"),
]
