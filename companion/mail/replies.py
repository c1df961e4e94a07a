"""Reply proposals in the store, and what a click on one does to the application.

Reading mail changes nothing: each message about the job search becomes a proposal (table
``replies``) holding only its sender, date, subject, kind, the match and the reasons (its text too,
when the person chose to keep texts). A message is proposed once (by its Message-ID); job alerts,
newsletters and the rest are counted, not kept. The person then accepts a proposal (the
application's history gets a dated entry with the mail as evidence, and its status moves as the
mail says), dismisses it, says it is not about their search, or logs the application it is about.
Dismissing teaches nothing: it is remembered for that message only.
"""
import itertools
import threading
import weakref
from datetime import date, datetime

from .. import applications as apps
from .. import pipeline, validate
from ..errors import Conflict, NotFound, UnreadableMail, ValidationError
from . import message
from .classify import classify
from .match import Applications

TABLE = "replies"
OPEN, ACCEPTED, DISMISSED, NOT_JOB = "open", "accepted", "dismissed", "not_job"
STATES = (OPEN, ACCEPTED, DISMISSED, NOT_JOB)
FLUSH = 500  # proposals written per batch (one fsync)
MAX_PROBLEMS = 50  # per-message problems listed in one answer (the rest are counted)
MAX_TEXT = 100_000
# What each kind moves an application to, from the statuses where that is a step forward.
MOVES = {
    "received": ("applied", {"saved"}),
    "rejection": ("rejected", {"applied", "screening", "interviewing", "offer", "ghosted"}),
    "interview": ("interviewing", {"applied", "screening", "ghosted", "rejected"}),
    "assessment": ("screening", {"applied", "ghosted"}),
    "offer": ("offer", {"applied", "screening", "interviewing", "ghosted", "rejected"}),
}
SAYS = {
    "applied": "mark it applied",
    "rejected": "mark it rejected and draft the ask-why note",
    "interviewing": "move it to interviewing; the thank-you and the follow-up are scheduled after the interview",
    "screening": "move it to screening",
    "offer": "mark it as an offer",
}
KIND_WORDS = {"received": "acknowledgement", "rejection": "rejection", "interview": "interview invitation",
              "assessment": "assessment", "offer": "offer", "recruiter": "message"}


def _now():
    return datetime.now().replace(microsecond=0)


# -- reading mail into proposals -------------------------------------------------------------------------

def application_index(store):
    """The applications indexed for matching: built once, then made anew from the one before with the changes
    since (Store.changes), so that a message read after a status change does not index every application again
    (seconds at 50,000)."""
    with _INDEXING:
        version, index = _INDEXED.get(store, (None, None))
        latest, changes = store.changes(apps.TABLE, -1 if version is None else version)
        if index is None or changes is None:
            docs = []
            with store.lock:  # the documents and their version at one moment; they are only read
                store.scan(apps.TABLE, docs.append)
                latest = store.version(apps.TABLE)
            index = Applications(docs)
        elif changes:
            index = index.updated(changes)
        _INDEXED[store] = (latest, index)
        return index


_INDEXED = weakref.WeakKeyDictionary()  # store -> (the applications' version, their Applications)
_INDEXING = threading.Lock()


def _threads(store):
    """{message key: application id} of the messages already matched: a reply in their thread is about the same one."""
    def compute():
        found = {}

        def visit(doc):
            if doc.get("application_id") and doc.get("status") in (OPEN, ACCEPTED):
                found[doc["message_key"]] = doc["application_id"]

        store.scan(TABLE, visit)
        return found
    return store.cached("mail-threads", (TABLE,), compute)


def ingest(store, items, *, source, keep_text=False, limit=None, now=None):
    """Read ``items`` (sources.Item) into proposals; the summary of what was read.

    {"read", "proposed", "known", "other", "problems": [{"where", "from", "subject", "problem", "kept"}],
    "more_problems", "position": where the next message starts, "done"}. Classifying and matching
    run without the store's lock; proposals are written FLUSH at a time, in one batch each.
    """
    now = now or _now()
    index, threads = application_index(store), _threads(store)
    known = set()  # the messages this call read: those stored before are found by the message_key index
    summary = {"read": 0, "proposed": 0, "known": 0, "other": 0, "problems": [], "more_problems": 0,
               "position": None, "done": True}
    pending = []
    stream = iter(items)
    for item in itertools.islice(stream, limit):
        summary["read"] += 1
        summary["position"] = item.position
        try:
            mail = message.read(item.raw, received=item.received, size=item.size)
        except UnreadableMail as error:
            _problem(summary, item, error.details or {}, error.message, kept=False)
            continue
        if mail.key in known or store.ids(TABLE, "message_key", [mail.key]):
            summary["known"] += 1
            continue
        known.add(mail.key)
        verdict = classify(mail)
        if mail.notes:
            _problem(summary, item, mail.summary(), "; ".join(dict.fromkeys(mail.notes)), kept=verdict.kind != "other")
        if verdict.kind == "other":
            summary["other"] += 1
            continue
        found = index.match(mail, threads)
        pending.append((_proposal(mail, verdict, found, source, now), mail.text if keep_text else None))
        if len(pending) >= FLUSH:
            summary["proposed"] += _flush(store, pending)
            pending = []
    summary["proposed"] += _flush(store, pending)
    if limit is not None and summary["read"] == limit:
        summary["done"] = next(stream, None) is None
    return summary


