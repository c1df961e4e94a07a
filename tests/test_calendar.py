"""The ICS feed: it parses with icalendar, holds the right dates and a 9:00 reminder, and hides behind its secret."""
import os
import stat
from datetime import date, datetime, timedelta, UTC
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from companion.calendar import feed

TODAY = date.today()


def days(n):
    return TODAY + timedelta(days=n)


def feed_path(companion):
    info = companion.get("/api/calendar").json
    parts = urlsplit(info["url"])
    assert info["webcal"] == "webcal://" + info["url"].split("://", 1)[1]
    return f"{parts.path}?{parts.query}"


def events(body):
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


@pytest.fixture
def busy(companion):
    """A companion with two applications: one check-in overdue, one interview needing a thank-you."""
    companion.patch("/api/settings", {"weekdays_only": False})
    first = companion.post("/api/applications", {"url": "https://jobs.example.com/1", "title": "Data Engineer",
                                                 "company": "Northwind", "applied_at": days(-12).isoformat()})
    second = companion.post("/api/applications", {"url": "https://jobs.example.com/2", "title": "Analyst",
                                                  "company": "Contoso", "applied_at": days(-5).isoformat()})
    companion.post(f"/api/applications/{second.json['application']['id']}/events",
                   {"kind": "interview", "date": days(-1).isoformat()})
    companion.ids = first.json["application"]["id"], second.json["application"]["id"]
    return companion


def test_feed_parses_with_right_dates_and_reminders(busy):
    response = busy.get(feed_path(busy), token=None)
    assert response.status == 200, response.text
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body)
    assert str(calendar["version"]) == "2.0" and "Applied" in str(calendar["x-wr-calname"])
    first, second = busy.ids
    found = events(response.body)
    assert set(found) == {f"applied-{first}-checkin-1@applied.local",
                          f"applied-{second}-thank-you-{days(-1).isoformat()}@applied.local",
                          f"applied-{second}-interview-followup-{days(-1).isoformat()}@applied.local"}
    checkin = found[f"applied-{first}-checkin-1@applied.local"]
    assert checkin.decoded("dtstart") == days(-2) and checkin.decoded("dtend") == days(-1)  # all day, overdue
    assert str(checkin["summary"]) == "Check in with Northwind about Data Engineer"
    assert "I applied for the Data Engineer role at Northwind" in str(checkin["description"])
    assert f"/applications/{first}" in str(checkin["url"])
    thank_you = found[f"applied-{second}-thank-you-{days(-1).isoformat()}@applied.local"]
    assert thank_you.decoded("dtstart") == TODAY
    for event in found.values():
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == timedelta(hours=9)  # 9:00 on the due day
        assert alarm["trigger"].params.get("RELATED", "START") == "START"


def test_uids_are_stable_and_done_ones_leave_the_feed(busy):
    path = feed_path(busy)
    before = events(busy.get(path, token=None).body)
    assert set(events(busy.get(path, token=None).body)) == set(before)
    first, _ = busy.ids
    assert busy.post(f"/api/followups/{first}/checkin-1/done", {}).status == 200
    after = events(busy.get(path, token=None).body)
    assert f"applied-{first}-checkin-1@applied.local" not in after
    assert f"applied-{first}-checkin-2@applied.local" in after


@pytest.mark.parametrize("query", ["", "?key=", "?key=wrong", "?key=" + "x" * 43, "?token={token}", "?key={token}"])
def test_wrong_or_missing_secret_is_404(busy, query):
    response = busy.get("/calendar.ics" + query.format(token=busy.token), token=None)
    assert response.status == 404
    assert b"VCALENDAR" not in response.body


def test_the_api_token_does_not_open_the_feed_and_the_secret_does_not_open_the_api(busy):
    secret = feed_path(busy).split("key=")[1]
    assert busy.get("/calendar.ics", token=busy.token).status == 404
    assert busy.get("/api/followups", token=secret).status == 401


def test_rotating_the_secret_retires_the_old_address(busy):
    old = feed_path(busy)
    rotated = busy.post("/api/calendar/rotate", {})
    assert rotated.status == 200
    new = urlsplit(rotated.json["url"])
    assert busy.get(old, token=None).status == 404
    assert busy.get(f"{new.path}?{new.query}", token=None).status == 200
    assert feed_path(busy) == f"{new.path}?{new.query}"


def test_secret_is_kept_owner_only(busy):
    feed_path(busy)
    mode = stat.S_IMODE(os.stat(busy.data_dir / "calendar_secret").st_mode)
    assert mode == 0o600
    assert len((busy.data_dir / "calendar_secret").read_text().strip()) >= 32


def test_calendar_info_needs_the_token(busy):
    assert busy.get("/api/calendar", token=None).status == 401
    assert busy.post("/api/calendar/rotate", {}, token=None).status == 401


def test_feed_of_nothing_is_a_valid_empty_calendar():
    calendar = Calendar.from_ical(feed([], now=datetime(2026, 11, 2, tzinfo=UTC)))
    assert calendar.walk("VEVENT") == []


def test_feed_carries_the_mailto_link_and_escapes_text():
    item = {"application_id": 3, "key": "why", "due": "2026-12-02", "title": "Ask Acme, Inc; why",
            "draft": {"subject": "A quick question", "body": "Hi Jo,\n\nLine; two, three"},
            "mailto": "mailto:jo@acme.test?subject=A%20quick%20question"}
    [event] = Calendar.from_ical(feed([item], base_url="http://127.0.0.1:7531/")).walk("VEVENT")
    assert str(event["summary"]) == "Ask Acme, Inc; why"
    assert "Line; two, three" in str(event["description"])
    assert "mailto:jo@acme.test" in str(event["description"])
    assert str(event["url"]) == "http://127.0.0.1:7531/applications/3"
    assert event.decoded("dtstart") == date(2026, 12, 2)


def test_feed_leaves_out_long_overdue_ones_that_the_export_keeps(busy):
    busy.post("/api/applications", {"url": "https://jobs.example.com/old", "title": "Old", "company": "Initech",
                                    "applied_at": days(-50).isoformat()})
    subscribed = [str(e["summary"]) for e in Calendar.from_ical(busy.get(feed_path(busy), token=None).body)
                  .walk("VEVENT")]
    exported = busy.get("/api/export?format=ics")
    assert exported.status == 200 and exported.headers["Content-Type"].startswith("text/calendar")
    everything = [str(e["summary"]) for e in Calendar.from_ical(exported.body).walk("VEVENT")]
    assert "Check in with Initech about Old" in everything and "Check in with Initech about Old" not in subscribed
    assert len(everything) == len(subscribed) + 1
