"""factory_boy factories for the network app. Every person and organisation here is fictional."""

from __future__ import annotations

import datetime as dt

import factory

from cicnet.network.models import (
    Document,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    Session,
)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"net-{n}")
    name = factory.Sequence(lambda n: f"Fictional network {n}")
    is_public_archive = True
    is_fictional = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Fictional authority {n}")
    country = "DE"
    org_type = "national_authority"
    is_fictional = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Fictional Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.invalid")
    phone = "+00 000 (fictional)"
    is_fictional = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, network=factory.SelfAttribute("..network")
    )
    role = "national_contact_point"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Fictional meeting {o.number}")
    start_date = dt.date(2025, 4, 1)
    end_date = dt.date(2025, 4, 2)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    kind = "open"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Fictional document {n}")
    kind = "note"
    classification = "public"
    is_fictional = True
