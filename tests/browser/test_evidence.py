"""A civil-society member walks a submission with two files through Chromium — each file's
SHA-256 computed in the browser while it is sent in chunks — up to its acknowledgement by an
addressed authority. Both log in with a real second factor (the vault requires it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cicnet.evidence.models import EvidenceItem, Referral, Submission

from ..evidence.conftest import World, world  # noqa: F401  # shared fixtures
from .conftest import PASSWORD

pytestmark = pytest.mark.browser

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 700  # ~179 kB: three chunks of 64 KiB
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(reversed(range(256))) * 900


def _log_in_with_second_factor(new_page: Callable[..., Any], user: Any) -> Any:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    page = new_page()
    page.goto("/accounts/login/?next=/cooperation/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    page.fill('[data-testid="token"]', f"{TOTP(device.bin_key).token():06d}")
    page.click("button:has-text('Verify')")
    page.wait_for_url(re.compile(r"/cooperation/$"))
    return page


def _upload(page: Any, name: str, mime: str, content: bytes, description: str) -> None:
    before = page.locator('[data-testid="item-row"]').count()
    page.set_input_files(
        '[data-testid="file-input"]', files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.fill("#id_description", description)
    page.select_option("#id_handling_code", "no_onward_sharing")
    page.fill("#id_capture_place", "Fictional town square")
    page.click('[data-testid="upload-submit"]')
    expect(page.locator('[data-testid="item-row"]')).to_have_count(before + 1, timeout=20_000)


def test_cso_submission_with_two_files_to_acknowledgement(
    new_page: Callable[..., Any],
    world: World,  # noqa: F811  # the imported fixture
    settings: Any,
) -> None:
    settings.CICNET_REQUIRE_2FA = True
    settings.CICNET_EVIDENCE_CHUNK_BYTES = 64 * 1024
    cso = _log_in_with_second_factor(new_page, world.users["cso"])
    cso.click('[data-testid="new-submission"]')
    cso.fill("#id_title", "Fictional shelling of the market")
    cso.fill("#id_narrative", "A fictional narrative written for the browser test.")
    cso.fill("#id_places", "Fictional town")
    cso.fill("#id_persons", "W-7 | witness")
    cso.check(f"input[name=addressees][value='{world.orgs['de'].pk}']")
    cso.click('[data-testid="save-draft"]')
    expect(cso.locator('[data-testid="draft-actions"]')).to_be_visible()

    _upload(cso, "market.jpg", "image/jpeg", PHOTO, "Photo of the market after the strike.")
    _upload(cso, "market.mp4", "video/mp4", VIDEO, "Video filmed by a bystander.")
    shown = cso.locator('[data-testid="item-sha256"]').all_inner_texts()
    # The server keeps a file only when its SHA-256 equals the one the browser computed.
    assert sorted(shown) == sorted(hashlib.sha256(b).hexdigest() for b in (PHOTO, VIDEO))
    submission = Submission.objects.get(title="Fictional shelling of the market")
    assert EvidenceItem.objects.filter(submission=submission).count() == 2

    cso.click('[data-testid="send"]')
    expect(cso.locator('[data-testid="confirm-recipients"]')).to_contain_text("Prosecutor DE")
    expect(cso.locator('[data-testid="confirm-items"] li')).to_have_count(2)
    cso.click('[data-testid="confirm-send"]')
    expect(cso.locator('[data-testid="referral-state"]')).to_have_text("Submitted")

    authority = _log_in_with_second_factor(new_page, world.users["authority"])
    expect(authority.locator('[data-testid="submission-row"]')).to_have_count(2)
    authority.click(f"text={submission.uid}")
    expect(authority.locator('[data-testid="side"]')).to_contain_text("addressed authority")
    expect(authority.locator('[data-testid="item-row"]')).to_have_count(2)
    authority.select_option('[data-testid="transition-to"]', "acknowledged")
    authority.fill("textarea[name=message]", "Received; we will assess it.")
    authority.click('[data-testid="transition-submit"]')
    expect(authority.locator('[data-testid="referral-state"]')).to_have_text("Acknowledged")

    cso.reload()
    expect(cso.locator('[data-testid="referral-state"]')).to_have_text("Acknowledged")
    expect(cso.locator('[data-testid="thread"]')).to_contain_text("we will assess it")
    assert Referral.objects.get(submission=submission).state == "acknowledged"


def test_guide_page_links_its_sources(
    new_page: Callable[..., Any],
    world: World,  # noqa: F811  # the imported fixture
) -> None:
    page = new_page(world.users["cso"].username)
    page.goto("/cooperation/guide/")
    expect(page.locator('[data-testid="guide-title"]')).to_be_visible()
    links = page.locator('[data-testid="guide-sources"] a')
    assert links.count() == 4


def test_the_same_file_added_twice_is_flagged_before_it_is_sent(
    new_page: Callable[..., Any],
    world: World,  # noqa: F811  # the imported fixture
) -> None:
    from ..evidence.conftest import OPEN_BYTES

    page = new_page(world.users["cso"].username)
    page.goto(f"/cooperation/{world.submission.uid}/")
    items = page.locator('[data-testid="item-row"]')
    expect(items).to_have_count(2)
    warning = page.locator('[data-testid="duplicate-warning"]')
    expect(warning).to_be_hidden()

    same = {"name": "school-again.jpg", "mimeType": "image/jpeg", "buffer": OPEN_BYTES}
    page.set_input_files('[data-testid="file-input"]', files=[same])
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(world.open_item.uid)
    expect(warning).to_contain_text(hashlib.sha256(OPEN_BYTES).hexdigest())
    page.fill("#id_description", "The same photo again.")
    page.click('[data-testid="upload-submit"]')
    expect(page.locator('[data-testid="upload-status"]')).to_contain_text(
        f"this file is already {world.open_item.uid}"
    )
    assert EvidenceItem.objects.filter(submission=world.submission).count() == 2

    # Another file: no warning.
    other = {"name": "other.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}
    page.set_input_files('[data-testid="file-input"]', files=[other])
    expect(warning).to_be_hidden()

    # The same file, added on purpose.
    page.set_input_files('[data-testid="file-input"]', files=[same])
    expect(warning).to_be_visible()
    page.check('[data-testid="duplicate-confirm"]')
    page.click('[data-testid="upload-submit"]')
    expect(items).to_have_count(3, timeout=20_000)
