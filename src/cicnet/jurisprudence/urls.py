from django.urls import path

urlpatterns: list = []  # type: ignore[type-arg]  # filled by the reader and search views
