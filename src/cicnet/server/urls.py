from django.urls import path

from cicnet.server import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
