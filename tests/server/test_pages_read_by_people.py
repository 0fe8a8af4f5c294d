"""What a reader sees on every page, for every role (issue 11): no path inside the repository
(``docs/security.md``, ``network/data/NOTICE.md``), no raw ISO timestamp, no slug where words
belong, and a "Demo content" badge only on fictional records.

The pages come from a crawl of the demo (real catalogue and ECtHR decisions, the fictional
networks and submission) after a curator's edit and publication, so the audit log and the
curation pages hold real timestamps. The crawl follows the links each role is shown, at most
two pages per URL shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cicnet.accounts.models import User
from cicnet.jurisprudence.models import Decision
from cicnet.search.services import rebuild_index

from ..factories import DecisionFactory, ParagraphFactory, TextFactory

pytestmark = pytest.mark.django_db

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT")
MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
INTERNAL_PATH = re.compile(r"\bdocs/|\b[\w-]+\.md\b|NOTICE")
ROLES = (
    None,
    "demo-member",
    "demo-curator",
    "demo-admin",
    "net-ncp",
    "net-cso",
    "net-secretariat",
)
START = ("/", "/decisions/", "/network/", "/cooperation/", "/curation/", "/audit/", "/?q=torture")
SKIP = ("/api/", "/static/", "/admin/", "/accounts/logout", "download", "export", "/2fa")
PER_SHAPE = 2
MAX_PAGES = 120


class _Visible(HTMLParser):
    """The text a reader sees (no script, style or attribute) and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _shape(url: str) -> str:
    path = url.split("?")[0]
    return re.sub(r"\d+", "N", re.sub(r"^/decisions/[^/]+/", "/decisions/U/", path))


def _crawl(client: Client) -> Iterator[tuple[str, str]]:
    """(url, visible text) of each HTML page reached from START."""
    queue, seen, shapes = list(START), set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0).split("#")[0]
        if url in seen or not url.startswith("/") or any(s in url for s in SKIP):
            continue
        seen.add(url)
        shapes[_shape(url)] = shapes.get(_shape(url), 0) + 1
        if shapes[_shape(url)] > PER_SHAPE:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Visible()
        parser.feed(response.content.decode())
        queue += parser.links
        yield url, " ".join(" ".join(parser.text).split())


@pytest.fixture
def demo(settings: object) -> dict[str | None, Client]:
    call_command("load_demo", limit=4, stdout=StringIO(), stderr=StringIO())
    curator = Client()
    curator.force_login(User.objects.get(username="demo-curator"))
    draft = DecisionFactory(uid="people-draft", state="draft", title="A draft to publish")
    ParagraphFactory(text=TextFactory(decision=draft), number=1, body="The facts.")
    for state in ("review", "published"):
        curator.post(f"/decisions/{draft.uid}/state/", {"to_state": state, "confirm": "yes"})
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_at is not None
    rebuild_index()  # indexing runs on commit, which a test's transaction never reaches
    clients: dict[str | None, Client] = {}
    for name in ROLES:
        client = Client()
        if name:
            client.force_login(User.objects.get(username=name))
        clients[name] = client
    return clients


def test_no_page_shows_an_internal_path_a_raw_timestamp_or_a_tag_slug(
    demo: dict[str | None, Client],
) -> None:
    problems = []
    crawled = 0
    for name, client in demo.items():
        for url, text in _crawl(client):
            crawled += 1
            for rx in (ISO_TIME, MACHINE_TIME, INTERNAL_PATH):
                for m in rx.finditer(text):
                    problems.append((name, url, text[max(0, m.start() - 40) : m.end() + 20]))
            # Library tags are slugs in the database and words on the page.
            if "mutual-legal-assistance" in text.replace("?tag=mutual-legal-assistance", ""):
                problems.append((name, url, "tag slug mutual-legal-assistance"))
    assert crawled > 100
    assert problems == [], "\n".join(sorted({f"{_shape(u)}: {t}" for _, u, t in problems}))


def test_real_decisions_carry_no_demo_badge_in_results_or_on_their_page(
    demo: dict[str | None, Client],
) -> None:
    anonymous = demo[None]
    real = Decision.objects.filter(state="published", access="public", source_key__gt="")
    assert real.exists() and not real.filter(is_demo=True).exists()
    results = anonymous.get("/").content.decode()
    assert 'data-testid="hit"' in results and "Demo content" not in results
    for decision in real[:3]:
        page = anonymous.get(f"/decisions/{decision.uid}/").content.decode()
        assert "Demo content" not in page, decision.uid
    # Fictional records still say so: the demo contact points in the network's directory.
    directory = demo["net-ncp"].get("/network/genocide-network/directory/").content.decode()
    assert "(fictional)" in directory
