"""The web view's sessions: a random id in the browser's cookie, everything else in the data folder.

Why not Flask's signed cookie: a signed cookie holding the whole session (and its CSRF token,
readable by anyone who has it) is the whole key, and signing out revokes nothing. Here the
cookie holds only a random id, whose SHA-256 keys the session in ``sessions.json`` (owner-only)
with its CSRF token, times and host; signing out deletes it, "sign out everywhere" deletes them
all, and a session unused for ``IDLE`` (or older than ``LIFETIME``) is refused. The cookie's name
carries the companion's port, so two companions never share one.

Cookies are scoped by host, not port: one set for 127.0.0.1 goes with a link to any program on
another loopback port. So the session lives on the web view's own unguessable host name alone
(``webhost``): the cookie is set there and read only from requests naming it, and a session
made for one name is refused under another. A page on another port may plant a cookie of the
same name for a narrower path, which the browser sends first: every value of the name is tried.

A session still is not enough to let a new extension in: approving a pairing asks for the
code the extension shows and the install token again (see ``api.pairing``).

``applied serve`` signs the browser in with a one-time code (``new_sign_in_code``) that lives a
minute in this process's memory and is exchanged by POST. Neither the code nor the install token
ever appears on a command line, where every local user can read it in /proc: the browser is
opened on a file in the data folder, readable by the person alone (``write_sign_in_file``), that
forwards it to the sign-in address (``sign_in_url``, the one place that address is made).
"""
import hmac
import html
import json
import os
import secrets
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, g, request

from . import webhost
from .tokens import digest, write_owner_only

FILE = "sessions.json"
IDLE = timedelta(hours=12)  # unused this long: signed out
LIFETIME = timedelta(days=14)  # whatever the use: sign in again
SIGN_IN_CODE_SECONDS = 60
SIGN_IN_FILE = "sign-in.html"


def _now():
    return datetime.now().replace(microsecond=0)


def cookie_name(port):
    return f"applied_session_{port}"


class Sessions:
    """The sessions of one data folder (one companion process owns it), and its one-time sign-in codes."""

    def __init__(self, data_dir):
        self.path = os.path.join(data_dir, FILE)
        self.lock = threading.Lock()
        self.seen = {}  # key -> last use, kept in memory so that no GET writes to the data folder
        self.codes = {}  # sign-in code digest -> monotonic deadline

    def _load(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data):
        temporary = self.path + ".tmp"
        write_owner_only(temporary, json.dumps(data).encode())
        os.replace(temporary, self.path)

    def _alive(self, key, record, now):
        try:
            created = datetime.fromisoformat(record["created"])
            seen = max(datetime.fromisoformat(record["seen"]), self.seen.get(key, datetime.min))
        except (KeyError, TypeError, ValueError):
            return False
        return now - seen < IDLE and now - created < LIFETIME

    def start(self, now=None, *, host=None):
        """A new session on ``host``: (the id for the cookie, its CSRF token). Sessions past their time are dropped."""
        now = now or _now()
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.lock:
            data = {key: record for key, record in self._load().items() if self._alive(key, record, now)}
            data[digest(session_id)] = {"csrf": csrf, "created": now.isoformat(), "seen": now.isoformat(),
                                        "host": host}
            self._save(data)
        return session_id, csrf

    def find(self, session_id, now=None, *, touch=True, host=None):
        """The live session with this id ({csrf, created, seen}) made on ``host``, or None. Marks it used
        (unless not ``touch``).

        The use is remembered in this process's memory only, so that no request writes to the
        data folder just by being made; after a restart a session counts as last used when it
        was made (and ``applied serve`` opens a fresh sign-in anyway).
        """
        if not session_id:
            return None
        now, key = now or _now(), digest(session_id)
        with self.lock:
            data = self._load()
            record = data.get(key)
            if record is None or not self._alive(key, record, now) or record.get("host") != host:
                return None
            if touch:
                self.seen[key] = now
        return record

    def end(self, session_id):
        with self.lock:
            data = self._load()
            if data.pop(digest(session_id or ""), None) is not None:
                self._save(data)

    def end_all(self):
        with self.lock:
            self._save({})
            self.seen.clear()

    def new_sign_in_code(self, clock=None):
        """A code that signs one browser in, once, within ``SIGN_IN_CODE_SECONDS``."""
        code = secrets.token_urlsafe(24)
        with self.lock:
            clock = time.monotonic() if clock is None else clock
            self.codes = {k: deadline for k, deadline in self.codes.items() if deadline > clock}
            self.codes[digest(code)] = clock + SIGN_IN_CODE_SECONDS
        return code

    def redeem(self, code, clock=None):
        """Whether ``code`` is a live sign-in code; it is spent either way."""
        if not code:
            return False
        presented = digest(code)
        with self.lock:
            clock = time.monotonic() if clock is None else clock
            match = next((k for k in self.codes if hmac.compare_digest(k, presented)), None)
            deadline = self.codes.pop(match, 0) if match else 0
        return deadline > clock


