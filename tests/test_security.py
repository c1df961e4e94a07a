"""The attack suite: what a hostile web page, a rebinding name or a poisoned posting tries, against the real server.

Each refusal is checked three ways: the answer is a refusal, nothing was written to the data
folder (its files are byte for byte the same), and no secret (the install token, a session
cookie) came back.
"""
import gzip
import hashlib
import http.client
import http.cookiejar
import http.server
import json
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from companion import security
from companion.errors import FetchError
from companion.fetch import Policy, fetch_page, is_public
from companion.store import Store
from conftest import ROOT, Companion, ConfiguredCompanion, posting_page, web_opener

EXTENSION = f"chrome-extension://{security.EXTENSION_ID}"
FIREFOX = "moz-extension://11111111-2222-3333-4444-555555555555"


# -- helpers -------------------------------------------------------------------------------------

def fingerprint(data_dir):
    """Every file in the data folder and its bytes: equal fingerprints mean nothing was written. The word index
    (words.sqlite and SQLite's -wal and -shm beside it) is left out: it is made from the records, by the
    warm-up thread in its own time after a start, so it changes with no request at all."""
    digest = {}
    for path in sorted(Path(data_dir).rglob("*")):
        if path.is_file() and path.name not in (".lock", "server.json") and not path.name.startswith("words.sqlite"):
            digest[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def raw(companion, method, path, headers=(), body=b"", host="default"):
    """A request with exactly these headers (http.client adds no Host of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", companion.port, timeout=30)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", f"127.0.0.1:{companion.port}" if host == "default" else host)
    for name, value in headers:
        conn.putheader(name, value)
    if body or method in ("POST", "PATCH", "PUT"):
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body or None)
    response = conn.getresponse()
    answer = response.status, response.headers, response.read()
    conn.close()
    return answer


def assert_refused(companion, before, status, headers, body, expected=(400, 401, 403, 404, 405, 413, 415)):
    assert status in expected, (status, body[:300])
    assert fingerprint(companion.data_dir) == before, "a refused request changed the data folder"
    everything = body + str(headers).encode()
    assert companion.token.encode() not in everything, "the install token leaked"
    assert "Set-Cookie" not in headers, "a refused request was given a session"
    assert headers.get("Access-Control-Allow-Origin") is None
    assert headers.get("Access-Control-Allow-Private-Network") is None


CAPTURE = json.dumps({"url": "https://jobs.example.com/1", "html": posting_page()}).encode()


# -- Host: only loopback names, exactly -------------------------------------------------------------

BAD_HOSTS = ["evil.com", "", ":{port}", "evil.com:{port}", "localhost.evil.com", "localhost.evil.com:{port}",
             "127.0.0.1.nip.io", "127.0.0.1.nip.io:{port}", "localhost.", "127.0.0.1.:{port}", "[::1].evil.com",
             "127.0.0.2:{port}", "0.0.0.0:{port}", "[::ffff:127.0.0.1]:{port}", "127.0.0.1:99999",
             "127.0.0.1:0", "127.0.0.1:{port}@evil.com", "127.0.0.1 evil.com", "2130706433:{port}",
             "127.0.0.1:{port}, evil.com"]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_request_naming_another_host_is_refused_before_any_handler(shared_companion, host):
    before = fingerprint(shared_companion.data_dir)
    host = host.format(port=shared_companion.port)
    answer = raw(shared_companion, "POST", "/api/applications", host=host, body=CAPTURE, headers=[
        ("Authorization", f"Bearer {shared_companion.token}"), ("Content-Type", "application/json")])
    assert_refused(shared_companion, before, *answer, expected=(400,))
    assert json.loads(answer[2])["error"]["code"] == "bad_host"


def test_request_without_a_host_header_is_refused(shared_companion):
    before = fingerprint(shared_companion.data_dir)
    assert_refused(shared_companion, before, *raw(shared_companion, "GET", "/api/pairings", host=None, headers=[
        ("Authorization", f"Bearer {shared_companion.token}")]), expected=(400,))


def test_request_line_naming_another_host_is_refused(shared_companion):
    before = fingerprint(shared_companion.data_dir)
    answer = raw(shared_companion, "POST", "http://evil.com/api/applications", body=CAPTURE, headers=[
        ("Authorization", f"Bearer {shared_companion.token}"), ("Content-Type", "application/json")])
    assert_refused(shared_companion, before, *answer, expected=(400,))


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "localhost"])
def test_loopback_names_are_answered(shared_companion, host):
    status, _, body = raw(shared_companion, "GET", "/api/ping", host=host.format(port=shared_companion.port))
    assert status == 200 and json.loads(body)["app"] == "applied"


# -- Origin: web pages are dropped, whatever they carry ---------------------------------------------

FOREIGN_ORIGINS = ["https://evil.com", "null", "http://evil.com", "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                   "moz-extension://not-a-uuid", "http://127.0.0.1:{port}.evil.com", "http://localhost:{port}.evil.com",
                   "http://127.0.0.1:{other}", "http://localhost:{other}", "https://127.0.0.1:{port}",
                   f"{EXTENSION}.evil.com", f"{EXTENSION}x", f"https://evil.com/{EXTENSION}",
                   f"{FIREFOX}.evil.com", "file://", EXTENSION.upper()]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
@pytest.mark.parametrize("with_token", [False, True], ids=["no-token", "with-token"])
def test_request_from_a_foreign_origin_is_dropped(shared_companion, origin, with_token):
    before = fingerprint(shared_companion.data_dir)
    origin = origin.format(port=shared_companion.port, other=shared_companion.port + 1)
    headers = [("Origin", origin), ("Content-Type", "application/json")]
    if with_token:
        headers.append(("Authorization", f"Bearer {shared_companion.token}"))
    answer = raw(shared_companion, "POST", "/api/applications", headers=headers, body=CAPTURE)
    assert_refused(shared_companion, before, *answer, expected=(403,))
    assert json.loads(answer[2])["error"]["code"] == "foreign_origin"
    # Even the token-free routes: a page may not learn that Applied runs here.
    assert_refused(shared_companion, before, *raw(shared_companion, "GET", "/api/ping", headers=[("Origin", origin)]),
                   expected=(403,))


@pytest.mark.parametrize("origin", ["https://evil.com", "null", "http://127.0.0.1:{port}.evil.com",
                                    "chrome-extension://abcdefghijklmnopabcdefghijklmnop"])
def test_cors_preflight_from_a_foreign_origin_gets_no_cors_headers(shared_companion, origin):
    before = fingerprint(shared_companion.data_dir)
    answer = raw(shared_companion, "OPTIONS", "/api/applications", headers=[
        ("Origin", origin.format(port=shared_companion.port)), ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", "authorization, content-type")])
    assert_refused(shared_companion, before, *answer, expected=(403,))


def test_preflight_asking_for_private_network_access_is_never_granted(shared_companion):
    before = fingerprint(shared_companion.data_dir)
    for origin in ("https://evil.com", EXTENSION):
        status, headers, body = raw(shared_companion, "OPTIONS", "/api/applications", headers=[
            ("Origin", origin), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Private-Network", "true")])
        assert headers.get("Access-Control-Allow-Private-Network") is None
    assert status == 200 and headers["Access-Control-Allow-Origin"] == EXTENSION  # the extension still may
    assert fingerprint(shared_companion.data_dir) == before


@pytest.mark.parametrize("origin", [EXTENSION, FIREFOX])
def test_the_extension_origins_get_cors_without_credentials(shared_companion, origin):
    status, headers, _ = raw(shared_companion, "OPTIONS", "/api/applications", headers=[
        ("Origin", origin), ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", "authorization, content-type")])
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers.get("Access-Control-Allow-Credentials") is None
    response = shared_companion.get("/api/applications", headers={"Origin": origin})
    assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == origin


def test_cors_stays_off_the_web_view(shared_companion):
    status, headers, _ = raw(shared_companion, "GET", "/login", headers=[("Origin", EXTENSION)])
    assert status == 200 and headers.get("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_no_cors_requests_from_other_sites_are_dropped(shared_companion, site):
    """<img src> and <script src> carry no Origin, but the browser says where they come from."""
    before = fingerprint(shared_companion.data_dir)
    answer = raw(shared_companion, "GET", "/api/ping", headers=[("Sec-Fetch-Site", site), ("Sec-Fetch-Mode", "no-cors"),
                                                         ("Sec-Fetch-Dest", "image")])
    assert_refused(shared_companion, before, *answer, expected=(403,))


# -- bodies a page can send without a preflight -------------------------------------------------------

SIMPLE_BODIES = [
    ("text/plain", CAPTURE),
    ("text/plain;charset=UTF-8", CAPTURE),
    ("application/x-www-form-urlencoded", b"url=https%3A%2F%2Fjobs.example.com%2F1&html=x"),
    ("multipart/form-data; boundary=XyZ",
     b'--XyZ\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttps://jobs.example.com/1\r\n--XyZ--\r\n'),
]


@pytest.mark.parametrize("content_type, body", SIMPLE_BODIES, ids=["text", "text-utf8", "urlencoded", "multipart"])
def test_simple_posts_a_page_can_send_change_nothing(shared_companion, content_type, body):
    before = fingerprint(shared_companion.data_dir)
    # As a page sends it: its own Origin, no token.
    assert_refused(shared_companion, before, *raw(shared_companion, "POST", "/api/applications", body=body, headers=[
        ("Origin", "https://evil.com"), ("Content-Type", content_type)]), expected=(403,))
    # As an old browser or a redirect might: no Origin at all, no token.
    assert_refused(shared_companion, before, *raw(shared_companion, "POST", "/api/applications", body=body, headers=[
        ("Content-Type", content_type)]), expected=(401,))
    # Even with the token, state changes must be JSON.
    answer = raw(shared_companion, "POST", "/api/applications", body=body, headers=[
        ("Content-Type", content_type), ("Authorization", f"Bearer {shared_companion.token}")])
    assert_refused(shared_companion, before, *answer, expected=(415,))
    # The web view's forms: a session is needed, and then a CSRF token.
    assert_refused(shared_companion, before, *raw(shared_companion, "POST", "/login", body=b"token=x", headers=[
        ("Origin", "https://evil.com"), ("Content-Type", "application/x-www-form-urlencoded")]), expected=(403,))


# -- tokens -------------------------------------------------------------------------------------------

def test_missing_and_wrong_tokens_are_refused(shared_companion):
    before = fingerprint(shared_companion.data_dir)
    wrong = [None, "", "x", shared_companion.token[:-1], shared_companion.token + "x", shared_companion.token.upper(),
             "0" * len(shared_companion.token), f"{shared_companion.token} {shared_companion.token}"]
    for token in wrong:
        headers = [("Content-Type", "application/json")]
        if token is not None:
            headers.append(("Authorization", f"Bearer {token}"))
        assert_refused(shared_companion, before, *raw(shared_companion, "POST", "/api/applications", headers=headers,
                                               body=CAPTURE), expected=(401,))
    for scheme in (f"Basic {shared_companion.token}", f"Token {shared_companion.token}", shared_companion.token):
        assert_refused(shared_companion, before, *raw(shared_companion, "POST", "/api/applications", body=CAPTURE, headers=[
            ("Content-Type", "application/json"), ("Authorization", scheme)]), expected=(401,))


@pytest.mark.parametrize("query", ["token={token}", "access_token={token}", "api_key={token}", "q={token}",
                                   "url=x&token={token}"])
def test_a_token_in_the_query_string_is_never_accepted(shared_companion, query):
    before = fingerprint(shared_companion.data_dir)
    answer = raw(shared_companion, "POST", "/api/applications?" + query.format(token=shared_companion.token),
                 headers=[("Content-Type", "application/json")], body=CAPTURE)
    status, headers, body = answer
    assert status == 401 and fingerprint(shared_companion.data_dir) == before
    # Even alongside a valid header: the token in the URL is refused, so no client learns to send it there.
    status, _, body = raw(shared_companion, "GET", "/api/applications?" + query.format(token=shared_companion.token), headers=[
        ("Authorization", f"Bearer {shared_companion.token}")])
    assert status == 401 and json.loads(body)["error"]["code"] == "token_in_url"


@pytest.mark.parametrize("path", ["/static/../api/pairings", "/login/../api/pairings", "/static/%2e%2e/api/pairings",
                                  "//api/pairings", "/api//pairings", "/api/./pairings", "/api/pair/../pairings",
                                  "/api/pair/..%2fpairings", "/calendar.ics/../api/pairings", "/API/pairings",
                                  "/loginx", "/login/../applications"])
def test_path_tricks_reach_nothing_without_a_token(shared_companion, path):
    before = fingerprint(shared_companion.data_dir)
    status, headers, body = raw(shared_companion, "GET", path)
    assert_refused(shared_companion, before, status, headers, body, expected=(303, 308, 401, 404))
    assert b'"tokens"' not in body and b"csrf-token" not in body


def test_pairing_asked_by_a_web_origin_is_refused(companion):
    before = fingerprint(companion.data_dir)
    for origin in ("https://evil.com", "null", f"http://127.0.0.1:{companion.port}", f"http://localhost:{companion.port}"):
        host = "localhost" if "localhost" in origin else "127.0.0.1"
        answer = raw(companion, "POST", "/api/pair", host=f"{host}:{companion.port}", body=b'{"name": "Chrome"}',
                     headers=[("Origin", origin), ("Content-Type", "application/json")])
        assert_refused(companion, before, *answer, expected=(403,))
    assert companion.get("/api/pairings").json["requests"] == []


def test_token_file_secret_and_data_folder_are_owner_only(companion):
    data = Path(companion.data_dir)
    assert data.stat().st_mode & 0o777 == 0o700
    for name in ("token", "secret_key"):
        assert (data / name).stat().st_mode & 0o777 == 0o600, name
    for path in data.rglob("*"):
        if path.is_file() and path.name != "server.json":
            assert path.stat().st_mode & 0o077 == 0, path


def test_loose_modes_are_tightened_on_start(data_dir):
    data_dir.chmod(0o755)
    (data_dir / "token").write_text("t" * 43 + "\n")
    (data_dir / "token").chmod(0o644)
    server = Companion(data_dir).start()
    try:
        assert data_dir.stat().st_mode & 0o777 == 0o700
        assert (data_dir / "token").stat().st_mode & 0o777 == 0o600
        assert server.token == "t" * 43
    finally:
        server.stop()


# -- body size ------------------------------------------------------------------------------------------

def _send_and_read(companion, head, chunks):
    """Send a request (its body in pieces) while reading the answer, as a misbehaving client would."""
    sock = socket.create_connection(("127.0.0.1", companion.port), timeout=60)

    def send():
        try:
            sock.sendall(head)
            for chunk in chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server may answer and close before the body is all sent: that is the point

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    response = http.client.HTTPResponse(sock)
    response.begin()
    answer = response.status, response.headers, response.read()
    sock.close()
    sender.join(30)
    return answer


ELEVEN_MB = 11 * 1024 * 1024


def _head(companion, extra):
    return (f"POST /api/applications HTTP/1.1\r\nHost: 127.0.0.1:{companion.port}\r\n"
            f"Authorization: Bearer {companion.token}\r\nContent-Type: application/json\r\n{extra}\r\n").encode()


def test_an_eleven_megabyte_body_is_refused(companion):
    before = fingerprint(companion.data_dir)
    piece = b" " * (1024 * 1024)
    answer = _send_and_read(companion, _head(companion, f"Content-Length: {ELEVEN_MB}\r\n"), [piece] * 11)
    assert_refused(companion, before, *answer, expected=(413,))
    assert json.loads(answer[2])["error"]["code"] == "request_entity_too_large"


def test_an_eleven_megabyte_chunked_body_is_refused(companion):
    before = fingerprint(companion.data_dir)
    piece = b" " * (1024 * 1024)
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * 11 + [b"0\r\n\r\n"]
    answer = _send_and_read(companion, _head(companion, "Transfer-Encoding: chunked\r\n"), chunks)
    assert_refused(companion, before, *answer, expected=(413,))


def test_a_huge_announced_body_is_cut_off_before_it_is_read(companion):
    before = fingerprint(companion.data_dir)
    answer = _send_and_read(companion, _head(companion, f"Content-Length: {200 * 1024 * 1024}\r\n"), [])
    assert_refused(companion, before, *answer, expected=(413,))


# -- headers on every answer --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/login", "/api/ping", "/no/such/page", "/static/login.js"])
def test_every_answer_carries_the_security_headers(shared_companion, path):
    response = shared_companion.get(path, token=None)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


# -- stored XSS: descriptions and notes --------------------------------------------------------------------

XSS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    "<a href=\"JaVaScRiPt:alert('x3')\">x3</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('x4')\">x4</a>",
    "<a href=\"&#x6A;avascript&colon;alert('x5')\">x5</a>",
    "<a href=\"jav&#x09;ascript:alert('x6')\">x6</a>",
    "<a href=\"  javascript:alert('x7')\">x7</a>",
    "<svg><set attributeName=\"onmouseover\" to=\"alert('x8')\"/>"
    "<animate attributeName=\"href\" values=\"javascript:alert('x8')\"/><a><text>x8</text></a></svg>",
    "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert('x9')></annotation-xml></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x10')></style></mglyph></table></mtext></math>",
    "<iframe srcdoc=\"&lt;script&gt;alert('x11')&lt;/script&gt;\"></iframe>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/x13\">",
    "<form action=\"https://evil.example/x14\"><input name=q><button formaction=\"javascript:alert('x14')\">go</button></form>",
    "<style>body{background:url(\"https://evil.example/x15\")}</style>",
    "<p style=\"background:url(javascript:alert('x16'))\">x16</p>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x17</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('x18')>\"></noscript>",
    "<object data=\"javascript:alert('x19')\"></object><embed src=\"javascript:alert('x19')\">",
    "<details open ontoggle=alert('x20')><summary>x20</summary></details>",
    "<template><script>alert('x21')</script></template>",
    "<a href=\"vbscript:msgbox('x22')\">x22</a>",
    "<img src=\"x\" onerror=\"alert('x23')\"",
    "\"><script>alert('x24')</script><p a=\"",
    "<svg><script xlink:href=\"data:,alert('x25')\"></script></svg>",
    "<table><tr><td background=\"javascript:alert('x26')\" onclick=\"alert('x26')\">x26</td></tr></table>",
    "<link rel=stylesheet href=\"https://evil.example/x27.css\"><link rel=import href=\"https://evil.example/x27\">",
    "<video><source onerror=\"alert('x28')\"></video><audio src=x onerror=alert('x28')>",
]
DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "meta", "form", "button", "input", "style",
                  "svg", "math", "link", "template", "noscript", "video", "audio", "source", "set",
                  "animate", "annotation-xml", "textarea", "select"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


def dangerous(html, *, page=False):
    """What in ``html`` could run script, load something, submit or redirect (empty when safe).

    ``page``: a whole page of ours, whose own head (its stylesheet, module scripts, CSRF meta tag)
    and forms calling our own API are expected.
    """
    if not html or not html.strip():
        return []
    root = lxml.html.document_fromstring(html) if page else lxml.html.fragment_fromstring(html, create_parent="div")
    found = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        ours = page and (
            (tag == "script" and (element.get("src") or "").startswith("/static/") and not (element.text or "").strip())
            or (tag == "link" and (element.get("href") or "").startswith("/static/"))
            or (tag == "meta" and element.get("http-equiv") is None)
            or (tag in ("form", "button", "input", "textarea", "select")
                and not (element.get("action") or element.get("formaction") or "/").lower().startswith(
                    ("javascript", "http", "//", "data")))
        )
        if tag in DANGEROUS_TAGS and not ours:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on") or name in ("style", "srcdoc", "background", "formaction"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "data", "xlink:href", "poster", "ping", "cite"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if ":" in scheme.split("/", 1)[0] and not scheme.startswith(SAFE_SCHEMES):
                    found.append(f"{tag}[{name}={value[:30]}]")
    return found


def test_the_detector_sees_every_payload():
    assert all(dangerous(payload) for payload in XSS if "x24" not in payload)


class SignedIn:
    """A browser signed in to the web view (cookie jar)."""

    def __init__(self, companion):
        self.base = companion.web_base
        self.opener = web_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = urllib.parse.urlencode({"token": companion.token}).encode()
        self.opener.open(urllib.request.Request(self.base + "/login", data=form), timeout=30).read()

    def page(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.headers, response.read().decode()

    def post_form(self, path, fields, headers):
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(fields).encode(),
                                         headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl()

    def csrf(self):
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', self.page("/")[2]).group(1)


@pytest.mark.parametrize("origin, site, expected", [
    ("null", "same-origin", 200),  # our own <form>, posted under Referrer-Policy: no-referrer
    ("{own}", "same-origin", 200),
    ("null", "cross-site", 403),  # a sandboxed frame or a file:// page
    ("null", None, 403),
    ("https://evil.com", "cross-site", 403),
    ("null", "same-site", 403),
])
def test_plain_forms_of_our_own_pages_work_and_only_they(shared_companion, origin, site, expected):
    browser = SignedIn(shared_companion)
    headers = {"Origin": origin.format(own=shared_companion.web_base), "Content-Type": "application/x-www-form-urlencoded"}
    if site:
        headers["Sec-Fetch-Site"] = site
    status, landed = browser.post_form("/logout", {"csrf_token": browser.csrf()}, headers)
    assert status == expected
    if expected == 200:
        assert landed.endswith("/login")  # signed out, as the person asked
    else:
        assert browser.page("/")[0] == 200  # still signed in: the forged form did nothing


def _job_page_with(description):
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Widget Engineer <script>alert('t')</script>",
            "hiringOrganization": {"@type": "Organization", "name": "Acme <img src=x onerror=alert('c')>"},
            "datePosted": "2026-11-02", "description": description}
    # Escaped as sites escape it, so "</script>" in the text cannot end the data block early.
    block = json.dumps(data).replace("</", "<\\/")
    return (f"<!doctype html><html><head><title>Widget Engineer</title>"
            f'<script type="application/ld+json">{block}</script></head>'
            f"<body><main><h1>Widget Engineer</h1>{description}</main></body></html>")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """One companion holding a posting whose description and notes carry every payload."""
    server = Companion(tmp_path_factory.mktemp("xss")).start()
    try:
        description = "<p>Build widgets.</p>" + "".join(f"<p>{payload}</p>" for payload in XSS)
        created = server.post("/api/applications", {"url": "https://jobs.example.com/xss",
                                                     "html": _job_page_with(description), "notes": XSS[0]})
        assert created.status == 201, created.text
        application_id = created.json["application"]["id"]
        changed = server.patch(f"/api/applications/{application_id}", {"notes": "<p>call Ann</p>" + "".join(XSS)})
        assert changed.status == 200
        yield server, application_id
    finally:
        server.stop()


def test_descriptions_and_notes_come_out_of_the_api_clean(poisoned):
    server, application_id = poisoned
    application = server.get(f"/api/applications/{application_id}").json["application"]
    assert "Build widgets." in application["description_html"]
    assert dangerous(application["description_html"]) == []
    assert "call Ann" in application["notes"] and dangerous(application["notes"]) == []
    listed = server.get("/api/applications").json["applications"][0]
    assert dangerous(listed["notes"]) == []


def test_the_application_page_shows_the_payloads_as_harmless_text(poisoned):
    server, application_id = poisoned
    status, headers, page = SignedIn(server).page(f"/applications/{application_id}")
    assert status == 200 and "Build widgets." in page
    assert dangerous(page, page=True) == []
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    # The company's name was plain text with markup in it: the page shows it as text.
    assert "Acme &lt;img src=x onerror=alert(&#39;c&#39;)&gt;" in page


def test_descriptions_and_notes_are_stored_clean(poisoned, tmp_path):
    server, application_id = poisoned
    server.stop()
    try:
        with Store(server.data_dir) as store:
            doc = store.get("applications", application_id)
            stored = json.loads(store.get_blob("description", application_id))
        assert dangerous(doc["notes"]) == []
        assert dangerous(stored["html"]) == []
    finally:
        server.start()


def test_the_raw_captured_page_is_only_ever_downloaded_as_text(poisoned):
    server, application_id = poisoned
    response = server.get(f"/api/applications/{application_id}/page")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")


# -- SSRF: what "add by URL" must never reach ----------------------------------------------------------------

SSRF_TARGETS = ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://127.0.0.1/", "dict://127.0.0.1:11211/",
                "http://127.0.0.1:{port}/api/ping", "http://[::1]:{port}/", "http://0x7f000001:{port}/",
                "http://2130706433:{port}/", "http://0177.0.0.1:{port}/", "http://127.1:{port}/",
                "http://[::ffff:127.0.0.1]:{port}/", "http://169.254.169.254/latest/meta-data/",
                "http://localhost:{port}/", "http://0.0.0.0:{port}/", "http://[::]:{port}/", "http://10.0.0.1/",
                "http://192.168.1.1/", "http://172.16.0.1/", "http://100.64.0.1/", "http://[fe80::1]/",
                "http://[fc00::1]/", "http://224.0.0.1/", "http://[2002:7f00:1::]/", "http://[64:ff9b::7f00:1]/",
                "http://user:pass@jobs.example.com/", "https://127.0.0.1:{port}/", "javascript:alert(1)",
                "http://localtest.me:{port}/", "http:///etc/passwd", "//127.0.0.1/"]


@pytest.mark.parametrize("target", SSRF_TARGETS)
def test_fetch_refuses_what_is_not_a_public_web_page(target, shared_companion):
    with pytest.raises(FetchError) as refused:
        fetch_page(target.format(port=shared_companion.port))
    assert refused.value.code in ("unsafe_url", "unsafe_address", "invalid_url", "unknown_host")


@pytest.fixture(scope="module")
def add_by_url(tmp_path_factory):
    server = Companion(tmp_path_factory.mktemp("ssrf")).start()
    yield server
    server.stop()


@pytest.mark.parametrize("target", SSRF_TARGETS)
def test_add_by_url_refuses_what_is_not_a_public_web_page(add_by_url, target):
    before = fingerprint(add_by_url.data_dir)
    response = add_by_url.post("/api/applications/fetch", {"url": target.format(port=add_by_url.port)})
    assert response.status in (400, 422), response.text
    assert response.json["error"]["code"] in ("unsafe_url", "unsafe_address", "invalid_url", "unknown_host")
    assert fingerprint(add_by_url.data_dir) == before
    assert add_by_url.token not in response.text


class Site:
    """A small web server on a loopback address standing in for a public site (or a hostile one)."""

    def __init__(self, address, handler):
        self.hits = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.hits.append({"path": self.path, "headers": dict(self.headers)})
                handler(self)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.address, self.port = address, self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/", host=None):
        return f"http://{host or self.address}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def send(handler, status=200, body=b"", content_type="text/html; charset=utf-8", headers=()):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


# 127.0.0.2 plays the public internet: the test policy treats it, and only it, as public.
PUBLIC = "127.0.0.2"


def as_public(ip):
    return is_public(ip) or str(ip) == PUBLIC


def resolver(names):
    def resolve(host, port):
        return list(names[host]) if host in names else socket.getaddrinfo(host, port)[0][4][:1]
    return resolve


@pytest.fixture
def site():
    made = []

    def make(handler, address=PUBLIC):
        made.append(Site(address, handler))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_fetch_reads_a_public_page_with_its_own_host_name_and_no_cookies(site):
    def handler(request):
        if request.path == "/start":
            send(request, 302, headers=[("Location", "/job"), ("Set-Cookie", "session=abc; Path=/")])
        else:
            send(request, body=posting_page().encode())

    public = site(handler)
    policy = Policy(resolve=resolver({"jobs.example.test": [PUBLIC]}), permits=as_public)
    final_url, html = fetch_page(public.url("/start", "jobs.example.test"), policy=policy)
    assert final_url == public.url("/job", "jobs.example.test") and "Senior Widget Engineer" in html
    assert [hit["headers"]["Host"] for hit in public.hits] == [f"jobs.example.test:{public.port}"] * 2
    assert all("Cookie" not in hit["headers"] and "Authorization" not in hit["headers"] for hit in public.hits)


def test_fetch_refuses_a_redirect_to_loopback(site):
    local = site(lambda request: send(request, body=b"<p>the router's admin page</p>"), address="127.0.0.1")
    public = site(lambda request: send(request, 302, headers=[("Location", local.url("/admin"))]))
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/job"), policy=Policy(permits=as_public))
    assert refused.value.code == "unsafe_address"
    assert local.hits == []


def test_fetch_refuses_a_redirect_to_a_name_that_resolves_to_loopback(site):
    local = site(lambda request: send(request, body=b"<p>secret</p>"), address="127.0.0.1")
    public = site(lambda request: send(request, 301, headers=[("Location", local.url("/", "localhost"))]))
    with pytest.raises(FetchError):
        fetch_page(public.url("/"), policy=Policy(permits=as_public))
    assert local.hits == []


def test_fetch_follows_at_most_five_redirects(site):
    public = site(lambda request: send(request, 302, headers=[("Location", f"/hop{len(public.hits)}")]))
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public))
    assert refused.value.code == "too_many_redirects" and len(public.hits) == 6


def test_fetch_connects_to_the_address_it_checked_not_a_rebound_one(site):
    public = site(lambda request: send(request, body=b"<p>the real posting</p>"))
    local = site(lambda request: send(request, body=b"<p>internal</p>"), address="127.0.0.1")
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    # The check sees 127.0.0.2 ("public"); a second lookup would say 127.0.0.1. There is none.
    _, html = fetch_page(f"http://rebind.example.test:{public.port}/", policy=Policy(resolve=rebinding, permits=as_public))
    assert "the real posting" in html and calls == ["rebind.example.test"]
    assert local.hits == []


def test_fetch_refuses_a_name_with_any_private_address(site):
    public = site(lambda request: send(request, body=b"<p>x</p>"))
    policy = Policy(resolve=resolver({"mixed.example.test": [PUBLIC, "10.0.0.1"]}), permits=as_public)
    with pytest.raises(FetchError) as refused:
        fetch_page(f"http://mixed.example.test:{public.port}/", policy=policy)
    assert refused.value.code == "unsafe_address" and public.hits == []


def test_fetch_gives_up_on_a_slow_server(site):
    def slow(request):
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        for _ in range(60):  # a header byte a second: each read is quick, the whole never ends
            request.wfile.write(b"X")
            request.wfile.flush()
            time.sleep(0.1)

    public = site(slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public), total_timeout=1.5)
    assert refused.value.code == "timeout" and time.monotonic() - started < 3


def test_fetch_gives_up_on_a_server_that_never_answers(site):
    public = site(lambda request: time.sleep(5))
    started = time.monotonic()
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public), total_timeout=1)
    assert refused.value.code == "timeout" and time.monotonic() - started < 2.5


def test_fetch_does_not_wait_for_a_stuck_name_server():
    def stuck(host, port):
        time.sleep(5)
        return [PUBLIC]

    started = time.monotonic()
    with pytest.raises(FetchError) as refused:
        fetch_page("http://slow-dns.example.test/", policy=Policy(resolve=stuck, permits=as_public), total_timeout=1)
    assert refused.value.code == "timeout" and time.monotonic() - started < 2


def test_fetch_stops_reading_an_endless_body(site):
    def endless(request):
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        try:
            while True:
                request.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        except OSError:
            pass

    public = site(endless)
    started = time.monotonic()
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public), max_bytes=2 * 1024 * 1024)
    assert refused.value.code == "too_large" and time.monotonic() - started < 5


def test_fetch_refuses_a_compressed_bomb(site):
    bomb = gzip.compress(b"<p>" + b"a" * (50 * 1024 * 1024))
    public = site(lambda request: send(request, body=bomb, headers=[("Content-Encoding", "gzip")]))
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public))
    assert refused.value.code == "too_large"


def test_fetch_refuses_what_is_not_html(site):
    public = site(lambda request: send(request, body=b"%PDF-1.7", content_type="application/pdf"))
    with pytest.raises(FetchError) as refused:
        fetch_page(public.url("/"), policy=Policy(permits=as_public))
    assert refused.value.code == "not_html" and "application/pdf" in refused.value.message


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=jobs.example.test", "-addext", "subjectAltName=DNS:jobs.example.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return key, cert


@pytest.fixture
def tls_site(site, certificate):
    public = site(lambda request: send(request, body=b"<p>over TLS</p>"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[1]), str(certificate[0]))
    public.server.socket = context.wrap_socket(public.server.socket, server_side=True)
    return public


def test_https_checks_the_certificate_against_the_host_name(tls_site, certificate):
    names = resolver({"jobs.example.test": [PUBLIC], "other.example.test": [PUBLIC]})

    def trusting():
        return ssl.create_default_context(cafile=str(certificate[1]))

    url = f"https://jobs.example.test:{tls_site.port}/"
    assert "over TLS" in fetch_page(url, policy=Policy(resolve=names, permits=as_public, tls_context=trusting))[1]
    with pytest.raises(FetchError) as untrusted:  # the system's authorities do not know this certificate
        fetch_page(url, policy=Policy(resolve=names, permits=as_public))
    assert untrusted.value.code == "tls_error"
    with pytest.raises(FetchError) as wrong_name:
        fetch_page(f"https://other.example.test:{tls_site.port}/",
                   policy=Policy(resolve=names, permits=as_public, tls_context=trusting))
    assert wrong_name.value.code == "tls_error"




@pytest.fixture
def companion_with_a_public_test_site(data_dir):
    server = ConfiguredCompanion(data_dir, {"FETCH_TEST_ADDRESSES": [PUBLIC]}).start()
    yield server
    server.stop()


def test_add_by_url_captures_a_public_posting(companion_with_a_public_test_site, site):
    server = companion_with_a_public_test_site
    public = site(lambda request: send(request, body=posting_page("Robot Whisperer", "Acme").encode()))
    response = server.post("/api/applications/fetch", {"url": public.url("/jobs/7"), "status": "saved"})
    assert response.status == 201, response.text
    application = response.json["application"]
    assert (application["title"], application["company"], application["status"]) == ("Robot Whisperer", "Acme", "saved")
    again = server.post("/api/applications/fetch", {"url": public.url("/jobs/7")})
    assert again.status == 200 and again.json["duplicate"] is True and len(public.hits) == 1


def test_adding_a_saved_posting_by_url_marks_it_applied_without_fetching_again(companion_with_a_public_test_site,
                                                                                site):
    server = companion_with_a_public_test_site
    public = site(lambda request: send(request, body=posting_page().encode()))
    saved = server.post("/api/applications/fetch", {"url": public.url("/jobs/8"), "status": "saved"}).json
    again = server.post("/api/applications/fetch", {"url": public.url("/jobs/8"), "applied_at": "2026-11-02"})
    assert again.status == 200 and again.json["duplicate"] is True and len(public.hits) == 1
    application = again.json["application"]
    assert application["id"] == saved["application"]["id"]
    assert (application["status"], application["applied_at"]) == ("applied", "2026-11-02")


def test_add_by_url_checks_every_field_before_fetching(companion_with_a_public_test_site, site):
    server = companion_with_a_public_test_site
    public = site(lambda request: send(request, body=posting_page().encode()))
    response = server.post("/api/applications/fetch", {"url": public.url("/jobs/9"), "status": "hired"})
    assert response.status == 400 and response.json["error"]["code"] == "unknown_status"
    assert public.hits == []


def test_add_by_url_refuses_a_redirect_to_loopback_and_stores_nothing(companion_with_a_public_test_site, site):
    server = companion_with_a_public_test_site
    local = site(lambda request: send(request, body=posting_page().encode()), address="127.0.0.1")
    public = site(lambda request: send(request, 302, headers=[("Location", local.url("/"))]))
    before = fingerprint(server.data_dir)
    response = server.post("/api/applications/fetch", {"url": public.url("/jobs/7")})
    assert response.status == 422 and response.json["error"]["code"] == "unsafe_address"
    assert local.hits == [] and fingerprint(server.data_dir) == before


def test_applied_add_reports_a_refusal_in_one_line(companion):
    result = subprocess.run([sys.executable, "-m", "companion", "add", "http://169.254.169.254/latest/meta-data/",
                             "--data-dir", str(companion.data_dir)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("applied: 169.254.169.254 leads to a local or private network address")
    assert len(result.stderr.strip().splitlines()) == 1


# -- no GET changes anything ------------------------------------------------------------------------------

def test_no_get_route_changes_the_data(companion):
    companion.post("/api/applications", {"url": "https://jobs.example.com/1", "html": posting_page()})
    approved, waiting = (companion.post("/api/pair", {"name": n}, token=None).json["id"] for n in ("A", "B"))
    companion.post(f"/api/pairings/{approved}/approve", {})
    before = fingerprint(companion.data_dir)
    # The routes whose GETs once wrote: a pairing poll (the token hand-over is a POST now),
    # the pairing list (expiry is computed, not stored), and the calendar feed's secret.
    for path in (f"/api/pair/{approved}", f"/api/pair/{waiting}", "/api/pairings", "/api/calendar"):
        assert companion.get(path, token=None if path.startswith("/api/pair/") else "default").status == 200
    description = companion.get("/api/openapi.json").json
    for path, operations in description["paths"].items():
        if "get" not in operations:
            continue
        concrete = re.sub(r"\{[^}]*_id\}", "1", path)
        concrete = re.sub(r"\{[^}]+\}", "x", concrete)
        response = companion.get(concrete)
        assert response.status < 500, (path, response.status)
    assert fingerprint(companion.data_dir) == before


def test_add_by_url_without_an_address_is_a_400_that_fetches_and_stores_nothing(companion):
    companion.post("/api/applications", {"title": "Engineer", "company": "Acme"})  # logged by hand
    for body in ({"title": "Engineer", "company": "Acme"}, {"title": "Designer", "company": "Initech"},
                 {"url": "", "title": "Designer", "company": "Initech"},
                 {"url": None, "title": "Designer", "company": "Initech"}):
        response = companion.post("/api/applications/fetch", body)
        assert response.status == 400 and response.json["error"]["code"] == "missing_url", response.text
    assert companion.get("/api/applications").json["total"] == 1
