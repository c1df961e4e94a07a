"""The attack suite, second part: what a program of another local user tries, against the real companion.

Web pages are kept out by test_security.py. Here the attacker runs on the same machine: it can
listen on any free loopback port (including the companion's, on the other loopback address, or
after the companion stopped), read every process's command line, and send any request with any
Origin. Each test plays that program as a second process on loopback.
"""
import http.cookiejar
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from companion import security
from companion.fetch import is_public
from conftest import ROOT, Companion, free_port, posting_page, shown_code, web_opener
from test_extension_chromium import wait_until

EXTENSION = f"chrome-extension://{security.EXTENSION_ID}"


def _has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


needs_ipv6 = pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")

# Another user's program: answers on a loopback port like Applied does, and writes down every
# request it receives (method, path, headers, body) to a file, one JSON line each.
IMPOSTOR = textwrap.dedent("""
    import json, socket, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    family, host, port, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    changes = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            with open(log, "a") as handle:
                handle.write(json.dumps({"method": self.command, "path": self.path,
                                         "headers": dict(self.headers), "body": body}) + "\\n")
            data = json.dumps({"app": "applied", "version": "9.9", "api": 1, "proof": "0" * 64,
                               "token": "fake-token-" + "x" * 40, "state": "approved", "id": "f" * 32,
                               "code": "FAKE", **changes}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Headers", "*")
            self.send_header("Access-Control-Allow-Methods", "*")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        do_GET = do_POST = do_PATCH = do_OPTIONS = answer
        def log_message(self, *args):
            pass

    class Server(HTTPServer):
        address_family = socket.AF_INET6 if family == "6" else socket.AF_INET

    server = Server((host, port), Handler)
    print("listening", flush=True)
    server.serve_forever()
""")


