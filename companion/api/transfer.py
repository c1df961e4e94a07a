"""/api/export and /api/import: backups, spreadsheets and calendars out; backups and other trackers' CSVs in."""
from datetime import date

from flask import Response, jsonify, request

from .. import applications as apps
from .. import calendar, current, imports, transfer
from ..errors import ValidationError
from . import bp, read_json
from ..followup_schedule import collect, next_followups


def _everything(store):
    return sorted(store.all(apps.TABLE), key=lambda d: d["id"])


@bp.get("/export")
def export():
    """?format=json (every application with history and description), csv (one row each) or ics (follow-ups)."""
    kind = request.args.get("format", "json")
    store, today = current.store(), date.today()
    if kind == "json":
        docs = [apps.public(d, with_description=True, store=store) for d in _everything(store)]
        return jsonify(transfer.export_document(docs))
    if kind == "csv":
        docs = _everything(store)
        return Response(transfer.to_csv(docs, next_followups(store, docs, today)), mimetype="text/csv", headers={
            "Content-Disposition": "attachment; filename=applied.csv"})
    if kind == "ics":
        return Response(calendar.feed(collect(store, today), base_url=request.host_url), mimetype="text/calendar",
                        headers={"Content-Disposition": "attachment; filename=applied-followups.ics"})
    raise ValidationError("format must be json, csv or ics")


@bp.post("/import")
def import_():
    """{format: "json", data: <an export>} or {format: "csv", text: "..."}; already stored postings are skipped."""
    result = imports.import_payload(current.store(), read_json(), date.today())
    return jsonify(result), 200
