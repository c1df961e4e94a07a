"""/api/followups and friends: what is due, done/snooze/dismiss, replies and interviews, reasons, timing.

The rules live in companion/followup_rules.py (pure); what is due, and what the person did about
it, in companion/followup_schedule.py (the schedule over the store, which the web view, the
calendar feed and the CLI read too). This module is their HTTP face.
"""
from datetime import date

from flask import current_app, jsonify, request

from .. import applications as apps
from .. import current, insights, paging, pipeline, reasons
from ..errors import NotFound
from ..followup_schedule import (ACTIONS, act, act_on_many, collect, dismiss_catch_up, due, due_page, log_event,
                                 record_reason, timing)
from . import MAX_PAGE, PAGE, bp, optional_json, query_int, read_json


def _today():
    return date.today()


# -- routes -------------------------------------------------------------------------------------

@bp.get("/followups")
def list_followups():
    today = _today()
    by = pipeline.parse_day(request.args["due"], "due") if request.args.get("due") else today
    offset, limit = query_int("offset", 0), query_int("limit", PAGE, minimum=0, maximum=MAX_PAGE)
    after = paging.decode(request.args.get("cursor"))
    application_id = query_int("application_id", None)
    following = None
    if application_id is not None:
        found = collect(current.store(), today, by=by, application_id=application_id)
        total, overdue, page = len(found), sum(1 for s in found if s["overdue"]), found[offset:offset + limit]
    elif offset:  # a page by number, as before cursors
        total, overdue, page = due(current.store(), today, by=by, offset=offset, limit=limit)
    else:
        # count is always the total, read from the follow-up index without writing a draft: the
        # badge asks with limit=0 (the count alone), the popup with limit=5 (the first few it lists).
        total, overdue, page, following = due_page(current.store(), today, by=by, limit=limit, after=after)
    return jsonify({"today": today.isoformat(), "due": by.isoformat(), "count": total,
                    "overdue": overdue, "followups": page, "next_cursor": following})


@bp.post("/followups/<int:application_id>/<key>/<action>")
def followup_action(application_id, key, action):
    if action not in ACTIONS:
        raise NotFound(f"a follow-up can be marked done, snoozed or dismissed, not {action!r}")
    store, today = current.store(), _today()
    entry = act(store, application_id, key, action, optional_json(), today)
    remaining = collect(store, today, application_id=application_id)
    return jsonify({"application_id": application_id, "key": key, "action": action, "entry": entry,
                    "followups": remaining, "next_followup": remaining[0] if remaining else None})


@bp.post("/followups/catch-up/dismiss")
def followups_catch_up_dismiss():
    """Dismiss at once every suggestion that fell due before an import (the catch-up entry)."""
    return jsonify(dismiss_catch_up(current.store(), _today()))


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
    return jsonify(calendar.feed_urls(calendar.loopback_url(current_app.config.get("PORT")),
                                      calendar.load_or_create_secret(current_app.config["DATA_DIR"])))


@bp.post("/calendar/rotate")
def calendar_rotate():
    """A new feed address: the old one stops working (if it was shared by mistake)."""
    from .. import calendar
    return jsonify(calendar.feed_urls(calendar.loopback_url(current_app.config.get("PORT")),
                                      calendar.rotate_secret(current_app.config["DATA_DIR"])))