def _problem(summary, item, about, problem, *, kept):
    if len(summary["problems"]) >= MAX_PROBLEMS:
        summary["more_problems"] += 1
        return
    summary["problems"].append({"where": item.where, "from": about.get("from") or None,
                                "subject": about.get("subject") or None, "problem": problem, "kept": kept})


def _proposal(mail, verdict, found, source, now):
    calendar = mail.calendar or {}
    return {
        "message_key": mail.key, "source": source, "status": OPEN, "found_at": now.isoformat(),
        "from": mail.sender, "from_name": mail.sender_name, "subject": mail.subject,
        "date": mail.date.isoformat() if mail.date else None, "day": mail.day.isoformat() if mail.day else None,
        "kind": verdict.kind, "why": verdict.why,
        "application_id": found.application_id, "match_why": found.why, "candidates": list(found.candidates),
        "company": found.company, "title": found.title,
        "interview_on": calendar.get("start") if verdict.kind == "interview" else None,
    }


def _flush(store, pending):
    """Store the proposals not stored meanwhile (another check may have read the same message); how many."""
    if not pending:
        return 0
    with store.lock, store.batch():
        fresh = [(doc, text) for doc, text in pending if store.find(TABLE, message_key=doc["message_key"]) is None]
        ids = store.insert_many(TABLE, [{**doc, "text_kept": bool(text)} for doc, text in fresh])
    kept = {str(doc_id): text[:MAX_TEXT] for doc_id, (_, text) in zip(ids, fresh) if text}
    if kept:
        store.put_blobs("mail", kept)
    return len(ids)


# -- reading proposals ----------------------------------------------------------------------------------------

def get(store, reply_id):
    doc = store.get(TABLE, reply_id)
    if doc is None:
        raise NotFound(f"no reply proposal with id {reply_id}")
    return doc


def count_open(store):
    """How many proposals wait for the person: the popup's count, read from the store's status index."""
    return store.count_by(TABLE, "status").get(OPEN, 0)


def counts(store):
    by_status = store.count_by(TABLE, "status")
    return {state: by_status.get(state, 0) for state in STATES}


# (status, date, id): the proposals of one status, newest mail first, are a range of it (a page of the
# Replies page or of GET /api/replies reads its own, not every proposal).
BY_STATUS = "status-date"


def _newest_first(doc, _value):
    text = lambda value: value if type(value) is str else ""  # noqa: E731
    return ((text(doc.get("status")), text(doc.get("date")), doc["id"]),)


def list_replies(store, *, status=OPEN, offset=0, limit=50):
    """(how many, the page) of the proposals in ``status``, newest mail first, each as ``public`` shows it."""
    if status not in STATES:
        raise ValidationError(f"status must be one of: {', '.join(STATES)}", code="invalid_status")
    if not store.has_index(TABLE, BY_STATUS):
        store.add_index(TABLE, BY_STATUS, _newest_first)
    with store.lock:
        total, entries = store.index(TABLE, BY_STATUS, lo=(status,), hi=(status + "\x00",), reverse=True,
                                     offset=offset, limit=limit)
        page = store.get_many(TABLE, [doc_id for _, doc_id in entries])
    return total, [public(store, doc) for doc in page]


def _summary(doc):
    return {key: doc.get(key) for key in ("id", "title", "company", "status", "applied_at", "url")}


def public(store, doc):
    """A proposal as clients see it: with the application it is about (or the candidates), and what Accept would do."""
    out = {key: doc.get(key) for key in ("id", "status", "kind", "why", "from", "from_name", "subject", "date", "day",
                                         "match_why", "interview_on", "source", "found_at", "decided_at")}
    application = store.get(apps.TABLE, doc["application_id"]) if doc.get("application_id") else None
    out["application"] = _summary(application) if application else None
    out["candidates"] = [_summary(c) for c in store.get_many(apps.TABLE, doc.get("candidates") or [])]
    out["suggested"] = {"company": doc.get("company"), "title": doc.get("title")}
    out["plan"] = plan(application, doc["kind"]) if application else None
    out["text"] = _text(store, doc) if doc.get("text_kept") else None
    return out


def _text(store, doc):
    raw = store.get_blob("mail", doc["id"])
    return raw.decode("utf-8", "replace") if raw else None


def plan(application, kind):
    """What accepting a proposal of ``kind`` does to ``application``: {"status": the move or None, "says"}. Pure."""
    status = application["status"]
    allowed = set(pipeline.allowed_moves(application))
    target, when = MOVES.get(kind, (None, set()))
    if target and (status not in when or target not in allowed):
        target = None
    if target is None and kind != "received":
        target = pipeline.status_after_event(application, "reply")  # a ghosted one reopens: they answered
        if target:
            return {"status": target, "says": f"reopen it ({target}): they answered"}
    if target:
        return {"status": target, "says": SAYS[target]}
    if kind == "received":
        return {"status": None, "says": "note the acknowledgement in its history"}
    return {"status": None, "says": "note the reply in its history (the follow-up clock starts again)"}


