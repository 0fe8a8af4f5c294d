"""System checks that ``cicnet check --deploy`` runs (and ``cicnet serve`` before serving).

Each says what is wrong and which setting mends it (docs/deploy.md). The demo defaults are fine
on a laptop and fatal in a deployment, so every one of them is an error under ``--deploy``:

- ``cicnet.E001`` the built-in demo secret key (sessions, password-reset links and CSRF tokens
  could be forged by anyone who has read the source);
- ``cicnet.E002`` the demo second-factor exemption, ``cicnet.E003`` the second factor off;
- ``cicnet.E004`` no evidence key-encryption keys in the environment (the key file beside the
  data would protect nothing), ``cicnet.E005`` keys that do not parse;
- ``cicnet.W001`` no signing key file yet (one would be created on first use: back it up).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def deploy_checks(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Imported here: the evidence app's models import settings-dependent modules.
    from cicnet.evidence.crypto import VaultKeyError, parse_kek_ring

    out: list[CheckMessage] = []
    if settings.SECRET_KEY == settings.CICNET_DEMO_SECRET_KEY:
        out.append(
            Error(
                "SECRET_KEY is the built-in demo key, which is public.",
                hint="Set CICNET_SECRET_KEY to a long random value kept secret (docs/deploy.md).",
                id="cicnet.E001",
            )
        )
    if settings.CICNET_DEMO_2FA_EXEMPT:
        out.append(
            Error(
                "CICNET_DEMO_2FA_EXEMPT is on: the demo accounts log in without a second factor.",
                hint="Unset CICNET_DEMO_2FA_EXEMPT; it is for `make demo` only.",
                id="cicnet.E002",
            )
        )
    if not settings.CICNET_REQUIRE_2FA:
        out.append(
            Error(
                "CICNET_REQUIRE_2FA is off: accounts log in with a password alone.",
                hint="Unset CICNET_REQUIRE_2FA (it defaults to 1).",
                id="cicnet.E003",
            )
        )
    keys = str(settings.CICNET_EVIDENCE_KEYS or "").strip()
    if not keys:
        out.append(
            Error(
                "CICNET_EVIDENCE_KEYS is not set: evidence would be encrypted with a key file "
                f"in {settings.CICNET_KEYS_DIR}, beside the data it protects.",
                hint="Set CICNET_EVIDENCE_KEYS from a secret store (docs/deploy.md, 'Evidence "
                "vault keys').",
                id="cicnet.E004",
            )
        )
    else:
        try:
            parse_kek_ring(keys)
        except VaultKeyError as exc:
            out.append(
                Error(
                    str(exc),
                    hint="CICNET_EVIDENCE_KEYS takes id:BASE64 entries of 32-byte keys.",
                    id="cicnet.E005",
                )
            )
    if not Path(settings.CICNET_SIGNING_KEY_FILE).is_file():
        out.append(
            Warning(
                f"No signing key at {settings.CICNET_SIGNING_KEY_FILE} (CICNET_SIGNING_KEY_FILE): "
                "one will be created on first use.",
                hint="Create it before serving and back it up: custody logs and export packages "
                "are verified against it.",
                id="cicnet.W001",
            )
        )
    return out
