from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from cicnet.server import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link> says.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}cicnet/favicon.svg", permanent=True),
    ),
]
