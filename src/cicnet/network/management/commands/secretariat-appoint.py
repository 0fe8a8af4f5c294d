"""``cicnet secretariat-appoint NETWORK USERNAME --by ADMIN``: appoint a network's Secretariat
member from the command line (a new network's first one, by the instance administrator). The
rules are ``network.appointments.secretariat_appoint``'s; this command only parses."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.network.appointments import secretariat_appoint
from cicnet.network.models import Network, Organisation, Person
from cicnet.network.services import NetworkDenied, NetworkInputError


class Command(BaseCommand):
    help = "Appoint a user to a network's Secretariat (audited, notified to the Secretariat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="The network's slug.")
        parser.add_argument("username", help="The user to appoint.")
        parser.add_argument("--by", required=True, help="Username of who appoints (audited).")
        parser.add_argument(
            "--organisation",
            default="",
            help="Name of the network's Secretariat organisation (default: its only one).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        network = Network.objects.filter(slug=opts["network"]).first()
        if network is None:
            raise CommandError(f"network: no network with slug {opts['network']!r}")
        users = {
            u.username: u for u in User.objects.filter(username__in=[opts["username"], opts["by"]])
        }
        for key in ("username", "by"):
            if opts[key] not in users:
                raise CommandError(f"{key}: no user {opts[key]!r}")
        secretariats = Organisation.objects.filter(network=network, org_type="secretariat")
        if opts["organisation"]:
            secretariats = secretariats.filter(name=opts["organisation"])
        organisations = list(secretariats[:2])
        if len(organisations) != 1:
            raise CommandError(
                "organisation: the network needs exactly one matching Secretariat organisation; "
                "create it in the admin or name it with --organisation"
            )
        user = users[opts["username"]]
        person = Person.objects.filter(user=user).first() or Person.objects.create(
            user=user, name=user.get_full_name() or user.username, email=user.email
        )
        try:
            secretariat_appoint(
                actor=policy.actor_for(users[opts["by"]]),
                network=network,
                person=person,
                organisation=organisations[0],
            )
        except (NetworkDenied, NetworkInputError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{person.name} is now in the Secretariat of {network}.")
