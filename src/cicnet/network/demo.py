"""Demo networks: the EU Genocide Network's public meeting archive (real, from the seed page)
and a fictional regional network, with fictional people for every role.

Real: the network, its 36 meetings and their topics (``data/`` + seed.py), the organisations the
seed page names (Eurojust, Europol, the ICC Office of the Prosecutor, the UN mechanisms IIIM,
UNITAD and IIMM, the EU Asylum Agency's exclusion network, the Secretariat) and the titles of
the publications it lists. Everything else (people, national authorities, notes, the regional
network) is fictional and says so in its name. ``network_demo_load()`` is idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cicnet.accounts.models import User
from cicnet.accounts.services import user_create
from cicnet.network.models import (
    Document,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    Session,
    SessionParticipant,
)
from cicnet.network.seed import SEED_SOURCE, seed_meetings
from cicnet.network.services import document_add, meetings_load_from_seed

EU_SLUG = "genocide-network"
REGIONAL_SLUG = "demo-regional-network"


@dataclass(frozen=True)
class NetworkDemoLogin:
    username: str
    password: str
    network: str
    role: str
    organisation: str
    country: str
    sees: str


NETWORK_DEMO_LOGINS: tuple[NetworkDemoLogin, ...] = (
    NetworkDemoLogin(
        "net-ncp",
        "net-ncp-password",
        EU_SLUG,
        "national_contact_point",
        "Fictional War Crimes Unit, Federal Prosecution (demo)",
        "DE",
        "Genocide Network: network and closed-session documents, contact points",
    ),
    NetworkDemoLogin(
        "net-ncp-b",
        "net-ncp-b-password",
        EU_SLUG,
        "national_contact_point",
        "Fictional International Crimes Office, National Prosecution B (demo)",
        "SE",
        "Genocide Network: like net-ncp, for a second authority (the other side of the "
        "coordination demo's hit, team and request)",
    ),
    NetworkDemoLogin(
        "net-observer",
        "net-observer-password",
        EU_SLUG,
        "observer_counterpart",
        "Fictional Prosecutor's Office of an observer State (demo)",
        "BA",
        "Genocide Network: like a contact point (closed sessions included)",
    ),
    NetworkDemoLogin(
        "net-associate",
        "net-associate-password",
        EU_SLUG,
        "associate_representative",
        "Fictional UN Accountability Mechanism (demo)",
        "",
        "Genocide Network: network documents and contact points, no closed session",
    ),
    NetworkDemoLogin(
        "net-cso",
        "net-cso-password",
        EU_SLUG,
        "cso_representative",
        "Fictional Documentation Centre (demo)",
        "NL",
        "Genocide Network: network documents; no closed session, no contact details",
    ),
    NetworkDemoLogin(
        "net-secretariat",
        "net-secretariat-password",
        EU_SLUG,
        "secretariat",
        "Fictional Secretariat desk (demo)",
        "NL",
        "Genocide Network: everything, the view log, downgrades",
    ),
    NetworkDemoLogin(
        "net-regional-ncp",
        "net-regional-ncp-password",
        REGIONAL_SLUG,
        "national_contact_point",
        "Fictional National Prosecution Service A (demo)",
        "XA",
        "the regional network's closed sessions; the Genocide Network as the public does",
    ),
    NetworkDemoLogin(
        "net-regional-secretariat",
        "net-regional-secretariat-password",
        REGIONAL_SLUG,
        "secretariat",
        "Fictional Regional Secretariat (demo)",
        "XB",
        "administers the regional network only",
    ),
)

# Organisations the seed page names, with their place in the network as the page records it.
_EU_REAL_ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("Eurojust", "observer_organisation", "Observer status; hosts the Secretariat (seed page)"),
    ("Europol", "observer_organisation", "Observer (seed page)"),
    ("International Criminal Court, Office of the Prosecutor (ICC-OTP)", "observer_organisation",
     "Observer (seed page)"),
    ("UN International, Impartial and Independent Mechanism for Syria (IIIM)", "associate",
     "Associate (UN mechanism named in issue 4 from the seed pages)"),
    ("UN Investigative Team to Promote Accountability for Crimes Committed by Da'esh/ISIL "
     "(UNITAD)", "associate", "Admitted as an Associate at the 28th meeting (seed page)"),
    ("UN Independent Investigative Mechanism for Myanmar (IIMM)", "associate",
     "Associate Status granted at the 30th meeting (seed page)"),
    ("European Union Agency for Asylum, Exclusion Network", "associate",
     "Admitted as an Associate (as the European Asylum Support Office) at the 28th meeting "
     "(seed page)"),
    ("Genocide Network Secretariat", "secretariat",
     "Established in 2011, hosted by Eurojust (seed page)"),
)  # fmt: skip

_PUBLICATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Key factors for successful investigations and prosecutions of core international crimes",
     "factsheet", "Factsheet listed on the Eurojust page.", ("investigations", "factsheet")),
    ("At a Glance: Universal Jurisdiction in EU Member States", "factsheet",
     "Factsheet listed on the Eurojust page.", ("universal-jurisdiction", "factsheet")),
    ("Supporting judicial authorities in the fight against core international crimes",
     "factsheet", "Factsheet listed on the Eurojust page.", ("eurojust", "factsheet")),
    ("Strategy of the EU Genocide Network to combat impunity for the crime of genocide, crimes "
     "against humanity and war crimes within the European Union and its Member States",
     "report", "Adopted by the Network in November 2014; it identifies best practice and lists "
     "recommendations for EU Member States and Institutions; endorsed by the JHA ministers' "
     "Council Conclusions in 2015 (Eurojust page).", ("strategy", "impunity")),
    ("Guidelines on the Functioning of the Network", "report",
     "Adopted in November 2018: the Network's composition, requests from non-EU States to "
     "participate in meetings, the engagement of national contact points and the nature of the "
     "different sessions (Eurojust page).", ("governance",)),
)  # fmt: skip

_STORED_ONLY_TITLE = (
    " The demo stores only the title and the page's description; the publication itself is on "
    "eurojust.europa.eu."
)


@dataclass
class NetworkDemoResult:
    users_created: list[str] = field(default_factory=list)
    meetings_created: int = 0
    documents_created: int = 0


def _org(
    network: Network, name: str, org_type: str, country: str = "", **kw: object
) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        network=network,
        name=name,
        defaults={"org_type": org_type, "country": country, **kw},
    )
    return org


def _login_org_type(role: str) -> str:
    return {
        "national_contact_point": "national_authority",
        "observer_counterpart": "observer_state_authority",
        "associate_representative": "associate",
        "cso_representative": "civil_society",
        "secretariat": "secretariat",
    }[role]


def _people(networks: dict[str, Network], result: NetworkDemoResult) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for login in NETWORK_DEMO_LOGINS:
        network = networks[login.network]
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = user_create(
                username=login.username,
                password=login.password,
                role="member",
                first_name="Demo",
                last_name=f"{login.role.replace('_', ' ').title()} (fictional)",
                email=f"{login.username}@example.invalid",
                organisation=login.organisation,
            )
            result.users_created.append(login.username)
        org = _org(
            network,
            login.organisation,
            _login_org_type(login.role),
            login.country,
            is_fictional=True,
            is_specialised_unit=login.role == "national_contact_point",
        )
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={
                "name": f"{user.first_name} {user.last_name}",
                "function": login.role.replace("_", " ").capitalize(),
                "email": user.email,
                "phone": "+00 000 000 000 (fictional)",
                "is_fictional": True,
            },
        )
        Membership.objects.get_or_create(
            person=person,
            network=network,
            role=login.role,
            defaults={"organisation": org, "since": dt.date(2024, 1, 1)},
        )
        people[login.username] = person
    return people


def _invite(meeting: Meeting, people: dict[str, Person], names: dict[str, list[str]]) -> None:
    for kind, usernames in names.items():
        session = Session.objects.get(meeting=meeting, kind=kind)
        for username in usernames:
            SessionParticipant.objects.get_or_create(
                session=session, person=people[username], defaults={"attended": True}
            )


def _documents_once(
    network: Network, result: NetworkDemoResult, specs: list[dict[str, object]]
) -> None:
    for spec in specs:
        if Document.objects.filter(network=network, title=spec["title"]).exists():
            continue
        text = str(spec.get("text", ""))
        document_add(
            actor=None,
            network=network,
            filename=f"{network.slug}-{Document.objects.count() + 1}.txt",
            content=f"{spec['title']}\n\n{text}\n".encode()
            if spec.get("with_file", True)
            else None,
            **{k: v for k, v in spec.items() if k != "with_file"},  # type: ignore[arg-type]  # keys are document_add's
        )
        result.documents_created += 1


@transaction.atomic
def network_demo_load() -> NetworkDemoResult:
    """Create or complete the demo networks (safe to run again)."""
    result = NetworkDemoResult()
    eu, _ = Network.objects.get_or_create(
        slug=EU_SLUG,
        defaults={
            "name": "European Network for investigation and prosecution of genocide, crimes "
            "against humanity and war crimes",
            "short_name": "Genocide Network",
            "description": "Established in 2002 and reinforced in 2003 by the Council of the "
            "European Union to enable close cooperation between national authorities "
            "investigating and prosecuting core international crimes. It meets twice a year in "
            "an open and a closed session; its Secretariat is hosted by Eurojust.",
            "is_public_archive": True,
            "source_note": SEED_SOURCE,
        },
    )
    regional, _ = Network.objects.get_or_create(
        slug=REGIONAL_SLUG,
        defaults={
            "name": "Fictional Regional Network against Impunity (demo)",
            "short_name": "Regional network (demo)",
            "description": "A fictional regional network of non-EU national authorities, "
            "modelled on the Genocide Network as Eurojust's National Authorities Against "
            "Impunity project (2024-2028) encourages. Its members see it; no one else does.",
            "is_public_archive": False,
            "is_fictional": True,
        },
    )
    for name, org_type, note in _EU_REAL_ORGANISATIONS:
        _org(eu, name, org_type, "", source_note=note)
    before = Meeting.objects.filter(network=eu).count()
    meetings_load_from_seed(network=eu, meetings=seed_meetings())
    result.meetings_created = Meeting.objects.filter(network=eu).count() - before
    for number, start in ((1, dt.date(2025, 3, 12)), (2, dt.date(2025, 10, 8))):
        meeting, _ = Meeting.objects.get_or_create(
            network=regional,
            number=number,
            defaults={
                "title": f"Fictional regional meeting {number} (demo)",
                "start_date": start,
                "end_date": start + dt.timedelta(days=1),
                "place": "Fictional City (demo)",
                "meeting_format": "hybrid",
            },
        )
        for kind in ("open", "closed"):
            Session.objects.get_or_create(meeting=meeting, kind=kind)
    # An upcoming fictional meeting, so the calendar has something to show beside 23 May.
    upcoming = timezone.localdate() + dt.timedelta(days=60)
    meeting3, _ = Meeting.objects.get_or_create(
        network=regional,
        number=3,
        defaults={
            "title": "Fictional regional meeting 3 (demo)",
            "start_date": upcoming,
            "end_date": upcoming + dt.timedelta(days=1),
            "place": "Fictional City (demo)",
            "meeting_format": "hybrid",
        },
    )
    for kind in ("open", "closed"):
        Session.objects.get_or_create(meeting=meeting3, kind=kind)
    people = _people({EU_SLUG: eu, REGIONAL_SLUG: regional}, result)

    m36 = Meeting.objects.get(network=eu, number=36)
    open36 = Session.objects.get(meeting=m36, kind="open")
    closed36 = Session.objects.get(meeting=m36, kind="closed")
    _invite(
        m36,
        people,
        {
            "open": ["net-ncp", "net-observer", "net-associate", "net-cso", "net-secretariat"],
            "closed": ["net-ncp", "net-observer", "net-secretariat"],
        },
    )
    topics = "\n".join(f"- {i.title}" for i in m36.agenda_items.order_by("order"))
    specs: list[dict[str, object]] = [
        {"title": "Topics of the 36th meeting, as listed on the Eurojust page", "kind": "agenda",
         "classification": "public", "meeting": m36, "session": open36, "text": topics,
         "tags": ["unlawful-attacks", "ihl"]},
        {"title": "Open-session briefing on documenting attacks on civilians (fictional demo)",
         "kind": "note", "classification": "network", "meeting": m36, "session": open36,
         "text": "Fictional demo note shared with all members: checklists for documenting "
         "unlawful attacks, for training purposes only.", "tags": ["unlawful-attacks"],
         "is_fictional": True},
        {"title": "Operational update on ongoing investigations (fictional demo, closed session)",
         "kind": "note", "classification": "closed_session", "meeting": m36, "session": closed36,
         "text": "Fictional demo: confidential operational information exchanged between "
         "contact points. No real case is described.", "tags": ["operational"],
         "is_fictional": True},
        {"title": "Pending mutual legal assistance requests (fictional demo, closed session)",
         "kind": "note", "classification": "closed_session", "meeting": m36, "session": closed36,
         "text": "Fictional demo list of pending requests between contact points.",
         "tags": ["mutual-legal-assistance", "operational"], "is_fictional": True},
        {"title": "Draft conclusions of the 36th meeting under review (fictional demo)",
         "kind": "conclusions", "classification": "secretariat", "meeting": m36,
         "text": "Fictional demo draft, visible to the Secretariat until it is downgraded.",
         "tags": ["conclusions"], "is_fictional": True},
        {"title": "Training module on structural investigations (fictional demo)",
         "kind": "training", "classification": "network",
         "text": "Fictional demo training material on structural investigations.",
         "tags": ["structural-investigations", "training"], "is_fictional": True},
    ]  # fmt: skip
    specs += [
        {"title": title, "kind": kind, "classification": "public",
         "text": text + _STORED_ONLY_TITLE, "tags": list(tags), "with_file": False}
        for title, kind, text, tags in _PUBLICATIONS
    ]  # fmt: skip
    _documents_once(eu, result, specs)

    r1 = Meeting.objects.get(network=regional, number=1)
    _invite(r1, people, {"open": ["net-regional-ncp", "net-regional-secretariat"],
                         "closed": ["net-regional-ncp", "net-regional-secretariat"]})  # fmt: skip
    _documents_once(
        regional,
        result,
        [
            {"title": "Regional closed-session note (fictional demo)", "kind": "note",
             "classification": "closed_session", "meeting": r1,
             "session": Session.objects.get(meeting=r1, kind="closed"),
             "text": "Fictional demo note of the regional network.", "tags": ["operational"],
             "is_fictional": True},
            {"title": "Regional work programme (fictional demo)", "kind": "note",
             "classification": "network", "meeting": r1,
             "text": "Fictional demo work programme.", "tags": ["governance"],
             "is_fictional": True},
        ],
    )  # fmt: skip
    return result
