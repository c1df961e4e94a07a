"""The follow-up schedule over the store: what is due, read from an ordered index kept on every write.

The rules are followup_rules.py's (pure); this module hands them the stored applications, their
contacts and the person's settings. A follow-up's due date changes only when its application
or the settings change (contacts only fill in the drafts), so the store keeps every suggested
(due, company, key) in an index of the applications table, computed when an application is
written and rebuilt when the settings change. "Due by today" is then a range read of that
index, a count is its length, and the drafts are written only for the page that shows them.
What the person did about a suggestion (done, snoozed, dismissed), the replies and interviews
they log and the reasons they record are written here too, each as a dated history entry.
The HTTP routes are in api/followups.py; the web view, the calendar feed and the CLI use this.
"""
import re
import sys
from datetime import date, datetime, timedelta

from . import applications as apps
from . import followup_rules, paging, pipeline, reasons, validate
from .applications import TABLE
from .errors import NotFound, ValidationError
from .contacts import TABLE as CONTACTS
from .settings import user_values
from .store import comes_after

# Statuses the rules can suggest something for: the others have no entry in the index.
ACTIVE = frozenset({"applied", "screening", "interviewing", "offer", "rejected", "ghosted"})
INDEX = "followups"  # (due, company, key, until) per suggestion, whatever the day
# The few that today decides about: thank-yous, which leave once their interview's follow-up is
# due, keyed by that day (and again by their due day); and a feedback request with no date to
# count from ("" keys), due two days from today whatever today is. A count is the main index's
# length less those, each found by bounds.
ENDING = "followups-ending"
THANKS = "followups-thanks"
# Suggestions of imported applications that fell due before the import (followup_rules): kept out of
# INDEX, listed as one "catch up" entry, due the import's day and never overdue, dismissed at once.
CATCH_UP = "followups-catch-up"
CATCH_UP_KEY = "catch-up"
CATCH_UP_SHOWN = 10  # the applications the catch-up entry names; the rest are counted
# The settings a due date depends on (the drafts read the others, such as your_name): a change
# to one of these rebuilds the index; a change to the others leaves it as it is.
SCHEDULE_SETTINGS = frozenset({"checkin_after_days", "second_checkin_after_days", "max_checkins",
                               "thank_you_after_days", "interview_followup_days", "ask_why_after_days",
                               "feedback_after_rejection_days", "closing_date_lead_days", "weekdays_only",
                               "use_learned_timing", "learned"})
SNOOZE_DAYS = (1, 3, 7)
ACTIONS = ("done", "snooze", "dismiss")
EVENT_KINDS = ("reply", "interview")
KEY = re.compile(r"^[a-z0-9-]{1,60}$")
MAX_NOTE = 2000
_NO_END = "~"  # after every ISO date: a suggestion that stays until it is handled
_intern = sys.intern  # the same few hundred dates, keys and companies over and over


def schedule_settings(store):
    """The person's settings, plus their learned timing when they chose to be scheduled by it."""
    settings = user_values(store)
    if settings.get("use_learned_timing"):
        settings["learned"] = learned_timing(store)
    return settings


def learned_timing(store):
    """followup_rules.learned_timing over every application, kept up to date change by change."""
    from .insights import learned_timing
    return learned_timing(store)


def _index_keys(doc, settings, *, catch_up=False):
    if doc.get("status") not in ACTIVE:
        return []
    company = _intern((doc.get("company") or "").casefold())
    return [(_intern(due.isoformat()) if due else "", company, _intern(key),
             _intern(until.isoformat()) if until else _NO_END)
            for key, due, until, caught in followup_rules.due_dates(doc, settings) if caught == catch_up]


def _catch_up_keys(doc, settings):
    return _index_keys(doc, settings, catch_up=True) if doc.get("imported_at") else []


def _may_end(doc):
    """Whether the rules can suggest a thank-you (after an interview) or an undated feedback
    request (after a rejection) for doc: most applications have neither, and are skipped quickly."""
    status = doc.get("status")
    if status == "rejected":
        return True
    return status in followup_rules.THANK_YOU_STATUSES and any(
        entry.get("kind") == "interview" or (entry.get("kind") == "status" and entry.get("to") == "interviewing")
        for entry in doc.get("history") or ())


def _ending_keys(doc, settings):
    return [(until if due else "", due, company, key) for due, company, key, until in _index_keys(doc, settings)
            if until != _NO_END or not due] if _may_end(doc) else []


