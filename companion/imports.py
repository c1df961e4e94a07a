"""CSV imports that land whole or not at all: read and checked first, then written, undone on failure.

An import is read completely (every row checked) before anything is stored. Writing it may
take several steps (a 50,000-row file is written in batches, so the CLI can show progress);
the import remembers what it created, and if a step fails, or the import is cancelled, every
application it created is removed again. Rows already stored (same posting address) are skipped,
so importing a file twice adds nothing.
"""
import secrets
import threading
import time
from datetime import date, datetime

from . import applications as apps
from . import contacts, documents, pipeline
from .errors import AppliedError, NotFound, ValidationError
from .sanitize import html_to_text
from .transfer import read_csv, restore

PREVIEW_ROWS = 10
KEEP_SECONDS = 3600  # a staged import nobody finishes is forgotten after an hour
MAX_STAGED = 4


class Staged:
    """One import between its reading and its last write."""

    def __init__(self, read):
        self.id = secrets.token_hex(8)
        self.kind, self.mapping = read["kind"], read["mapping"]
        self.rows = [(line, row) for line, row in read["rows"] if not isinstance(row, AppliedError)]
        self.problems = [{"line": line, "message": row.message} for line, row in read["rows"]
                         if isinstance(row, AppliedError)]
        self.position, self.created, self.skipped = 0, [], 0
        self.moved = []  # (application id, the history entry): saved records this import moved to applied
        self.contacts = []  # the contacts it added
        self.touched = time.monotonic()
        self.lock = threading.Lock()

    def summary(self):
        return {"id": self.id, "format": self.kind, "mapping": self.mapping, "total": len(self.rows),
                "position": self.position, "done": self.position >= len(self.rows), "created": len(self.created),
                "skipped": self.skipped, "problems": self.problems}


def preview(text, mapping=None):
    """What importing ``text`` would store, without storing anything: the mapping and the first rows."""
    read = read_csv(text, mapping, strict=False)
    shown = []
    for line, row in read["rows"][:PREVIEW_ROWS]:
        if isinstance(row, AppliedError):
            shown.append({"line": line, "problem": row.message})
            continue
        shown.append({"line": line, **_as_shown(row)})
    problems = [{"line": line, "message": row.message} for line, row in read["rows"] if isinstance(row, AppliedError)]
    return {"format": read["kind"], "columns": read["columns"], "mapping": read["mapping"],
            "rows": len(read["rows"]) - len(problems), "problems": problems[:100], "preview": shown}


def _as_shown(row):
    """A row as the preview table shows it: a value (or None) for each field, in words."""
    capture, fields, contact = row["capture"], row["fields"], row["contact"] or {}
    return {"url": capture.get("url"), "title": capture.get("title"), "company": capture.get("company"),
            "status": capture.get("status"), "applied_at": row["dates"]["applied"], "saved_at": row["dates"]["saved"],
            "moved_at": row["dates"]["moved"], "locations": row["locations"], "salary": _pay(fields.get("salary")),
            "valid_through": fields.get("valid_through"), "remote": fields.get("remote"),
            "employment_type": (fields.get("employment_type") or "").replace("_", " ") or None,
            "contact": contact.get("name"), "contact_email": contact.get("email"),
            "notes": html_to_text(capture.get("notes") or "").strip() or None,
            "description": (row["description"] or {}).get("text", "")[:200] or None}


def _pay(salary):
    if not salary:
        return None
    low, high = salary.get("min"), salary.get("max")
    amount = f"{low:,}" if low == high or high is None else f"{low:,}–{high:,}" if low is not None else f"{high:,}"
    return " ".join(filter(None, (amount, salary.get("currency"), salary.get("period") and f"a {salary['period']}")))


class Imports:
    """The staged imports of one running companion (kept in memory: a restart forgets unfinished ones)."""

    def __init__(self):
        self._staged = {}
        self._lock = threading.Lock()

    def stage(self, text, mapping=None):
        staged = Staged(read_csv(text, mapping))
        with self._lock:
            now = time.monotonic()
            for key in [k for k, s in self._staged.items() if now - s.touched > KEEP_SECONDS]:
                del self._staged[key]
            if len(self._staged) >= MAX_STAGED:
                oldest = min(self._staged.values(), key=lambda s: s.touched)
                del self._staged[oldest.id]
            self._staged[staged.id] = staged
        return staged

    def get(self, import_id):
        staged = self._staged.get(import_id)
        if staged is None:
            raise NotFound("no import in progress with that id (finished, cancelled, or the companion restarted)")
        staged.touched = time.monotonic()
        return staged

    def forget(self, import_id):
        with self._lock:
            self._staged.pop(import_id, None)


