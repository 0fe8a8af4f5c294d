"""The machine-translation adapters: Apertium (the Debian packages, for real), LibreTranslate
and eTranslation against local servers that speak their protocols; timeouts and settings."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.translation.engines import EngineError, EngineNotConfigured, configured_engine
from cicnet.translation.engines.apertium import Apertium
from cicnet.translation.engines.http import ETranslation, LibreTranslate

from .servers import ETranslationHandler, LibreTranslateHandler, fake_translation, serve


def test_apertium_drafts_french_into_english_through_spanish() -> None:
    engine = Apertium(timeout=60)
    drafts = engine.translate(
        ["Le requérant a fait appel.", "Le 12 mars 2003, la Cour a rejeté le recours."],
        source="fr",
        target="en",
    )
    assert len(drafts) == 2
    assert "appealed" in drafts[0]
    assert "12 March 2003" in drafts[1]


def test_apertium_refuses_a_pair_it_does_not_offer() -> None:
    with pytest.raises(EngineError, match="no de→en draft"):
        Apertium(timeout=5).translate(["Der Angeklagte."], source="de", target="en")


def test_apertium_missing_binary_says_how_to_install() -> None:
    engine = Apertium(timeout=5, binary="apertium-not-installed-here")
    with pytest.raises(EngineError, match="make setup"):
        engine.translate(["Hola."], source="es", target="en")


def test_libretranslate_translates_every_paragraph_in_order() -> None:
    with serve(LibreTranslateHandler, api_key="k1") as url:
        engine = LibreTranslate(url=url, api_key="k1", timeout=5)
        drafts = engine.translate(["eins", "zwei"], source="de", target="en")
    assert drafts == [fake_translation("eins", "en"), fake_translation("zwei", "en")]


def test_libretranslate_wrong_key_is_reported_with_the_servers_words() -> None:
    with serve(LibreTranslateHandler, api_key="k1") as url:
        engine = LibreTranslate(url=url, api_key="wrong", timeout=5)
        with pytest.raises(EngineError, match=r"HTTP 403.*Invalid API key"):
            engine.translate(["eins"], source="de", target="en")


def test_libretranslate_slower_than_the_timeout_is_given_up() -> None:
    with serve(LibreTranslateHandler, delay=1.5) as url:
        engine = LibreTranslate(url=url, api_key="", timeout=0.3)
        with pytest.raises(EngineError, match=r"within 0\.3 s"):
            engine.translate(["eins"], source="de", target="en")


def test_etranslation_submits_with_digest_auth_and_returns_the_request_id() -> None:
    ETranslationHandler.requests = []
    with serve(ETranslationHandler) as url:
        engine = ETranslation(
            url=f"{url}/etranslation/si/translate",
            application="cicnet-app",
            password="s3cret",
            username="secretariat",
            callback_base="https://cicnet.example",
            timeout=5,
        )
        request_id = engine.submit("Der Angeklagte.", source="de", target="en", reference="7.abc")
    assert request_id == "1000"
    sent = ETranslationHandler.requests[0]
    assert sent["sourceLanguage"] == "DE" and sent["targetLanguages"] == ["EN"]
    assert sent["externalReference"] == "7.abc"
    assert sent["requesterCallback"] == "https://cicnet.example/translation/etranslation/done/"
    assert sent["callerInformation"] == {"application": "cicnet-app", "username": "secretariat"}


def test_etranslation_wrong_password_is_an_engine_error() -> None:
    with serve(ETranslationHandler) as url:
        engine = ETranslation(
            url=url,
            application="cicnet-app",
            password="wrong",
            username="u",
            callback_base="https://cicnet.example",
            timeout=5,
        )
        with pytest.raises(EngineError, match="HTTP 401"):
            engine.submit("x", source="de", target="en", reference="1.a")


def test_etranslation_switched_on_without_settings_fails_fast(settings: Any) -> None:
    settings.CICNET_MT_ENGINE = "etranslation"
    settings.CICNET_ETRANSLATION_APPLICATION = ""
    with pytest.raises(EngineNotConfigured, match="CICNET_ETRANSLATION_APPLICATION"):
        configured_engine()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("apertium", "apertium"), ("none", None), ("libretranslate", "libretranslate")],
)
def test_engine_is_chosen_by_setting(settings: Any, name: str, expected: str | None) -> None:
    settings.CICNET_MT_ENGINE = name
    settings.CICNET_LIBRETRANSLATE_URL = "http://127.0.0.1:9"
    engine = configured_engine()
    assert (engine.name if engine else None) == expected


def test_an_engine_class_is_a_setting_not_a_rewrite(settings: Any) -> None:
    settings.CICNET_MT_ENGINE = "cicnet.translation.engines.apertium.Apertium"
    engine = configured_engine()
    assert engine is not None and engine.name == "apertium"


def test_unknown_engine_names_the_setting(settings: Any) -> None:
    settings.CICNET_MT_ENGINE = "deepl"
    with pytest.raises(EngineNotConfigured, match="CICNET_MT_ENGINE='deepl'"):
        configured_engine()
