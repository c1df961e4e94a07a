"""The follow-up API against a real companion: what is due, done/snooze/dismiss, events, reasons, timing."""
import http.client
import re
from datetime import date, timedelta

import pytest

from conftest import posting_page

TODAY = date.today()


def days(n):
    return (TODAY + timedelta(days=n)).isoformat()


def capture(companion, name, applied_days_ago=0, **fields):
    response = companion.post("/api/applications", {
        "url": f"https://jobs.example.com/{name}", "title": f"{name.title()} Engineer",
        "company": f"{name.title()} Corp", "applied_at": days(-applied_days_ago), **fields})
    assert response.status == 201, response.text
    return response.json


@pytest.fixture
def coach(companion):
    """A companion whose schedule ignores weekends, so the expected dates do not depend on today's weekday."""
    assert companion.patch("/api/settings", {"weekdays_only": False, "your_name": "Sam Lee"}).status == 200
    return companion


def due(companion, by=None, **params):
    query = "&".join(f"{k}={v}" for k, v in {"due": by, **params}.items() if v is not None)
    response = companion.get("/api/followups" + (f"?{query}" if query else ""))
    assert response.status == 200, response.text
    return response.json


def history(companion, application_id, kind):
    entries = companion.get(f"/api/applications/{application_id}/history").json["history"]
    return [e for e in entries if e["kind"] == kind]


def test_capture_response_carries_the_next_followup(coach):
    body = capture(coach, "widget", html=posting_page("Widget Engineer", "Acme Robotics"), title=None, company=None)
    upcoming = body["next_followup"]
    assert (upcoming["key"], upcoming["kind"], upcoming["due"]) == ("checkin-1", "checkin", days(10))
    assert "Acme Robotics" in upcoming["draft"]["body"] and upcoming["draft"]["body"].endswith("Sam Lee")
    again = coach.post("/api/applications", {"url": "https://jobs.example.com/widget"})
    assert again.json["duplicate"] is True and again.json["next_followup"]["key"] == "checkin-1"


def test_saved_posting_has_no_followup(coach):
    response = coach.post("/api/applications", {"url": "https://jobs.example.com/later", "status": "saved"})
    assert response.status == 201 and response.json["next_followup"] is None


def test_due_list_holds_what_is_due_overdue_first(coach):
    old = capture(coach, "old", applied_days_ago=40)["application"]
    older = capture(coach, "older", applied_days_ago=12)["application"]
    capture(coach, "fresh")
    today = due(coach)
    assert today["count"] == 2 and today["overdue"] == 2 and today["due"] == TODAY.isoformat()
    assert [(f["application_id"], f["key"], f["due"]) for f in today["followups"]] == [
        (old["id"], "checkin-1", days(-30)), (older["id"], "checkin-1", days(-2))]
    first = today["followups"][0]
    assert first["application"]["company"] == "Old Corp"
    assert first["title"] == "Check in with Old Corp about Old Engineer"
    assert first["mailto"] is None  # no contact with an email yet
    assert due(coach, by=days(10))["count"] == 3


def test_contact_email_gives_a_mailto_link(coach):
    application = capture(coach, "mailable", applied_days_ago=11)["application"]
    response = coach.post("/api/contacts", {"name": "Priya Raman", "email": "priya@mailable.test",
                                            "application_ids": [application["id"]]})
    assert response.status == 201, response.text
    [found] = due(coach)["followups"]
    assert found["mailto"].startswith("mailto:priya@mailable.test?subject=")
    assert found["draft"]["body"].startswith("Hi Priya,")


def test_done_records_it_and_brings_the_second_checkin(coach):
    application = capture(coach, "acme", applied_days_ago=11)["application"]
    response = coach.post(f"/api/followups/{application['id']}/checkin-1/done", {})
    assert response.status == 200, response.text
    assert response.json["next_followup"]["key"] == "checkin-2"
    assert response.json["next_followup"]["due"] == days(10)
    assert due(coach)["count"] == 0
    [entry] = history(coach, application["id"], "followup")
    assert (entry["key"], entry["action"], entry["date"]) == ("checkin-1", "done", TODAY.isoformat())


