"""The Django admin shows networks and organisations, and lists people and memberships
read-only. Memberships — who reads a network's closed-session and Secretariat material — change
only through ``network/appointments.py`` and the invitations, which check the policy and write
the audit log (an administrator once appointed itself Secretariat here, unaudited). Documents,
agenda items and the view log are absent: confidential material is reached only through the
policy-checked pages (docs/security.md)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cicnet.network.models import Membership, Network, Organisation, Person


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("slug", "name", "is_public_archive", "is_fictional")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("name", "network", "country", "org_type", "is_specialised_unit")
    list_filter = ("network", "org_type")


class _ListOnly(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(_ListOnly):
    list_display = ("name", "user", "is_fictional")
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(_ListOnly):
    list_display = ("person", "network", "organisation", "role", "is_active")
    list_filter = ("network", "role", "is_active")
