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


def test_preview_says_when_a_page_is_not_a_posting_and_what_a_capture_would_guess(companion):
    page = "<html><head><title>Ten tips for better sleep</title></head><body><article><p>Sleep well.</p></article></body></html>"
    answer = companion.post("/api/preview", {"url": "https://blog.example.com/sleep", "html": page}).json
    assert answer["looks_like_posting"] is False and "no job posting found" in answer["reason"]
    # what a capture would store, each field said to be a guess: the person checks them before saving
    assert (answer["title"], answer["company"]) == ("Ten tips for better sleep", "Example")
    assert answer["guessed"] == ["title", "company"] and answer["missing"] == []
    assert companion.get("/api/applications").json["total"] == 0


def test_opening_the_popup_on_a_posting_does_not_make_the_badge_count_again(companion):
    """The popup previews its tab's page each time it opens; the badge counts again only on a change."""
    version = companion.get("/api/changes").json["version"]
    assert companion.post("/api/preview", {"url": "https://jobs.example.com/3", "html": posting_page()}).status == 200
    assert companion.post("/api/import/preview", {"text": "url,company,title\nhttps://jobs.example.com/4,Acme,Dev\n"}).status == 200
    assert companion.get(f"/api/changes?since={version}").json["changed"] is False


def test_the_preview_and_the_capture_give_one_verdict_on_every_golden_page(companion):
    import json

    from conftest import ROOT

    for case in sorted((ROOT / "tests" / "extract").glob("*/*.json"))[::3]:
        golden = json.loads(case.read_text(encoding="utf-8"))
        html = case.with_suffix(".html").read_text(encoding="utf-8", errors="replace")
        preview = companion.post("/api/preview", {"url": golden["url"], "html": html}).json
        asked = companion.post("/api/applications", {"url": golden["url"], "html": html, "ask_first": True,
                                                     "status": "saved"})
        if preview["looks_like_posting"]:
            assert asked.status in (200, 201), (case.name, asked.text)
            assert asked.json["review"]["looks_like_posting"] is True
            assert sorted(asked.json["review"]["missing"] + asked.json["review"]["guessed"]) == \
                sorted(preview["missing"] + preview["guessed"]), case.name
        else:
            assert asked.status == 422 and asked.json["error"]["code"] == "not_a_posting", case.name
            assert asked.json["error"]["message"] == preview["reason"]
        assert preview["looks_like_posting"] is not golden.get("not_a_posting", False), case.name


def test_a_capture_that_asks_first_stores_nothing_until_the_person_says_log_it_anyway(companion):
    page = "<html><head><title>Ten tips for better sleep</title></head><body><article><p>Sleep well.</p></article></body></html>"
    url = "https://blog.example.com/sleep"
    asked = companion.post("/api/applications", {"url": url, "html": page, "ask_first": True})
    assert asked.status == 422 and asked.json["error"]["code"] == "not_a_posting"
    assert companion.get("/api/applications").json["total"] == 0
    anyway = companion.post("/api/applications", {"url": url, "html": page})  # "Log it anyway"
    assert anyway.status == 201
    assert anyway.json["review"]["needed"] is True and anyway.json["review"]["guessed"] == ["title", "company"]
    assert companion.post("/api/applications", {"url": url, "html": page, "ask_first": "yes"}).status == 400
