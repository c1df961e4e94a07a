"""The capture API against a real companion: what the extension and scripts rely on."""
import json
import threading
import urllib.error

import pytest

from conftest import posting_page

JOB_URL = "https://careers.acme.example/jobs/42"


def capture(companion, url=JOB_URL, **fields):
    return companion.post("/api/applications", {"url": url, "html": posting_page(), **fields})


def count(companion):
    return companion.get("/api/applications").json["total"]


# -- capture ---------------------------------------------------------------------------------------

def test_capture_stores_the_posting_read_from_the_page(companion):
    response = capture(companion)
    assert response.status == 201
    application = response.json["application"]
    assert application["title"] == "Senior Widget Engineer"
    assert application["company"] == "Acme Robotics"
    assert application["status"] == "applied"
    assert application["url"] == JOB_URL
    assert response.json["duplicate"] is False


def test_capture_keeps_overrides_the_person_typed(companion):
    response = capture(companion, title="Widget Lead", company="Acme", status="saved")
    application = response.json["application"]
    assert (application["title"], application["company"], application["status"]) == ("Widget Lead", "Acme", "saved")
    assert application["applied_at"] is None


def test_capture_of_the_same_posting_with_tracking_parameters_is_a_duplicate(companion):
    first = capture(companion, url=JOB_URL + "?utm_source=linkedin")
    second = capture(companion, url=JOB_URL.upper().replace("/JOBS/", "/jobs/") + "#apply")
    assert second.status == 200
    assert second.json["duplicate"] is True
    assert second.json["application"]["id"] == first.json["application"]["id"]
    assert count(companion) == 1


def test_retry_with_the_same_capture_id_stores_nothing_new(companion):
    first = capture(companion, capture_id="c-1")
    retry = companion.post("/api/applications", {"url": JOB_URL + "?gh_src=x", "html": "<p>x</p>",
                                                  "capture_id": "c-1"})
    assert retry.status == 200 and retry.json["duplicate"] is True
    assert retry.json["application"]["id"] == first.json["application"]["id"]
    assert count(companion) == 1


def test_clicking_i_applied_on_a_saved_posting_marks_it_applied(companion):
    saved = capture(companion, status="saved").json["application"]
    again = capture(companion).json["application"]
    assert again["id"] == saved["id"] and again["status"] == "applied"
    assert again["applied_at"] is not None


def test_a_saved_posting_marked_applied_by_a_capture_is_dated_on_the_day_applied(companion):
    saved = capture(companion, status="saved").json["application"]
    again = capture(companion, applied_at="2026-11-01").json["application"]
    assert again["id"] == saved["id"] and again["applied_at"] == "2026-11-01"
    assert again["history"][-1]["to"] == "applied" and again["history"][-1]["date"] == "2026-11-01"


