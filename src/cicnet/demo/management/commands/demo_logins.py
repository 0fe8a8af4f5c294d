"""``cicnet demo_logins``: print the URL and the demo login of every role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cicnet.demo.users import ANONYMOUS_SEES, DEMO_LOGINS
from cicnet.network.demo import NETWORK_DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the app's URL and the demo logins (username, password, role, what it sees)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="The URL the app is served at."
        )

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        w = self.stdout.write
        w(f"cicnet demo: open {url}")
        w("Demo content is labelled as such; the people below are fictional.")
        w(f"  {'anonymous':<14} {'':<22} {'(no login)':<20} sees {ANONYMOUS_SEES}")
        for login in DEMO_LOGINS:
            w(f"  {login.username:<14} {login.password:<22} {login.role:<20} sees {login.sees}")
        w("Network roles (fictional people; /network/):")
        for n in NETWORK_DEMO_LOGINS:
            w(f"  {n.username:<24} {n.password:<33} {n.role:<24} {n.network}: {n.sees}")
        w(
            "Two-factor authentication: `make demo` serves with CICNET_DEMO_2FA_EXEMPT=1, so "
            "these demo accounts skip it (flagged on every page); every other account enrols an "
            "authenticator at /accounts/2fa/."
        )
        w(f"Log in at {url.rstrip('/')}/accounts/login/")
