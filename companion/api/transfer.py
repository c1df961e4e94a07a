"""/api/export and /api/import: backups, spreadsheets and calendars out; backups and other trackers' CSVs in."""
import json
from datetime import date

from flask import Response, current_app, jsonify, request

from .. import applications as apps
from .. import calendar, current, documents, imports, transfer
from ..errors import ValidationError
from . import bp, read_json
from ..followup_schedule import next_followups, pages_due


def _json_export(store):
    """transfer.export_document's JSON, its applications written a batch at a time, then its documents
    (each with its file) one at a time."""
    marker, files = "\u0000applications\u0000", "\u0000documents\u0000"
    head, rest = json.dumps(transfer.export_document(marker, documents=files)).split(json.dumps(marker))
    middle, tail = rest.split(json.dumps(files))
    yield head + "["
    first = True
    for docs in apps.batches(store):
        part = ",".join(json.dumps(apps.public(d, with_description=True, store=store)) for d in docs)
        if part:
            yield part if first else "," + part
            first = False
    yield "]" + middle + "["
    for number, document in enumerate(documents.exported(store)):
        yield ("," if number else "") + json.dumps(document)
    yield "]" + tail


def _csv_export(store, today):
    """transfer.to_csv's rows, a batch at a time (its header once)."""
    header = True
    for docs in apps.batches(store):
        text = transfer.to_csv(docs, next_followups(store, docs, today))
        yield text if header else text.split("\r\n", 1)[1]
        header = False
    if header:  # no applications: the header alone
        yield transfer.to_csv([], {})


@bp.get("/export")
def export():
    """?format=json (every application with history and description), csv (one row each) or ics (follow-ups)."""
    kind = request.args.get("format", "json")
    store, today = current.store(), date.today()
    if kind == "json":
        return Response(_json_export(store), mimetype="application/json")
    if kind == "csv":
        return Response(_csv_export(store, today), mimetype="text/csv", headers={
            "Content-Disposition": "attachment; filename=applied.csv"})
    if kind == "ics":
        return Response(calendar.feed_chunks(pages_due(store, today),
                                                 base_url=calendar.loopback_url(current_app.config.get("PORT"))),
                        mimetype="text/calendar", headers={"Content-Disposition": "attachment; filename=applied-followups.ics"})
    raise ValidationError("format must be json, csv or ics")


@bp.post("/import")
def import_():
    """{format: "json", data: <an export>} or {format: "csv", text: "..."}; already stored postings are skipped."""
    result = imports.import_payload(current.store(), read_json(), date.today())
    return jsonify(result), 200
