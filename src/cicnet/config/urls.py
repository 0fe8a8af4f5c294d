"""URL map: HTML pages, the networks under /network/, the JSON API under /api/v1/, accounts and
the Django admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cicnet.accounts.views import ThrottledLoginView
from cicnet.config.api import api

urlpatterns = [
    path("", include("cicnet.jurisprudence.urls")),
    path("api/v1/", api.urls),
    path("", include("cicnet.server.urls")),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("cicnet.accounts.urls")),
    path("", include("cicnet.audit.urls")),
    path("network/", include("cicnet.network.urls")),
    path("django-admin/", admin.site.urls),
]