def write(store, staged, today, *, limit=None):
    """Write the next ``limit`` rows (all of them by default); on any failure, undo the whole import and raise."""
    with staged.lock:
        end = len(staged.rows) if limit is None else min(len(staged.rows), staged.position + limit)
        now = datetime.now().replace(microsecond=0)
        try:
            with store.batch():  # one fsync for the step, not one per row: the step is answered after it
                for line, row in staged.rows[staged.position:end]:
                    _write_row(store, staged, line, row, today, now)
                    staged.position += 1
        except BaseException:
            undo(store, staged)
            raise
    return staged.summary()


def _write_row(store, staged, line, row, today, now):
    history, applied_on = pipeline.imported_history(
        row["capture"]["status"], **{f"{name}_on": _day(value) for name, value in row["dates"].items()},
        today=today, now=now)
    payload = {**row["capture"], "applied_at": applied_on.isoformat() if applied_on else None}
    try:
        fields = {name: apps.EDITABLE[name](value) if name in apps.EDITABLE else value
                  for name, value in row["fields"].items()}
        if row["locations"]:
            fields["locations"] = apps.EDITABLE["locations"]([p.strip() for p in row["locations"].split(";")])
        doc, duplicate, _ = apps.capture(store, payload, today=today, now=now, key=row["key"],
                                         imported={"history": history, "fields": fields})
    except AppliedError as error:
        # A row the capture refuses (checked before any write, so nothing of it was stored).
        staged.problems.append({"line": line, "message": error.message})
        return
    if duplicate:
        staged.skipped += 1
        last = (doc.get("history") or [{}])[-1]
        if last.get("at") == now.isoformat() and (last.get("from"), last.get("to")) == ("saved", "applied"):
            staged.moved.append((doc["id"], last))  # this import moved it: a cancel moves it back
        return
    staged.created.append(doc["id"])
    if row["description"]:
        apps.put_description(store, doc["id"], row["description"]["html"], row["description"]["text"])
    if row["contact"]:
        person = contacts.create(store, {"name": row["contact"]["name"], "email": _email(row["contact"]["email"]),
                                         "application_ids": [doc["id"]], "keep_in_touch_every_days": 0}, now=now)
        staged.contacts.append(person["id"])


def _day(value):
    return date.fromisoformat(value) if value else None


def _email(value):
    """A contact's email as the contacts take it, or None when the file's is not one."""
    return value if value and contacts.EMAIL.fullmatch(value) else None


def undo(store, staged):
    """Remove every application (and contact) this import created, and move back what it moved; return
    how many applications it removed."""
    removed = 0
    for application_id in reversed(staged.created):
        try:
            apps.delete(store, application_id)
            removed += 1
        except NotFound:
            pass
    for contact_id in staged.contacts:
        try:
            contacts.delete(store, contact_id)
        except NotFound:
            pass
    for application_id, entry in staged.moved:
        apps.take_back(store, application_id, entry)
    staged.created, staged.contacts, staged.moved, staged.position, staged.skipped = [], [], [], 0, 0
    return removed


def import_all(store, text, today, mapping=None):
    """Read and write a whole CSV in one go (POST /api/import): {created, skipped, problems}."""
    staged = Staged(read_csv(text, mapping))
    result = write(store, staged, today)
    return {"created": result["created"], "skipped": result["skipped"], "problems": result["problems"]}


def import_payload(store, payload, today):
    """Run an import ({format: json, data, ids?} or {format: csv, text}); return counts and per-row problems.

    A JSON import answers ``ids``, {the backup's application id: this store's}, for the documents that
    link to them; a client sending a big backup in parts sends its documents after the applications,
    with the ``ids`` the earlier parts answered.
    """
    kind = payload.get("format")
    if kind == "csv":
        if not isinstance(payload.get("text"), str):
            raise ValidationError("a CSV import sends the file's text as text", code="bad_import")
        return import_all(store, payload["text"], today, payload.get("mapping"))
    if kind != "json":
        raise ValidationError("format must be json or csv", code="bad_import")
    data = payload.get("data")
    items = data.get("applications") if isinstance(data, dict) else data
    attached = (data.get("documents") if isinstance(data, dict) else None) or []
    known = payload.get("ids") or {}
    if not isinstance(items, list) or not isinstance(attached, list) or not isinstance(known, dict):
        raise ValidationError("a JSON import holds {\"applications\": [...]} as written by applied export",
                              code="bad_import")
    result = {"created": 0, "skipped": 0, "problems": [], "ids": {}, "documents": 0}
    with store.batch():  # one fsync for the request's applications; it is answered after it
        for number, doc in enumerate(items, start=1):
            try:
                restored, created = restore(store, doc, today)
                result["created" if created else "skipped"] += 1
                if isinstance(doc, dict) and type(doc.get("id")) is int:
                    result["ids"][str(doc["id"])] = restored["id"]
            except AppliedError as error:
                result["problems"].append({"item": number, "message": error.message})
        ids = {str(k): v for k, v in known.items() if type(v) is int} | result["ids"]
        for number, item in enumerate(attached, start=1):
            try:
                documents.restore(store, item, ids)
                result["documents"] += 1
            except AppliedError as error:
                result["problems"].append({"document": number, "message": error.message})
    return result
