"""/api/followups and friends: what is due, done/snooze/dismiss, replies and interviews, reasons, timing.

The rules live in companion/followup.py (pure) and what is due in companion/followups.py (the
schedule over the store, which the web view, the calendar feed and the CLI read too); this module
is their HTTP face, and records every action in the application's history.
"""
import re
from datetime import date, timedelta

from flask import current_app, jsonify, request

from .. import applications as apps
from .. import current, insights, pipeline, reasons, validate
from ..errors import NotFound, ValidationError
from ..followups import application_followups, collect, due, schedule_settings, timing
from . import bp, query_int, read_json

SNOOZE_DAYS = (1, 3, 7)
EVENT_KINDS = ("reply", "interview")
KEY = re.compile(r"^[a-z0-9-]{1,60}$")
MAX_NOTE = 2000


def _today():
    return date.today()


# -- service functions ------------------------------------------------------------------------

def next_for(application):
    """The first follow-up to come for one application (the capture response carries it), or None."""
    store = current.store()
    found = application_followups(store, application, _today(), schedule_settings(store))
    return found[0] if found else None


def _find(store, application_id, key, today):
    if not KEY.match(key):
        raise ValidationError("a follow-up key is lower-case letters, digits and dashes, like checkin-1")
    application = apps.get(store, application_id)
    for suggestion in application_followups(store, application, today, schedule_settings(store)):
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


def _optional_json():
    """Done and dismiss need no body; when one is sent, it must be a JSON object."""
    return read_json() if request.get_data(cache=True).strip() else {}


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
            days = payload.get("days")
            if days not in SNOOZE_DAYS or isinstance(days, bool):
                raise ValidationError("days must be 1, 3 or 7", code="invalid_snooze")
            # Snoozing counts from the due day when it is still ahead: "3 more days" never brings it closer.
            start = max(today, date.fromisoformat(suggestion["due"]))
            entry["until"] = (start + timedelta(days=days)).isoformat()
        note = _note(payload)
        if note:
            entry["note"] = note
        apps.add_history(store, application_id, entry)
    return entry


def log_event(store, application_id, payload, today):
    """Log a reply or an interview. A reply reopens a ghosted application; an interview moves it to interviewing."""
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
        status = application["status"]
        target = None
        if kind == "interview" and status in ("applied", "screening", "ghosted"):
            target = "interviewing"
        elif kind == "reply" and status == "ghosted":
            back = pipeline.previous_status(application)
            target = back if back in pipeline.OPEN_STATUSES - {"ghosted"} else "applied"
        if target:
            note_for_move = "logged an interview" if kind == "interview" else "logged a reply"
            apps.update(store, application_id, {"status": target, "status_date": min(day, today).isoformat(),
                                                "status_note": note_for_move})
        entry = {"kind": kind, "date": day.isoformat(), **({"note": note} if note else {})}
        return apps.add_history(store, application_id, entry)


def record_reason(store, application_id, payload, today):
    codes, text = reasons.check(payload)
    day = _day(payload, "date", today)
    entry = {"kind": "reason", "date": day.isoformat(), "codes": codes, "text": text}
    return apps.add_history(store, application_id, entry), entry


# -- routes -------------------------------------------------------------------------------------

@bp.get("/followups")
def list_followups():
    today = _today()
    by = pipeline.parse_day(request.args["due"], "due") if request.args.get("due") else today
    offset, limit = query_int("offset", 0), query_int("limit", None, minimum=0, maximum=10_000)
    application_id = query_int("application_id", None)
    if application_id is not None:
        found = collect(current.store(), today, by=by, application_id=application_id)
        total, overdue, page = len(found), sum(1 for s in found if s["overdue"]), found[offset:]
        page = page if limit is None else page[:limit]
    else:
        # count is always the total, read from the follow-up index without writing a draft: the
        # badge asks with limit=0 (the count alone), the popup with limit=5 (the first few it lists).
        total, overdue, page = due(current.store(), today, by=by, offset=offset, limit=limit)
    return jsonify({"today": today.isoformat(), "due": by.isoformat(), "count": total,
                    "overdue": overdue, "followups": page})


@bp.post("/followups/<int:application_id>/<key>/<action>")
def followup_action(application_id, key, action):
    if action not in ("done", "snooze", "dismiss"):
        raise NotFound(f"a follow-up can be marked done, snoozed or dismissed, not {action!r}")
    store, today = current.store(), _today()
    entry = act(store, application_id, key, action, _optional_json(), today)
    remaining = collect(store, today, application_id=application_id)
    return jsonify({"application_id": application_id, "key": key, "action": action, "entry": entry,
                    "followups": remaining, "next_followup": remaining[0] if remaining else None})


def act_on_many(store, payload, today):
    """One action on several follow-ups: {items: [{application_id, key}], action, days?}.

    Each is recorded as :func:`act` records one; those no longer suggested are listed, not fatal.
    """
    validate.known_fields(payload, ("items", "action", "days"))
    action, items = payload.get("action"), payload.get("items")
    if action not in ("done", "snooze", "dismiss"):
        raise ValidationError("action must be done, snooze or dismiss", code="invalid_action")
    if action == "snooze" and (payload.get("days") not in SNOOZE_DAYS or isinstance(payload.get("days"), bool)):
        raise ValidationError("days must be 1, 3 or 7", code="invalid_snooze")
    if not isinstance(items, list) or not 0 < len(items) <= apps.MAX_BULK or not all(
            isinstance(i, dict) and set(i) == {"application_id", "key"} and type(i["application_id"]) is int
            and isinstance(i["key"], str) for i in items):
        raise ValidationError(f"items must be a list of 1 to {apps.MAX_BULK} {{application_id, key}} objects",
                              code="invalid_items")
    body = {"days": payload["days"]} if "days" in payload else {}
    done, skipped = [], []
    with store.lock, store.batch():  # one fsync for the lot
        for item in items:
            try:
                act(store, item["application_id"], item["key"], action, body, today)
            except (ValidationError, NotFound) as error:
                skipped.append({**item, "code": error.code, "message": error.message})
            else:
                done.append(item)
    return {"action": action, "changed": done, "skipped": skipped}


@bp.post("/followups/bulk")
def followups_bulk():
    return jsonify(act_on_many(current.store(), read_json(), _today()))


@bp.post("/applications/<int:application_id>/events")
def add_event(application_id):
    store, today = current.store(), _today()
    doc = log_event(store, application_id, read_json(), today)
    return jsonify({"application": apps.public(doc),
                    "followups": collect(store, today, application_id=application_id)}), 201


@bp.post("/applications/<int:application_id>/reasons")
def add_reason(application_id):
    store, today = current.store(), _today()
    doc, entry = record_reason(store, application_id, read_json(), today)
    return jsonify({"application": apps.public(doc), "reason": entry}), 201


@bp.get("/reasons")
def reason_tally():
    result = insights.tally(current.store())
    return jsonify({**result, "summary": reasons.summary_line(result),
                    "codes": [{"code": code, "label": label} for code, label in reasons.REASONS.items()]})


@bp.get("/insights/timing")
def insights_timing():
    return jsonify(timing(current.store()))


@bp.get("/calendar")
def calendar_info():
    from .. import calendar
    return jsonify(calendar.feed_urls(request.host_url, calendar.load_or_create_secret(current_app.config["DATA_DIR"])))


@bp.post("/calendar/rotate")
def calendar_rotate():
    """A new feed address: the old one stops working (if it was shared by mistake)."""
    from .. import calendar
    return jsonify(calendar.feed_urls(request.host_url, calendar.rotate_secret(current_app.config["DATA_DIR"])))
