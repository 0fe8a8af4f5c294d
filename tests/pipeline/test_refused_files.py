"""Ingestion reads only regular files inside the folder it was given (issue 10, item 2).

A symbolic link to ``/etc/passwd`` was once ingested and published, and one to the vault's key
file published the key-encryption key. Every kind of file that is not a regular file inside the
folder is refused with one line naming it, and the decision it belongs to is not written.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cicnet.jurisprudence.models import Decision, Text

from .conftest import GOOD

pytestmark = pytest.mark.django_db

SECRET = "root:x:0:0:the-canary-secret-of-this-machine"


def _ingest(path: Path) -> tuple[str, str, bool]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", str(path), "--quiet", stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), False
    return out.getvalue(), err.getvalue(), True


def _decision(folder: Path, uid: str = "de-olg-example-2022") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GOOD / f"{uid}.yaml", folder / f"{uid}.yaml")
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n")
    return secret


def _assert_nothing_leaked(uid: str = "de-olg-example-2022") -> None:
    assert not Decision.objects.filter(uid=uid).exists()
    assert not Text.objects.filter(body__contains="canary-secret").exists()
    assert SECRET not in Client().get(f"/api/v1/decisions/{uid}").content.decode()


def test_a_text_that_is_a_symlink_outside_is_refused(tmp_path: Path, outside: Path) -> None:
    folder = _decision(tmp_path / "in")
    (folder / "de-olg-example-2022.en.txt").symlink_to(outside)
    out, err, ok = _ingest(folder)
    assert not ok
    lines = err.strip().splitlines()
    assert lines[0] == (
        f"{folder / 'de-olg-example-2022.en.txt'}: refused: is a symbolic link; ingestion reads "
        "only regular files: copy the file in instead"
    )
    assert "de-olg-example-2022.yaml: not ingested: 1 of its files refused" in lines[1]
    assert "0 created" in out and "1 failed" in out
    _assert_nothing_leaked()


def test_a_symlink_inside_the_folder_is_refused_too(tmp_path: Path) -> None:
    folder = _decision(tmp_path / "in")
    (folder / "real.txt").write_text("1. A paragraph.\n")
    (folder / "de-olg-example-2022.en.txt").symlink_to(folder / "real.txt")
    _, err, ok = _ingest(folder)
    assert not ok and "is a symbolic link" in err
    _assert_nothing_leaked()


def test_a_metadata_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "de-olg-example-2022.yaml").symlink_to(GOOD / "de-olg-example-2022.yaml")
    _, err, ok = _ingest(folder)
    assert not ok and "de-olg-example-2022.yaml: refused: is a symbolic link" in err
    _assert_nothing_leaked()
    with pytest.raises(CommandError, match="is a symbolic link"):
        call_command("ingest", str(folder / "de-olg-example-2022.yaml"), stderr=io.StringIO())


def test_a_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    elsewhere = _decision(tmp_path / "elsewhere")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    _, err, ok = _ingest(folder)
    assert f"{folder / 'linked'}: refused: is a symbolic link to a folder; not followed" in err
    assert ok  # nothing to ingest is not a failure; the refusal is said
    _assert_nothing_leaked()


def test_a_fifo_is_refused_without_blocking_the_run(tmp_path: Path) -> None:
    folder = _decision(tmp_path / "in")
    os.mkfifo(folder / "de-olg-example-2022.en.txt")
    _, err, ok = _ingest(folder)
    assert not ok and "is a named pipe (FIFO), not a regular file" in err
    _assert_nothing_leaked()


def test_a_hard_link_is_refused(tmp_path: Path, outside: Path) -> None:
    folder = _decision(tmp_path / "in")
    os.link(outside, folder / "de-olg-example-2022.en.txt")
    _, err, ok = _ingest(folder)
    assert not ok and "has other hard links" in err
    _assert_nothing_leaked()


def test_other_decisions_of_the_folder_still_go_in(tmp_path: Path, outside: Path) -> None:
    folder = _decision(tmp_path / "in")
    shutil.copy(GOOD / "metadata-only.yaml", folder / "metadata-only.yaml")
    (folder / "de-olg-example-2022.en.txt").symlink_to(outside)
    out, _, ok = _ingest(folder)
    assert not ok and "1 created" in out and "1 failed" in out
    assert Decision.objects.filter(uid="metadata-only-example").exists()
    _assert_nothing_leaked()


def test_the_reader_refuses_a_link_even_when_called_directly(tmp_path: Path, outside: Path) -> None:
    from cicnet.pipeline.files import RefusedFile, read_regular_file

    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "a.en.txt"
    target.symlink_to(outside)
    with pytest.raises(RefusedFile, match="symbolic link"):
        read_regular_file(target, folder.resolve())


def test_a_stored_file_replaced_by_a_link_is_never_served(
    tmp_path: Path, outside: Path, settings: object
) -> None:
    """The file store is read the same way: a link planted under MEDIA_ROOT serves nothing,
    through the reader's source download or a network document download."""
    from cicnet.accounts.models import User
    from cicnet.network.models import Document, Network
    from cicnet.network.services import document_add

    folder = _decision(tmp_path / "in")
    for name in ("de-olg-example-2022.de.txt", "de-olg-example-2022.en.html"):
        shutil.copy(GOOD / name, folder / name)
    _, err, ok = _ingest(folder)
    assert ok, err
    text = Text.objects.get(decision__uid="de-olg-example-2022", language="de")
    curator = User.objects.create_user("curator-links", password="x", role="curator")
    client = Client()
    client.force_login(curator)
    url = "/decisions/de-olg-example-2022/files/de"
    assert client.get(url).status_code == 200

    from django.conf import settings as django_settings

    stored = Path(django_settings.MEDIA_ROOT) / text.source_file
    stored.unlink()
    stored.symlink_to(outside)
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET.encode() not in response.content

    network = Network.objects.create(slug="links", name="Fictional links network")
    document = document_add(
        actor=None,
        network=network,
        title="A public note",
        kind="note",
        classification="public",
        text="",
        filename="note.txt",
        content=b"the note",
    )
    network.is_public_archive = True
    network.save()
    api = f"/api/v1/networks/links/documents/{document.pk}/download"
    page = f"/network/links/documents/{document.pk}/download/"
    assert Client().get(api).status_code == 200
    stored = Path(django_settings.MEDIA_ROOT) / Document.objects.get(pk=document.pk).file.name
    stored.unlink()
    stored.symlink_to(outside)
    for path in (api, page):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert SECRET.encode() not in response.content
