"""URL map: HTML pages, the networks under /network/, the JSON API under /api/v1/, accounts and
the Django admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cicnet.accounts.views import ThrottledLoginView
from cicnet.config.api import api

urlpatterns = [
    path("", include("cicnet.jurisprudence.urls")),
    path("", include("cicnet.anonymisation.urls")),
    path("", include("cicnet.importers.urls")),
    path("", include("cicnet.citations.urls")),
    path("alerts/", include("cicnet.alerts.urls")),
    path("statistics/", include("cicnet.insights.urls")),
    path("api/v1/", api.urls),
    path("", include("cicnet.server.urls")),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail: Django's own views and token generator (the second factor is
    # still required after a reset).
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/", include("cicnet.accounts.urls")),
    path("", include("cicnet.audit.urls")),
    path("network/", include("cicnet.network.urls")),
    path("", include("cicnet.knowledge.urls")),
    path("cooperation/", include("cicnet.evidence.urls")),
    path("translation/", include("cicnet.translation.urls")),
    path("coordination/", include("cicnet.coordination.urls")),
    path("django-admin/", admin.site.urls),
]
