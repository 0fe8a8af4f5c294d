"""Fixtures for the search tests: the backend under test and a small fictional corpus.

``backend`` runs a test once per backend: tantivy always, PostgreSQL when the test database is
PostgreSQL (the Makefile runs the whole suite on both databases).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from cicnet.jurisprudence.models import DecisionCrime, DecisionProvision
from cicnet.search.services import rebuild_index
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request: pytest.FixtureRequest, settings: Any, db: None) -> str:
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend runs when the test database is PostgreSQL")
    settings.CICNET_SEARCH_BACKEND = request.param
    return str(request.param)


def _text(decision: Any, language: str, bodies: list[str], *, original: bool = True) -> None:
    text = TextFactory(
        decision=decision,
        language=language,
        is_original=original,
        provenance="original" if original else "human",
    )
    for number, body in enumerate(bodies, start=1):
        ParagraphFactory(text=text, number=number, body=body)


@pytest.fixture
def corpus(backend: str) -> dict[str, Any]:
    """Four public, published, fictional decisions, indexed."""
    alpha = DecisionFactory(
        uid="alpha",
        title="Fictional Anton K. judgment",
        country="DE",
        court="Higher Regional Court Koblenz",
        decision_date=dt.date(2022, 1, 13),
        situation="Nortavia",
        outcome="convicted",
        instance="first_instance",
        summary="Conviction for crimes against humanity committed in a fictional prison.",
    )
    DecisionCrime.objects.create(decision=alpha, crime_id="7(1)(f)")
    _text(
        alpha,
        "en",
        [
            "The accused ordered the torture of detainees in the prison.",
            "Crimes against humanity were committed as part of a widespread attack on civilians.",
            "The torture was systematic and the torture of detainees continued for months.",
            "Sentence: life imprisonment <with> conditions & more.",
        ],
    )
    beta = DecisionFactory(
        uid="beta",
        title="Fictional Bruno M. appeal",
        country="DE",
        court="Federal Court of Justice",
        decision_date=dt.date(2019, 5, 2),
        situation="Ostravia",
        outcome="upheld",
        instance="appeal",
        summary="Appeal on war crimes against civilians, dismissed.",
    )
    DecisionProvision.objects.create(decision=beta, citation="VStGB § 8")
    _text(
        beta,
        "de",
        [
            "Der Angeklagte wurde nach dem Völkerstrafgesetzbuch verurteilt.",
            "Die Revision bleibt ohne Erfolg.",
        ],
    )
    _text(
        beta,
        "en",
        [
            "The accused was convicted under the Code of Crimes against International Law.",
            "The appeal on points of law is dismissed; pillaging of the village is proven.",
        ],
        original=False,
    )
    gamma = DecisionFactory(
        uid="gamma",
        title="Fictional Clara V. case",
        country="NL",
        court="District Court of The Hague",
        decision_date=dt.date(2015, 6, 1),
        situation="Nortavia",
        outcome="convicted",
        instance="first_instance",
        terrorism_concurrent=True,
        summary="Membership of a terrorist organisation and pillaging in the region of Nortavia.",
    )
    DecisionCrime.objects.create(decision=gamma, crime_id="terrorism.membership")
    DecisionCrime.objects.create(decision=gamma, crime_id="8(2)(e)(v)")
    delta = DecisionFactory(
        uid="delta",
        title="Fictional Dario P. judgment",
        country="FR",
        court="Paris Criminal Court",
        decision_date=dt.date(2010, 3, 3),
        situation="Westmark",
        outcome="acquitted",
        instance="first_instance",
        summary="Acquittal of a former officer.",
    )
    _text(delta, "fr", ["L'accusé est acquitté des faits de torture."])
    rebuild_index()
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "delta": delta}
