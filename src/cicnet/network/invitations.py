"""Invitation-only registration: a network's Secretariat invites a person by e-mail to a role;
the link creates their account, person record and membership (then they enrol a second factor).

The token is 32 random bytes (``secrets``); only its SHA-256 is stored, so a database reader
cannot use a pending invitation. Mail goes out after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.accounts.services import user_create
from cicnet.audit.services import audit_record
from cicnet.network.models import Invitation, Membership, Network, Organisation, Person
from cicnet.network.services import NetworkDenied, NetworkInputError

INVITATION_DAYS = 14


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str  # contains the secret; shown to nobody but the mail recipient


def invitations_for(*, actor: policy.Actor, network: Network) -> QuerySet[Invitation]:
    if not policy.can_administer_network(actor, network.pk):
        return Invitation.objects.none()
    return Invitation.objects.filter(network=network).select_related("organisation")


@transaction.atomic
def invitation_send(
    *,
    actor: policy.Actor,
    network: Network,
    email: str,
    role: str,
    organisation_id: int | None,
    base_url: str,
) -> SentInvitation:
    """Invite ``email`` to ``network`` as ``role``: the network's Secretariat only; audited."""
    if actor.user_id is None or not policy.can_administer_network(actor, network.pk):
        raise NetworkDenied("only the network's Secretariat invites")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise NetworkInputError("email", "enter a valid e-mail address") from exc
    if role not in policy.NETWORK_ROLES:
        raise NetworkInputError("role", f"unknown role {role!r}")
    organisation = (
        Organisation.objects.filter(pk=organisation_id, network=network).first()
        if organisation_id
        else None
    )
    if organisation is None:
        raise NetworkInputError("organisation", "choose an organisation of this network")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        network=network,
        email=email,
        role=role,
        organisation=organisation,
        token_hash=_hash(token),
        created_by_id=actor.user_id,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="network.invitation.send",
        object_type="network.invitation",
        object_id=invitation.pk,
        changes={"network": network.slug, "email": email, "role": role},
    )
    link = f"{base_url.rstrip('/')}/network/join/{token}/"
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Invitation to {network}",
            message=(
                f"You are invited to join {network.name} on cicnet as "
                f"{role.replace('_', ' ')} ({organisation.name}).\n\n"
                f"Create your account within {INVITATION_DAYS} days: {link}\n\n"
                "You will then set up two-factor authentication."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return SentInvitation(invitation=invitation, link=link)


def invitation_pending(token: str) -> Invitation | None:
    """The invitation for a link, if it is unused and not expired."""
    return (
        Invitation.objects.select_related("network", "organisation")
        .filter(token_hash=_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, name: str, password: str) -> User:
    """Create the account, person and membership of a pending invitation; audited."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise NetworkInputError("token", "this invitation link is unknown, used or expired")
    username = username.strip()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise NetworkInputError("username", "choose another username; this one is taken or empty")
    if not name.strip():
        raise NetworkInputError("name", "enter your name as it should be shown to the network")
    candidate = User(username=username, email=invitation.email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise NetworkInputError("password", " ".join(exc.messages)) from exc
    user = user_create(
        username=username,
        password=password,
        role="member",
        email=invitation.email,
        organisation=invitation.organisation.name,
    )
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        user=user, name=name.strip(), email=invitation.email
    )
    Membership.objects.get_or_create(
        person=person,
        network=invitation.network,
        role=invitation.role,
        defaults={"organisation": invitation.organisation, "since": timezone.localdate()},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        actor=policy.actor_for(user),
        action="network.invitation.accept",
        object_type="network.invitation",
        object_id=invitation.pk,
        changes={"network": invitation.network.slug, "role": invitation.role},
    )
    return user
