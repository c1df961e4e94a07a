"""/api/applications: capture, look up, list, read, change, delete, history."""
from datetime import date

from flask import g, jsonify, request

from .. import applications as apps
from .. import current, paging, similar
from ..errors import Forbidden, NotFound
from ..followup_schedule import first_followup
from . import bp, query_int, read_json


def _extension():
    return g.get("credential") == "paired"


def _shown(doc, **options):
    """The application as this client sees it: the extension's token, only what the extension shows."""
    out = apps.public(doc, **options)
    return apps.as_extension_sees(out) if _extension() else out


def _from_client(fields, what):
    """The request's JSON; from the extension's token, only the fields the extension sends (403 otherwise)."""
    payload = read_json()
    extra = sorted(set(payload) - set(fields)) if _extension() and isinstance(payload, dict) else []
    if extra:
        raise Forbidden(f"the extension's token cannot {what} {', '.join(extra)}: use the web view",
                        code="out_of_scope")
    return payload


def next_for(doc):
    """The coach's first suggestion for an application: "Applied ✓ · follow up <date>"."""
    return first_followup(current.store(), doc, date.today())


def _respond_capture(doc, duplicate, problem=None):
    body = {"application": _shown(doc), "duplicate": duplicate, "next_followup": next_for(doc),
            "review": doc.get("review"), "similar": similar_for(doc)}
    if problem is not None:
        # Kept, but the person should know we could not read a posting on that page.
        body["error"] = {"code": problem.code, "message": problem.message}
        return jsonify(body), problem.status
    return jsonify(body), 200 if duplicate else 201


def similar_for(doc):
    """The same job seen on another site in the last 90 days: [{id, title, company, status, applied_at, source}]."""
    return similar.find(current.store(), doc)


@bp.post("/applications")
def capture():
    """A person's "I applied": always recorded (201, or 200 for a duplicate), never refused for what the
    page lacks; what could not be read is in ``review`` (the application carries it until confirmed)."""
    doc, duplicate, _ = apps.capture(current.store(), _from_client(apps.EXTENSION_CAPTURES, "send"))
    return _respond_capture(doc, duplicate)


@bp.get("/applications")
def list_or_lookup():
    store = current.store()
    if "url" in request.args:
        doc = apps.lookup(store, request.args["url"])
        # The popup and the page's button show the next follow-up beside the status.
        return jsonify({"application": _shown(doc) if doc else None,
                        "next_followup": next_for(doc) if doc else None})
    limit, sort = query_int("limit", 50, minimum=1, maximum=500), request.args.get("sort", "updated")
    total, docs = apps.list_applications(
        store, status=request.args.get("status"), q=request.args.get("q"), offset=query_int("offset", 0),
        limit=limit + 1, sort=sort, after=paging.decode(request.args.get("cursor")))
    following = apps.cursor_of(docs[limit - 1], sort) if len(docs) > limit else None
    return jsonify({"total": total, "applications": [_shown(d) for d in docs[:limit]], "next_cursor": following})


@bp.post("/applications/bulk")
def bulk():
    """One request for a change to many (a bulk "mark ghosted" of twenty is one request)."""
    return jsonify(apps.bulk(current.store(), read_json()))


@bp.get("/applications/<int:application_id>")
def read(application_id):
    store = current.store()
    return jsonify({"application": _shown(apps.get(store, application_id), with_description=True, store=store)})


@bp.patch("/applications/<int:application_id>")
def change(application_id):
    changes = _from_client(apps.EXTENSION_EDITS, "change")
    return jsonify({"application": _shown(apps.update(current.store(), application_id, changes))})


@bp.post("/applications/<int:application_id>/confirm")
def confirm(application_id):
    """The person checked the details the capture flagged for review and they are right as they are."""
    return jsonify({"application": apps.public(apps.confirm(current.store(), application_id))})


@bp.delete("/applications/<int:application_id>")
def delete(application_id):
    apps.delete(current.store(), application_id)
    return "", 204


@bp.get("/applications/<int:application_id>/history")
def history(application_id):
    return jsonify({"history": apps.get(current.store(), application_id).get("history", [])})


@bp.get("/applications/<int:application_id>/page")
def page(application_id):
    """The raw captured page, as text, for download (never rendered: it is the site's markup)."""
    raw = current.store().get_blob("page", application_id)
    if raw is None:
        raise NotFound("no page was captured for this application")
    return raw, 200, {"Content-Type": "text/plain; charset=utf-8",
                      "Content-Disposition": f"attachment; filename=posting-{application_id}.txt"}


@bp.post("/reextract")
def reextract():
    """Re-run the extraction engine over every stored page (after an upgrade made it better)."""
    return jsonify(apps.reextract(current.store()))
