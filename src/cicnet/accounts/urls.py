from django.urls import path

urlpatterns: list = []  # type: ignore[type-arg]  # API token pages are added by the API work
