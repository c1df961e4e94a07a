"""The work-search report: every job-search activity in a date range, one row each, by week.

Benefit programs ask claimants to prove their search week by week (date, employer, position,
contact, method, result). The rows come from what Applied already records: applications sent,
follow-ups done, interviews, informational conversations and course hours. ``activities`` and
``weeks`` are pure (the documents and the range go in, rows come out); ``build`` hands them the
store's records, and the report page, its print page, the API and `applied report` render that.
"""
import csv
import io
import threading
from datetime import date, timedelta

from . import applications, contacts, skills
from .errors import ValidationError
from .pipeline import is_sent, parse_day
from .transfer import spreadsheet_cell

COLUMNS = (("date", "Date"), ("employer", "Employer"), ("position", "Position"), ("address", "Posting address"),
           ("contact_name", "Contact"), ("contact_email", "Email"), ("contact_phone", "Phone"), ("method", "Method"),
           ("activity", "Activity"), ("result", "Result or status"))
ALWAYS_SHOWN = ("date", "employer", "activity")  # the printed report leaves out the other columns when empty
ACTIVITIES = ("applied", "followed up", "interviewed", "informational interview", "course")
# How an application was sent: what the person said (applications.SEND_METHODS), else "online" for a
# posting captured from its page, else not recorded (logged by hand, or imported without an address).
NOT_RECORDED = "not recorded"
MAX_DAYS = 3 * 366


def parse_range(start, end):
    """(first day, last day) from two YYYY-MM-DD strings; a clear error when they are missing or reversed."""
    if not start or not end:
        raise ValidationError("a report needs a range: from=YYYY-MM-DD and to=YYYY-MM-DD", code="missing_range")
    first, last = parse_day(start, "from"), parse_day(end, "to")
    if last < first:
        raise ValidationError("the report's 'to' day comes before its 'from' day")
    if (last - first).days > MAX_DAYS:
        raise ValidationError("a report covers at most three years")
    return first, last


def _day(value):
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _interview_method(note):
    text = (note or "").casefold()
    if any(word in text for word in ("video", "zoom", "teams", "meet", "online", "remote")):
        return "online"  # before "call": a video call is online
    if "phone" in text or "call" in text:
        return "phone"
    return "in person"


def activities(applications, contacts, courses, first, last):
    """Every activity from ``first`` to ``last`` (both included), in date order."""
    by_application = {}
    for contact in contacts:
        for application_id in contact.get("application_ids") or []:
            by_application.setdefault(application_id, contact)
    rows = []

    def add(day, **row):
        day = _day(day)
        if day and first <= day <= last:
            rows.append({"date": day.isoformat(), **{key: row.get(key) or "" for key, _ in COLUMNS[1:]}})

    for application in applications:
        contact = by_application.get(application["id"]) or {}
        base = {"employer": application.get("company"), "position": application.get("title"),
                "address": application.get("url"), "contact_name": contact.get("name"),
                "contact_email": contact.get("email"), "contact_phone": contact.get("phone"),
                "result": application.get("status")}
        for entry in application.get("history") or []:
            kind = entry.get("kind")
            if is_sent(entry):
                add(entry.get("date"), **base, method=sent_by(application), activity="applied")
            elif kind == "followup" and entry.get("action") == "done":
                add(entry.get("date"), **base, method="email", activity="followed up")
            elif kind == "interview":
                add(entry.get("date"), **base, method=_interview_method(entry.get("note")), activity="interviewed")
    for contact in contacts:
        spoke = contact.get("answered_at")
        add(spoke or contact.get("asked_at"), employer=contact.get("company"), position=contact.get("role"),
            contact_name=contact.get("name"), contact_email=contact.get("email"), contact_phone=contact.get("phone"),
            method="email" if contact.get("email") else "in person", activity="informational interview",
            result="held" if spoke else "asked")
    for course in courses:
        for entry in course.get("log") or []:
            add(entry.get("date"), employer=course.get("provider"), position=course.get("name"), method="online",
                activity="course", result=f"{entry.get('hours') or 0:g} h")
    rows.sort(key=lambda r: (r["date"], ACTIVITIES.index(r["activity"]), r["employer"].casefold()))
    return rows


def sent_by(application):
    """How the application was sent, in the report's words."""
    if application.get("method"):
        return application["method"]
    return "online" if application.get("url") else NOT_RECORDED


def columns(rows):
    """The columns the rows fill (and those always shown): an empty column takes no room on the page."""
    return tuple((key, label) for key, label in COLUMNS if key in ALWAYS_SHOWN or any(row[key] for row in rows))


