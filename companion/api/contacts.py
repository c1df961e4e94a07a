"""/api/contacts: the people you ask for advice, and their thank-you and keep-in-touch reminders."""
from datetime import date

from flask import jsonify, request

from .. import contacts, current, paging, pipeline
from . import MAX_PAGE, PAGE, bp, query_int, read_json


def _today():
    return date.today()


def _public(doc):
    return contacts.public(doc, _today(), your_name=current.user_settings().get("your_name", ""))


@bp.get("/contacts")
def list_contacts():
    application_id = request.args.get("application_id")
    limit = query_int("limit", 200, minimum=1, maximum=1000)
    total, docs = contacts.list_contacts(
        current.store(), q=request.args.get("q"), kind=request.args.get("kind") or None,
        application_id=query_int("application_id", None, minimum=1) if application_id else None,
        offset=query_int("offset", 0), limit=limit + 1, after=paging.decode(request.args.get("cursor")))
    following = paging.encode(contacts.sort_key(docs[limit - 1]), docs[limit - 1]["id"]) if len(docs) > limit else None
    return jsonify({"total": total, "contacts": [_public(d) for d in docs[:limit]], "next_cursor": following})


@bp.post("/contacts")
def create_contact():
    return jsonify({"contact": _public(contacts.create(current.store(), read_json()))}), 201


@bp.get("/contacts/<int:contact_id>")
def read_contact(contact_id):
    return jsonify({"contact": _public(contacts.get(current.store(), contact_id))})


@bp.patch("/contacts/<int:contact_id>")
def change_contact(contact_id):
    return jsonify({"contact": _public(contacts.update(current.store(), contact_id, read_json()))})


@bp.delete("/contacts/<int:contact_id>")
def delete_contact(contact_id):
    contacts.delete(current.store(), contact_id)
    return "", 204


@bp.post("/contacts/<int:contact_id>/done/<key>")
def contact_done(contact_id, key):
    """You thanked them, or got back in touch: the reminder moves on."""
    return jsonify({"contact": _public(contacts.mark_done(current.store(), contact_id, key, _today()))})


@bp.get("/contacts/reminders")
def contact_reminders():
    """Reminders due by ?due=YYYY-MM-DD (default today), soonest first, a page at a time (?limit=,
    ?cursor=), with how many there are (count) and how many are overdue: drafts are written for the
    page only, so the badge asks with limit=0 (the counts alone), as it does for follow-ups."""
    due = request.args.get("due")
    store, today = current.store(), _today()
    by = pipeline.parse_day(due, "due") if due else today
    total, found, following = contacts.reminders_page(
        store, today, by=by, your_name=current.user_settings().get("your_name", ""),
        limit=query_int("limit", PAGE, minimum=0, maximum=MAX_PAGE), after=paging.decode(request.args.get("cursor")))
    return jsonify({"due": by.isoformat(), "count": total, "overdue": contacts.count_overdue(store, today, by=by),
                    "reminders": found, "next_cursor": following})
