"""POST /api/applications/fetch: add an application by URL, the page fetched safely by the companion."""
import ipaddress

from flask import current_app

from .. import applications as apps
from .. import current, validate
from ..fetch import STRICT, Policy, fetch_page, is_public
from . import bp, read_json
from .applications import _respond_capture

FIELDS = tuple(field for field in apps.CAPTURE_FIELDS if field != "html")  # the page is what we fetch


def fetch_policy():
    """Strict, unless a test built the app with FETCH_TEST_ADDRESSES (addresses it serves pages on).

    That key can only be set by code calling create_app: no flag or environment variable
    reaches it, so a running companion always fetches public addresses only.
    """
    extra = {ipaddress.ip_address(a) for a in current_app.config.get("FETCH_TEST_ADDRESSES") or ()}
    if not extra:
        return STRICT
    return Policy(permits=lambda ip: is_public(ip) or ip in extra)


@bp.post("/applications/fetch")
def fetch():
    """Fetch {url} and capture the posting on it, like the extension's "I applied" would.

    Answers as POST /api/applications does: 201 with the application, 200 with
    ``duplicate: true`` when it is known already (then nothing is fetched, and a saved one
    moves to applied), 422 when the page holds no posting (kept anyway) or could not be
    fetched (``fetch_failed`` and friends).
    """
    payload = validate.known_fields(read_json(), FIELDS)
    # A capture may come without an address (logged by hand); adding by URL may not: it fetches that URL.
    validate.text(payload.get("url"), "url", limit=4000, required=True)
    store = current.store()
    known = apps.recapture(store, payload)  # also checks every field before anything is fetched
    if known:
        return _respond_capture(known, True, None)
    final_url, html = fetch_page(payload["url"], policy=fetch_policy())
    doc, duplicate, problem = apps.capture(store, {**payload, "url": final_url, "html": html})
    return _respond_capture(doc, duplicate, problem)
