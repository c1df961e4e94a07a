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
from conftest import ROOT, Companion, free_port, posting_page

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

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            with open(log, "a") as handle:
                handle.write(json.dumps({"method": self.command, "path": self.path,
                                         "headers": dict(self.headers), "body": body}) + "\\n")
            data = json.dumps({"app": "applied", "version": "9.9", "api": 1, "proof": "0" * 64,
                               "token": "fake-token-" + "x" * 40, "state": "approved"}).encode()
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

    def __init__(self, tmp_path, port, host="127.0.0.1"):
        self.log = tmp_path / f"impostor-{host.replace(':', '_')}-{port}.log"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, "-c", IMPOSTOR, "6" if ":" in host else "4", host,
                                         str(port), str(self.log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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

    def start(port, host="127.0.0.1"):
        started.append(Impostor(tmp_path, port, host))
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
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        form = urllib.parse.urlencode({"token": token or companion.token}).encode()
        self.opener.open(urllib.request.Request(companion.base + "/login", data=form), timeout=30).read()

    def cookies(self):
        return {cookie.name: cookie.value for cookie in self.jar}

    def page(self, path="/"):
        with self.opener.open(self.companion.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def csrf(self):
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', self.page()[1]).group(1)

    def sign_out(self, everywhere=False):
        fields = {"csrf_token": self.csrf(), **({"everywhere": "1"} if everywhere else {})}
        request = urllib.request.Request(self.companion.base + "/logout", data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Origin": self.companion.base})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl()


def with_cookie(companion, method, path, cookie, payload=None, headers=None):
    """What a program holding a copy of the browser's cookie can do (it sends it from outside any browser)."""
    return companion.request(method, path, payload, token=None, headers={"Cookie": cookie, **(headers or {})})


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
    assert laptop.sign_out(everywhere=True).endswith("/login")
    assert not signed_in_pages(companion, stolen_cookie)
    assert with_cookie(companion, "GET", "/api/applications", stolen_cookie).status == 401


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
    headers = {"X-CSRF-Token": thief.csrf(), "Origin": companion.base}
    asked = companion.post("/api/pair", {"name": "Chrome on Linux"}, token=None, headers={"Origin": EXTENSION}).json
    for path in (f"/api/pairings/{asked['id']}/approve", "/api/pairings/approve"):
        refused = with_cookie(companion, "POST", path, cookie, {"code": asked["code"]}, headers)
        assert refused.status == 403 and refused.json["error"]["code"] == "confirm_needed", refused.text
    collect = companion.post(f"/api/pair/{asked['id']}/token", {}, token=None, headers={"Origin": EXTENSION})
    assert collect.status == 409 and "token" not in collect.json
    # The person, who can type the install token, can.
    confirmed = with_cookie(companion, "POST", "/api/pairings/approve", cookie,
                            {"code": asked["code"], "token": companion.token}, headers)
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
    request = urllib.request.Request(companion.base + "/login", data=urllib.parse.urlencode({"code": code}).encode(),
                                     headers={"Accept": "application/json"})
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["error"]["code"]


def code_in_sign_in_page(data_dir):
    """The one-time code inside the sign-in page `applied serve` and `applied open` write (owner-only)."""
    page = Path(data_dir) / "sign-in.html"
    assert page.stat().st_mode & 0o077 == 0
    return re.search(r"http://127\.0\.0\.1:\d+/login#code=([A-Za-z0-9_-]{20,})", page.read_text()).group(1)


def test_serve_puts_neither_the_token_nor_a_sign_in_code_on_the_browsers_command_line(served_with_browser):
    companion, argv = served_with_browser
    assert argv, "no browser was opened"
    # The browser is opened on a file in the data folder: its address is all another user can read in /proc.
    assert argv == [(companion.data_dir / "sign-in.html").resolve().as_uri()]
    code = code_in_sign_in_page(companion.data_dir)
    assert not any(companion.token in arg or code in arg for arg in argv)
    # The code in the page works once: the browser that opened it signs in, nobody after it.
    assert sign_in_with_code(companion, code) == (200, f"{companion.base}/")
    assert sign_in_with_code(companion, code) == (401, "sign_in_code")


def test_serve_no_open_prints_where_the_sign_in_page_is_and_never_a_secret(data_dir):
    companion = Companion(data_dir).start()
    companion.process.terminate()
    output = companion.process.communicate(timeout=10)[0].decode()
    assert (Path(data_dir) / "sign-in.html").resolve().as_uri() in output, output
    assert companion.token not in output and code_in_sign_in_page(data_dir) not in output
    assert "login#code=" not in output and "localhost" not in output


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
    assert companion.post("/api/pairings/approve", {"code": asked["code"]}).status == 200
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
               ("GET", "/api/pairings", None), ("POST", "/api/pairings/approve", {"code": "AAA-AAA"}),
               ("DELETE", f"/api/applications/{application_id}", None), ("POST", "/api/reextract", {}),
               ("POST", "/api/sign-in", {}), ("GET", "/api/contacts", None)]
    for method, path, payload in refused:
        response = companion.request(method, path, payload, token=token, headers=headers)
        assert response.status == 403 and response.json["error"]["code"] == "out_of_scope", (path, response.text)
    assert companion.get("/api/export?format=json").status == 200  # the install token keeps every right


# -- 4. look-alike pairing requests ---------------------------------------------------------------------------

FAKE_REQUESTS = textwrap.dedent("""
    import json, sys, urllib.request
    port, origin = sys.argv[1], sys.argv[2]
    for number in range(10):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/pair", method="POST",
                                         data=json.dumps({"name": "Chrome on Linux"}).encode(),
                                         headers={"Content-Type": "application/json", "Origin": origin})
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except Exception:
            pass
""")


def test_ten_look_alike_requests_neither_lock_out_nor_pass_for_the_real_extension(companion):
    subprocess.run([sys.executable, "-c", FAKE_REQUESTS, str(companion.port), EXTENSION], check=True, timeout=60)
    real = companion.post("/api/pair", {"name": "Chrome on Linux", "requester": "r" * 32}, token=None,
                          headers={"Origin": EXTENSION})
    assert real.status == 201, real.text
    listing = companion.get("/api/pairings").json["requests"]
    assert len(listing) >= 2 and all("code" not in item for item in listing)  # nothing to click without the code
    assert all((item["name"], item["origin"]) == ("Chrome on Linux", EXTENSION) for item in listing)
    result = applied(companion.data_dir, "pair", "--approve", real.json["code"])
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
    wrong = companion.post(f"/api/pairings/{fake['id']}/approve", {"code": "AAA-AAA"})
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


def test_applied_open_makes_a_new_one_time_sign_in_page_for_the_running_companion(companion, tmp_path):
    result = applied(companion.data_dir, "open", "--no-open")
    assert result.returncode == 0, result.stderr
    code = code_in_sign_in_page(companion.data_dir)
    assert (companion.data_dir / "sign-in.html").resolve().as_uri() in result.stdout
    assert companion.token not in result.stdout and code not in result.stdout
    assert sign_in_with_code(companion, code) == (200, f"{companion.base}/")
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
    client, host = app.test_client(), {"Host": "127.0.0.1"}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    clock[0] += sessions.IDLE - timedelta(hours=1)
    assert client.get(used_by, headers=host).status_code == 200
    clock[0] += timedelta(hours=2)  # past the idle time since sign-in, within it since that request
    page = client.get("/settings", headers=host)
    assert (page.status_code == 200) is signed_in_after, page.status_code
