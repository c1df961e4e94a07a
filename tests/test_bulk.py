"""Changing many applications or follow-ups in one request, and the API fixes that came with the board."""
from datetime import date, timedelta

from conftest import posting_page

TODAY = date.today()


def days_ago(n):
    return (TODAY - timedelta(days=n)).isoformat()


def capture(companion, slug, **fields):
    response = companion.post("/api/applications", {
        "url": f"https://jobs.example.com/{slug}", "html": posting_page(title=f"Role {slug}"), **fields})
    assert response.status == 201, response.text
    return response.json["application"]


# -- bulk changes to applications ---------------------------------------------------------------

def test_marking_twenty_ghosted_is_one_request_and_one_history_entry_each(companion):
    ids = [capture(companion, f"quiet-{n}", applied_at=days_ago(60))["id"] for n in range(20)]
    response = companion.post("/api/applications/bulk", {"ids": ids, "action": "move", "status": "ghosted"})
    assert response.status == 200, response.text
    assert response.json == {"changed": ids, "skipped": []}
    for application_id in ids:
        history = companion.get(f"/api/applications/{application_id}/history").json["history"]
        moves = [entry for entry in history if entry["kind"] == "status" and entry["to"] == "ghosted"]
        assert len(moves) == 1 and moves[0]["from"] == "applied" and moves[0]["date"] == TODAY.isoformat()
    assert companion.get("/api/applications?status=ghosted").json["total"] == 20


def test_a_bulk_move_skips_what_the_pipeline_forbids_and_says_why(companion):
    saved = capture(companion, "saved", status="saved")
    applied = capture(companion, "applied")
    response = companion.post("/api/applications/bulk",
                              {"ids": [saved["id"], applied["id"], 999], "action": "move", "status": "rejected"})
    assert response.status == 200
    assert response.json["changed"] == [applied["id"]]
    skipped = {s["id"]: s for s in response.json["skipped"]}
    assert skipped[saved["id"]]["code"] == "invalid_move" and "from saved" in skipped[saved["id"]]["message"]
    assert skipped[999]["code"] == "not_found"
    assert companion.get(f"/api/applications/{saved['id']}").json["application"]["status"] == "saved"


def test_a_bulk_delete_removes_every_one_named(companion):
    ids = [capture(companion, f"gone-{n}")["id"] for n in range(3)]
    kept = capture(companion, "kept")
    assert companion.post("/api/applications/bulk", {"ids": ids, "action": "delete"}).json["changed"] == ids
    assert [a["id"] for a in companion.get("/api/applications").json["applications"]] == [kept["id"]]


def test_a_bad_bulk_request_changes_nothing(companion):
    app = capture(companion, "steady")
    for body, code in (({"ids": [], "action": "move", "status": "ghosted"}, "invalid_ids"),
                       ({"ids": ["1"], "action": "move", "status": "ghosted"}, "invalid_ids"),
                       ({"ids": [app["id"]], "action": "move", "status": "hired"}, "unknown_status"),
                       ({"ids": [app["id"]], "action": "explode"}, "invalid_action"),
                       ({"ids": [app["id"], 0], "action": "delete"}, "invalid_ids")):
        response = companion.post("/api/applications/bulk", body)
        assert response.status == 400 and response.json["error"]["code"] == code, (body, response.text)
    assert companion.get(f"/api/applications/{app['id']}").json["application"]["status"] == "applied"


def test_a_bulk_move_takes_any_number_of_ids_in_one_request(companion, data_dir):
    with_records = [capture(companion, f"many-{n}")["id"] for n in range(3)]
    # Beyond one batch: ids of applications that do not exist are listed as skipped, not refused.
    ids = with_records + list(range(10_000, 11_200))
    result = companion.post("/api/applications/bulk", {"ids": ids, "action": "move", "status": "ghosted"}).json
    assert result["changed"] == with_records
    assert [s["id"] for s in result["skipped"]] == ids[3:] and {s["code"] for s in result["skipped"]} == {"not_found"}
    for application_id in with_records:
        assert companion.get(f"/api/applications/{application_id}").json["application"]["status"] == "ghosted"
    items = [{"application_id": i, "key": "checkin-1"} for i in ids]
    done = companion.post("/api/followups/bulk", {"items": items, "action": "dismiss"}).json
    assert len(done["changed"]) + len(done["skipped"]) == len(items)


# -- bulk follow-up actions ---------------------------------------------------------------------

