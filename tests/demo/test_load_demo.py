"""``cicnet load_demo`` and ``cicnet demo_logins`` end to end, on a small slice of the demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cicnet.accounts.models import User
from cicnet.demo.tab import tab_records
from cicnet.demo.users import DEMO_LOGINS
from cicnet.jurisprudence.models import Decision, DecisionVersion, Text

pytestmark = pytest.mark.django_db


def _load(limit: int = 5) -> str:
    out = StringIO()
    call_command("load_demo", limit=limit, stdout=out, stderr=out)
    return out.getvalue()


def test_load_demo_creates_a_user_for_every_role() -> None:
    _load(limit=0)
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    assert {u.role for u in users.values()} == {"member", "curator", "admin"}
    for login in DEMO_LOGINS:
        user = users[login.username]
        assert user.check_password(login.password)
        assert "(demo)" in user.organisation
    assert users["demo-admin"].is_staff and not users["demo-member"].is_staff


def test_load_demo_ingests_catalogue_and_ecthr_decisions() -> None:
    _load(limit=5)
    assert Decision.objects.count() == 15  # 5 catalogue, 5 TAB, 5 of the parallel corpus
    # Real decisions, catalogued from public sources or from the TAB corpus: none is "demo".
    assert Decision.objects.filter(is_demo=True).count() == 0
    tab_uids = [str(r.metadata["uid"]) for r in tab_records(5)]
    assert Text.objects.filter(decision__uid__startswith="echr-").count() == 5 + 5 * 3
    excerpts = Text.objects.filter(decision__uid__in=tab_uids)
    assert {(t.completeness, t.excerpt_contents) for t in excerpts} == {
        ("excerpt", "Procedure and facts")
    }
    anwar = Decision.objects.get(uid="de-olg-koblenz-anwar-r-2022")
    assert sorted(anwar.crimes.values_list("crime_id", flat=True)) == [
        "7(1)(a)",
        "7(1)(e)",
        "7(1)(f)",
        "7(1)(g)-1",
        "other",
    ]
    assert anwar.state == "published" and anwar.access == "public"
    appeal = Decision.objects.get(uid="de-bgh-anwar-r-2024")
    assert appeal.proceedings_id == anwar.proceedings_id is not None
    assert Decision.objects.filter(court="European Court of Human Rights").count() == 10
    echr = Decision.objects.filter(uid__in=tab_uids).order_by("uid")
    assert echr.count() == 5
    assert [d.access for d in echr] == ["public", "public", "public", "network", "public"]
    text = Text.objects.get(decision=echr[0])
    assert text.is_original and text.language == "en" and text.paragraphs.exists()
    assert echr[0].date_precision == "year"


def test_load_demo_without_texts_loads_the_ecthr_metadata_only() -> None:
    out = StringIO()
    call_command("load_demo", limit=2, skip_texts=True, stdout=out, stderr=out)
    tab_uids = [str(r.metadata["uid"]) for r in tab_records(2)]
    assert Decision.objects.filter(uid__in=tab_uids).count() == 2, out.getvalue()
    assert not Text.objects.filter(decision__uid__startswith="echr-").exists()
    assert Decision.objects.count() == 4  # 2 catalogue, 2 TAB; no parallel texts


def test_running_load_demo_again_changes_nothing() -> None:
    _load(limit=5)
    before = {d.uid: (d.version, d.updated_at, d.content_hash) for d in Decision.objects.all()}
    users_before = list(User.objects.order_by("pk").values_list("pk", "password"))
    versions_before = DecisionVersion.objects.count()
    output = _load(limit=5)
    after = {d.uid: (d.version, d.updated_at, d.content_hash) for d in Decision.objects.all()}
    assert after == before
    assert list(User.objects.order_by("pk").values_list("pk", "password")) == users_before
    assert DecisionVersion.objects.count() == versions_before
    assert "Demo users already present" in output


def test_a_changed_demo_user_is_left_alone() -> None:
    _load(limit=0)
    User.objects.filter(username="demo-member").update(organisation="Renamed on purpose")
    _load(limit=0)
    assert User.objects.get(username="demo-member").organisation == "Renamed on purpose"


def test_demo_logins_prints_the_url_and_every_login() -> None:
    out = StringIO()
    call_command("demo_logins", url="http://127.0.0.1:8123/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    for login in DEMO_LOGINS:
        assert login.username in text and login.password in text and login.role in text
    assert "anonymous" in text


def test_load_demo_rejects_a_negative_limit() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--limit"):
        call_command("load_demo", limit=-1, stdout=StringIO())


def test_load_demo_sends_one_fictional_submission_through_the_vault() -> None:
    from cicnet.evidence.custody_log import custody_check
    from cicnet.evidence.models import EvidenceItem, Referral, Submission

    output = _load(limit=0)
    assert "Demo submission: net-cso sent two fictional items to net-ncp" in output
    submission = Submission.objects.get()
    assert submission.title.startswith("(demo) Fictional") and submission.state == "submitted"
    assert Referral.objects.get(submission=submission).state == "acknowledged"
    items = list(EvidenceItem.objects.filter(submission=submission))
    assert sorted(i.media_type for i in items) == ["image/png", "text/plain"]
    assert all(custody_check(i) == [] for i in items)
    _load(limit=0)
    assert Submission.objects.count() == 1


def test_load_demo_signs_off_only_its_own_texts() -> None:
    # An operator's own decision waiting for review must stay withheld: the demo's bulk sign-off
    # names the demo decisions, never "everything pending".
    from cicnet.anonymisation.models import TextAnonymisation
    from cicnet.anonymisation.services import decision_anonymise
    from tests.factories import DecisionFactory, ParagraphFactory, TextFactory

    own = DecisionFactory(uid="operator-own", access="public", state="published")
    text = TextFactory(decision=own, language="en", anonymisation=False)
    ParagraphFactory(text=text, number=1, body="The witness Eyad Darwish testified.")
    decision_anonymise(decision=own)
    _load()
    assert TextAnonymisation.objects.get(text__decision=own).signed_off_at is None
    demo = TextAnonymisation.objects.exclude(text__decision=own)
    assert demo.exists() and not demo.filter(signed_off_at__isnull=True).exists()
    assert set(demo.values_list("sign_off_kind", flat=True)) == {"bulk"}


def test_demo_secretariat_translates_and_reviews() -> None:
    from cicnet.translation.models import TranslatorRole

    _load(limit=0)
    roles = set(TranslatorRole.objects.values_list("user__username", "role"))
    assert roles == {("demo-curator", "translator"), ("demo-admin", "reviewer")}
    _load(limit=0)  # again: nothing doubled
    assert TranslatorRole.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_load_demo_holds_back_the_notifications_to_its_fictional_people() -> None:
    # With real commits (as under `make demo`), the demo's own steps notify the fictional
    # people (a team amendment); those e-mails are counted, never sent.
    from django.core import mail

    mail.outbox = []
    out = _load(limit=1)
    assert mail.outbox == []
    assert "notification(s) to the fictional people held back, not sent" in out