def test_done_needs_no_body(coach):
    application = capture(coach, "nobody", applied_days_ago=11)["application"]
    response = coach.request("POST", f"/api/followups/{application['id']}/checkin-1/done",
                             headers={"Content-Type": "application/json"})
    assert response.status == 200, response.text


def test_snooze_moves_it_by_the_days_asked(coach):
    application = capture(coach, "sleepy", applied_days_ago=11)["application"]
    response = coach.post(f"/api/followups/{application['id']}/checkin-1/snooze", {"days": 3})
    assert response.status == 200, response.text
    assert response.json["entry"]["until"] == days(3)
    assert due(coach)["count"] == 0
    [snoozed] = due(coach, by=days(3))["followups"]
    assert (snoozed["due"], snoozed["snoozed_until"]) == (days(3), days(3))


def test_snoozing_an_upcoming_one_counts_from_its_due_day(coach):
    application = capture(coach, "ahead", applied_days_ago=2)["application"]  # due in 8 days
    response = coach.post(f"/api/followups/{application['id']}/checkin-1/snooze", {"days": 7})
    assert response.json["next_followup"]["due"] == days(15)


def test_dismiss_removes_it_and_is_recorded(coach):
    application = capture(coach, "nope", status="rejected", applied_days_ago=5)["application"]
    [feedback] = due(coach, by=days(30))["followups"]
    assert feedback["kind"] == "feedback"
    response = coach.post(f"/api/followups/{application['id']}/feedback/dismiss", {"note": "not worth it"})
    assert response.status == 200 and response.json["followups"] == []
    assert history(coach, application["id"], "followup")[0]["note"] == "not worth it"


@pytest.mark.parametrize("path, payload, status, code", [
    ("/api/followups/{id}/checkin-1/snooze", {"days": 2}, 400, "invalid_snooze"),
    ("/api/followups/{id}/checkin-1/snooze", {}, 400, "invalid_snooze"),
    ("/api/followups/{id}/checkin-1/snooze", {"days": True}, 400, "invalid_snooze"),
    ("/api/followups/{id}/checkin-1/done", {"when": "now"}, 400, "invalid"),
    ("/api/followups/{id}/checkin-1/done", {"date": days(3)}, 400, "invalid_date"),
    ("/api/followups/{id}/checkin-1/done", [1], 400, "invalid"),
    ("/api/followups/{id}/why/done", {}, 404, "no_such_followup"),
    ("/api/followups/{id}/Bad_Key!/done", {}, 400, "invalid"),
    ("/api/followups/{id}/checkin-1/explode", {}, 404, "not_found"),
    ("/api/followups/999/checkin-1/done", {}, 404, "not_found"),
    ("/api/applications/{id}/events", {"kind": "lunch"}, 400, "unknown_event"),
    ("/api/applications/{id}/events", {"kind": "reply", "date": days(2)}, 400, "invalid_date"),
    ("/api/applications/{id}/events", {"kind": "reply", "date": "yesterday"}, 400, "invalid_date"),
    ("/api/applications/{id}/events", {"kind": "reply", "note": 5}, 400, "invalid"),
    ("/api/applications/999/events", {"kind": "reply"}, 404, "not_found"),
    ("/api/applications/{id}/reasons", {"codes": ["bad_hair"]}, 400, "unknown_reason"),
    ("/api/applications/{id}/reasons", {}, 400, "empty_reason"),
])
def test_bad_input_is_a_clear_4xx(coach, path, payload, status, code):
    application = capture(coach, "edge", applied_days_ago=11)["application"]
    response = coach.post(path.format(id=application["id"]), payload)
    assert response.status == status, response.text
    assert response.json["error"]["code"] == code and response.json["error"]["message"]