def _thanks_keys(doc, settings):
    return [(due, until, company, key) for due, company, key, until in _index_keys(doc, settings)
            if due and until != _NO_END] if _may_end(doc) else []


def _install(store):
    if not store.has_index(TABLE, INDEX):
        def signature():
            return {k: v for k, v in schedule_settings(store).items() if k in SCHEDULE_SETTINGS}

        store.add_index(TABLE, INDEX, _index_keys, signature=signature)
        store.add_index(TABLE, ENDING, _ending_keys, signature=signature)
        store.add_index(TABLE, THANKS, _thanks_keys, signature=signature)
        store.add_index(TABLE, CATCH_UP, _catch_up_keys, signature=signature)


def linked_contacts(store, application_ids):
    """{application id: [contact]} for these applications (from the contacts' index), for drafts."""
    wanted, linked = set(application_ids), {}
    for contact in store.get_many(CONTACTS, store.ids(CONTACTS, "application_ids", wanted)):
        for application_id in contact.get("application_ids") or []:
            if application_id in wanted:
                linked.setdefault(application_id, []).append(
                    {"name": contact.get("name"), "email": contact.get("email"), "role": contact.get("role")})
    return linked


def _summary(application):
    return {key: application.get(key) for key in ("id", "title", "company", "status", "url", "applied_at")}


def application_followups(store, application, today, settings=None, linked=None):
    """Every suggestion for one application, each with a short summary of the application."""
    settings = schedule_settings(store) if settings is None else settings
    linked = linked_contacts(store, [application["id"]]) if linked is None else linked
    enriched = {**application, "contacts": (application.get("contacts") or []) + linked.get(application["id"], [])}
    return [{**s, "application": _summary(application)} for s in followup_rules.suggestions(enriched, today, settings)]


def _resolve(store, today, last, floating):
    """The index entries of the undated feedback requests of these applications, due by ``last``."""
    settings, found = schedule_settings(store), []
    for doc in store.get_many(TABLE, floating):
        found += [((s["due"], (doc.get("company") or "").casefold(), s["key"], _NO_END), doc["id"])
                  for s in followup_rules.suggestions(doc, today, settings)
                  if s["key"] == "feedback" and (last is None or s["due"] <= last)]
    return found


def _through(by):
    """The index bound that ends the range on the day ``by`` (None: no bound, for none or the last day there is)."""
    return None if by is None or by >= date.max else ((by + timedelta(days=1)).isoformat(),)


def _read(store, today, by, offset=0, limit=None, after=None):
    """(total, overdue, [(index key, id)] of the page) due by ``by`` (None: all), in the order shown,
    after the entry ``after`` (a decoded cursor) when given. Counted from the index's bounds, less the thank-yous past their time (counted
    by bounds too, but for the few due after ``by`` or today) and the undated ones; the page is
    read from the start of the index until it is full."""
    _install(store)
    day, last = today.isoformat(), None if by is None else by.isoformat()
    hi = _through(by)
    late = (day,) if hi is None else min(hi, (day,))  # overdue, and due by then
    with store.lock:  # the indexes read at one moment
        in_range = store.index(TABLE, INDEX, hi=hi, limit=0)[0]
        overdue = store.index(TABLE, INDEX, hi=late, limit=0)[0]
        # Thank-yous whose time is over (until <= today): all in the index, most due long ago.
        over = store.index(TABLE, ENDING, lo=("\x00",), hi=((today + timedelta(days=1)).isoformat(),), limit=0)[0]
        after_by = after_late = 0
        for (due, until, _, _), _ in store.index(TABLE, THANKS, lo=late)[1]:
            if until <= day:
                after_by += last is not None and due > last
                after_late += 1
        _, floating = store.index(TABLE, ENDING, hi=("\x00",))
        add = _resolve(store, today, last, [doc_id for _, doc_id in floating]) if floating else []
        total = in_range - (over - after_by) - len(floating) + len(add)
        overdue = overdue - (over - after_late) - len(floating) + sum(1 for key, _ in add if key < late)
        if limit == 0:
            return total, overdue, []
        keep = lambda key: key[0] and key[3] > day  # noqa: E731  (undated ones come from add)
        if after is not None:
            add = [entry for entry in add if comes_after(entry, after, False)]
        if add:
            _, page = store.index(TABLE, INDEX, hi=hi, limit=None if limit is None else offset + limit, keep=keep,
                                  after=after)
            page = sorted(page + add)[offset:None if limit is None else offset + limit]
        else:
            _, page = store.index(TABLE, INDEX, hi=hi, offset=offset, limit=limit, keep=keep, after=after)
    return total, overdue, page


