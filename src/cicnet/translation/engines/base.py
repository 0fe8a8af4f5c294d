"""The adapter every machine-translation engine implements, and its errors.

An engine turns paragraphs of one language into rough drafts in another. Synchronous engines
(Apertium, LibreTranslate) answer at once; an asynchronous one (eTranslation) accepts the
request and delivers the draft later to a callback (``submit``). Every request has an explicit
timeout (``CICNET_MT_TIMEOUT``). A draft is only ever a draft: the workspace stores it with the
status "machine" and publication requires every paragraph reviewed by a person.
"""

from __future__ import annotations

from typing import Protocol

from cicnet.errors import UserInputError


class EngineError(UserInputError):
    """The engine could not give a draft (down, too slow, language pair not offered); the
    message says which engine and what to do. Nothing is written when it is raised."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="engine")


class EngineNotConfigured(EngineError):
    """An engine switched on by setting but missing a setting it needs (fails fast)."""


class Engine(Protocol):
    """A machine-translation engine."""

    name: str  # short id, stored with each draft ("apertium", "libretranslate" …)
    label: str  # how drafts are labelled on pages: "Rough machine draft (Apertium)"
    asynchronous: bool  # True: ``submit``; False: ``translate``

    def supports(self, source: str, target: str) -> bool:
        """Whether the engine offers this pair of ISO 639-1 codes."""
        ...

    def translate(self, paragraphs: list[str], *, source: str, target: str) -> list[str]:
        """Drafts for ``paragraphs``, one per paragraph, in order (synchronous engines)."""
        ...

    def submit(self, text: str, *, source: str, target: str, reference: str) -> str:
        """Ask for a draft delivered later to the callback with ``reference``; returns the
        engine's request id (asynchronous engines)."""
        ...