def test_malformed_json_and_bad_dates_in_the_query(coach):
    application = capture(coach, "broken", applied_days_ago=11)["application"]
    response = coach.request("POST", f"/api/followups/{application['id']}/checkin-1/snooze", data=b"{days: 3",
                             headers={"Content-Type": "application/json"})
    assert response.status == 400 and response.json["error"]["code"] == "malformed_json"
    assert coach.get("/api/followups?due=soon").status == 400
    assert coach.get("/api/followups?application_id=x").status == 400
    assert coach.get("/api/followups?application_id=%C2%B2").status == 400  # "²" is a digit to str.isdigit, not to int


def test_followups_need_the_token(coach):
    assert coach.get("/api/followups", token=None).status == 401
    assert coach.post("/api/followups/1/checkin-1/done", {}, token=None).status == 401


def test_a_logged_reply_resets_the_clock(coach):
    application = capture(coach, "replied", applied_days_ago=11)["application"]
    response = coach.post(f"/api/applications/{application['id']}/events", {"kind": "reply", "date": days(-1),
                                                                           "note": "they will decide next week"})
    assert response.status == 201, response.text
    assert [(f["key"], f["due"]) for f in response.json["followups"]] == [("checkin-1", days(9))]
    assert history(coach, application["id"], "reply")[0]["note"] == "they will decide next week"


def test_an_interview_moves_it_to_interviewing_and_asks_for_a_thank_you(coach):
    application = capture(coach, "talk", applied_days_ago=5)["application"]
    response = coach.post(f"/api/applications/{application['id']}/events", {"kind": "interview", "date": days(-1)})
    assert response.json["application"]["status"] == "interviewing"
    assert [(f["kind"], f["due"]) for f in response.json["followups"]] == [
        ("thank_you", TODAY.isoformat()), ("interview_followup", days(13))]


def test_a_reply_reopens_a_ghosted_application(coach):
    application = capture(coach, "ghost", applied_days_ago=40)["application"]
    assert coach.patch(f"/api/applications/{application['id']}", {"status": "ghosted"}).status == 200
    [why] = due(coach)["followups"]
    assert why["kind"] == "why" and why["suggest_status"] is None
    response = coach.post(f"/api/applications/{application['id']}/events", {"kind": "reply"})
    assert response.json["application"]["status"] == "applied"
    assert [(f["key"], f["due"]) for f in response.json["followups"]] == [("checkin-1", days(10))]


def test_after_two_checkins_the_why_suggests_ghosted_and_a_reason_closes_it(coach):
    application = capture(coach, "silent", applied_days_ago=80)["application"]
    one = coach.post(f"/api/followups/{application['id']}/checkin-1/done", {"date": days(-70)})
    assert one.status == 200, one.text
    coach.post(f"/api/followups/{application['id']}/checkin-2/done", {"date": days(-60)})
    [why] = due(coach)["followups"]
    assert (why["key"], why["due"], why["suggest_status"]) == ("why", days(-30), "ghosted")
    response = coach.post(f"/api/applications/{application['id']}/reasons",
                          {"codes": ["internal_candidate"], "text": "They promoted someone from the team."})
    assert response.status == 201 and response.json["reason"]["codes"] == ["internal_candidate"]
    assert due(coach)["count"] == 0


def test_reasons_add_up_across_applications(coach):
    for name, codes in (("one", ["skills_gap"]), ("two", ["skills_gap", "salary"]), ("three", ["other"])):
        application = capture(coach, name, status="rejected", applied_days_ago=20)["application"]
        response = coach.post(f"/api/applications/{application['id']}/reasons", {"codes": codes, "text": f"{name}!"})
        assert response.status == 201, response.text
    tally = coach.get("/api/reasons").json
    counts = {r["code"]: r["count"] for r in tally["reasons"]}
    assert tally["applications"] == 3 and counts["skills_gap"] == 2 and counts["salary"] == 1
    assert tally["reasons"][0]["code"] == "skills_gap"
    assert "skills gap 2" in tally["summary"]
    assert {n["text"] for n in tally["notes"]} == {"one!", "two!", "three!"}
    assert [c["code"] for c in tally["codes"]][:2] == ["experience_level", "skills_gap"]
    assert due(coach, by=days(30))["count"] == 0  # the feedback they gave closes each feedback request


