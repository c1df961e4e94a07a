"""The job-search record in the web view, in real headless Chromium: the first run, importing, the catch-up,
documents, the calendar file, and the work-search report's words (issue 22)."""
import base64
from pathlib import Path

import pytest

from conftest import posting_page

pytest.importorskip("playwright.sync_api")
# The same browser, companion and signed-in tab as the web view's own tests (module fixtures, by import).
from test_imports import HUNTR, _huntr_every_stage  # noqa: E402
from test_web import CHROMIUM, browser, console, open_page, page, reloads, server  # noqa: E402,F401

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def test_the_start_page_asks_for_the_name_that_signs_the_drafts_until_it_is_set(page, server):
    open_page(page, server, "/")
    assert page.locator("#your-name").is_visible()
    page.fill("#first-name", "Sam Lee")
    reloads(page, lambda: page.click("#name-form button[type=submit]"))
    assert page.locator("#your-name").count() == 0
    created = server.post("/api/applications", {"url": "https://jobs.example.com/signed", "title": "Signed Role",
                                                "company": "Signco"}).json
    assert created["next_followup"]["draft"]["body"].endswith("\nSam Lee")
    assert "[Your name]" not in created["next_followup"]["draft"]["body"]


def test_after_an_import_the_page_says_what_happened_and_the_preview_and_its_button_go(page, server):
    open_page(page, server, "/import")
    page.set_input_files("#import-file", files=[{"name": "huntr.csv", "mimeType": "text/csv",
                                                  "buffer": HUNTR.encode()}])
    page.wait_for_selector("#import-preview:not([hidden])")
    assert "import.invalid" not in page.locator("#import-table").inner_text()
    page.click("#import-go")
    page.wait_for_selector("#import-done:not([hidden])")
    assert page.locator("#import-summary").inner_text() == (  # an imported address is no proof of whose it is
        "4 applications were added; 3 posting addresses are yours once you confirm each application on its page.")
    assert page.locator("#import-preview").is_hidden() and page.locator("#import-go").is_hidden()
    page.set_input_files("#import-file", files=[{"name": "huntr.csv", "mimeType": "text/csv",
                                                  "buffer": HUNTR.encode()}])  # the same file again
    page.wait_for_selector("#import-preview:not([hidden])")
    assert page.locator("#import-done").is_hidden()
    page.click("#import-go")
    page.wait_for_selector("#import-done:not([hidden])")
    assert page.locator("#import-summary").inner_text() == \
        "0 applications were added; 4 were stored already and left as they were."


def test_what_fell_due_before_an_import_is_one_catch_up_entry_dismissed_at_once(page, server):
    text, _ = _huntr_every_stage()
    assert server.post("/api/import", {"format": "csv", "text": text}).json["created"] == 7
    open_page(page, server, "/")
    entries = page.locator("#due-followups li.followup")
    assert page.locator("#catch-up").count() == 1 and entries.first.get_attribute("id") == "catch-up"
    assert "Catch up:" in page.locator("#catch-up").inner_text() and "Appco" in page.locator("#catch-up").inner_text()
    assert page.locator("#due-followups .due-tag.overdue").count() == 0  # history, not a red list of late ones
    reloads(page, lambda: page.click("#catch-up button:has-text('Dismiss them all')"))
    assert page.locator("#catch-up").count() == 0
    assert server.get("/api/followups").json["overdue"] == 0


def test_a_stored_resume_can_be_picked_on_an_application_page(page, server):
    stored = server.post("/api/documents", {"name": "cv-2026.pdf", "kind": "resume",
                                            "content_base64": base64.b64encode(b"%PDF-1.7\n% cv\n").decode()}).json
    application = server.post("/api/applications", {"url": "https://jobs.example.com/pick",
                                                    "html": posting_page("Pick Role", "Pickco")}).json["application"]
    open_page(page, server, f"/applications/{application['id']}")
    page.select_option("#pick-doc", str(stored["document"]["id"]))
    reloads(page, lambda: page.click("#pick-document button[type=submit]"))
    assert "cv-2026.pdf" in page.locator("#sent-documents").inner_text()
    assert page.locator("#pick-doc").count() == 0  # the only one stored is linked now: nothing left to pick


def test_the_calendar_card_says_a_phone_cannot_reach_the_feed_and_offers_a_file(page, server):
    open_page(page, server, "/settings")
    assert "127.0.0.1" in page.locator("#cal-file-note").inner_text()
    assert "phone" in page.locator("#cal-file-note").inner_text()
    with page.expect_download() as download:
        page.click("#cal-download")
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert body.startswith("BEGIN:VCALENDAR") and "Signco" in body  # the follow-up of the capture above
