"""The one family of errors a person can act on, and where each maps to HTTP and to forms.

Services raise ``UserInputError`` (input the user can fix: the message says what is wrong and
what to do; ``field`` names the form field or API parameter) or ``ActionDenied`` (the policy
refuses). Each app's errors are subclasses, so callers may catch narrowly, while pages, the API
and commands answer them all the same way:

- the API (``config/api.py``): 400 ``{"detail": message, "parameter": field}`` / 404;
- pages: ``form_error`` puts the message on its field of a form, or above the form when the
  field is not one the form shows;
- JSON endpoints of pages (the vault's uploads): ``as_json``;
- commands: ``CommandError(str(exc))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

T = TypeVar("T")


class UserInputError(ValueError):
    """Input the user can fix; ``field`` names the form field or API parameter ('' for none)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ActionDenied(PermissionError):
    """The policy refuses this actor this action. Pages and the API answer 404 where answering
    403 would reveal that the object exists."""


def form_error(form: forms.Form, exc: UserInputError) -> None:
    """Show ``exc`` on its field of ``form`` (a visible one), or above the form."""
    field = form.fields.get(exc.field) if exc.field else None
    shown = field is not None and not field.widget.is_hidden
    form.add_error(exc.field if shown else None, exc.message)


def form_submit(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run ``action`` (the one service call of a form's view) when ``form`` is valid; a
    ``UserInputError`` it raises is shown on the form (``form_error``). ``None`` when the form or
    the service refused the input: the view renders the form again."""
    if not form.is_valid():
        return None
    try:
        return action()
    except UserInputError as exc:
        form_error(form, exc)
        return None


def as_json(exc: UserInputError, **extra: Any) -> dict[str, Any]:
    """The body a JSON endpoint of a page answers an input error with."""
    return {"error": exc.message, "field": exc.field, **extra}
