"""The Documents, Report and Import pages in real headless Chromium: attach a file, merge, preview and import."""
import pytest

from conftest import posting_page
from test_web import CHROMIUM, browser, console, open_page, page, reloads, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed")


def capture(server, url, title, company):
    response = server.post("/api/applications", {"url": url, "html": posting_page(title, company)})
    assert response.status == 201, response.text
    return response.json["application"]


def test_a_file_picked_on_an_application_page_is_attached_and_listed_on_documents(page, server, tmp_path, console):
    app = capture(server, "https://jobs.example.com/web-doc", "Widget Tester", "Initrode")
    resume = tmp_path / "Sam Resume.pdf"
    resume.write_bytes(b"%PDF-1.7\n% Sam's resume\n")
    open_page(page, server, f"/applications/{app['id']}")
    page.set_input_files("#doc-file", str(resume))
    page.select_option("#doc-kind", "resume")
    reloads(page, lambda: page.click("#upload-form button[type=submit]"))
    assert "Sam Resume.pdf" in page.locator("#sent-documents").inner_text()
    open_page(page, server, "/documents")
    row = page.locator("[data-document-name='Sam Resume.pdf'] tr[data-document]")
    assert "Widget Tester at Initrode" in row.inner_text() and "Résumé" in row.inner_text()
    assert console == []


def test_the_application_page_offers_to_merge_a_similar_one(page, server):
    first = capture(server, "https://www.linkedin.com/jobs/view/515", "Gadget Engineer", "Vandelay Industries Inc.")
    second = capture(server, "https://boards.greenhouse.io/vandelay/jobs/5", "Gadget Engineer", "VANDELAY INDUSTRIES")
    open_page(page, server, f"/applications/{second['id']}")
    offer = page.locator(f"#similar [data-similar='{first['id']}']")
    assert "You applied to a similar role at Vandelay Industries Inc." in offer.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    reloads(page, lambda: offer.locator("button").click())
    assert server.get(f"/api/applications/{first['id']}").status == 404
    assert server.get(f"/api/applications/{second['id']}").json["application"]["urls"] == [first["url"]]


def test_import_shows_a_preview_with_changeable_columns_then_imports(page, server, tmp_path):
    sheet = tmp_path / "mine.csv"
    sheet.write_text("Firma,Stelle,Datum,Stand\nDunder Mifflin,Paper Seller,02.10.2026,Applied\n", encoding="utf-8")
    open_page(page, server, "/import")
    page.set_input_files("#import-file", str(sheet))
    page.wait_for_selector("#import-preview:not([hidden])")
    page.select_option("#map-company", "Firma")
    page.select_option("#map-title", "Stelle")
    page.select_option("#map-applied_at", "Datum")
    page.select_option("#map-status", "Stand")
    # The table shows the answer to the last choice (the date), whatever order the answers came in.
    page.wait_for_selector("#import-table td:has-text('2026-10-02')")
    assert "Dunder Mifflin" in page.locator("#import-table tbody").inner_text()
    assert server.get("/api/applications?q=Dunder").json["total"] == 0
    page.click("#import-go")
    page.wait_for_selector("#notice:has-text('Imported 1')")
    assert server.get("/api/applications?q=Dunder").json["total"] == 1


def test_the_report_page_and_its_printable_version(page, server):
    open_page(page, server, "/report")
    assert page.locator("h1").inner_text() == "Work-search report"
    with page.context.expect_page() as opened:
        page.click("text=Printable version")
    printable = opened.value
    printable.wait_for_load_state()
    assert printable.locator("nav").count() == 0 and printable.locator("h1").inner_text() == "Work-search record"
    printable.close()


def test_the_printable_report_loads_without_an_error_in_the_console(page, server, console):
    console.clear()
    open_page(page, server, "/report/print")
    page.wait_for_timeout(500)  # the browser asks for an icon after the page has loaded
    assert console == [], console
