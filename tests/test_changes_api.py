"""/api/changes and /api/preview: the extension's cheap questions, against a real companion."""
from conftest import posting_page


def test_changes_moves_after_a_change_and_stays_put_otherwise(companion):
    first = companion.get("/api/changes").json
    assert first["changed"] is True  # no version given: anything may have changed
    assert companion.get(f"/api/changes?since={first['version']}").json == {"version": first["version"], "changed": False}
    companion.get("/api/applications")  # reading changes nothing
    assert companion.get(f"/api/changes?since={first['version']}").json["changed"] is False

    assert companion.post("/api/applications", {"url": "https://jobs.example.com/1", "html": posting_page()}).status == 201
    after = companion.get(f"/api/changes?since={first['version']}").json
    assert after["changed"] is True and after["version"] != first["version"]


def test_a_refused_change_is_no_change(companion):
    version = companion.get("/api/changes").json["version"]
    assert companion.post("/api/applications", {"html": "<p>no url</p>"}).status == 400
    assert companion.get(f"/api/changes?since={version}").json["changed"] is False


def test_changes_needs_the_token(companion):
    assert companion.get("/api/changes", token=None).status == 401


def test_preview_reads_a_posting_and_stores_nothing(companion):
    answer = companion.post("/api/preview", {"url": "https://jobs.example.com/2",
                                             "html": posting_page("Gear Designer", "Cog Works")}).json
    assert answer["looks_like_posting"] is True
    assert (answer["title"], answer["company"]) == ("Gear Designer", "Cog Works")
    assert answer["locations"] and "Toronto" in answer["locations"][0]
    assert companion.get("/api/applications").json["total"] == 0


def test_preview_says_when_a_page_is_not_a_posting(companion):
    page = "<html><head><title>Ten tips for better sleep</title></head><body><article><p>Sleep well.</p></article></body></html>"
    answer = companion.post("/api/preview", {"url": "https://blog.example.com/sleep", "html": page}).json
    assert answer["looks_like_posting"] is False
    assert answer["title"] == "Ten tips for better sleep" and answer["company"] is None


def test_opening_the_popup_on_a_posting_does_not_make_the_badge_count_again(companion):
    """The popup previews its tab's page each time it opens; the badge counts again only on a change."""
    version = companion.get("/api/changes").json["version"]
    assert companion.post("/api/preview", {"url": "https://jobs.example.com/3", "html": posting_page()}).status == 200
    assert companion.post("/api/import/preview", {"text": "url,company,title\nhttps://jobs.example.com/4,Acme,Dev\n"}).status == 200
    assert companion.get(f"/api/changes?since={version}").json["changed"] is False
