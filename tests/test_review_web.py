"""The review flag in the web view, in real headless Chromium: a capture Applied could not read fully
says so on its page, and one click confirms the details."""
from test_web import browser, console, open_page, page, reloads, server  # noqa: F401  (fixtures and helpers)

BARE = ("<!doctype html><html><head><title>Harbour Pilot - Careers</title></head>"
        "<body><h1>Harbour Pilot</h1></body></html>")


def test_a_capture_to_review_says_what_to_check_and_is_confirmed_in_one_click(page, server):  # noqa: F811
    created = server.post("/api/applications", {"url": "https://careers.tidemark.example/openings/pilot",
                                                "html": BARE}).json["application"]
    open_page(page, server, f"/applications/{created['id']}")
    banner = page.locator("#review").inner_text()
    assert "We guessed the company: please check." in banner and "posting" not in banner
    reloads(page, lambda: page.click("#review button"))
    assert page.locator("#review").count() == 0
    assert server.get(f"/api/applications/{created['id']}").json["application"]["review"]["needed"] is False


def test_a_well_read_capture_shows_no_review(page, server):  # noqa: F811
    from test_web import capture

    app = capture(server, "reviewed", "Deckhand", "Tidemark")
    open_page(page, server, f"/applications/{app['id']}")
    assert page.locator("#review").count() == 0
