"""Machine-translation engines behind one adapter (``base.Engine``), chosen by the setting
``CICNET_MT_ENGINE``: ``apertium`` (default), ``libretranslate``, ``etranslation``, ``none``, or
the dotted path of a class taking ``timeout=`` (adding an engine is a setting, not a rewrite)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .apertium import Apertium
from .base import Engine, EngineError, EngineNotConfigured
from .http import ETranslation, LibreTranslate

__all__ = ["Engine", "EngineError", "EngineNotConfigured", "configured_engine"]


def configured_engine() -> Engine | None:
    """The engine the settings name, or ``None`` when machine drafts are switched off.

    Raises ``EngineNotConfigured`` naming the missing setting when an engine is switched on
    but not configured (the start-up check reports the same)."""
    name = str(settings.CICNET_MT_ENGINE).strip()
    timeout = float(settings.CICNET_MT_TIMEOUT)
    if timeout <= 0:
        raise EngineNotConfigured("CICNET_MT_TIMEOUT must be a positive number of seconds.")
    if name in ("", "none"):
        return None
    if name == "apertium":
        return Apertium(timeout=timeout)
    if name == "libretranslate":
        if not settings.CICNET_LIBRETRANSLATE_URL:
            raise EngineNotConfigured(
                "CICNET_MT_ENGINE=libretranslate needs CICNET_LIBRETRANSLATE_URL."
            )
        return LibreTranslate(
            url=settings.CICNET_LIBRETRANSLATE_URL,
            api_key=settings.CICNET_LIBRETRANSLATE_API_KEY,
            timeout=timeout,
        )
    if name == "etranslation":
        return ETranslation(
            url=settings.CICNET_ETRANSLATION_URL,
            application=settings.CICNET_ETRANSLATION_APPLICATION,
            password=settings.CICNET_ETRANSLATION_PASSWORD,
            username=settings.CICNET_ETRANSLATION_USERNAME,
            callback_base=settings.CICNET_ETRANSLATION_CALLBACK_BASE,
            timeout=timeout,
        )
    if "." in name:
        try:
            cls = import_string(name)
        except ImportError as exc:
            raise EngineNotConfigured(
                f"CICNET_MT_ENGINE={name}: no such class ({exc}); give apertium, "
                "libretranslate, etranslation, none or an importable dotted path."
            ) from exc
        engine: Engine = cls(timeout=timeout)
        return engine
    raise EngineNotConfigured(
        f"CICNET_MT_ENGINE={name!r} is not an engine; give apertium, libretranslate, "
        "etranslation, none or the dotted path of an engine class."
    )