def test_several_follow_ups_are_snoozed_in_one_request(companion):
    ids = [capture(companion, f"due-{n}", applied_at=days_ago(20))["id"] for n in range(3)]
    items = [{"application_id": i, "key": "checkin-1"} for i in ids]
    response = companion.post("/api/followups/bulk", {"items": items, "action": "snooze", "days": 7})
    assert response.status == 200, response.text
    assert response.json["changed"] == items and response.json["skipped"] == []
    assert companion.get("/api/followups").json["count"] == 0
    for application_id in ids:
        last = companion.get(f"/api/applications/{application_id}/history").json["history"][-1]
        assert (last["action"], last["until"]) == ("snooze", (TODAY + timedelta(days=7)).isoformat())


def test_dismissing_follow_ups_that_are_gone_lists_them_as_skipped(companion):
    app = capture(companion, "dismiss", applied_at=days_ago(20))
    items = [{"application_id": app["id"], "key": "checkin-1"}, {"application_id": app["id"], "key": "why-1"}]
    response = companion.post("/api/followups/bulk", {"items": items, "action": "dismiss"})
    assert response.json["changed"] == items[:1]
    assert response.json["skipped"][0]["code"] == "no_such_followup"
    bad = companion.post("/api/followups/bulk", {"items": items, "action": "snooze", "days": 2})
    assert bad.status == 400 and bad.json["error"]["code"] == "invalid_snooze"


# -- logging an application without a posting address -----------------------------------------------

def test_an_application_without_a_url_is_logged_with_its_role_and_company(companion):
    response = companion.post("/api/applications", {"title": "Data Analyst", "company": "Career Fair Co",
                                                    "applied_at": days_ago(3)})
    assert response.status == 201, response.text
    application = response.json["application"]
    assert (application["title"], application["company"], application["url"]) == ("Data Analyst", "Career Fair Co", None)
    assert application["applied_at"] == days_ago(3)
    assert companion.get("/api/applications?q=career%20fair").json["total"] == 1


def test_without_a_url_the_same_role_at_the_same_company_is_a_duplicate(companion):
    first = companion.post("/api/applications", {"title": "Data Analyst", "company": "Referral Inc"})
    again = companion.post("/api/applications", {"title": "data analyst", "company": "REFERRAL INC"})
    other = companion.post("/api/applications", {"title": "Data Engineer", "company": "Referral Inc"})
    assert again.status == 200 and again.json["duplicate"] is True
    assert again.json["application"]["id"] == first.json["application"]["id"]
    assert other.status == 201


def test_without_a_url_a_role_and_a_company_are_both_needed(companion):
    for body in ({"title": "Data Analyst"}, {"company": "Nobody"}, {}, {"title": "X", "company": "Y", "html": "<p>"}):
        response = companion.post("/api/applications", body)
        assert response.status == 400 and response.json["error"]["code"] == "missing_url", body
    assert companion.get("/api/applications").json["total"] == 0


# -- search, replies ------------------------------------------------------------------------------

def test_search_finds_words_in_the_description_and_the_notes(companion):
    companion.post("/api/applications", {"url": "https://jobs.example.com/android", "html": posting_page(
        title="Mobile Engineer", extra="")})
    android = companion.get("/api/applications").json["applications"][0]
    companion.patch(f"/api/applications/{android['id']}", {"notes": "Recruiter mentioned Jetpack Compose"})
    # posting_page's description names Python and SQL; "kotlin" is in none of the records' own fields.
    kotlin = companion.post("/api/applications", {
        "url": "https://jobs.example.com/kotlin",
        "html": posting_page(title="Backend Engineer").replace("Build widgets that delight.",
                                                              "Services in Kotlin and Ktor.")})
    assert kotlin.status == 201
    found = companion.get("/api/applications?q=kotlin").json
    assert [a["title"] for a in found["applications"]] == ["Backend Engineer"]
    assert companion.get("/api/applications?q=jetpack").json["total"] == 1


def test_a_reply_dated_before_the_application_is_refused(companion):
    app = capture(companion, "early", applied_at=days_ago(5))
    before = companion.post(f"/api/applications/{app['id']}/events", {"kind": "reply", "date": days_ago(6)})
    assert before.status == 400 and before.json["error"]["code"] == "invalid_date"
    assert days_ago(5) in before.json["error"]["message"]
    same_day = companion.post(f"/api/applications/{app['id']}/events", {"kind": "reply", "date": days_ago(5)})
    assert same_day.status == 201
