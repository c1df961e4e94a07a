"""The web view: the person's workspace, served on loopback.

Pages are rendered from the same service functions the API uses; everything a page changes goes
through the JSON API from static/app.js (with the session's CSRF token), so the web view, the
popup and the CLI can never disagree about a change. One blueprint, one module per part:
``filters`` (how values read on a page), ``pages`` (sign-in, the lists, the board, settings),
``application`` (one application), ``record`` (documents, the work-search report, importing),
``replies`` (replies read from the person's mail, and the mail accounts in Settings).
"""
from flask import Blueprint

bp = Blueprint("web", __name__)


def init_app(app):
    """Give the app the web view: its template filters, and every page on the one blueprint."""
    from . import application, filters, pages, record, replies  # noqa: F401  (each adds its routes and filters to bp)

    app.register_blueprint(bp)