# An ordered index of each table the activities come from, by the days its records name: every dated
# field activities() and skills.weekly_activity() may read (add one here when they read another), so
# that a range is read from the index, not from every record.
EVENT_DAYS = "event-days"
_DATED = (applications.TABLE, contacts.TABLE, skills.COURSES)


def _event_days(doc, _value):
    """The days a record names, as index keys: its dated fields, and each history or log entry's date."""
    days = {str(doc.get(field))[:10] for field in ("applied_at", "created_at", "asked_at", "answered_at",
                                                   "thanked_at", "last_contact_at", "started_at", "finished_at")
            if doc.get(field)}
    for entry in (*(doc.get("history") or ()), *(doc.get("log") or ())):
        if isinstance(entry, dict):
            days.update(str(entry[key])[:10] for key in ("date", "at") if entry.get(key))
    return [_KEYS.get(day) or _KEYS.setdefault(day, (day,)) for day in sorted(days)]


_KEYS = {}  # day -> (day,): one key object per day, shared by every record that names it


def install_indexes(store, tables=_DATED):
    """Declare the indexes by day (the warm-up after a start builds them before a page reads them)."""
    for table in tables:
        if not store.has_index(table, EVENT_DAYS):
            store.add_index(table, EVENT_DAYS, _event_days)


def records_between(store, first, last, tables=_DATED):
    """(applications, contacts, courses) that name a day from ``first`` to ``last`` (or the records of
    ``tables``): the only records an activity in that range can come from, read from each table's index
    by day. They are the stored records, not copies (see Store.index_scan): read them only."""
    install_indexes(store, tables)
    found = []
    for table in tables:
        docs = []
        store.index_scan(table, EVENT_DAYS, docs.append, lo=(first.isoformat(),),
                         hi=None if last >= date.max else ((last + timedelta(days=1)).isoformat(),))
        # In the order of their ids, as every record is read: the rows of one day and employer keep that order
        # (the index gives them by their first day in the range: two courses logged the same day swapped).
        docs.sort(key=lambda doc: doc["id"])
        found.append(docs)
    return tuple(found)


def build(store, first, last, person=""):
    """What the report page, the printable HTML and the CSV show: {person, from, to, rows, weeks, columns}.

    The last KEPT ranges' reports are kept until a record changes: the page, its printable version and its
    CSV read the same range one after the other (read-only: copy a part before changing it)."""
    kept = store.cached("report-ranges", (), dict)  # this store's own, checked against the versions below
    versions, key = tuple(store.version(table) for table in _DATED), (first, last, person)
    with _KEEPING:
        found = kept.pop(key, None)
        if found is not None and found[0] == versions:
            kept[key] = found  # the most recent last
            return dict(found[1])
    data = _build(store, first, last, person)
    if len(data["rows"]) <= KEPT_ROWS:
        with _KEEPING:
            kept[key] = (versions, data)
            while len(kept) > KEPT:
                kept.pop(next(iter(kept)))
    return dict(data)


KEPT, KEPT_ROWS = 3, 20_000  # ranges kept, and the most rows a kept one holds (a few MB)
_KEEPING = threading.Lock()


def _build(store, first, last, person):
    rows = activities(*records_between(store, first, last), first, last)
    return {"person": person, "from": first.isoformat(), "to": last.isoformat(), "rows": rows,
            "weeks": weeks(rows, first, last), "columns": columns(rows)}


def printable(data, *, standalone):
    """The report as one HTML page made for printing; ``standalone`` inlines its stylesheet (for a saved file)."""
    from importlib.resources import files

    from flask import render_template

    css = files("companion").joinpath("static/report.css").read_text(encoding="utf-8") if standalone else None
    return render_template("report_print.html", **data, css=css)


def weeks(rows, first=None, last=None):
    """The rows by week (Monday first): [{start, end, rows, total, counts: {activity: n}}]; from ``first``
    to ``last``, every week of the range, with none where nothing happened (a benefits office asks for each)."""
    out = {}

    def week(start):
        return out.setdefault(start, {"start": start.isoformat(), "end": (start + timedelta(days=6)).isoformat(),
                                      "rows": [], "counts": dict.fromkeys(ACTIVITIES, 0)})

    if first is not None and last is not None:
        start = first - timedelta(days=first.weekday())
        while start <= last:
            week(start)
            start += timedelta(days=7)
    for row in rows:
        day = date.fromisoformat(row["date"])
        entry = week(day - timedelta(days=day.weekday()))
        entry["rows"].append(row)
        entry["counts"][row["activity"]] += 1
    for entry in out.values():
        entry["total"] = len(entry["rows"])
    return [out[start] for start in sorted(out)]


def to_csv(rows):
    """A header row, then one row per activity; cells that a spreadsheet would run as formulas are quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([spreadsheet_cell(row[key]) for key, _ in COLUMNS])
    return out.getvalue()
