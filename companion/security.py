"""What keeps other web pages and other people out of the companion.

Any page the person visits can send requests to 127.0.0.1, and DNS rebinding can
make a hostile name resolve there. So, before any handler runs:
* the Host header must name loopback exactly (127.0.0.1, localhost or [::1], with an optional port),
  or the web view's own unguessable name (``webhost``): only there is its session cookie read;
* a request a web page sent (its Origin is neither ours nor the extension's, or the browser says
  it came from another site) is refused, whatever it carries;
* API routes need ``Authorization: Bearer <token>`` (compared in constant time, never read from the URL),
  or the web view's session cookie together with its CSRF header; a paired extension's token
  reaches only the routes of its scope (``tokens.EXTENSION_SCOPE``);
* state-changing requests must be JSON (a page cannot send that cross-origin without a CORS preflight);
* CORS is open only to the extension's own origins, never with credentials or private-network
  access, and every response carries a strict CSP.
"""
import os
import re
import secrets

from flask import current_app, g, request
from flask_cors import CORS

from . import sessions, tokens
from .errors import AppliedError, BadRequest, Forbidden, Unauthorized, UnsupportedMediaType
from .tokens import read_secret, write_owner_only

# The Chrome id that follows from the `key` in manifest.json (a test checks the two agree).
EXTENSION_ID = "fniabemaddlklphjipllbhfdodpombca"
CHROME_ID = re.compile(r"[a-p]{32}")
# Firefox gives each install a random UUID, so any moz-extension origin may ask to pair;
# the person's approval and the token it yields are what really authenticate it.
FIREFOX_ORIGIN = r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Exact loopback names only: no trailing dot, no other spelling of 127.0.0.1, no suffix.
LOOPBACK_HOST = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\])(?::([1-9][0-9]{0,4}))?")
# Routes a client may reach without a token: the health check, and asking to pair.
OPEN_API_ROUTES = {("GET", "/api/ping"), ("HEAD", "/api/ping"), ("POST", "/api/pair")}
OPEN_API_PREFIXES = ("/api/pair/",)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Query parameters named like a credential (or holding a valid token, whatever their name) are
# refused outright, so no client learns to put the token where logs, history and Referer keep it.
TOKEN_PARAMS = ("token", "access_token", "api_key", "apikey")

PLAIN_TEXT_TEMPLATES = (".txt", ".ics", ".eml")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


# -- secrets in the data folder ----------------------------------------------------------------

def load_or_create_secret(data_dir):
    """The key Flask signs with (nothing of ours is signed with it now; made once, owner-only)."""
    path = os.path.join(data_dir, "secret_key")
    secret = read_secret(path)
    if secret and len(secret) >= 32:
        return secret
    secret = secrets.token_bytes(32)
    write_owner_only(path, secret)
    return secret


def allowed_origins(extra_ids=""):
    """The origins CORS answers, as one anchored pattern (flask-cors matches with re.match)."""
    ids = [EXTENSION_ID]
    for value in (extra_ids or "").split(","):
        value = value.strip()
        if not value:
            continue
        if not CHROME_ID.fullmatch(value):
            raise AppliedError(f"{value!r} in APPLIED_EXTENSION_IDS is not a Chrome extension id "
                               "(32 letters from a to p)", code="bad_setting")
        ids.append(value)
    chrome = "|".join(re.escape(f"chrome-extension://{i}") for i in ids)
    # \Z, not $: "$" also matches before a final newline.
    return re.compile(rf"(?:{chrome}|{FIREFOX_ORIGIN})\Z")


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def host_is_loopback(host):
    """Whether a Host header names this machine's loopback exactly (optional port 1-65535)."""
    found = LOOPBACK_HOST.fullmatch(host or "")
    return bool(found) and (found.group(1) is None or int(found.group(1)) <= 65535)


def is_extension_origin(origin):
    return bool(origin) and current_app.extensions["applied_origins"].match(origin) is not None


def _own_origin():
    return "http://" + request.headers.get("Host", "")


def is_web_origin(origin):
    """An Origin a web page sends (http, https, or the opaque "null"), as opposed to an extension's."""
    return origin is not None and not is_extension_origin(origin)


# -- the web view's session ----------------------------------------------------------------
# The person's browser signs in once (the `applied serve` link carries a one-time code in the
# URL fragment); it then holds a random session id in an HttpOnly, SameSite=Strict cookie, and
# the session's state (its CSRF token, when it was last used) stays in the data folder: see
# ``sessions``. Every state change from the web view also carries the CSRF token.
WEB_OPEN_PATHS = {"/login", "/calendar.ics", "/favicon.ico"}  # exactly these; the ICS feed checks its own secret
WEB_OPEN_PREFIXES = ("/static/",)


class NeedsSignIn(Unauthorized):
    """A web page was asked for without a session: the handler sends the person to /login."""

    code = "sign_in"


# -- the checks -------------------------------------------------------------------------------

