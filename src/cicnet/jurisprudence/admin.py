"""Decisions in the Django admin are read-only: curation goes through the curation pages, which
audit every change and keep the search index in step."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cicnet.jurisprudence.models import Decision, Proceedings


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("uid", "country", "court", "decision_date", "access", "state", "version")
    list_filter = ("country", "access", "state", "instance")
    search_fields = ("uid", "title", "case_number", "ecli")


@admin.register(Proceedings)
class ProceedingsAdmin(ReadOnlyAdmin):
    list_display = ("key", "title")
