"""/api/changes and /api/preview: what the extension asks often and cheaply.

/api/changes: a counter every successful change through the API moves (the web view's,
the popup's, the CLI's while `applied serve` runs), so the extension's badge knows within
seconds that it must count again, without counting every time it looks.
/api/preview: what a capture of a page would read, stored nowhere (the popup's editable fields).
"""
import secrets
import threading

from flask import current_app, jsonify, request

from .. import validate
from ..applications import preview as preview_capture
from ..errors import ValidationError
from . import bp, read_json

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# POSTs that only read what they are sent (a page, a CSV) and store nothing: the popup previews the
# page of its tab each time it opens, and that must not make the badge count again.
READS = frozenset({"api.preview", "api.import_preview"})


def _counter():
    """{boot, n, lock}: the boot part changes on every start, so a restart is a change too."""
    state = current_app.extensions["applied"]
    counter = state.get("changes")
    if counter is None:
        counter = state.setdefault("changes", {"boot": secrets.token_hex(4), "n": 0, "lock": threading.Lock()})
    return counter


def version():
    counter = _counter()
    return f"{counter['boot']}.{counter['n']}"


@bp.after_app_request
def _count_change(response):
    if request.method not in SAFE and response.status_code < 400 and request.path.startswith("/api/") \
            and request.endpoint not in READS:
        counter = _counter()
        with counter["lock"]:
            counter["n"] += 1
    return response


@bp.get("/changes")
def changes():
    """{version, changed}: changed is false only when ?since= names the current version."""
    current = version()
    return jsonify({"version": current, "changed": request.args.get("since") != current})


@bp.post("/preview")
def preview():
    """What a capture of {url, html} would read and flag, by the capture's own reading; nothing is stored."""
    payload = read_json()
    validate.known_fields(payload, ("url", "html"))
    url = validate.text(payload.get("url"), "url", limit=4000, required=True)
    html = payload.get("html") or ""
    if not isinstance(html, str):
        raise ValidationError("html must be a string")
    return jsonify(preview_capture(url, html))
