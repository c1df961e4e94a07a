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

from . import applications as apps
from .errors import AppliedError, NotFound, ValidationError
from .sanitize import html_to_text
from .transfer import read_csv, restore

PREVIEW_ROWS = 10
KEEP_SECONDS = 3600  # a staged import nobody finishes is forgotten after an hour
MAX_STAGED = 4


def claims(urls):
    """The posting addresses an import claimed (not the stand-ins of rows without one), for the person to see."""
    return [url for url in urls if not url.startswith("https://import.invalid/")]


class Staged:
    """One import between its reading and its last write."""

    def __init__(self, read, mine=False):
        self.mine = mine  # the person said the file is their own: its records are confirmed as theirs
        self.claimed = []
        self.id = secrets.token_hex(8)
        self.kind, self.mapping = read["kind"], read["mapping"]
        self.rows = [(line, row) for line, row in read["rows"] if not isinstance(row, AppliedError)]
        self.problems = [{"line": line, "message": row.message} for line, row in read["rows"]
                         if isinstance(row, AppliedError)]
        self.position, self.created, self.skipped = 0, [], 0
        self.touched = time.monotonic()
        self.lock = threading.Lock()

    def summary(self):
        return {"id": self.id, "format": self.kind, "mapping": self.mapping, "total": len(self.rows),
                "position": self.position, "done": self.position >= len(self.rows), "created": len(self.created),
                "skipped": self.skipped, "problems": self.problems, "mine": self.mine,
                # the addresses once all is written (a step's answer stays small: a file may hold 50,000)
                "claimed": self.claimed if self.position >= len(self.rows) else []}


def preview(text, mapping=None):
    """What importing ``text`` would store, without storing anything: the mapping and the first rows.

    Only the first ``PREVIEW_ROWS`` rows are read (and their problems told); the others are counted:
    the web view asks again at each change of a column, and the import itself reads and checks them all."""
    read = read_csv(text, mapping, strict=False, limit=PREVIEW_ROWS)
    shown = []
    for line, row in read["rows"]:
        if isinstance(row, AppliedError):
            shown.append({"line": line, "problem": row.message})
            continue
        capture = row["capture"]
        shown.append({"line": line, **{k: capture.get(k) for k in ("url", "title", "company", "status", "applied_at")},
                      "locations": row["locations"], "notes": html_to_text(capture.get("notes") or "").strip() or None,
                      "description": (row["description"] or {}).get("text", "")[:200] or None})
    problems = [{"line": line, "message": row.message} for line, row in read["rows"] if isinstance(row, AppliedError)]
    return {"format": read["kind"], "columns": read["columns"], "mapping": read["mapping"],
            "rows": len(read["rows"]) + read["more"] - len(problems), "problems": problems, "preview": shown,
            "unchecked": read["more"]}


class Imports:
    """The staged imports of one running companion (kept in memory: a restart forgets unfinished ones)."""

    def __init__(self):
        self._staged = {}
        self._lock = threading.Lock()

    def stage(self, text, mapping=None, mine=False):
        staged = Staged(read_csv(text, mapping), mine)
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
        try:
            with store.batch():  # one fsync for the step, not one per row: the step is answered after it
                for line, row in staged.rows[staged.position:end]:
                    _write_row(store, staged, line, row, today)
                    staged.position += 1
        except BaseException:
            undo(store, staged)
            raise
    return staged.summary()


def _write_row(store, staged, line, row, today):
    try:
        doc, duplicate, _ = apps.capture(store, row["capture"], today=today, imported={"mine": staged.mine})
    except AppliedError as error:
        # A row the capture refuses (checked before any write, so nothing of it was stored).
        staged.problems.append({"line": line, "message": error.message})
        return
    if duplicate:
        staged.skipped += 1
        return
    staged.created.append(doc["id"])
    staged.claimed.extend(claims([doc["url"]]))
    if row["locations"]:
        apps.update(store, doc["id"], {"locations": [p.strip() for p in row["locations"].split(";")]})
    if row["description"]:
        apps.put_description(store, doc["id"], row["description"]["html"], row["description"]["text"])


def undo(store, staged):
    """Remove every application this import created; return how many."""
    removed = 0
    for application_id in reversed(staged.created):
        try:
            apps.delete(store, application_id)
            removed += 1
        except NotFound:
            pass
    staged.created, staged.claimed, staged.position, staged.skipped = [], [], 0, 0
    return removed


def import_all(store, text, today, mapping=None, mine=False):
    """Read and write a whole CSV in one go (POST /api/import): {created, skipped, problems, claimed}."""
    staged = Staged(read_csv(text, mapping), mine)
    result = write(store, staged, today)
    return {key: result[key] for key in ("created", "skipped", "problems", "claimed")}


def import_payload(store, payload, today):
    """Run an import ({format: json, data} or {format: csv, text}; ``mine``: true when the person says the file is
    their own backup); return counts, per-row problems, and the posting addresses it ``claimed``."""
    kind = payload.get("format")
    mine = payload.get("mine", False)
    if not isinstance(mine, bool):
        raise ValidationError("mine must be true or false", code="bad_import")
    if kind == "csv":
        if not isinstance(payload.get("text"), str):
            raise ValidationError("a CSV import sends the file's text as text", code="bad_import")
        return import_all(store, payload["text"], today, payload.get("mapping"), mine)
    if kind != "json":
        raise ValidationError("format must be json or csv", code="bad_import")
    data = payload.get("data")
    items = data.get("applications") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError("a JSON import holds {\"applications\": [...]} as written by applied export",
                              code="bad_import")
    result = {"created": 0, "skipped": 0, "problems": [], "claimed": []}
    with store.batch():  # one fsync for the request's applications; it is answered after it
        for number, doc in enumerate(items, start=1):
            try:
                restored, created = restore(store, doc, today, mine=mine)
                result["created" if created else "skipped"] += 1
                if created:
                    result["claimed"].extend(claims([restored["url"]]))
            except AppliedError as error:
                result["problems"].append({"item": number, "message": error.message})
    return result
