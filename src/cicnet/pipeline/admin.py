"""Pipeline stage runs, read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cicnet.pipeline.models import StageRun


@admin.register(StageRun)
class StageRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("started_at", "stage", "version", "status", "duration_ms", "source")
    list_filter = ("stage", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