def install_indexes(store):
    """Declare the follow-up indexes (the warm-up after a start builds them before a page reads them)."""
    _install(store)


def counted(store):
    """Whether a count reads built indexes: not in the first seconds after a start with many applications,
    while the warm-up builds them (a page's badge then says so rather than wait; see web/pages.py)."""
    _install(store)
    return store.indexes_ready(TABLE, (INDEX, ENDING, THANKS, CATCH_UP))


def _caught_up(store, by):
    """How many catch-up suggestions are due by ``by`` (None: all), and the first day one is due."""
    _install(store)
    hi = _through(by)
    count, first = store.index(TABLE, CATCH_UP, hi=hi, limit=1)
    return count, first[0][0][0] if first else None


def count(store, today, *, by=None):
    """(how many follow-ups are due on or before ``by``, default today, and how many are overdue).

    The suggestions that fell due before an import count as one: the catch-up entry."""
    total, overdue, _ = _read(store, today, by or today, limit=0)
    return total + (1 if _caught_up(store, by or today)[0] else 0), overdue


def due(store, today, *, by=None, offset=0, limit=None):
    """(total, overdue, the page [offset:offset+limit]) of the follow-ups due by ``by`` (None: all
    of them), the catch-up entry first (see :func:`catch_up_entry`), then overdue first; drafts are
    written for the page only."""
    caught, since = _caught_up(store, by)
    if caught:  # one entry ahead of the others: the page around it is one shorter, or one further
        first = offset == 0
        total, overdue, page = _read(store, today, by, max(0, offset - 1),
                                     None if limit is None else max(0, limit - first))
        found = _suggestions(store, today, page)
        if first and limit != 0:
            found.insert(0, catch_up_entry(store, today, caught, since, by))
        return total + 1, overdue, found
    total, overdue, page = _read(store, today, by, offset, limit)
    return total, overdue, _suggestions(store, today, page)


def due_page(store, today, *, by=None, limit=100, after=None):
    """(total, overdue, the page of at most ``limit`` follow-ups due by ``by`` after the cursor
    ``after`` (paging.decode's), the cursor after them or None when none are left). The first page
    opens with the catch-up entry (see :func:`catch_up_entry`), counted in the total."""
    caught, since = _caught_up(store, by)
    first = bool(caught) and after is None and limit > 0
    room = limit - first
    total, overdue, page = _read(store, today, by, 0, room + 1, after)
    more = page[room:]
    page = page[:room]
    found = _suggestions(store, today, page)
    if first:
        found.insert(0, catch_up_entry(store, today, caught, since, by))
    return total + (1 if caught else 0), overdue, found, (paging.encode(*page[-1]) if more and page else None)


def _suggestions(store, today, page):
    """The suggestions of these index entries, with their drafts."""
    ids = list(dict.fromkeys(doc_id for _, doc_id in page))
    settings, linked = schedule_settings(store), linked_contacts(store, ids)
    suggested = {doc["id"]: {s["key"]: s for s in application_followups(store, doc, today, settings, linked)}
                 for doc in store.get_many(TABLE, ids)}
    return [suggested[doc_id][key[2]] for key, doc_id in page if key[2] in suggested.get(doc_id, {})]


def catch_up_entry(store, today, caught, since, by=None):
    """The one entry for every suggestion that fell due before an import: {key: "catch-up", kind: "catch_up",
    count, due (the first import's day), overdue: false, title, items: the first applications it is about}."""
    hi = _through(by)
    _, first = store.index(TABLE, CATCH_UP, hi=hi, limit=CATCH_UP_SHOWN)
    docs = {doc["id"]: doc for doc in store.get_many(TABLE, list(dict.fromkeys(doc_id for _, doc_id in first)))}
    settings = schedule_settings(store)
    items = []
    for (_, _, key, _), doc_id in first:
        doc = docs.get(doc_id)
        found = next((s for s in followup_rules.suggestions(doc, today, settings) if s["key"] == key), None) \
            if doc else None
        if found:
            items.append({"application_id": doc_id, "key": key, "kind": found["kind"], "title": found["title"],
                          "was_due": found["was_due"], "application": _summary(doc)})
    what = "follow-up" if caught == 1 else "follow-ups"
    return {"key": CATCH_UP_KEY, "kind": "catch_up", "catch_up": True, "count": caught, "due": since,
            "overdue": False, "application_id": None, "application": None, "items": items,
            "title": f"Catch up: {caught} {what} fell due before you imported these applications",
            "draft": None, "mailto": None, "suggest_status": None, "snoozed_until": None}