def test_retries_arriving_together_are_all_remembered(companion):
    first = capture(companion, capture_id="c-0").json["application"]
    errors = []

    def retry(n):
        for i in range(15):
            response = capture(companion, capture_id=f"c-{n}-{i}")
            if response.status != 200 or response.json["application"]["id"] != first["id"]:
                errors.append(response.status)

    threads = [threading.Thread(target=retry, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Each retry's capture_id was kept: sent again from anywhere, it still finds the application.
    for n in range(6):
        for i in range(15):
            again = capture(companion, url=f"https://elsewhere.example/{n}/{i}", capture_id=f"c-{n}-{i}")
            assert again.status == 200 and again.json["application"]["id"] == first["id"], (n, i)
    assert count(companion) == 1


def test_the_retry_of_a_capture_cut_short_before_its_page_was_stored_stores_it(companion, data_dir):
    created = capture(companion, capture_id="c-1").json["application"]
    companion.stop()
    # What a crash between the record's journal line and the page's file leaves behind.
    for kind in ("page", "description"):
        (data_dir / "blobs" / kind / f"{created['id']}.gz").unlink()
    restarted = type(companion)(data_dir, port=companion.port).start()
    try:
        assert restarted.get(f"/api/applications/{created['id']}/page").status == 404
        retry = capture(restarted, capture_id="c-1")
        assert retry.status == 200 and retry.json["duplicate"] is True
        assert "Senior Widget Engineer" in restarted.get(f"/api/applications/{created['id']}/page").text
        read = restarted.get(f"/api/applications/{created['id']}").json["application"]
        assert "<li>Python</li>" in read["description_html"]
        assert count(restarted) == 1
    finally:
        restarted.stop()


def test_page_without_a_posting_is_still_recorded_and_flagged_for_review(companion):
    page = "<html><head><title>Our blog: ten tips</title></head><body><p>Hello</p></body></html>"
    response = companion.post("/api/applications", {"url": "https://blog.example.com/tips", "html": page})
    assert response.status == 201  # the person said "I applied": never refused
    review = response.json["review"]
    assert review["needed"] is True and review["looks_like_posting"] is False
    assert response.json["application"]["review"] == review
    assert count(companion) == 1


def test_capturing_again_once_the_posting_has_rendered_fills_in_the_application(companion):
    url = "https://jobs.example.com/spa/1"
    loading = "<html><head><title>Careers</title></head><body><div id=app>Loading…</div></body></html>"
    first = companion.post("/api/applications", {"url": url, "html": loading})
    assert first.status == 201 and first.json["review"]["needed"] is True
    assert first.json["application"]["title"] is None  # "Careers" names the site, not the job
    again = companion.post("/api/applications", {"url": url, "html": posting_page()})
    assert again.status == 200 and again.json["duplicate"] is True
    application = again.json["application"]
    assert application["id"] == first.json["application"]["id"] and application["not_a_posting"] is False
    assert (application["title"], application["company"]) == ("Senior Widget Engineer", "Acme Robotics")
    assert application["review"]["needed"] is False
    assert "<li>Python</li>" in companion.get(f"/api/applications/{application['id']}").json["application"][
        "description_html"]
    assert "Senior Widget Engineer" in companion.get(f"/api/applications/{application['id']}/page").text
    assert count(companion) == 1


def test_capture_without_html_keeps_the_url(companion):
    response = companion.post("/api/applications", {"url": "https://jobs.example.org/1", "company": "Org"})
    assert response.status == 201
    assert response.json["application"]["company"] == "Org"


# -- lookup, list, read ------------------------------------------------------------------------------

def test_lookup_by_url_finds_the_application_whatever_the_tracking(companion):
    created = capture(companion).json["application"]
    found = companion.get("/api/applications?url=" + JOB_URL + "%3Futm_medium%3Demail").json["application"]
    assert found["id"] == created["id"]
    assert companion.get("/api/applications?url=https://elsewhere.example/1").json["application"] is None


def test_list_filters_by_status_and_text_and_pages(companion):
    for n in range(5):
        capture(companion, url=f"https://jobs.example.com/{n}", company=f"Company {n}",
                status="saved" if n % 2 else "applied")
    assert companion.get("/api/applications?status=saved").json["total"] == 2
    assert companion.get("/api/applications?status=saved,applied").json["total"] == 5
    found = companion.get("/api/applications?q=company%203").json
    assert found["total"] == 1 and found["applications"][0]["company"] == "Company 3"
    page = companion.get("/api/applications?limit=2&offset=2").json
    assert page["total"] == 5 and len(page["applications"]) == 2


@pytest.mark.parametrize("query, message", [
    ("offset=-1", "offset must be 0 or more"),
    ("offset=two", "offset must be a whole number"),
    ("offset=22895673921116151808", "offset is past every record"),
    ("limit=0", "limit must be between 1 and 500"),
])
def test_a_bad_page_request_says_what_fits(companion, query, message):
    response = companion.get("/api/applications?" + query)
    assert response.status == 400 and response.json["error"]["message"] == message


def test_read_includes_the_sanitized_description(companion):
    created = capture(companion).json["application"]
    application = companion.get(f"/api/applications/{created['id']}").json["application"]
    assert "<li>Python</li>" in application["description_html"]
    assert "Build widgets that delight." in application["description_text"]


def test_read_of_a_missing_application_is_404(companion):
    response = companion.get("/api/applications/999")
    assert response.status == 404 and response.json["error"]["code"] == "not_found"


def test_the_captured_page_can_be_downloaded_as_text(companion):
    created = capture(companion).json["application"]
    response = companion.get(f"/api/applications/{created['id']}/page")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Senior Widget Engineer" in response.text


# -- update, history, delete ---------------------------------------------------------------------------

def test_status_changes_are_dated_in_the_history(companion):
    created = capture(companion, applied_at="2026-11-01").json["application"]
    path = f"/api/applications/{created['id']}"
    assert companion.patch(path, {"status": "interviewing", "status_date": "2026-11-10"}).status == 200
    assert companion.patch(path, {"status": "offer"}).status == 200
    history = companion.get(path + "/history").json["history"]
    moves = [(e["from"], e["to"], e["date"]) for e in history if e["kind"] == "status"]
    assert moves[0] == (None, "applied", "2026-11-01")
    assert moves[1] == ("applied", "interviewing", "2026-11-10")
    assert moves[2][:2] == ("interviewing", "offer")


def test_ghosted_application_can_be_reopened(companion):
    created = capture(companion).json["application"]
    path = f"/api/applications/{created['id']}"
    companion.patch(path, {"status": "ghosted"})
    reopened = companion.patch(path, {"status": "interviewing"})
    assert reopened.status == 200 and reopened.json["application"]["status"] == "interviewing"


def test_unknown_status_is_a_400_that_lists_the_valid_ones(companion):
    created = capture(companion).json["application"]
    response = companion.patch(f"/api/applications/{created['id']}", {"status": "hired"})
    assert response.status == 400
    assert "interviewing" in response.json["error"]["message"]


def test_notes_and_fields_can_be_changed_and_notes_are_sanitized(companion):
    created = capture(companion).json["application"]
    response = companion.patch(f"/api/applications/{created['id']}", {
        "notes": "<p>Spoke to Ana</p><script>alert(1)</script>", "title": "Staff Widget Engineer",
        "salary": {"min": 120000, "max": 150000, "currency": "cad", "period": "year"}})
    application = response.json["application"]
    assert application["notes"] == "<p>Spoke to Ana</p>"
    assert application["title"] == "Staff Widget Engineer"
    assert application["salary"]["currency"] == "CAD"


def test_delete_removes_the_application_and_its_page(companion):
    created = capture(companion).json["application"]
    assert companion.delete(f"/api/applications/{created['id']}").status == 204
    assert companion.get(f"/api/applications/{created['id']}").status == 404
    assert companion.get(f"/api/applications/{created['id']}/page").status == 404
    assert count(companion) == 0


# -- auth and Host ----------------------------------------------------------------------------------------

def test_ping_needs_no_token(companion):
    body = companion.get("/api/ping", token=None).json
    assert body["app"] == "applied" and body["api"] == 1


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_other_route_needs_the_token(companion, token):
    assert companion.get("/api/applications", token=token).status == 401
    assert capture_with(companion, token).status == 401
    assert count(companion) == 0


def capture_with(companion, token):
    return companion.post("/api/applications", {"url": JOB_URL}, token=token)


@pytest.mark.parametrize("host", ["evil.com", "localhost.evil.com", "127.0.0.1.nip.io", ""])
def test_a_foreign_host_header_is_refused_before_any_handler(companion, host):
    response = companion.post("/api/applications", {"url": JOB_URL}, headers={"Host": host})
    assert response.status == 400
    assert response.json["error"]["code"] == "bad_host"
    assert count(companion) == 0


# -- bad input: a clear 4xx, never a 500, nothing stored ---------------------------------------------------

@pytest.mark.parametrize("body, code", [
    (b"{not json", "malformed_json"),
    (b"", "empty_body"),
    (b"[1, 2]", "invalid"),
    (b'{"url": "https://x.example/1", "salary": NaN}', "malformed_json"),
    (b"\xff\xfe\x00bad", "bad_encoding"),
    (json.dumps({"html": "<p>"}).encode(), "missing_url"),
    pytest.param(b"[" * 100_000, "malformed_json", id="nested-too-deep"),
    (json.dumps({"url": 42}).encode(), "invalid_url"),
    (json.dumps({"url": "javascript:alert(1)"}).encode(), "invalid_url"),
    (json.dumps({"url": "ftp://example.com/job"}).encode(), "invalid_url"),
    (json.dumps({"url": JOB_URL, "html": 5}).encode(), "invalid"),
    (json.dumps({"url": JOB_URL, "status": "hired"}).encode(), "unknown_status"),
    (json.dumps({"url": JOB_URL, "applied_at": "last tuesday"}).encode(), "invalid_date"),
    (json.dumps({"url": JOB_URL, "title": ["a"]}).encode(), "invalid"),
    (json.dumps({"url": JOB_URL, "surprise": 1}).encode(), "invalid"),
])
def test_bad_capture_bodies_get_a_clear_error_and_store_nothing(companion, body, code):
    response = companion.request("POST", "/api/applications", data=body,
                                 headers={"Content-Type": "application/json"})
    assert 400 <= response.status < 500
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert count(companion) == 0


def test_a_body_over_the_limit_is_refused_with_413(companion):
    body = json.dumps({"url": JOB_URL, "html": "x" * (11 * 1024 * 1024)}).encode()
    response = companion.request("POST", "/api/applications", data=body,
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert count(companion) == 0


def test_broken_html_is_read_without_an_error(companion):
    broken = "<html><head><title>Half a page</ti<body><div><p>Unclosed <b>tags \x00 & stray </i></table>"
    response = companion.post("/api/applications", {"url": "https://jobs.example.com/broken", "html": broken})
    assert response.status == 201
    assert count(companion) == 1


def test_unknown_route_is_a_json_404(companion):
    response = companion.get("/api/nothing-here")
    assert response.status == 404 and "error" in response.json


def test_changing_state_with_a_non_json_body_is_refused(companion):
    response = companion.request("POST", "/api/applications", data=b"url=https://x.example/1",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 415
    assert count(companion) == 0


# -- concurrency ------------------------------------------------------------------------------------------

def test_eight_threads_capturing_at_once_lose_nothing(companion, data_dir):
    errors = []

    def worker(n):
        for i in range(100):
            response = companion.post("/api/applications", {
                "url": f"https://jobs.example.com/{n}/{i}", "html": posting_page(f"Job {n}-{i}")})
            if response.status != 201:
                errors.append(response.status)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(companion) == 800
    companion.stop()
    restarted = type(companion)(data_dir, port=companion.port).start()
    try:
        assert count(restarted) == 800
    finally:
        restarted.stop()


def test_correcting_the_applied_date_moves_the_follow_up_schedule(companion):
    created = capture(companion).json["application"]
    path = f"/api/applications/{created['id']}"
    assert companion.patch(path, {"applied_at": "2026-11-02"}).status == 200
    history = companion.get(path + "/history").json["history"]
    assert history[0]["to"] == "applied" and history[0]["date"] == "2026-11-02"
    due = companion.get(f"/api/followups?application_id={created['id']}&due=2099-01-01").json["followups"]
    checkin = next(f for f in due if f["key"] == "checkin-1")
    assert checkin["due"] == "2026-11-12"  # ten days after the corrected date, a Thursday


@pytest.mark.parametrize("path", [
    "/api/applications?status=applied&cursor=WzUsMV0",  # [5, 1]: a number where a date goes
    "/api/applications?cursor=WzUsMV0",
    "/api/followups?due=9999-12-31&cursor=WzUsMV0",  # (and the last day there is, as the end of the range)
])
def test_a_cursor_of_another_shape_is_a_clear_400(companion, path):
    capture(companion, url="https://jobs.example.com/cursor", status="applied")
    response = companion.get(path)
    assert response.status == 400 and response.json["error"]["code"] == "bad_cursor", response.text


def test_web_lists_past_their_end_or_with_a_foreign_cursor_still_show(companion):
    from test_security_local import Browser

    capture(companion, url="https://jobs.example.com/far", status="applied")
    browser = Browser(companion)
    for path in ("/applications?status=applied&page=100000000000000000000", "/applications?page=100000000000000000000",
                 "/board?status=applied&after=WzUsMV0", "/followups?after=W1siYSJdLDFd"):
        try:
            address, html = browser.page(path)
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{path}: {error.code}") from None
        assert "csrf-token" in html, path
