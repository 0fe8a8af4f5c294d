"""The Django admin's user pages: every change is audited, a changed e-mail address is told to
the old one (meeting, question and alert e-mails follow the address), and the password set there
is audited too."""

from __future__ import annotations

from typing import Any

from django.core import mail

from cicnet.audit.models import AuditEntry
from tests.clients import verified_client
from tests.factories import UserFactory


def _form_data(user: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_e_mail_changed_in_the_admin_is_audited_and_told_to_the_old_address(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    admin_user = UserFactory(username="adm", role="admin", is_staff=True, is_superuser=True)
    member = UserFactory(username="member-x", role="member", email="member-x@example.invalid")
    client = verified_client(admin_user)
    url = f"/django-admin/accounts/user/{member.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form_data(member, email="someone-else@example.invalid"))
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.email == "someone-else@example.invalid"
    entry = AuditEntry.objects.get(action="user.admin_change", object_id="member-x")
    assert entry.actor_label == "adm"
    assert entry.changes["email"] == ["member-x@example.invalid", "someone-else@example.invalid"]
    assert [m.to for m in mail.outbox] == [["member-x@example.invalid"]]
    assert "adm" in mail.outbox[0].body and "someone-else@example.invalid" in mail.outbox[0].body

    # Saving without a change records nothing and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form_data(member))
    entries = AuditEntry.objects.filter(action="user.admin_change")
    assert entries.count() == 1, [e.changes for e in entries]
    assert mail.outbox == []


def test_a_password_set_in_the_admin_is_audited_without_its_value(db: None) -> None:
    admin_user = UserFactory(username="adm2", role="admin", is_staff=True, is_superuser=True)
    member = UserFactory(username="member-y", role="member")
    client = verified_client(admin_user)
    secret = "A-new-long-password-9431"
    response = client.post(
        f"/django-admin/accounts/user/{member.pk}/password/",
        {"password1": secret, "password2": secret, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="user.admin_change", object_id="member-y")
    assert entry.changes == {"password": "changed"}
    assert secret not in str(entry.changes)