class Impostor:
    """A second process on loopback that pretends to be Applied and keeps what it is sent."""

    def __init__(self, tmp_path, port, host="127.0.0.1", answer=None):
        self.log = tmp_path / f"impostor-{host.replace(':', '_')}-{port}.log"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, "-c", IMPOSTOR, "6" if ":" in host else "4", host,
                                         str(port), str(self.log), json.dumps(answer or {})],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.process.stdout.readline().strip() == b"listening", self.process.stderr.read()

    def received(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def everything(self):
        return self.log.read_text()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def impostors(tmp_path):
    started = []

    def start(port, host="127.0.0.1", answer=None):
        started.append(Impostor(tmp_path, port, host, answer))
        return started[-1]

    yield start
    for impostor in started:
        impostor.stop()


def applied(data_dir, *args, env=None):
    return subprocess.run([sys.executable, "-m", "companion", *args, "--data-dir", str(data_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)


class Browser:
    """A browser's cookie jar, signed in to the web view."""

    def __init__(self, companion, token=None):
        self.companion = companion
        self.jar = http.cookiejar.CookieJar()
        self.opener = web_opener(urllib.request.HTTPCookieProcessor(self.jar))
        form = urllib.parse.urlencode({"token": token or companion.token}).encode()
        self.opener.open(urllib.request.Request(companion.web_base + "/login", data=form), timeout=30).read()

    def cookies(self):
        return {cookie.name: cookie.value for cookie in self.jar}

    def page(self, path="/"):
        with self.opener.open(self.companion.web_base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def csrf(self):
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', self.page()[1]).group(1)

    def sign_out(self, everywhere=False):
        fields = {"csrf_token": self.csrf(), **({"everywhere": "1"} if everywhere else {})}
        request = urllib.request.Request(self.companion.web_base + "/logout", data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Origin": self.companion.web_base})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl()


def with_cookie(companion, method, path, cookie, payload=None, headers=None):
    """What a program holding a copy of the browser's cookie and the web view's name can do (it sends them from
    outside any browser)."""
    return companion.request(method, path, payload, token=None,
                             headers={"Host": companion.web_netloc, "Cookie": cookie, **(headers or {})})


def signed_in_pages(companion, cookie):
    """Whether the cookie opens the web view (a signed-out one is sent to /login)."""
    response = with_cookie(companion, "GET", "/", cookie)
    return response.status == 200 and "csrf-token" in response.text


# -- 1. the web view's cookie --------------------------------------------------------------------------

def test_the_session_cookie_is_named_for_the_port_and_holds_only_a_random_id(companion):
    browser = Browser(companion)
    cookies = browser.cookies()
    assert list(cookies) == [f"applied_session_{companion.port}"]
    value = cookies[f"applied_session_{companion.port}"]
    csrf = browser.csrf()
    # Nothing in the cookie, in any encoding, is the CSRF token or says "signed in".
    decoded = b"".join(urllib.parse.unquote_to_bytes(part) for part in re.split(r"[.]", value))
    assert csrf not in value and csrf.encode() not in decoded and b"signed_in" not in decoded
    assert len(value) >= 40 and re.fullmatch(r"[A-Za-z0-9_-]+", value)


def test_signing_out_makes_a_copied_cookie_worthless(companion):
    browser = Browser(companion)
    copied = "; ".join(f"{name}={value}" for name, value in browser.cookies().items())
    assert signed_in_pages(companion, copied)
    assert browser.sign_out().endswith("/login")
    assert not signed_in_pages(companion, copied)
    assert with_cookie(companion, "GET", "/api/export", copied).status == 401


def test_sign_out_everywhere_ends_every_browsers_session(companion):
    laptop, stolen = Browser(companion), Browser(companion)
    stolen_cookie = "; ".join(f"{n}={v}" for n, v in stolen.cookies().items())
    assert signed_in_pages(companion, stolen_cookie)
    settings = laptop.page("/settings")[1]
    assert 'name="everywhere"' in settings and "Sign out everywhere" in settings
    assert laptop.sign_out(everywhere=True).endswith("/login?signed_out=everywhere")
    assert not signed_in_pages(companion, stolen_cookie)
    assert with_cookie(companion, "GET", "/api/applications", stolen_cookie).status == 401


def test_sign_out_everywhere_closes_the_calendar_feed_a_stolen_session_read(companion):
    """Issue 19, point 4: the feed's address is a secret any session can read; signing out everywhere (what
    Settings advises after a leak) once left it answering with the follow-ups, names and drafts."""
    companion.post("/api/applications", {"url": "https://jobs.example.com/feed", "html": posting_page(),
                                         "applied_at": "2026-01-05"})
    laptop, stolen = Browser(companion), Browser(companion)
    cookie = "; ".join(f"{n}={v}" for n, v in stolen.cookies().items())
    old_feed = with_cookie(companion, "GET", "/api/calendar", cookie).json["url"]
    feed_path = old_feed.split(str(companion.port), 1)[1]
    assert companion.get(feed_path, token=None).status == 200
    landed = laptop.sign_out(everywhere=True)
    assert companion.get(feed_path, token=None).status == 404  # the old address answers nothing
    assert landed.endswith("/login?signed_out=everywhere")
    said = " ".join(companion.get("/login?signed_out=everywhere", token=None).text.split())
    assert "your calendar feed has a new address: the old one no longer answers" in said
    new_feed = companion.get("/api/calendar").json["url"]
    assert new_feed != old_feed and companion.get(new_feed.split(str(companion.port), 1)[1], token=None).status == 200


def test_a_session_unused_for_its_idle_time_is_refused(tmp_path):
    from companion import sessions

    store = sessions.Sessions(str(tmp_path))
    start = datetime(2026, 12, 1, 9, 0)
    session_id, _ = store.start(start)
    assert store.find(session_id, start + sessions.IDLE - timedelta(minutes=1)) is not None
    assert store.find(session_id, start + sessions.IDLE * 2 - timedelta(minutes=2)) is not None  # use renews it
    assert store.find(session_id, start + sessions.IDLE * 3) is None
    assert (tmp_path / "sessions.json").stat().st_mode & 0o777 == 0o600
    assert session_id not in (tmp_path / "sessions.json").read_text()  # only its digest is kept


def test_a_stolen_session_cannot_let_its_own_extension_in(companion):
    """The thief has the cookie and reads the CSRF token off a page; it asks to pair and approves itself."""
    thief = Browser(companion)
    cookie = "; ".join(f"{n}={v}" for n, v in thief.cookies().items())
    headers = {"X-CSRF-Token": thief.csrf(), "Origin": companion.web_base}
    asked = companion.post("/api/pair", {"name": "Chrome on Linux"}, token=None, headers={"Origin": EXTENSION}).json
    for path in (f"/api/pairings/{asked['id']}/approve", "/api/pairings/approve"):
        refused = with_cookie(companion, "POST", path, cookie, {"code": shown_code(asked)}, headers)
        assert refused.status == 403 and refused.json["error"]["code"] == "confirm_needed", refused.text
    collect = companion.post(f"/api/pair/{asked['id']}/token", {}, token=None, headers={"Origin": EXTENSION})
    assert collect.status == 409 and "token" not in collect.json
    # The person, who can type the install token, can.
    confirmed = with_cookie(companion, "POST", "/api/pairings/approve", cookie,
                            {"code": shown_code(asked), "token": companion.token}, headers)
    assert confirmed.status == 200, confirmed.text


# -- 2. `applied serve`: no token on a command line, both loopback addresses --------------------------------

RECORDING_BROWSER = textwrap.dedent("""
    import sys
    with open(sys.argv[1] + ".argv", "a") as handle:
        handle.write("\\n".join(sys.argv[2:]) + "\\n")
""")


@pytest.fixture
def served_with_browser(data_dir, tmp_path):
    """`applied serve` as a person runs it (opening a browser); the "browser" records its command line."""
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\nexec {sys.executable} -c '{RECORDING_BROWSER}' {tmp_path / 'launch'} \"$@\"\n")
    browser.chmod(0o700)
    companion = Companion(data_dir)
    companion.command = lambda: [sys.executable, "-m", "companion", "serve", "--port", str(companion.port),
                                 "--data-dir", str(data_dir)]
    old = os.environ.get("BROWSER")
    os.environ["BROWSER"] = str(browser)
    try:
        companion.start()
    finally:
        os.environ.pop("BROWSER") if old is None else os.environ.__setitem__("BROWSER", old)
    launched = tmp_path / "launch.argv"
    deadline = time.monotonic() + 10
    while not (launched.exists() and launched.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    yield companion, launched.read_text().split()
    companion.stop()


def sign_in_with_code(companion, code):
    request = urllib.request.Request(companion.web_base + "/login", data=urllib.parse.urlencode({"code": code}).encode(),
                                     headers={"Accept": "application/json"})
    opener = web_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["error"]["code"]


def code_in_sign_in_page(data_dir):
    """The one-time code inside the sign-in page `applied serve` and `applied open` write (owner-only)."""
    page = Path(data_dir) / "sign-in.html"
    assert page.stat().st_mode & 0o077 == 0
    return re.search(r"http://applied-[0-9a-f]{24}\.localhost:\d+/login#code=([A-Za-z0-9_-]{20,})",
                     page.read_text()).group(1)


def test_serve_puts_neither_the_token_nor_a_sign_in_code_on_the_browsers_command_line(served_with_browser):
    companion, argv = served_with_browser
    assert argv, "no browser was opened"
    # The browser is opened on a file in the data folder: its address is all another user can read in /proc
    # (neither the code nor the web view's own name, which the page forwards to).
    assert argv == [(companion.data_dir / "sign-in.html").resolve().as_uri()]
    code = code_in_sign_in_page(companion.data_dir)
    assert not any(companion.token in arg or code in arg or companion.web_host in arg for arg in argv)
    # The code in the page works once: the browser that opened it signs in, nobody after it.
    assert sign_in_with_code(companion, code) == (200, f"{companion.web_base}/")
    assert sign_in_with_code(companion, code) == (401, "sign_in_code")


def test_serve_no_open_prints_where_the_sign_in_page_is_and_never_a_secret(data_dir):
    companion = Companion(data_dir).start()
    companion.process.terminate()
    output = companion.process.communicate(timeout=10)[0].decode()
    assert (Path(data_dir) / "sign-in.html").resolve().as_uri() in output, output
    assert companion.token not in output and code_in_sign_in_page(data_dir) not in output
    assert "login#code=" not in output


def test_a_sign_in_code_works_once_and_only_within_a_minute(tmp_path):
    from companion import sessions

    store = sessions.Sessions(str(tmp_path))
    late, used = store.new_sign_in_code(clock=1000.0), store.new_sign_in_code(clock=1000.0)
    assert store.redeem(used, clock=1059.0) and not store.redeem(used, clock=1059.5)
    assert not store.redeem(late, clock=1000.0 + sessions.SIGN_IN_CODE_SECONDS + 1)
    assert not store.redeem("made-up-code", clock=1000.0)
    assert not (tmp_path / "sessions.json").exists()  # codes live in memory only


@needs_ipv6
def test_serve_refuses_to_start_when_another_program_holds_its_port_on_ipv6(data_dir, impostors):
    port = free_port()
    impostor = impostors(port, "::1")
    result = applied(data_dir, "serve", "--port", str(port), "--no-open")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one readable line
    assert f"port {port} is already in use" in result.stderr
    assert not (data_dir / "server.json").exists()
    assert impostor.received() == []


@needs_ipv6
def test_the_companion_answers_on_both_loopback_addresses(companion):
    with socket.create_connection(("::1", companion.port), timeout=5) as sock:
        sock.sendall(f"GET /api/ping HTTP/1.1\r\nHost: [::1]:{companion.port}\r\nConnection: close\r\n\r\n".encode())
        answer = sock.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.1 200") and b'"app":"applied"' in answer.replace(b" ", b"")


# -- 3. clients prove the server; least privilege -----------------------------------------------------------

def test_the_cli_sends_no_token_to_whatever_took_the_port_of_a_dead_companion(companion, impostors):
    companion.process.kill()  # killed outright: server.json stays behind, naming the port
    companion.process.wait(10)
    assert (companion.data_dir / "server.json").exists()
    impostor = impostors(companion.port)
    result = applied(companion.data_dir, "export")
    assert companion.token not in impostor.everything()
    assert not any("Authorization" in request["headers"] for request in impostor.received())
    assert result.returncode == 0, result.stderr  # it ran on the data folder itself instead
    assert json.loads(result.stdout)["format"] == "applied-export"
    assert "cannot prove it is your companion" in result.stderr


@pytest.mark.parametrize("signal_number", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_server_json_goes_when_the_companion_ends_for_any_signal(data_dir, signal_number):
    companion = Companion(data_dir).start()
    assert (data_dir / "server.json").exists()
    companion.process.send_signal(signal_number)
    companion.process.wait(10)
    companion.stop()
    assert not (data_dir / "server.json").exists()


def test_the_server_proves_it_knows_the_token_and_nobody_else_can(companion):
    from companion import tokens

    nonce = os.urandom(16).hex()
    key = tokens.key_id(tokens.digest(companion.token))
    answer = companion.get(f"/api/ping?nonce={nonce}&key={key}", token=None).json
    assert tokens.proves(answer["proof"], companion.token, nonce, companion.port)
    assert not tokens.proves(answer["proof"], companion.token, nonce, companion.port + 1)  # relayed from elsewhere
    unknown = companion.get(f"/api/ping?nonce={nonce}&key={'0' * 16}", token=None).json
    assert unknown["proof"] is None


def paired_token(companion):
    asked = companion.post("/api/pair", {"name": "Chrome on Linux"}, token=None, headers={"Origin": EXTENSION}).json
    assert companion.post("/api/pairings/approve", {"code": shown_code(asked)}).status == 200
    return companion.post(f"/api/pair/{asked['id']}/token", {}, token=None, headers={"Origin": EXTENSION}).json["token"]


def test_an_extension_token_does_what_the_extension_does_and_no_more(companion):
    token = paired_token(companion)
    headers = {"Origin": EXTENSION}
    captured = companion.post("/api/applications", {"url": "https://jobs.example.com/1", "html": posting_page()},
                              token=token, headers=headers)
    assert captured.status == 201, captured.text
    application_id = captured.json["application"]["id"]
    allowed = [("GET", "/api/applications?url=https://jobs.example.com/1", None),
               ("GET", f"/api/applications/{application_id}", None),
               ("PATCH", f"/api/applications/{application_id}", {"status": "interviewing"}),
               ("GET", "/api/followups", None), ("GET", "/api/settings", None)]
    for method, path, payload in allowed:
        assert companion.request(method, path, payload, token=token, headers=headers).status == 200, path
    refused = [("GET", "/api/export?format=json", None), ("GET", "/api/export?format=csv", None),
               ("POST", "/api/import", {"format": "json", "data": {"applications": []}}),
               ("GET", "/api/calendar", None), ("POST", "/api/calendar/rotate", {}),
               ("GET", "/api/pairings", None), ("POST", "/api/pairings/approve", {"code": "AAAA-AAAA"}),
               ("DELETE", f"/api/applications/{application_id}", None), ("POST", "/api/reextract", {}),
               ("POST", "/api/sign-in", {}), ("GET", "/api/contacts", None)]
    for method, path, payload in refused:
        response = companion.request(method, path, payload, token=token, headers=headers)
        assert response.status == 403 and response.json["error"]["code"] == "out_of_scope", (path, response.text)
    assert companion.get("/api/export?format=json").status == 200  # the install token keeps every right


def test_the_extensions_token_reads_what_the_extension_shows_and_changes_what_the_popup_edits(companion):
    """Issue 19, point 9: the token once read every application with its notes, every document's name, and could
    change notes and the apply link, none of which the extension shows or sends."""
    from test_documents import upload

    shown = {"id", "url", "title", "company", "locations", "status", "applied_at", "allowed_moves", "review",
             "not_a_posting"}  # what the popup and the page's button show of an application

    token, headers = paired_token(companion), {"Origin": EXTENSION}
    mine = companion.post("/api/applications", {"url": "https://jobs.example.com/secret", "html": posting_page(),
                                                "notes": "<p>Ask Dana about the counter-offer</p>"}).json["application"]
    for name, content in (("cv.pdf", b"%PDF-1.4 cv"), ("offer-letter-acme.pdf", b"%PDF-1.4 offer")):
        assert upload(companion, name, content).status == 201

    def read(path):
        response = companion.get(path, token=token, headers=headers)
        assert response.status == 200, (path, response.text)
        return response.json

    seen = [read("/api/applications?limit=500")["applications"][0],
            read("/api/applications?url=https://jobs.example.com/secret")["application"],
            read(f"/api/applications/{mine['id']}")["application"]]
    for application in seen:
        assert set(application) <= shown and application["title"] == "Senior Widget Engineer"
        assert "Dana" not in json.dumps(application)
    assert "Dana" in companion.get(f"/api/applications/{mine['id']}").text  # the person's own token reads them

    path = f"/api/applications/{mine['id']}"
    for refused in ({"notes": "<p>planted</p>"}, {"apply_url": "https://evil.example/apply"},
                    {"status": "interviewing", "notes": "x"}):
        response = companion.patch(path, refused, token=token, headers=headers)
        assert response.status == 403 and response.json["error"]["code"] == "out_of_scope", (refused, response.text)
    changed = companion.patch(path, {"status": "interviewing", "title": "Widget Lead", "company": "Acme",
                                     "locations": ["Toronto"]}, token=token, headers=headers)
    assert changed.status == 200 and "Dana" not in changed.text
    planted = companion.post("/api/applications", {"url": "https://jobs.example.com/2", "html": posting_page(),
                                                   "notes": "<p>planted</p>"}, token=token, headers=headers)
    assert planted.status == 403 and planted.json["error"]["code"] == "out_of_scope"
    assert "Dana" in companion.get(path).json["application"]["notes"]  # unchanged

    everything = companion.get("/api/documents", token=token, headers=headers)
    assert everything.status == 400 and everything.json["error"]["code"] == "name_needed"
    [asked] = read("/api/documents?name=cv.pdf")["documents"]
    assert asked["name"] == "cv.pdf" and set(asked) == {"id", "name", "kind", "application_ids"}


# -- 4. look-alike pairing requests ---------------------------------------------------------------------------

FAKE_REQUESTS = textwrap.dedent("""
    import json, secrets, sys, urllib.request
    port, origin, count, fresh = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "fresh"
    for number in range(count):
        body = {"name": "Chrome on Linux", **({"requester": secrets.token_hex(12)} if fresh else {})}  # fresh: new ids
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/pair", method="POST",
                                         data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "Origin": origin})
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except Exception:
            pass
""")


def test_ten_look_alike_requests_neither_lock_out_nor_pass_for_the_real_extension(companion):
    subprocess.run([sys.executable, "-c", FAKE_REQUESTS, str(companion.port), EXTENSION, "10", "same"], check=True,
                   timeout=60)
    real = companion.post("/api/pair", {"name": "Chrome on Linux", "requester": "r" * 32}, token=None,
                          headers={"Origin": EXTENSION})
    assert real.status == 201, real.text
    listing = companion.get("/api/pairings").json["requests"]
    assert len(listing) >= 2 and all("code" not in item for item in listing)  # nothing to click without the code
    assert all((item["name"], item["origin"]) == ("Chrome on Linux", EXTENSION) for item in listing)
    result = applied(companion.data_dir, "pair", "--approve", shown_code(real.json))
    assert result.returncode == 0, result.stderr
    states = {item["id"]: companion.get(f"/api/pair/{item['id']}", token=None, headers={"Origin": EXTENSION}).json["state"]
              for item in listing}
    assert states.pop(real.json["id"]) == "approved"
    assert set(states.values()) == {"pending"}


def test_approval_always_takes_the_code_the_extension_shows(companion):
    fake = companion.post("/api/pair", {"name": "Chrome on Linux"}, token=None, headers={"Origin": EXTENSION}).json
    alone = applied(companion.data_dir, "pair", "--approve")
    assert alone.returncode == 1 and "type the code the extension shows" in alone.stderr
    assert companion.post(f"/api/pairings/{fake['id']}/approve", {}).status == 400
    wrong = companion.post(f"/api/pairings/{fake['id']}/approve", {"code": "AAAA-AAAA"})
    assert wrong.status == 403 and wrong.json["error"]["code"] == "wrong_code"
    assert companion.get(f"/api/pair/{fake['id']}", token=None, headers={"Origin": EXTENSION}).json["state"] == "pending"


def test_the_approval_page_says_only_the_code_identifies_the_extension(companion):
    companion.post("/api/pair", {"name": "Chrome on Linux"}, token=None, headers={"Origin": EXTENSION})
    home = Browser(companion).page("/")[1]
    assert "Only the code identifies your extension" in home
    assert re.search(r'<input[^>]+name="code"', home)


# -- 7. smaller leaks -----------------------------------------------------------------------------------------

def test_export_to_a_file_replaces_it_owner_only(companion, tmp_path):
    target = tmp_path / "backup.json"
    target.write_text("old")
    target.chmod(0o644)
    result = applied(companion.data_dir, "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["format"] == "applied-export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".applied-export")] == []


def test_the_raw_page_downloads_as_a_text_file(companion):
    captured = companion.post("/api/applications", {"url": "https://jobs.example.com/raw",
                                                    "html": posting_page(extra="<script>alert(1)</script>")})
    response = companion.get(f"/api/applications/{captured.json['application']['id']}/page")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert re.search(r"filename=[\w-]+\.txt$", response.headers["Content-Disposition"])


@pytest.mark.parametrize("email", ["hr@x.com?bcc=boss@y.com", "hr@x.com?bcc=boss%40y.com", "hr@x.com&cc=a@b.com", "hr@x.com%0Abcc:a@b.com",
                                   "hr x@y.com", "hr@x", "<hr@x.com>", "hr@x.com?subject=hi"])
def test_contact_emails_are_checked_strictly(shared_companion, email):
    response = shared_companion.post("/api/contacts", {"name": "Recruiter", "email": email})
    assert response.status == 400 and response.json["error"]["code"] == "invalid"


def test_fetch_treats_site_local_ipv6_as_private():
    assert not is_public("fec0::1") and not is_public("feff:ffff::1")


def test_opening_an_application_asks_nothing_of_the_employers_site(companion):
    logo = "https://careers.acme.example/logo.png"
    page = posting_page().replace('"hiringOrganization": {"@type": "Organization", "name": "Acme Robotics"}',
                                  f'"hiringOrganization": {{"@type": "Organization", "name": "Acme Robotics", '
                                  f'"logo": "{logo}"}}')
    captured = companion.post("/api/applications", {"url": "https://jobs.example.com/logo", "html": page})
    application_id = captured.json["application"]["id"]
    browser = Browser(companion)
    html = browser.page(f"/applications/{application_id}")[1]
    assert "acme.example" not in html
    csp = companion.get("/login", token=None).headers["Content-Security-Policy"]
    img = re.search(r"img-src ([^;]+)", csp).group(1).split()
    assert "https:" not in img and "*" not in img


def test_the_extension_sends_neither_its_token_nor_a_capture_to_whatever_took_the_port(data_dir, tmp_path, impostors):
    """Applied stopped; another user's program listens on its port and answers the ping like Applied."""
    from test_extension_chromium import CHROME_ARGS, CHROMIUM, Chromium, JobSite, build_extension, pair_in_options

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    folder = build_extension(tmp_path / "dist") / "chrome"
    companion, site = Companion(data_dir).start(), JobSite()
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROME_ARGS + [f"--disable-extensions-except={folder}", f"--load-extension={folder}"])
        try:
            context.service_workers or context.wait_for_event("serviceworker", timeout=15_000)
            browser = Chromium(context)
            options = pair_in_options(browser, companion)["options"]
            token = options.evaluate("chrome.storage.local.get('settings').then(found => found.settings.token)")
            assert len(token) >= 40

            companion.stop()
            impostor = impostors(companion.port)
            url = site.add("bait", "Bait Engineer", "Lure Inc")
            page = browser.page(url)
            browser.wait_for_chip(page, lambda chip: chip["text"] == "I applied")
            browser.click_button(page)
            assert browser.wait_for_chip(page, lambda chip: chip["text"].startswith("Queued"))
            popup = browser.popup(browser.tab_id(options, url))  # opening it sends the queue, if it can
            popup.wait_for_selector("body[data-state=error]")
            assert "cannot prove it is your Applied" in popup.inner_text("#connection")
            assert popup.inner_text("#queued") == "1 capture waiting to be sent"

            assert impostor.received(), "the impostor was never asked: the test proves nothing"
            seen = impostor.everything()
            assert token not in seen and "authorization" not in seen.lower()
            assert "Bait Engineer" not in seen and "Lure Inc" not in seen

            impostor.stop()
            companion.start()  # the real one is back: the capture goes to it
            popup.reload()
            popup.wait_for_selector("body[data-state=ok]", timeout=10_000)
            assert companion.get("/api/applications?q=Bait").json["total"] == 1
        finally:
            context.close()
            site.stop()
            companion.stop()


def test_a_program_holding_the_port_can_neither_pair_the_extension_nor_pass_for_applied(tmp_path_factory, impostors):
    """Issue 19, point 3. Applied is down; another program answers on its port as Applied would, "approving"
    every pairing with a token of its own, and answering the proof with null (as an Applied that revoked us)."""
    from test_extension_chromium import chromium_with

    port = free_port()
    impostor = impostors(port)
    with chromium_with(tmp_path_factory) as browser:
        options = browser.page(f"{browser.base}/options/options.html")
        options.wait_for_selector("body[data-state]")
        options.fill("#port", str(port))
        options.click("button[type=submit]")
        options.wait_for_selector("body[data-state=unpaired]")
        options.click("#pair")  # no code is typed anywhere: the program "approves" at once
        wait_until(lambda: "could not prove it was told the code" in options.inner_text("#pair-state"), 15,
                   "the pairing to be refused")
        stored = options.evaluate("chrome.storage.local.get('settings').then(found => found.settings.token)")
        assert not stored  # nothing kept from it: the later proofs it could pass need a token it made
        assert any(r["path"].endswith("/token") for r in impostor.received()), "it was never asked: proves nothing"
        assert options.get_attribute("body", "data-state") == "unpaired"

        impostor.stop()
        impostors(port, answer={"proof": None})  # "I no longer know this browser": Applied's own words when revoked
        options.click("details summary")  # "Paste a token instead"
        options.fill("#token", "a-token-this-browser-was-given-" + "t" * 20)
        options.click("button[type=submit]")
        popup = browser.popup(None)
        popup.wait_for_selector("body[data-state=unpaired]")
        said = popup.inner_text("#connection")
        assert "another program may be holding Applied's port" in said and "Pair again" not in said, said
        assert popup.inner_text("#pair") == "Pair with Applied"


def test_applied_open_makes_a_new_one_time_sign_in_page_for_the_running_companion(companion, tmp_path):
    result = applied(companion.data_dir, "open", "--no-open")
    assert result.returncode == 0, result.stderr
    code = code_in_sign_in_page(companion.data_dir)
    assert (companion.data_dir / "sign-in.html").resolve().as_uri() in result.stdout
    assert companion.token not in result.stdout and code not in result.stdout
    assert sign_in_with_code(companion, code) == (200, f"{companion.web_base}/")
    stopped = applied(tmp_path / "elsewhere", "open", "--no-open")
    assert stopped.returncode == 1 and stopped.stderr.strip() == (
        "applied: the companion is not running: start it with `applied serve`")


def _routes_the_extension_calls_with_its_token(app):
    """(method, URL rule) of every request extension/api.js sends with the token, read from its source."""
    source = (ROOT / "extension" / "api.js").read_text(encoding="utf-8")
    adapter = app.url_map.bind("127.0.0.1")
    called = set()
    calls = list(re.finditer(r'request\("(GET|POST|PATCH|DELETE)", (?:([`"])(/api/[^`"]*)\2|path)((?:(?!request\()[^;])*)', source))
    assert len(calls) == source.count('request("') > 10  # every call read, none of another shape missed
    for call in calls:
        method, path, rest = call.group(1), call.group(3), call.group(4)
        if path is None:  # request(method, path) with `const path = ...` just before
            path = re.findall(r"const path = `(/api/[^`]*)`", source[:call.start()])[-1]
        if "auth: false" in rest:
            continue  # ping and pairing: no token goes with them
        path = re.sub(r"\$\{(?:query)\}", "", path.split("?")[0])
        path = re.sub(r"\$\{[^}]*[Ii]d\)?\}", "1", path)  # application and contact ids
        path = re.sub(r"\$\{[^}]*\}", "key", path)  # follow-up keys and actions
        if path.endswith("/key"):
            path = path[:-len("key")] + "done"
        rule, _ = adapter.match(path, method=method, return_rule=True)
        called.add((method, rule.rule))
    return called


def test_the_extensions_scope_is_what_the_extension_calls(tmp_path):
    from companion.app import create_app
    from companion.tokens import EXTENSION_SCOPE

    called = _routes_the_extension_calls_with_its_token(create_app({"DATA_DIR": str(tmp_path / "data")}))
    assert len(called) >= 10  # capture, look-up, status, preview, changes, follow-ups, reminders, settings...
    assert called <= EXTENSION_SCOPE, called - EXTENSION_SCOPE  # else the extension meets 403 out_of_scope
    # And nothing more than its reads the README names: no documents, no similar jobs, no merges.
    assert EXTENSION_SCOPE - called <= {("GET", "/api/ping"), ("GET", "/api/openapi.json"),
                                        ("GET", "/api/applications/<int:application_id>")}, EXTENSION_SCOPE - called


@pytest.mark.parametrize("used_by, signed_in_after", [("/pulse.json", False), ("/", True)])
def test_only_the_person_renews_a_session_not_an_open_tabs_poll(tmp_path, monkeypatch, used_by, signed_in_after):
    """A tab left open polls /pulse.json every few seconds: that alone must not keep it signed in past the idle time."""
    from companion import sessions
    from companion.app import create_app

    clock = [datetime(2026, 12, 1, 9, 0)]
    monkeypatch.setattr(sessions, "_now", lambda: clock[0])
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    client, host = app.test_client(), {"Host": app.extensions["applied"]["web_host"]}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    clock[0] += sessions.IDLE - timedelta(hours=1)
    assert client.get(used_by, headers=host).status_code == 200
    clock[0] += timedelta(hours=2)  # past the idle time since sign-in, within it since that request
    page = client.get("/settings", headers=host)
    assert (page.status_code == 200) is signed_in_after, page.status_code
