"""Contacts: the people you ask for advice, and when to thank them and keep in touch.

Asking people whose careers you admire, and hiring managers, for a short piece of
advice (an informational interview) is one of the surest ways into a company. The
record keeps when you asked, what they said, and two reminders that follow from it:
thank them the next day, then keep in touch every so often.
"""
import bisect
import re
from datetime import date, datetime, timedelta

from . import paging, pipeline, validate
from .drafts import mailto_link, signature
from .errors import NotFound, ValidationError
from .sanitize import clean_html
from .store import comes_after

TABLE = "contacts"
KINDS = ("admired", "hiring_manager", "recruiter", "referral", "other")
KIND_LABELS = {"admired": "Someone I admire", "hiring_manager": "Hiring manager", "recruiter": "Recruiter",
               "referral": "Referral", "other": "Other"}
DEFAULT_KEEP_IN_TOUCH_DAYS = 60
THANK_AFTER_DAYS = 1
MAX_NOTES = 20_000
# A strict check of the common form (name@host.example): the address goes into mailto: links, so
# nothing that could add a header or a recipient there (?, &, %, spaces, quotes) is accepted.
EMAIL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,63}")
FIELDS = ("name", "email", "role", "company", "kind", "application_ids", "asked_at", "answered_at",
          "notes", "thank_by", "thanked_at", "keep_in_touch_every_days", "last_contact_at")


def _now():
    return datetime.now().replace(microsecond=0)


def _name(value):
    name = validate.text(value, "name")
    if not name:
        raise ValidationError("name is required: who did you ask?", code="missing_name")
    return name


def _email(value):
    email = validate.text(value, "email", limit=320)
    if email and not EMAIL.fullmatch(email):
        raise ValidationError(f"email {email!r} does not look like an email address (name@example.com)")
    return email


def _kind(value):
    if value is None:
        return "other"
    if value not in KINDS:
        raise ValidationError(f"kind must be one of: {', '.join(KINDS)}", code="unknown_kind")
    return value


def _day(value, field):
    if value in (None, ""):
        return None
    return pipeline.parse_day(value, field).isoformat()


def _every(value):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 730:
        raise ValidationError("keep_in_touch_every_days must be a whole number from 0 (never) to 730")
    return value


def _application_ids(value, store):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValidationError("application_ids must be a list of application ids (whole numbers)")
    for application_id in value:
        if store.get("applications", application_id) is None:
            raise ValidationError(f"no application with id {application_id}", code="unknown_application")
    return sorted(set(value))


def _notes(value):
    text = validate.text(value, "notes", limit=MAX_NOTES)
    return clean_html(text) if text else ""


def _clean(payload, store, *, partial):
    """Check a client's fields; return only those present (all of them when creating)."""
    validate.known_fields(payload, FIELDS, "a contact")
    checks = {
        "name": _name, "email": _email, "role": lambda v: validate.text(v, "role"),
        "company": lambda v: validate.text(v, "company"), "kind": _kind,
        "application_ids": lambda v: _application_ids(v, store),
        "asked_at": lambda v: _day(v, "asked_at"), "answered_at": lambda v: _day(v, "answered_at"),
        "notes": _notes, "thank_by": lambda v: _day(v, "thank_by"),
        "thanked_at": lambda v: _day(v, "thanked_at"), "keep_in_touch_every_days": _every,
        "last_contact_at": lambda v: _day(v, "last_contact_at"),
    }
    if partial:
        return {field: checks[field](payload[field]) for field in FIELDS if field in payload}
    cleaned = {field: checks[field](payload.get(field)) for field in FIELDS}
    if "keep_in_touch_every_days" not in payload:
        cleaned["keep_in_touch_every_days"] = DEFAULT_KEEP_IN_TOUCH_DAYS
    return cleaned


# -- the reminders (pure) ------------------------------------------------------------------------

def _as_day(value):
    return date.fromisoformat(value) if value else None


def thank_by(contact):
    """The day to thank them by: the one the person chose, else the day after they answered (or were asked)."""
    if contact.get("thank_by"):
        return _as_day(contact["thank_by"])
    spoke = _as_day(contact.get("answered_at")) or _as_day(contact.get("asked_at"))
    return spoke + timedelta(days=THANK_AFTER_DAYS) if spoke else None