def _refuse_foreign_pages():
    """Drop what a web page sent, before any handler: browsers say who sent a request.

    ``Origin`` is set by the browser on every cross-origin fetch and every POST; a page
    cannot forge it. Ours (the web view) and the extension's pass; anything else, including
    another port on loopback (same-site, so SameSite cookies would go along) and the opaque
    "null" of sandboxed frames and file pages, is refused. ``Sec-Fetch-Site`` catches the
    no-cors GETs (img, script) that carry no Origin; top-level navigations still pass so a
    link to the web view opens it (they carry no SameSite=Strict cookie, so they sign in).
    """
    origin = request.headers.get("Origin")
    site = request.headers.get("Sec-Fetch-Site")
    # Our own pages send "Referrer-Policy: no-referrer", under which a browser posts a plain
    # <form> with "Origin: null"; Sec-Fetch-Site (which no page can set) tells it is ours.
    ours = origin == _own_origin() or (origin == "null" and site == "same-origin")
    if origin is not None and not ours and not is_extension_origin(origin):
        raise Forbidden("requests from web pages are not accepted", code="foreign_origin")
    if site in ("cross-site", "same-site") and request.headers.get("Sec-Fetch-Mode") != "navigate" \
            and not is_extension_origin(origin):
        raise Forbidden("requests from web pages are not accepted", code="foreign_origin")


def authenticate(credentials):
    """Check the bearer token and its scope; return the matching ``tokens.Credential``, or raise."""
    match = tokens.matching(bearer_token(), credentials())
    if match is None:
        raise Unauthorized("this token is not valid (revoked?): pair the extension again, or use `applied token`")
    rule = request.url_rule.rule if request.url_rule is not None else None
    if rule is not None and not match.allows(request.method, rule):
        raise Forbidden("the extension's token cannot do this: use the web view or the `applied` command",
                        code="out_of_scope")
    if match.pairing_id is not None:
        if request.method not in SAFE_METHODS:
            # "Last used" means the last capture or change it sent: recorded on writes only,
            # so that no GET ever writes to the store.
            current_app.extensions["applied_on_paired_write"](match.pairing_id)
        g.credential = "paired"
    else:
        g.credential = "install"
    return match


def require_person():
    """Refuse unless the person is behind this request (install token or web view), not a paired client.

    Approving pairings is the person's decision: a paired extension must not be able to let
    another one in without them.
    """
    if g.get("credential") not in ("install", "session"):
        raise Forbidden("only you can do this: use the web view or `applied pair`", code="person_only")


def check_request(credentials):
    """Refuse, before routing, whatever did not come from the person's own tools."""
    host = request.headers.get("Host", "")
    # "GET http://other.name/ HTTP/1.1" names its host in the request line, which would win over
    # the Host header we check; only proxies take that form, and we are not one.
    target = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or "/"
    if not (host_is_loopback(host) or sessions.on_web_host()) or not target.startswith("/"):
        raise BadRequest("this server only answers to 127.0.0.1, localhost or [::1]", code="bad_host")
    _refuse_foreign_pages()
    if request.method == "OPTIONS":
        return
    changes_state = request.method not in SAFE_METHODS
    if not request.path.startswith("/api/"):
        if request.path in WEB_OPEN_PATHS or request.path.startswith(WEB_OPEN_PREFIXES):
            return
        if not sessions.signed_in():
            raise NeedsSignIn("sign in to Applied first")
        if changes_state and not sessions.csrf_is_valid():
            raise Forbidden("this form has expired; reload the page and try again", code="csrf")
        return
    if any(name.lower() in TOKEN_PARAMS for name in request.args) or any(
            len(value) >= 32 and tokens.matching(value, credentials()) for _, value in request.args.items(multi=True)):
        raise Unauthorized("send the token in the Authorization header, never in the URL", code="token_in_url")
    is_open = (request.method, request.path) in OPEN_API_ROUTES or request.path.startswith(OPEN_API_PREFIXES)
    if is_open:
        pass
    elif request.headers.get("Authorization"):
        authenticate(credentials)
    elif sessions.signed_in():
        # The web view's own script: its session cookie only counts with the CSRF header.
        if changes_state and not sessions.csrf_is_valid():
            raise Forbidden("missing or wrong X-CSRF-Token header", code="csrf")
        g.credential = "session"
    else:
        raise Unauthorized("a valid token is needed: pair the extension, or use `applied token`")
    if changes_state and request.method != "DELETE" and request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")


def set_security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    # Never let a public page reach us through Private Network Access, even if a library says "false".
    response.headers.pop("Access-Control-Allow-Private-Network", None)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app, credentials, on_paired_write):
    """Install the checks on an app.

    ``credentials`` returns the ``tokens.Credential`` list accepted right now; ``on_paired_write``
    is told the pairing id of a paired token that sent a change (its "last used" day).
    """
    origins = allowed_origins(app.config.get("EXTENSION_IDS", ""))
    app.extensions["applied_origins"] = origins
    app.extensions["applied_credentials"] = credentials
    app.extensions["applied_on_paired_write"] = on_paired_write
    # Escape in every template, whatever its file name; only plain-text outputs (message
    # drafts, calendar files) are not HTML and must not be escaped.
    app.jinja_env.autoescape = lambda name: name is None or not name.endswith(PLAIN_TEXT_TEMPLATES)
    app.before_request(lambda: check_request(credentials))
    # Registered before CORS's own hook, so it runs after it (Flask runs them in reverse).
    app.after_request(set_security_headers)
    sessions.init_app(app)
    CORS(app, resources={r"/api/.*": {"origins": [origins]}}, supports_credentials=False,
         allow_private_network=False, always_send=False, send_wildcard=False, vary_header=True,
         allow_headers=["Authorization", "Content-Type"],
         methods=["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"], max_age=600)
