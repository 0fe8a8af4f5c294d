"""factory_boy factories for the models. Demo content in tests is fictional."""

from __future__ import annotations

import datetime as dt

import factory

from cicnet.accounts.models import User
from cicnet.jurisprudence.models import Decision, Paragraph, Proceedings, Text


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = "member"
    password = factory.django.Password("correct horse battery staple")


class ProceedingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proceedings

    key = factory.Sequence(lambda n: f"proceedings-{n}")
    title = factory.Sequence(lambda n: f"Fictional proceedings {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    uid = factory.Sequence(lambda n: f"test-decision-{n}")
    title = factory.Sequence(lambda n: f"Fictional decision {n}")
    country = "DE"
    court = "Fictional Regional Court"
    decision_date = dt.date(2021, 2, 24)
    instance = "first_instance"
    decision_type = "judgment"
    outcome = "convicted"
    access = "public"
    state = "published"


class TextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Text
        skip_postgeneration_save = True

    decision = factory.SubFactory(DecisionFactory)
    language = "en"
    is_original = True
    provenance = "original"

    @factory.post_generation
    def anonymisation(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A factory text counts as anonymised with nothing found and signed off (readers see
        it as written, it may be published); pass ``anonymisation=False`` for a text the
        anonymise stage has not seen, ``anonymisation="unsigned"`` for one not signed off."""
        if create and extracted is not False:
            from django.utils import timezone

            from cicnet.anonymisation.models import TextAnonymisation

            TextAnonymisation.objects.create(
                text=self,
                policy="strict",
                engine_version="test",
                signed_off_at=None if extracted == "unsigned" else timezone.now(),
            )


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    text = factory.SubFactory(TextFactory)
    number = factory.Sequence(lambda n: n + 1)
    body = "The court found the defendant guilty."
