"""The calendar feed: each follow-up as an all-day event with a 9:00 reminder, behind its own secret.

Calendar apps subscribe to a URL and cannot send an Authorization header, so the feed has
its own read-only secret in the query string (never the API token: a feed URL ends up in
calendar sync services and their logs). Rotating it makes every old feed URL stop working.
"""
import hmac
import os
import secrets
from datetime import date, datetime, timedelta, UTC

from flask import Blueprint, Response, current_app, request
from icalendar import Alarm, Calendar, Event

from .errors import NotFound
from .tokens import write_owner_only

bp = Blueprint("calendar", __name__)
SECRET_FILE = "calendar_secret"
REMINDER_AT = timedelta(hours=9)  # from the start of the (all-day) due date: 9:00 local time
PRODUCT_ID = "-//Applied//Follow-ups//EN"
# The subscribed feed leaves out follow-ups overdue for longer than this: a calendar app re-reads
# the whole feed every hour, and a reminder from months ago only clutters the past weeks there.
# (`applied due`, the web view and `applied export --format ics` still show every one.)
FEED_PAST_DAYS = 30


def _write_secret(data_dir):
    secret = secrets.token_urlsafe(32)
    write_owner_only(os.path.join(data_dir, SECRET_FILE), (secret + "\n").encode("ascii"))
    return secret


def load_or_create_secret(data_dir):
    """The feed's secret, made once with the secrets module and kept owner-only in the data folder."""
    try:
        with open(os.path.join(data_dir, SECRET_FILE), encoding="ascii") as handle:
            secret = handle.read().strip()
        if len(secret) >= 32:
            return secret
    except FileNotFoundError:
        pass
    return _write_secret(data_dir)


def rotate_secret(data_dir):
    return _write_secret(data_dir)


def loopback_url(port):
    """Where calendar apps reach the feed: 127.0.0.1, whatever address the page that shows it has (calendar apps
    resolve no .localhost name, and the web view's own name must not travel with a calendar's subscriptions)."""
    return f"http://127.0.0.1:{port}/" if port else "http://127.0.0.1/"


def feed_urls(host_url, secret):
    """The addresses to paste into a calendar app (webcal:// opens most of them directly)."""
    url = f"{host_url.rstrip('/')}/calendar.ics?key={secret}"
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def feed(followups, *, now=None, base_url=None):
    """An iCalendar document (bytes) with one event per follow-up; UIDs are stable across refreshes."""
    now = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Applied follow-ups")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in followups:
        if item.get("kind") == "catch_up":
            continue  # no event: it stands for what fell due before an import, long past
        day = date.fromisoformat(item["due"])
        event = Event()
        event.add("uid", f"applied-{item['application_id']}-{item['key']}@applied.local")
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1) if day < date.max else day)
        event.add("summary", item["title"])
        description = f"{item['draft']['subject']}\n\n{item['draft']['body']}"
        if base_url:
            link = f"{base_url.rstrip('/')}/applications/{item['application_id']}"
            event.add("url", link)
            description += f"\n\nOpen in Applied: {link}"
        if item.get("mailto"):
            description += f"\n\nWrite it: {item['mailto']}"
        event.add("description", description)
        event.add("categories", ["Applied follow-up"])
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it never blocks the day
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item["title"])
        alarm.add("trigger", REMINDER_AT, parameters={"RELATED": "START"})
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


_END = b"END:VCALENDAR\r\n"


def feed_chunks(pages, *, now=None, base_url=None):
    """feed()'s document written a page of follow-ups at a time (``pages``: lists of them), so that a feed or an
    export of thousands holds one page's drafts and events at once, never all of them."""
    now = now or datetime.now(UTC)
    head = feed([], now=now, base_url=base_url)[:-len(_END)]  # the calendar's own lines
    yield head
    for page in pages:
        yield feed(page, now=now, base_url=base_url)[len(head):-len(_END)]  # this page's events
    yield _END


def _secret_matches(presented):
    expected = load_or_create_secret(current_app.config["DATA_DIR"])
    return hmac.compare_digest(presented.encode(), expected.encode())


@bp.get("/calendar.ics")
def calendar_feed():
    """The feed for calendar apps. A wrong or missing key is a 404, as if there were no feed at all."""
    if not _secret_matches(request.args.get("key", "")):
        raise NotFound("there is nothing at this address")
    from . import current
    from .followup_schedule import pages_due

    today = date.today()
    since = (today - timedelta(days=FEED_PAST_DAYS)).isoformat()
    pages = pages_due(current.store(), today, since=since)
    return Response(feed_chunks(pages, base_url=loopback_url(current_app.config.get("PORT"))), mimetype="text/calendar", headers={
        "Content-Disposition": "inline; filename=applied-followups.ics"})
