"""Load the demo: fictional users plus the real decisions, through the ordinary ingestion path.

The catalogue (``data/decisions.csv``) and the ECtHR judgments (``data/tab_*.json``) are
converted into ingestion-format files in a temporary folder outside the repository and ingested
with ``cicnet ingest``, so the demo exercises exactly what an operator's own files go through.
Running it again writes identical files, which ingestion recognises and skips.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO, TextIOBase
from pathlib import Path

from django.core.management import CommandError, call_command

from cicnet.demo.catalogue import catalogue_records
from cicnet.demo.parallel import parallel_records
from cicnet.demo.records import DemoRecord
from cicnet.demo.tab import tab_records
from cicnet.demo.users import demo_users_ensure
from cicnet.network.demo import network_demo_load

DEMO_SIGN_OFF_BY = "demo-curator"
DEMO_BATCH = "cicnet demo: anonymised automatically when loaded, signed off in bulk for the demo"


@dataclass
class DemoLoadResult:
    users_created: list[str] = field(default_factory=list)
    records_written: int = 0
    network_users_created: list[str] = field(default_factory=list)
    network_documents_created: int = 0
    ingest_failed: str = ""  # the ingest command's error, when it reported one
    signed_off: int = 0  # decisions whose automatic anonymisation the loader signed off
    sign_off_refused: list[str] = field(default_factory=list)  # why, for each one it could not


def demo_records(*, limit: int | None = None, skip_texts: bool = False) -> list[DemoRecord]:
    """Every demo decision as an ingestion record: the catalogue, the ECtHR judgments of TAB,
    then the 40 ECtHR judgments in English, French and Spanish (with their texts only)."""
    parallel = [] if skip_texts else list(parallel_records(limit))
    return [*catalogue_records(limit), *tab_records(limit, with_text=not skip_texts), *parallel]


def demo_files_write(records: Iterable[DemoRecord], folder: Path) -> int:
    """Write the records' files into ``folder``; return how many records were written."""
    count = 0
    for record in records:
        record.write(folder)
        count += 1
    return count


def demo_load(
    *,
    limit: int | None = None,
    skip_texts: bool = False,
    stdout: TextIOBase | None = None,
    stderr: TextIOBase | None = None,
    verbosity: int = 1,
) -> DemoLoadResult:
    """Create the demo users that are missing, the demo networks (network/demo.py) and ingest
    the demo decisions.

    ``limit`` takes the first N decisions of each source (for quick tests); ``skip_texts`` leaves
    the ECtHR full texts out. The ingest command's report goes to ``stdout``, its per-file
    errors to ``stderr``.
    """
    result = DemoLoadResult(users_created=demo_users_ensure())
    _demo_translation_roles()
    network = network_demo_load()  # the networks, their 36 archive meetings, fictional members
    result.network_users_created = network.users_created
    result.network_documents_created = network.documents_created
    records = demo_records(limit=limit, skip_texts=skip_texts)
    with tempfile.TemporaryDirectory(prefix="cicnet-demo-") as tmp:
        folder = Path(tmp)
        result.records_written = demo_files_write(records, folder)
        out = stdout if stdout is not None else StringIO()
        try:
            call_command(
                "ingest",
                str(folder),
                stdout=out,
                stderr=stderr if stderr is not None else out,
                verbosity=verbosity,
            )
        except CommandError as exc:
            result.ingest_failed = str(exc)
        except SystemExit as exc:  # a command that exits instead of raising CommandError
            if exc.code not in (0, None):
                result.ingest_failed = f"ingest exited with status {exc.code}"
    with_texts = [str(r.metadata.get("uid") or r.name) for r in records if r.texts]
    result.signed_off, result.sign_off_refused = _demo_sign_off(with_texts)
    return result


def _demo_sign_off(uids: list[str]) -> tuple[int, list[str]]:
    """Sign off the demo texts' automatic anonymisation in bulk, through the path an operator
    uses (``cicnet anonymisation sign-off``) and recorded as what it is, so that the demo shows
    its texts labelled truthfully; nobody reviewed them. Only the demo's own decisions: anything
    else waiting for review on the instance stays withheld."""
    from cicnet.access import policy
    from cicnet.accounts.selectors import user_by_username
    from cicnet.anonymisation.selectors import decisions_for_sign_off
    from cicnet.anonymisation.sign_off import sign_off_batch

    curator = user_by_username(DEMO_SIGN_OFF_BY)
    if curator is None:
        return 0, []
    decisions, _ = decisions_for_sign_off(uids=uids, pending=False)
    done = sign_off_batch(actor=policy.actor_for(curator), decisions=decisions, batch=DEMO_BATCH)
    return len(done.signed_off), list(done.refused.values())


def _demo_translation_roles() -> None:
    """The demo's Secretariat translates (demo-curator: translator) and reviews (demo-admin:
    reviewer), granted through the service a curator uses, so a newcomer can try the workspace
    with two logins (docs/translation.md)."""
    from cicnet.access import policy
    from cicnet.accounts.selectors import user_by_username
    from cicnet.translation.services import translator_role_grant

    admin = user_by_username("demo-admin")
    if admin is None:
        return
    granter = policy.actor_for(admin)
    for username, role in (("demo-curator", "translator"), ("demo-admin", "reviewer")):
        user = user_by_username(username)
        if user is not None:
            translator_role_grant(actor=granter, user=user, role=role)
