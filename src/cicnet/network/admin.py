"""The Django admin shows networks, organisations, people and memberships, so an instance
administrator can create a network and appoint its first Secretariat. Documents, agenda items
and the view log are deliberately absent: confidential material is reached only through the
policy-checked pages (docs/security.md)."""

from django.contrib import admin

from cicnet.network.models import Membership, Network, Organisation, Person


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("slug", "name", "is_public_archive", "is_fictional")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("name", "network", "country", "org_type", "is_specialised_unit")
    list_filter = ("network", "org_type")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("name", "user", "email", "is_fictional")
    search_fields = ("name", "email")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs generic admin
    list_display = ("person", "network", "organisation", "role", "is_active")
    list_filter = ("network", "role", "is_active")
