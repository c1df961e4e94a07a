"""`applied export` and `applied import`: backups, spreadsheets and calendar files, and other trackers' CSVs."""
import json
import os
import sys
import tempfile
from contextlib import contextmanager

import click

from ..client import call, connect
from ..errors import AppliedError
from . import data_dir_option

BATCH = 200  # applications per import request: a big backup stays well under the request size limit
CSV_STEP = 2000  # rows written per request of a CSV import, so a big file shows its progress


def _write(text, path):
    if not path or path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    # An export holds the person's whole job search: owner-only, like the data folder. Written to a
    # new file beside it (mkstemp makes it 0600, ours) that then replaces the old one, so an
    # existing file's looser mode, owner or other links never carry over.
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".applied-export-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    click.echo(f"wrote {path}", err=True)


@click.command("export")
@click.option("--format", "kind", type=click.Choice(["json", "csv", "ics"]), default="json", show_default=True,
              help="json: your applications with their history (import it again with `applied import`); csv: one row per application "
                   "for a spreadsheet; ics: the follow-ups for a calendar.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@data_dir_option
def export_command(kind, output, data_dir):
    """Export your applications (json, csv) or follow-ups (ics)."""
    with connect(data_dir) as client:
        body = call(client, "GET", f"/api/export?format={kind}")
    _write(json.dumps(body, indent=2, ensure_ascii=False) + "\n" if kind == "json" else body, output)


def _read(path):
    try:
        with click.open_file(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise AppliedError(f"{path} is not UTF-8 text: save it as UTF-8 CSV or JSON and try again") from None


def _import_csv(client, text):
    """Stage the whole file (read and checked before anything is stored), then write it in steps.

    The companion undoes the whole import if a step fails; Ctrl+C here cancels it the same way.
    """
    try:
        staged = call(client, "POST", "/api/imports", {"format": "csv", "text": text}, ok=(201,))
    except AppliedError as error:
        if error.status == 413:
            raise AppliedError(f"{error.message}: split the file in parts and import each (importing a part "
                               "again adds nothing)", code=error.code, status=413) from None
        raise
    total, result = staged["total"], staged
    try:
        with _progress(total) as advance:
            while not result["done"]:
                before = result["position"]
                result = call(client, "POST", f"/api/imports/{staged['id']}/commit", {"limit": CSV_STEP})
                advance(result["position"] - before)
    except KeyboardInterrupt:
        call(client, "DELETE", f"/api/imports/{staged['id']}")
        raise AppliedError("import cancelled: nothing of it was kept") from None
    return {"created": result["created"], "skipped": result["skipped"], "problems": result["problems"]}


@contextmanager
def _progress(total):
    """A progress bar on a terminal; on a pipe or a log, a line per step (only for files worth waiting for)."""
    if total <= CSV_STEP:
        yield lambda n: None
    elif sys.stderr.isatty():
        with click.progressbar(length=total, label="importing", file=sys.stderr) as bar:
            yield bar.update
    else:
        done = [0]

        def line(n):
            done[0] += n
            click.echo(f"importing: {done[0]:,} of {total:,} rows", err=True)

        yield line


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "kind", type=click.Choice(["auto", "json", "csv"]), default="auto", show_default=True,
              help="auto: JSON when the file starts with { or [, else CSV.")
@data_dir_option
def import_command(file, kind, data_dir):
    """Import a backup made by `applied export`, or a CSV (ours, or another tracker's export)."""
    text = _read(file)
    if kind == "auto":
        kind = "json" if text.lstrip()[:1] in ("{", "[") else "csv"
    if kind == "json":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise AppliedError(f"{file} is not valid JSON: {error}") from None
        items = data.get("applications") if isinstance(data, dict) else data
        attached = (data.get("documents") if isinstance(data, dict) else None) or []
        if not isinstance(items, list) or not isinstance(attached, list):
            raise AppliedError(f"{file} is not an Applied export (no \"applications\" list)")
        batches = [{"format": "json", "data": {"applications": items[i:i + BATCH]}}
                   for i in range(0, len(items), BATCH)] or [{"format": "json", "data": {"applications": []}}]
        total = {"created": 0, "skipped": 0, "problems": [], "documents": 0}
        ids = {}  # the backup's application ids → this store's, for the documents that link to them
        with connect(data_dir) as client:
            for number, batch in enumerate(batches):
                result = call(client, "POST", "/api/import", batch)
                total["created"] += result["created"]
                total["skipped"] += result["skipped"]
                ids.update(result.get("ids") or {})
                for problem in result["problems"]:
                    if "item" in problem:
                        problem["item"] += number * BATCH
                    total["problems"].append(problem)
            # A document at a time (up to 5 MB each): a request stays under the companion's size limit.
            for number, document in enumerate(attached, start=1):
                result = call(client, "POST", "/api/import",
                              {"format": "json", "data": {"applications": [], "documents": [document]}, "ids": ids})
                total["documents"] += result.get("documents", 0)
                total["problems"] += [{**problem, "document": number} for problem in result["problems"]]
    else:
        with connect(data_dir) as client:
            total = _import_csv(client, text)
    documents = f" and {total['documents']} document{'s' if total['documents'] != 1 else ''}" \
        if total.get("documents") else ""
    click.echo(f"imported {total['created']} application{'s' if total['created'] != 1 else ''}{documents}, "
               f"skipped {total['skipped']} already stored")
    for problem in total["problems"]:
        where = f"line {problem['line']}" if "line" in problem else \
            f"item {problem['item']}" if "item" in problem else f"document {problem['document']}"
        click.echo(f"  {where}: {problem['message']}", err=True)
    if total["problems"] and not total["created"] and not total["skipped"]:
        sys.exit(1)