def dismiss_catch_up(store, today, *, now=None):
    """Dismiss every catch-up suggestion at once (followup_rules.catch_up_dismissals for each imported
    application): {dismissed, applications}. Written a few hundred applications at a time, each batch
    one write under the lock, so that other requests go on between two."""
    _install(store)
    now = (now or datetime.now()).replace(microsecond=0).isoformat()
    with store.lock:
        _, entries = store.index(TABLE, CATCH_UP)
    ids = list(dict.fromkeys(doc_id for _, doc_id in entries))
    settings = schedule_settings(store)
    dismissed = 0
    for start in range(0, len(ids), apps.BULK_BATCH):
        with store.lock, store.batch():
            changes = {}
            for doc in store.get_many(TABLE, ids[start:start + apps.BULK_BATCH]):
                found = followup_rules.catch_up_dismissals(doc, today, settings)
                if found:
                    changes[doc["id"]] = {"history": (doc.get("history") or []) + [{"at": now, **e} for e in found],
                                          "updated_at": now}
                    dismissed += len(found)
            store.update_many(TABLE, changes)
    return {"dismissed": dismissed, "applications": len(ids)}


def collect(store, today, *, by=None, application_id=None):
    """Every follow-up due on or before ``by`` (all of them when None), overdue first."""
    if application_id is not None:
        application = store.get(TABLE, application_id)
        if application is None:
            raise NotFound(f"no application with id {application_id}")
        found = application_followups(store, application, today)
        return [s for s in found if by is None or s["due"] <= by.isoformat()]
    return due(store, today, by=by)[2]


def pages_due(store, today, *, since=None, step=200):
    """Every follow-up suggested (due from ``since`` on, when given), soonest first, a page of ``step`` at a
    time with its drafts: for the calendar feed and export, which must never hold every draft at once."""
    after = None if since is None else ((since,), 0)  # before the first entry due that day
    while True:
        _, _, page, following = due_page(store, today, limit=step, after=after)
        if page:
            yield [s for s in page if since is None or s["due"] >= since]
        if following is None:
            return
        after = paging.decode(following)


def next_followups(store, applications, today):
    """{application id: its first follow-up to come, or None}, for lists of applications."""
    settings, linked = schedule_settings(store), linked_contacts(store, [a["id"] for a in applications])
    found = {}
    for application in applications:
        suggested = application_followups(store, application, today, settings, linked)
        found[application["id"]] = suggested[0] if suggested else None
    return found


def timing(store, learned=None):
    """The person's own median days to a reply next to the defaults, and the schedule it suggests."""
    learned = learned_timing(store) if learned is None else learned
    settings = user_values(store)
    probe = {**settings, "use_learned_timing": True, "learned": learned}
    suggested = {
        "checkin_after_days": followup_rules.learned_days(probe, "applied"),
        "interview_followup_days": followup_rules.learned_days(probe, "interviewing"),
    }
    return {**learned,
            "defaults": {name: settings[name] for name in ("checkin_after_days", "second_checkin_after_days",
                                                            "interview_followup_days")},
            "suggested": {name: days for name, days in suggested.items() if days is not None},
            "use_learned_timing": settings["use_learned_timing"]}


def first_followup(store, application, today):
    """The first follow-up to come for one application (a capture's answer carries it), or None."""
    found = application_followups(store, application, today)
    return found[0] if found else None


# -- what the person did ------------------------------------------------------------------------

def _find(store, application_id, key, today):
    if not KEY.match(key):
        raise ValidationError("a follow-up key is lower-case letters, digits and dashes, like checkin-1")
    application = apps.get(store, application_id)
    for suggestion in application_followups(store, application, today):
        if suggestion["key"] == key:
            return suggestion
    raise NotFound(f"no follow-up {key!r} is suggested for application {application_id} now "
                   f"(already done or dismissed?)", code="no_such_followup")


