"""Appointing a network's Secretariat: the only way a Secretariat membership comes to exist
after the demo and seed loaders (issue 10: an instance administrator once gave itself a
Secretariat membership in the Django admin and read every closed-session document, unaudited).

- A network's Secretariat appoints within its own network (``policy.can_administer_network``).
- The instance administrator may appoint only the *first* Secretariat member of a network that
  has none (a new network must start somewhere), and nothing after that.
- Every appointment is audited (``network.secretariat.appoint``) in its transaction and e-mailed,
  after commit, to the network's other active Secretariat members, so an appointment nobody
  expected is noticed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.network.models import Membership, Network, Organisation, Person
from cicnet.network.services import NetworkDenied, NetworkInputError


def _secretariat(network: Network) -> list[Membership]:
    return list(
        Membership.objects.filter(network=network, role="secretariat", is_active=True)
        .select_related("person__user")
        .order_by("pk")
    )


def secretariat_appoint(
    *, actor: policy.Actor, network: Network, person: Person, organisation: Organisation
) -> Membership:
    """Make ``person`` a Secretariat member of ``network`` for ``organisation``; raises
    ``NetworkDenied`` when ``actor`` may not, ``NetworkInputError`` for a wrong organisation."""
    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        current = _secretariat(network)
        first = not current
        allowed = policy.can_administer_network(actor, network.pk) or (
            first and actor.role == "admin"
        )
        if not allowed:
            raise NetworkDenied(
                "Only the network's Secretariat appoints its members; the instance administrator "
                "may appoint only the first one of a network that has none."
            )
        if organisation.network_id != network.pk or organisation.org_type != "secretariat":
            raise NetworkInputError(
                "organisation", "choose the network's own Secretariat organisation"
            )
        membership, _ = Membership.objects.update_or_create(
            person=person,
            network=network,
            organisation=organisation,
            defaults={"role": "secretariat", "is_active": True},
        )
        audit_record(
            actor=actor,
            action="network.secretariat.appoint",
            object_type="membership",
            object_id=membership.pk,
            changes={
                "network": network.slug,
                "person": person.name,
                "first_of_network": first,
            },
        )
        recipients = [
            m.person.user.email
            for m in current
            if m.person_id != person.pk and m.person.user and m.person.user.email
        ]
        if recipients:
            message = (
                f"{network}: {person.name} was appointed to the Secretariat",
                f"{actor.username or actor.role} appointed {person.name} "
                f"({organisation.name}) to the Secretariat of {network}. If you did not expect "
                "this, tell the instance's administrators at once; the audit log records it.",
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            transaction.on_commit(lambda: send_mass_mail((message,)))
    return membership