# -- the person's clicks ------------------------------------------------------------------------------------------

def _open(store, reply_id):
    doc = get(store, reply_id)
    if doc["status"] != OPEN:
        raise Conflict(f"this reply was already {_said(doc['status'])}", code="already_decided")
    return doc


def _said(state):
    return {ACCEPTED: "accepted", DISMISSED: "dismissed", NOT_JOB: "marked as not about your search"}.get(state, state)


def _day(doc, today):
    try:
        return min(date.fromisoformat(doc["day"]), today) if doc.get("day") else today
    except ValueError:
        return today


def accept(store, reply_id, payload, *, today=None, now=None):
    """Write the mail into the application's history (and move its status as the plan says); (proposal, application).

    ``payload``: {"application_id"?: the one the person picked, "interview_date"?: YYYY-MM-DD}."""
    validate.known_fields(payload, ("application_id", "interview_date"))
    now = now or _now()
    today = today or now.date()
    chosen = payload.get("application_id")
    if chosen is not None and (type(chosen) is not int or chosen < 1):
        raise ValidationError("application_id must be an application's id", code="invalid_id")
    interview = None
    if payload.get("interview_date"):
        interview = pipeline.parse_day(payload["interview_date"], "interview_date")
    with store.lock, store.batch():
        doc = _open(store, reply_id)
        application_id = chosen or doc.get("application_id")
        if not application_id:
            raise ValidationError("this reply is not matched to an application: pick one, or log it as a new one",
                                  code="needs_application")
        application = apps.get(store, application_id)
        day = _day(doc, today)
        steps = plan(application, doc["kind"])
        words = KIND_WORDS.get(doc["kind"], "message")
        sender = doc.get("from_name") or doc.get("from") or "someone"
        if steps["status"]:
            apps.update(store, application_id, {"status": steps["status"], "status_date": day.isoformat(),
                                                "status_note": f"from the {words} of {sender}: “{doc.get('subject') or ''}”"},
                        now=now)
        entry = {"kind": {"received": "acknowledged", "interview": "interview"}.get(doc["kind"], "reply"),
                 "date": (interview or _interview_day(doc) or day).isoformat() if doc["kind"] == "interview" else day.isoformat(),
                 "note": f"{words.capitalize()} from {sender}: “{doc.get('subject') or ''}”",
                 "mail": {"from": doc.get("from"), "from_name": doc.get("from_name"), "subject": doc.get("subject"),
                          "date": doc.get("date"), "kind": doc["kind"], "why": doc.get("why")}}
        application = apps.add_history(store, application_id, entry, now=now)
        doc = store.update(TABLE, reply_id, {"status": ACCEPTED, "application_id": application_id,
                                             "decided_at": now.isoformat()})
    return doc, application


def _interview_day(doc):
    try:
        return date.fromisoformat(doc["interview_on"]) if doc.get("interview_on") else None
    except ValueError:
        return None


def dismiss(store, reply_id, *, not_job=False, now=None):
    """Set the proposal aside ("dismissed", or "not about my search"): remembered for this message, nothing learned."""
    now = now or _now()
    with store.lock:
        _open(store, reply_id)
        doc = store.update(TABLE, reply_id, {"status": NOT_JOB if not_job else DISMISSED, "decided_at": now.isoformat()})
        if doc.get("text_kept"):  # not about the search, or not wanted: its words go
            store.delete_blobs(reply_id, ("mail",))
            doc = store.update(TABLE, reply_id, {"text_kept": False})
    return doc


def reopen(store, reply_id):
    """Undo a dismissal: the proposal waits again (an accepted one cannot: its history is written)."""
    with store.lock:
        doc = get(store, reply_id)
        if doc["status"] == ACCEPTED:
            raise Conflict("this reply was accepted: change the application itself instead", code="already_decided")
        return store.update(TABLE, reply_id, {"status": OPEN, "decided_at": None})


def log_application(store, reply_id, payload, *, today=None, now=None):
    """"About an application you did not log?": record it (company and role, applied by the mail's date), then accept."""
    validate.known_fields(payload, ("company", "title", "interview_date"))
    now = now or _now()
    today = today or now.date()
    company = validate.text(payload.get("company"), "company", limit=500)
    title = validate.text(payload.get("title"), "title", limit=500)
    if not company or not title:
        raise ValidationError("name the company and the role to log the application", code="missing_fields")
    with store.lock:
        doc = _open(store, reply_id)
        day = _day(doc, today)
        application, _, _ = apps.capture(store, {"company": company, "title": title, "status": "applied",
                                                 "applied_at": day.isoformat(),
                                                 "notes": f"Logged from a mail of {doc.get('from') or 'unknown'}"},
                                         today=today, now=now)
        extra = {"interview_date": payload["interview_date"]} if payload.get("interview_date") else {}
        return accept(store, reply_id, {"application_id": application["id"], **extra}, today=today, now=now)
