"""The app factory: one Flask app wired to one store, its security checks and its error handler."""
import gc
import logging
import os
import threading
from datetime import date

from flask import Flask, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from . import __version__, calendar, pairing, security, sessions, tokens, webhost
from .errors import AppliedError, StoreError
from .settings import server_settings
from .store import Store

log = logging.getLogger("applied")


def create_app(config=None):
    """Build the companion. ``config`` overrides defaults (tests pass DATA_DIR)."""
    app = Flask(__name__)
    server = server_settings()
    app.config.from_mapping(
        DATA_DIR=server["data_dir"],
        MAX_CONTENT_LENGTH=server["max_body_mb"] * 1024 * 1024,
        BACKUPS=server["backups"],
        EXTENSION_IDS=server["extension_ids"],
        PORT=server["port"],
        THREADS=server["threads"],
    )
    app.config.update(config or {})
    app.debug = False  # never: the debugger runs code for whoever can reach the port
    app.json.sort_keys = False
    data_dir = str(app.config["DATA_DIR"])
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    os.chmod(data_dir, 0o700)
    app.config["DATA_DIR"] = data_dir

    # Snapshots in the background: no request waits for one.
    store = Store(data_dir, backups=app.config["BACKUPS"], background=True)
    # The records just loaded live as long as the store: the garbage collector need not walk them
    # again (at 10,000 applications its full passes took 40% of a page). They are plain JSON, so
    # reference counting still frees each one a change replaces.
    gc.freeze()
    token = tokens.load_or_create_token(data_dir)
    # Every secret is made at start, so that serving a GET never has to write one.
    calendar.load_or_create_secret(data_dir)
    app.extensions["applied"] = {"store": store, "token": token, "web_host": webhost.load_or_create(data_dir)}
    app.secret_key = security.load_or_create_secret(data_dir)

    install = tokens.Credential.install(token)
    security.init_app(app, credentials=lambda: [install, *pairing.verifiers(store)],
                      on_paired_write=lambda pairing_id: pairing.touch(store, pairing_id, date.today()))
    _register_error_handlers(app)

    from . import api, web
    api.init_app(app)
    web.init_app(app)
    from .calendar import bp as calendar_bp  # /calendar.ics, guarded by its own secret
    app.register_blueprint(calendar_bp)
    app.config["VERSION"] = __version__
    _warm_up_after_start(app, store)
    if app.config.get("MAIL_CHECKS"):  # `applied serve` only: a command opening the folder itself checks no mail
        from .mail import checker
        checker.start(app)
    return app


def _warm_up_after_start(app, store):
    """Prepare the store (see _warm_up) in a thread started by the first request, so that the
    companion answers as soon as it has opened the store."""
    started = threading.Lock()

    @app.before_request
    def warm_up_once():
        if not started.locked() and started.acquire(blocking=False):
            threading.Thread(target=_warm_up, args=(store,), name="applied-warm-up", daemon=True).start()


def _warm_up(store):
    """After start, off the requests: build the indexes and totals the pages read, and give the
    records kept before skills were stored with them their skills (once)."""
    from . import applications, followup_schedule, insights, report, skills
    from .mail import accounts, replies
    from .settings import user_values

    try:
        # The extraction engine, which `serve` does not import to answer sooner: the capture that often follows
        # a start (the browser's host started us for it) finds it imported, or being imported.
        from . import extract  # noqa: F401
        # The indexes, built without holding up the requests (Store.prepare_indexes), in the order
        # they are declared: the follow-ups' first, as every page's badge reads them.
        followup_schedule.install_indexes(store)
        applications.install_indexes(store)
        report.install_indexes(store)
        store.share_strings()  # first: the indexes take the room the repeats leave (37 MB less at 50,000)
        store.prepare_indexes()
        applications.list_applications(store, limit=1)
        followup_schedule.count(store, date.today())
        insights.learned_timing(store)  # builds the insights' totals
        report.records_between(store, date.today(), date.today())  # builds the index by day
        gc.freeze()  # the indexes too
        store.sync_words(applications.TABLE, applications.SEARCH)  # whatever a crash left behind, put right
        written = skills.backfill(store)
        if written:
            log.info("found the skills of %d earlier postings", written)
        skills.demand(store, user_values(store)["my_skills"])
        if store.count(accounts.TABLE):  # mail is read: its matcher's index (seconds at 50,000), kept from now on
            replies.application_index(store)
    except StoreError:  # closed meanwhile (a command that only opened the store)
        pass
    except Exception:
        log.exception("could not prepare the indexes after start; pages will build them when asked")


def _wants_json():
    return request.path.startswith("/api/") or request.path.endswith((".ics", ".json")) \
        or request.accept_mimetypes.best == "application/json"


def _respond(status, code, message):
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def _register_error_handlers(app):
    @app.errorhandler(AppliedError)
    def applied_error(error):
        if isinstance(error, security.NeedsSignIn) and not _wants_json():
            # A session cookie that no longer opens anything: the session ended, and the page says so.
            ended = "1" if request.cookies.get(sessions.cookie_name(app.config.get("PORT"))) else None
            return redirect(url_for("web.login_page", ended=ended), code=303)
        if _wants_json():
            return jsonify(error.to_json()), error.status
        return _respond(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = (error.name or "error").lower().replace(" ", "_")
        messages = {413: f"the request body is larger than the {app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB limit",
                    404: "there is nothing at this address", 405: f"{request.method} is not allowed here"}
        response = _respond(error.code or 400, code, messages.get(error.code, error.description or error.name))
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        # A bug of ours: log it with its traceback for us, show the person a plain message.
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _respond(500, "internal", "something went wrong inside Applied; the log has the details")
