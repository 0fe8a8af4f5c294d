"""Account pages under /accounts/ (login and logout are in config/urls.py)."""

from django.urls import path

from cicnet.accounts import views

urlpatterns = [
    path("tokens/", views.api_tokens, name="api-tokens"),
    path("2fa/", views.two_factor_page, name="two-factor"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
]