def _day(payload, field, today, *, future_days=0):
    if payload.get(field) in (None, ""):
        return today
    day = pipeline.parse_day(payload[field], field)
    if day > today + timedelta(days=future_days):
        raise ValidationError(f"{field} cannot be later than {today + timedelta(days=future_days)}",
                              code="invalid_date")
    return day


def _note(payload):
    return validate.text(payload.get("note"), "note", limit=MAX_NOTE) or ""


def _check_snooze_days(days):
    if days not in SNOOZE_DAYS or isinstance(days, bool):
        raise ValidationError("days must be 1, 3 or 7", code="invalid_snooze")


def act(store, application_id, key, action, payload, today):
    """Record done, snooze or dismiss for one suggestion; return the history entry."""
    unknown = set(payload) - {"days", "note", "date"}
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}")
    with store.lock:
        suggestion = _find(store, application_id, key, today)
        entry = {"kind": "followup", "key": key, "followup_kind": suggestion["kind"], "action": action,
                 "date": _day(payload, "date", today).isoformat()}
        if action == "snooze":
            _check_snooze_days(payload.get("days"))
            # Snoozing counts from the due day when it is still ahead: "3 more days" never brings it closer.
            start = max(today, date.fromisoformat(suggestion["due"]))
            entry["until"] = (start + timedelta(days=payload["days"])).isoformat()
        note = _note(payload)
        if note:
            entry["note"] = note
        apps.add_history(store, application_id, entry)
    return entry


def act_on_many(store, payload, today):
    """One action on several follow-ups: {items: [{application_id, key}], action, days?}.

    Each is recorded as :func:`act` records one; those no longer suggested are listed, not fatal.
    """
    validate.known_fields(payload, ("items", "action", "days"))
    action, items = payload.get("action"), payload.get("items")
    if action not in ACTIONS:
        raise ValidationError("action must be done, snooze or dismiss", code="invalid_action")
    if action == "snooze":
        _check_snooze_days(payload.get("days"))
    if not isinstance(items, list) or not items or not all(
            isinstance(i, dict) and set(i) == {"application_id", "key"} and type(i["application_id"]) is int
            and isinstance(i["key"], str) for i in items):
        raise ValidationError("items must be a list of one or more {application_id, key} objects",
                              code="invalid_items")
    body = {"days": payload["days"]} if "days" in payload else {}
    done, skipped = [], []

    def one(item):
        try:
            act(store, item["application_id"], item["key"], action, body, today)
        except (ValidationError, NotFound) as error:
            skipped.append({**item, "code": error.code, "message": error.message})
        else:
            done.append(item)

    apps.in_batches(store, items, one)  # one fsync a batch
    return {"action": action, "changed": done, "skipped": skipped}


def log_event(store, application_id, payload, today):
    """Log a reply or an interview, moving the application where that event takes it (see
    pipeline.status_after_event); return the stored application."""
    unknown = set(payload) - {"kind", "date", "note"}
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}; send kind, date and note")
    kind = payload.get("kind")
    if kind not in EVENT_KINDS:
        raise ValidationError("kind must be reply or interview", code="unknown_event")
    # An interview may be booked ahead; a reply has already arrived.
    day = _day(payload, "date", today, future_days=365 if kind == "interview" else 0)
    note = _note(payload)
    with store.lock:
        application = apps.get(store, application_id)
        if kind == "reply" and application.get("applied_at") and day.isoformat() < application["applied_at"]:
            raise ValidationError(f"a reply cannot come before the application was sent "
                                  f"({application['applied_at']})", code="invalid_date")
        target = pipeline.status_after_event(application, kind)
        if target:
            note_for_move = "logged an interview" if kind == "interview" else "logged a reply"
            apps.update(store, application_id, {"status": target, "status_date": min(day, today).isoformat(),
                                                "status_note": note_for_move})
        entry = {"kind": kind, "date": day.isoformat(), **({"note": note} if note else {})}
        return apps.add_history(store, application_id, entry)


def record_reason(store, application_id, payload, today):
    """Record why the person was not chosen; return (the stored application, the history entry)."""
    codes, text = reasons.check(payload)
    day = _day(payload, "date", today)
    entry = {"kind": "reason", "date": day.isoformat(), "codes": codes, "text": text}
    return apps.add_history(store, application_id, entry), entry
