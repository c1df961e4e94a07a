"""A person's "I applied" is never refused: pages the engine cannot read are recorded and flagged for review.

Against a real companion and store: what the extension gets back, what the application keeps, and how
the person settles the flag (correcting the fields, or confirming them as they are).
"""
from conftest import posting_page
from test_security import companion_with_a_public_test_site, send, site  # noqa: F401  (fixtures)

BARE = ("<!doctype html><html><head><title>Platform Engineer - Careers</title></head>"
        "<body><h1>Platform Engineer</h1></body></html>")


def capture(companion, html, url="https://careers.zentrix.example/openings/platform-engineer"):
    return companion.post("/api/applications", {"url": url, "html": html})


def test_a_page_with_only_a_title_and_a_heading_is_recorded_for_review(companion):
    response = capture(companion, BARE)
    assert response.status == 201
    application, review = response.json["application"], response.json["review"]
    assert application["title"] == "Platform Engineer"  # the heading the <title> confirms, without "- Careers"
    assert review["needed"] is True
    assert review["looks_like_posting"] is False
    # the company is the site's own name, read off the host: kept, and said to be a guess
    assert application["company"] == "Zentrix" and review["guessed"] == ["company"]
    stored = companion.get(f"/api/applications/{application['id']}").json["application"]
    assert stored["review"] == review


def test_a_page_naming_nothing_lists_what_is_missing_and_never_shows_null(companion):
    page = "<html><head><title>null</title></head><body><div id=root></div></body></html>"
    response = capture(companion, page, url="http://10.1.2.3/app")
    assert response.status == 201
    application = response.json["application"]
    assert application["title"] is None and application["company"] is None
    assert response.json["review"]["missing"] == ["title", "company"]


def test_correcting_the_flagged_fields_settles_the_review(companion):
    created = capture(companion, BARE).json["application"]
    changed = companion.patch(f"/api/applications/{created['id']}", {"company": "Zentrix GmbH"}).json["application"]
    assert changed["company"] == "Zentrix GmbH"
    assert changed["review"]["needed"] is False and changed["review"]["guessed"] == []


def test_confirming_the_details_as_they_are_settles_the_review(companion):
    created = capture(companion, BARE).json["application"]
    response = companion.post(f"/api/applications/{created['id']}/confirm", {})
    assert response.status == 200
    assert response.json["application"]["review"]["needed"] is False
    assert response.json["application"]["company"] == "Zentrix"  # confirming changes no field
    assert companion.post("/api/applications/9999/confirm", {}).status == 404


def test_a_company_named_by_the_page_title_is_no_guess(companion):
    page = BARE.replace("Platform Engineer - Careers", "Platform Engineer | Careers at Zentrix")
    response = capture(companion, page)
    assert response.json["application"]["company"] == "Zentrix"
    assert response.json["review"]["guessed"] == []


def test_a_well_read_posting_needs_no_review(companion):
    response = capture(companion, posting_page())
    assert response.status == 201
    assert response.json["review"] == {"needed": False, "missing": [], "guessed": [], "looks_like_posting": True}


def test_add_by_url_still_refuses_a_page_without_a_posting(companion_with_a_public_test_site, site):
    # adding by address is Applied's own guess that a page is a posting, not the person's "I applied"
    server = companion_with_a_public_test_site
    public = site(lambda request: send(request, body=b"<html><head><title>Blog</title></head><body><p>Hi</p></body></html>"))
    response = server.post("/api/applications/fetch", {"url": public.url("/blog/1")})
    assert response.status == 422 and response.json["error"]["code"] == "not_a_posting"


def test_a_backup_restores_each_review_as_it_was_flagged_or_confirmed(companion, tmp_path):
    from conftest import Companion

    flagged = capture(companion, BARE).json["application"]
    confirmed = capture(companion, "<html><body>nothing here</body></html>",
                        url="https://careers.zentrix.example/openings/other").json["application"]
    assert companion.post(f"/api/applications/{confirmed['id']}/confirm", {}).status == 200
    before = {a["url"]: a["review"] for a in companion.get("/api/export?format=json").json["applications"]}
    assert before[flagged["url"]]["needed"] is True and before[confirmed["url"]]["needed"] is False
    backup = companion.get("/api/export?format=json").json
    restored = Companion(tmp_path / "restored").start()
    try:
        assert restored.post("/api/import", {"format": "json", "data": backup}).json["created"] == 2
        after = {a["url"]: a["review"] for a in restored.get("/api/applications").json["applications"]}
    finally:
        restored.stop()
    assert after == before


def test_merging_in_a_capture_that_names_what_the_review_flagged_settles_it(companion):
    unread = capture(companion, "<html><head><title>null</title></head><body><div id=root></div></body></html>",
                     url="http://10.1.2.3/app").json["application"]
    named = capture(companion, posting_page("Platform Engineer", "Zentrix"),
                    url="https://boards.greenhouse.io/zentrix/jobs/1").json["application"]
    merged = companion.post(f"/api/applications/{unread['id']}/merge", {"other_id": named["id"]})
    assert merged.status == 200, merged.text
    record = merged.json["application"]
    assert (record["title"], record["company"]) == ("Platform Engineer", "Zentrix")
    assert record["review"]["missing"] == [] and record["review"]["needed"] is False


def test_a_company_the_posting_names_in_its_own_words_is_no_guess_and_the_address_is_no_company(companion):
    from conftest import ROOT

    page = (ROOT / "tests" / "extract" / "company_careers" / "company-in-text.html").read_text(encoding="utf-8")
    # "About Northwind Traders", "Northwind Traders is an equal opportunity employer": not the host's "Nwt Group"
    response = capture(companion, page, url="https://jobs.nwt-group.example/vacancies/warehouse-team-leader-nights")
    assert response.json["application"]["company"] == "Northwind Traders"
    assert response.json["review"] == {"needed": False, "missing": [], "guessed": [], "looks_like_posting": True}
    # with nothing but its address to go by, the company is the host's, and asked about
    bare = page.replace("Northwind Traders", "our company")
    guessed = capture(companion, bare, url="https://jobs.nwt-group.example/vacancies/other")
    assert guessed.json["application"]["company"] == "Nwt Group" and guessed.json["review"]["guessed"] == ["company"]
