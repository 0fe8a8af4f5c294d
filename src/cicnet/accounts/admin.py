"""Account administration (administrators only: the Django admin requires is_staff)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cicnet.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    list_display = ("username", "email", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("cicnet", {"fields": ("role", "organisation")}))  # type: ignore[misc]  # django-stubs types fieldsets loosely


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "label", "created_at", "last_used_at")
    readonly_fields = ("key", "created_at", "last_used_at")