def next_touch(contact):
    """The next day to get back in touch, counted from the last time you were in touch; None when never."""
    every = contact.get("keep_in_touch_every_days") or 0
    last = max(filter(None, (_as_day(contact.get(f)) for f in
                             ("last_contact_at", "thanked_at", "answered_at", "asked_at"))), default=None)
    return last + timedelta(days=every) if every and last else None


def _first_name(contact):
    return (contact.get("name") or "").split(" ")[0] or "there"


def _draft(contact, key, your_name=""):
    first = _first_name(contact)
    sign = f"\n{signature(your_name)}"  # under the sign-off, as in the follow-up drafts
    if key == "thank":
        subject = "Thank you for your time"
        body = (f"Hi {first},\n\nThank you for taking the time to talk with me. Your advice was genuinely "
                f"useful, and I am already acting on it. I will let you know how it goes.\n\nBest regards,{sign}")
    else:
        subject = "A quick update"
        body = (f"Hi {first},\n\nIt has been a while since we spoke, so I wanted to share a short update on my "
                f"job search and thank you again for your advice. I hope things are going well for you too."
                f"\n\nBest regards,{sign}")
    return {"subject": subject, "body": body,
            "mailto": mailto_link(contact["email"], subject, body) if contact.get("email") else None}


def contact_reminders(contact, today, *, your_name="", drafts=True):
    """What is due for this contact, as of ``today``: a thank-you, then a keep-in-touch note.

    Each reminder is {key, date, due, overdue, title, draft}; ``due`` means on or before today.
    Without ``drafts``, no draft (for counting and sorting: writing one costs more than the rest).
    """
    reminders = []
    name = contact.get("name") or "them"
    thank_day = thank_by(contact)
    if thank_day and not contact.get("thanked_at"):
        reminders.append({"key": "thank", "date": thank_day, "title": f"Thank {name} for their advice"})
    touch_day = next_touch(contact)
    if touch_day:
        reminders.append({"key": "keep_in_touch", "date": touch_day, "title": f"Keep in touch with {name}"})
    for reminder in reminders:
        reminder["due"] = reminder["date"] <= today
        reminder["overdue"] = reminder["date"] < today
        if drafts:
            reminder["draft"] = _draft(contact, reminder["key"], your_name)
        reminder["date"] = reminder["date"].isoformat()
    return reminders


# -- the service functions -------------------------------------------------------------------------

def public(contact, today, *, your_name=""):
    """The contact as clients see it, with its computed dates and reminders."""
    out = dict(contact)
    out["notes"] = clean_html(contact.get("notes") or "")  # again on the way out, like descriptions
    day = thank_by(contact)
    touch = next_touch(contact)
    out["thank_by"] = day.isoformat() if day else None
    out["thank_by_chosen"] = bool(contact.get("thank_by"))
    out["next_touch"] = touch.isoformat() if touch else None
    out["reminders"] = contact_reminders(contact, today, your_name=your_name)
    return out


def get(store, contact_id):
    doc = store.get(TABLE, contact_id)
    if doc is None:
        raise NotFound(f"no contact with id {contact_id}")
    return doc


def create(store, payload, *, now=None):
    now = now or _now()
    doc = _clean(payload, store, partial=False)
    doc.update(created_at=now.isoformat(), updated_at=now.isoformat())
    with store.lock:
        return store.insert(TABLE, doc)


def update(store, contact_id, payload, *, now=None):
    now = now or _now()
    changes = _clean(payload, store, partial=True)
    if not changes:
        raise ValidationError("nothing to change: send one of " + ", ".join(FIELDS))
    with store.lock:
        get(store, contact_id)
        return store.update(TABLE, contact_id, {**changes, "updated_at": now.isoformat()})


def delete(store, contact_id):
    with store.lock:
        get(store, contact_id)
        store.delete(TABLE, contact_id)