def test_learned_timing_next_to_the_defaults(coach):
    for name, waited in (("a", 4), ("b", 6), ("c", 8)):
        application = capture(coach, name, applied_days_ago=30)["application"]
        response = coach.patch(f"/api/applications/{application['id']}",
                               {"status": "screening", "status_date": days(-30 + waited)})
        assert response.status == 200, response.text
    timing = coach.get("/api/insights/timing").json
    assert timing["overall"] == {"median_days": 6, "samples": 3}
    assert timing["by_stage"]["applied"] == {"median_days": 6, "samples": 3}
    assert timing["defaults"]["checkin_after_days"] == 10
    assert timing["suggested"] == {"checkin_after_days": 6} and timing["use_learned_timing"] is False
    fresh = capture(coach, "fresh")["next_followup"]
    assert fresh["due"] == days(10)
    coach.patch("/api/settings", {"use_learned_timing": True})
    assert capture(coach, "fresher")["next_followup"]["due"] == days(6)


def _sign_in(companion):
    """Sign in the way the web view does (POST /login), returning the session cookie and its CSRF token."""
    connection = http.client.HTTPConnection("127.0.0.1", companion.port, timeout=10)
    connection.request("POST", "/login", body=f"token={companion.token}",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    connection.close()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    # The cookie holds only the session's id: its CSRF token is on the pages it opens.
    home = companion.get("/", token=None, headers={"Cookie": cookie}).text
    return cookie, re.search(r'<meta name="csrf-token" content="([^"]+)"', home).group(1)


def test_web_view_session_uses_the_same_endpoints(coach):
    """The web view's script calls these endpoints with its session cookie and CSRF header, not a token."""
    application = capture(coach, "webby", applied_days_ago=11)["application"]
    cookie, csrf = _sign_in(coach)
    assert coach.get("/api/followups", token=None, headers={"Cookie": cookie}).json["count"] == 1
    path = f"/api/followups/{application['id']}/checkin-1/done"
    assert coach.post(path, {}, token=None, headers={"Cookie": cookie}).status == 403
    response = coach.post(path, {}, token=None, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    assert response.status == 200, response.text
    assert due(coach)["count"] == 0


def test_badge_count_without_the_list(coach):
    for name in ("a", "b", "c"):
        capture(coach, name, applied_days_ago=11)
    badge = due(coach, limit=0)
    assert (badge["count"], badge["followups"]) == (3, [])
    assert len(due(coach, limit=2, offset=2)["followups"]) == 1
    assert coach.get("/api/followups?limit=-1").status == 400


def test_import_cleans_a_tampered_backup(coach):
    """A hand-edited backup cannot plant history the rules would trip over."""
    backup = {"applications": [{
        "url": "https://jobs.example.com/tampered", "status": "applied", "title": "Role", "applied_at": days(-20),
        "created_at": "2026-01-01T10:00:00", "has_page": True, "edited": ["title", "not-a-field"],
        "history": [{"kind": "status", "date": days(-20), "from": None, "to": "applied"},
                    {"kind": "followup", "key": 5, "action": "done", "date": days(-5)},
                    {"kind": "status", "date": days(-4), "from": "applied", "to": ["screening"]},
                    {"kind": "reason", "date": days(-3), "codes": [["x"], "salary"], "text": 7},
                    {"kind": "custom", "date": days(-2), "size": "x" * 2001, "ok": "kept", "nested": {"a": 1}},
                    "junk", {"no": "kind"}]}]}
    response = coach.post("/api/import", {"format": "json", "data": backup})
    assert response.status == 200, response.text
    assert (response.json["created"], response.json["problems"]) == (1, [])
    [application] = coach.get("/api/applications").json["applications"]
    kinds = [(e["kind"], e.get("to"), e.get("codes"), e.get("ok"), e.get("size")) for e in application["history"]]
    assert kinds == [("status", "applied", None, None, None), ("reason", None, ["salary"], None, None),
                     ("custom", None, None, "kept", None)]
    assert application["has_page"] is False and application["edited"] == ["title"]
    assert [f["key"] for f in due(coach)["followups"]] == ["checkin-1"]  # the rules run on what was kept
    bad = coach.post("/api/import", {"format": "json", "data": {"applications": [
        {"url": "https://jobs.example.com/bad", "status": "applied", "history": [{"kind": "reply", "date": "soon"}]},
        {"url": "https://jobs.example.com/worse", "status": "hired"}]}})
    assert [p["item"] for p in bad.json["problems"]] == [1, 2] and bad.json["created"] == 0
    assert coach.get("/api/applications?url=https://jobs.example.com/bad").json["application"] is None


@pytest.mark.parametrize("payload", [{"format": "xml"}, {"format": "csv"}, {"format": "json", "data": 5},
                                     {"format": "csv", "text": "company\nAcme\n"}])
def test_bad_imports_are_400(coach, payload):
    response = coach.post("/api/import", payload)
    assert response.status == 400 and response.json["error"]["code"] == "bad_import"


def test_the_followup_index_keeps_one_entry_per_suggestion_day_after_day(tmp_path):
    """The badge asks every few minutes for weeks: what is due is read from the store's index,
    which holds one entry per suggestion whatever the day, and follows a settings change at once."""
    from companion import applications as apps
    from companion import current, followup_schedule
    from companion.settings import save_user_values
    from companion.app import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    with app.test_request_context("/", headers={"Host": "127.0.0.1"}):
        store = current.store()
        for n in range(3):
            apps.capture(store, {"url": f"https://jobs.example.com/memo/{n}", "title": "Engineer",
                                 "applied_at": days(-20)}, today=TODAY)
        first = followup_schedule.collect(store, TODAY)
        for later in range(1, 8):
            followup_schedule.collect(store, TODAY + timedelta(days=later))
        assert store.index(apps.TABLE, followup_schedule.INDEX)[0] == 3
        assert followup_schedule.collect(store, TODAY) == first
        assert followup_schedule.count(store, TODAY) == (3, 3)
        # A settings change is seen at once: the index is rebuilt with the new schedule.
        save_user_values(store, {"checkin_after_days": 30, "weekdays_only": False})
        assert [s["due"] for s in followup_schedule.collect(store, TODAY)] == [days(10)] * 3
        assert followup_schedule.count(store, TODAY) == (0, 0)
        assert store.index(apps.TABLE, followup_schedule.INDEX)[0] == 3
    store.close()


def test_a_draft_to_a_company_whose_name_ends_in_a_full_stop_has_one(coach):
    """ "joining Quarry Inc.." read as a typo in the very message meant to make a good impression."""
    talked = capture(coach, "quarry", applied_days_ago=30, company="Quarry Inc.")["application"]
    coach.post(f"/api/applications/{talked['id']}/events", {"kind": "interview", "date": days(-20)})
    turned_down = capture(coach, "quarrel", applied_days_ago=30, company="Quarrel Ltd.")["application"]
    coach.patch(f"/api/applications/{turned_down['id']}", {"status": "rejected", "status_date": days(-10)})
    bodies = {f["kind"]: f["draft"]["body"] for f in due(coach, by=days(30))["followups"]}
    assert "joining Quarry Inc.\n" in bodies["interview_followup"]
    assert "learn about Quarrel Ltd.\n" in bodies["feedback"]
    assert not any(".." in body for body in bodies.values())
