"""/api/import/preview and /api/imports: reading another tracker's CSV before it is stored, then storing it whole.

Scope: importing is the person's alone (``require_person``: install token or web view).

* ``POST /api/import/preview`` {text, mapping?}: the detected format, the column read for each
  field and the first rows as they will be stored; nothing is written.
* ``POST /api/imports`` {text, mapping?, mine?}: read and check the whole file, keep it staged; 201 with its id.
  Its summary lists the posting addresses the import ``claimed``; records it makes claim them only once the
  person confirms them (``applications.unconfirmed_import``), or at once with ``mine``: their own backup.
* ``POST /api/imports/<id>/commit`` {limit?}: write the next ``limit`` rows (default: all); a failure
  undoes everything the import wrote. The CLI calls it in batches to show progress.
* ``DELETE /api/imports/<id>``: cancel, removing what it wrote so far.

``POST /api/import`` (api/transfer.py) runs the same, in one request.
"""
from datetime import date

from flask import current_app, jsonify

from .. import current, imports
from ..errors import ValidationError
from ..security import require_person
from ..validate import known_fields
from . import bp, read_json

MAX_BATCH = 100_000


def _registry():
    return current_app.extensions["applied"].setdefault("imports", imports.Imports())


def _read_source():
    payload = known_fields(read_json(), ("format", "text", "mapping", "mine"), "a CSV import")
    if not isinstance(payload.get("mine", False), bool):
        raise ValidationError("mine must be true or false", code="bad_import")
    if payload.get("format", "csv") != "csv":
        raise ValidationError("only CSV files are previewed and staged; send a JSON export to /api/import",
                              code="bad_import")
    if not isinstance(payload.get("text"), str):
        raise ValidationError("send the CSV file's text as text", code="bad_import")
    return payload["text"], payload.get("mapping"), payload.get("mine", False)


@bp.post("/import/preview")
def import_preview():
    """Nothing is stored: the format, the mapping (changeable) and the first rows as they would be stored."""
    require_person()
    text, mapping, _ = _read_source()
    return jsonify(imports.preview(text, mapping))


@bp.post("/imports")
def import_stage():
    """Read and check the whole file, keep it staged: 201 {id, total, ...}; ``mine``: the person's own backup."""
    require_person()
    staged = _registry().stage(*_read_source())
    return jsonify(staged.summary()), 201


@bp.post("/imports/<import_id>/commit")
def import_commit(import_id):
    require_person()
    payload = known_fields(read_json(), ("limit",), "a commit")
    limit = payload.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_BATCH):
        raise ValidationError(f"limit must be a whole number from 1 to {MAX_BATCH}")
    registry = _registry()
    staged = registry.get(import_id)
    try:
        result = imports.write(current.store(), staged, date.today(), limit=limit)
    except BaseException:
        registry.forget(import_id)  # undone already: nothing is left to finish
        raise
    if result["done"]:
        registry.forget(import_id)
    return jsonify(result)


@bp.delete("/imports/<import_id>")
def import_cancel(import_id):
    require_person()
    registry = _registry()
    staged = registry.get(import_id)
    with staged.lock:
        removed = imports.undo(current.store(), staged)
    registry.forget(import_id)
    return jsonify({"removed": removed})