def mark_done(store, contact_id, key, today, *, now=None):
    """Record that you thanked them, or got back in touch, today."""
    if key not in ("thank", "keep_in_touch"):
        raise ValidationError("a contact's reminders are: thank, keep_in_touch", code="unknown_reminder")
    changes = {"last_contact_at": today.isoformat()}
    if key == "thank":
        changes["thanked_at"] = today.isoformat()
    return update(store, contact_id, changes, now=now)


def sort_key(doc):
    """A contact's place in lists: by name (what a cursor holds: see paging.py)."""
    return (doc.get("name") or "").casefold()


def list_contacts(store, *, q=None, kind=None, application_id=None, offset=0, limit=200, after=None):
    """(how many match, the page) of the people by name, narrowed by a search, a kind or an
    application; ``after``, a decoded cursor, starts the page after that person."""
    if kind is not None:
        _kind(kind)
    needle = (q or "").strip().casefold()
    if application_id is not None and not needle and kind is None and after is None:  # an application's people
        linked = store.get_many(TABLE, store.ids(TABLE, "application_ids", [application_id]))
        linked.sort(key=sort_key)
        return len(linked), linked[offset:None if limit is None else offset + limit]
    total = [0]

    def listed(doc):
        if not matches(doc):
            return False
        total[0] += 1
        return after is None or comes_after((sort_key(doc), doc["id"]), after, False)

    def matches(doc):
        if kind and doc.get("kind") != kind:
            return False
        if application_id is not None and application_id not in (doc.get("application_ids") or []):
            return False
        if needle:
            haystack = " ".join(str(doc.get(f) or "") for f in ("name", "email", "role", "company", "notes"))
            return needle in haystack.casefold()
        return True

    _, page = store.search(TABLE, listed, sort_key=sort_key, reverse=False, offset=offset, limit=limit)
    return total[0], page


def _due(store, today, by):
    """[(contact, reminder without its draft)] due on or before ``by``, soonest first; none copied.

    Kept until the contacts change (or the day does): the nav's badge counts them on every page."""
    last = (by or today).isoformat()

    def compute():
        found = []

        def visit(contact):
            found.extend((contact, reminder) for reminder in contact_reminders(contact, today, drafts=False)
                         if reminder["date"] <= last)

        store.scan(TABLE, visit)
        found.sort(key=lambda pair: (_reminder_key(*pair), pair[0]["id"]))
        return found

    return store.cached(f"contact-reminders:{(by or today) - today}", (TABLE,), compute, key=today)


def count_reminders(store, today, *, by=None):
    """How many contact reminders are due on or before ``by`` (default: today)."""
    return len(_due(store, today, by))


def count_overdue(store, today, *, by=None):
    """How many of those are overdue (their day is before today)."""
    return sum(1 for _, reminder in _due(store, today, by) if reminder["overdue"])


def _reminder_key(contact, reminder):
    """A reminder's place in the list: soonest first, then by name (what a cursor holds, with the contact's id)."""
    return (reminder["date"], contact.get("name") or "", reminder["key"])


def reminders_due(store, today, *, by=None, your_name="", limit=None):
    """Contact reminders due on or before ``by`` (default: today), soonest first, each naming its
    contact: every one, or the first ``limit`` (drafts are written for those only).

    ``overdue`` and ``due`` still say where each stands as of today, whatever day ``by`` is.
    """
    return reminders_page(store, today, by=by, your_name=your_name, limit=limit)[1]


def reminders_page(store, today, *, by=None, your_name="", limit=None, after=None):
    """(how many are due by ``by``, the page of at most ``limit`` after the cursor ``after``, the
    cursor after that page or None): reminders_due, a page at a time."""
    found = _due(store, today, by)
    if after is not None:
        at = bisect.bisect_right(found, after, key=lambda pair: (_reminder_key(*pair), pair[0]["id"]))
        rest = found[at:]
    else:
        rest = found
    page = rest if limit is None else rest[:limit]
    following = paging.encode(_reminder_key(*page[-1]), page[-1][0]["id"]) if page and len(rest) > len(page) else None
    return len(found), [{**reminder, "draft": _draft(contact, reminder["key"], your_name), "contact_id": contact["id"],
                         "name": contact.get("name"), "email": contact.get("email")} for contact, reminder in page], following
