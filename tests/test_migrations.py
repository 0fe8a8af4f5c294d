"""Every model change has its migration (a help text edited without one left three apps with
changes `cicnet migrate` would never apply)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(
            "models changed without a migration (run `cicnet makemigrations`):\n"
            f"{out.getvalue()}\n{exc}"
        )