# -- the request's session ----------------------------------------------------------------------

def _sessions():
    return current_app.extensions["applied_sessions"]


def _cookie():
    return cookie_name(current_app.config.get("PORT"))


def web_host():
    """The web view's own host name (see ``webhost``)."""
    return current_app.extensions["applied"]["web_host"]


def on_web_host():
    """Whether this request names the web view's own host (the only one its session cookie is set for)."""
    return webhost.names_it(request.headers.get("Host"), web_host())


def web_origin():
    """The web view's origin for links: its own host name on the port the companion answers on."""
    return webhost.origin(web_host(), current_app.config.get("PORT"))


def request_sign_in_url():
    """A new one-time sign-in address for this companion's web view (made in a request)."""
    return sign_in_url(web_host(), current_app.config.get("PORT"), new_sign_in_code(current_app))


def _presented():
    """Every value of the session cookie the browser sent: a page elsewhere may have planted one of the same name
    for a narrower path, which comes first."""
    return request.cookies.getlist(_cookie())[:8]


# An open page asks these every few seconds by itself: that is not the person using Applied, so
# they must not keep a forgotten tab signed in past the idle limit.
BACKGROUND_ENDPOINTS = frozenset({"web.pulse"})


def current():
    """This request's live session record, or None (looked up once per request)."""
    if "web_session" not in g:
        g.web_session = None
        if on_web_host():
            touch = request.endpoint not in BACKGROUND_ENDPOINTS
            g.web_session = next(filter(None, (_sessions().find(value, touch=touch, host=web_host())
                                               for value in _presented())), None)
    return g.web_session


def signed_in():
    return current() is not None


def csrf_token():
    """The session's CSRF token, for templates (a hidden field) and the page's script (a meta tag)."""
    record = current()
    return record["csrf"] if record else ""


def csrf_is_valid():
    presented = request.headers.get("X-CSRF-Token")
    if presented is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        presented = request.form.get("csrf_token")
    expected = csrf_token()
    return bool(expected) and bool(presented) and hmac.compare_digest(presented.encode(), expected.encode())


def sign_in():
    """Start a session for this browser (the cookie is set on the response)."""
    sign_out()
    session_id, csrf = _sessions().start(host=web_host())
    g.web_session = {"csrf": csrf}
    g.set_session_cookie = session_id


def sign_out(everywhere=False):
    """End this browser's session, or every session (every browser must sign in again)."""
    if everywhere:
        _sessions().end_all()
    else:
        for value in _presented():
            _sessions().end(value)
    g.web_session = None
    g.set_session_cookie = ""


def new_sign_in_code(app):
    """A one-time sign-in code for ``applied serve`` to open or print."""
    return app.extensions["applied_sessions"].new_sign_in_code()


def redeem_sign_in_code(code):
    return _sessions().redeem(code)


def sign_in_url(web_host, port, code):
    """The web view's sign-in address for a one-time code, at the web view's own name (``webhost.origin``):
    the code rides in the fragment, which the browser never sends (no server log, no Referer keeps it);
    /login's script posts it."""
    return f"{webhost.origin(web_host, port)}/login#code={code}"


SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0; url={url}">
<title>Opening Applied</title></head>
<body><p>Opening Applied&hellip; If nothing happens, <a href="{url}">open Applied</a>.
This page signs you in once, within a minute of being made.</p></body></html>
"""


def write_sign_in_file(data_dir, port, code):
    """A page in the data folder (owner-only) that forwards the browser to the sign-in address; its path.

    The browser is started with this file's address, which holds no secret, instead of the
    sign-in address itself: a command line is readable by every user of the machine. A meta
    refresh needs no script (a file page has no CSP of ours to satisfy) and keeps the fragment.
    """
    path = os.path.join(data_dir, SIGN_IN_FILE)
    temporary = path + ".tmp"
    address = sign_in_url(webhost.load_or_create(data_dir), port, code)  # the companion made the name at start
    write_owner_only(temporary, SIGN_IN_PAGE.format(url=html.escape(address)).encode())
    os.replace(temporary, path)
    return path


def file_url(path):
    return Path(path).resolve().as_uri()


def _set_cookie(response):
    value = g.pop("set_session_cookie", None)
    if value is None or not on_web_host():
        return response
    if value:
        response.set_cookie(_cookie(), value, max_age=int(LIFETIME.total_seconds()), path="/",
                            httponly=True, samesite="Strict")
    else:
        response.delete_cookie(_cookie(), path="/", httponly=True, samesite="Strict")
    return response


def init_app(app):
    app.extensions["applied_sessions"] = Sessions(app.config["DATA_DIR"])
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.after_request(_set_cookie)
