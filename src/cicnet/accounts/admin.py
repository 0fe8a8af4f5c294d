"""Account administration in the Django admin, which requires a session verified with the second
factor (``CicnetAdminSite``, django-otp's ``OTPAdminSite``) and logs in through cicnet's own,
throttled log-in page.

Roles and API tokens are not edited here: a role decides which decision tiers a user reads, so
it changes through ``accounts.services`` (audited); a token is shown once to its owner and its
value never again. The second-factor devices' admin pages (they show TOTP keys) are removed.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite

from cicnet.access.context import request_actor
from cicnet.accounts.models import ApiToken, User
from cicnet.accounts.services import user_changed_in_admin


class CicnetAdminSite(OTPAdminSite):  # type: ignore[misc]  # django-otp has no type hints
    """Only users verified by their second factor; log-in through /accounts/login/ (throttled,
    then the second-factor step) instead of the admin's own form."""

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or "/django-admin/", "/accounts/login/")


admin.site.__class__ = CicnetAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    list_display = ("username", "email", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("cicnet", {"fields": ("role", "organisation")}))  # type: ignore[misc]  # django-stubs types fieldsets loosely
    # When someone joined and last logged in are facts, not settings.
    readonly_fields = (
        "role",
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
        "date_joined",
        "last_login",
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Every change made here is audited (``accounts.services.user_changed_in_admin``), and
        a changed e-mail address is told to the old one."""
        super().save_model(request, obj, form, change)
        if change:
            user_changed_in_admin(
                actor=request_actor(request),
                user=obj,
                changed=list(form.changed_data),
                old={name: form.initial.get(name) for name in form.changed_data},
            )

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # The admin's own "change password" page saves through no ``save_model``.
        if request.path.rstrip("/").endswith("/password"):
            user_changed_in_admin(
                actor=request_actor(request), user=obj, changed=["password"], old={}
            )
        return super().log_change(request, obj, message)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "label", "created_at", "last_used_at")
    fields = ("user", "label", "created_at", "last_used_at")  # never the key
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _unregister_device_admins() -> None:
    """django-otp registers admin pages for its devices that show the TOTP key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


_unregister_device_admins()
