"""Install once, then never a terminal, in real Chromium: the browser starts Applied, pairs and signs in.

`applied setup` registers the native host in a temporary HOME; Chromium runs with its profile
where Chromium keeps it for that HOME (`~/.config/chromium`), so it reads the host manifest
`applied setup` wrote there. Nothing is typed and nothing approved: the companion starts when the
browser does and when the person clicks "I applied" while it is down, the extension gets its own
token from the host, "Open Applied" opens the web view signed in, and the badge follows a change
made with the `applied` command within 5 seconds.
"""
import json
import os
import time
from pathlib import Path

import pytest

from conftest import Companion, free_port
from test_extension_chromium import (CHROME_ARGS, CHROMIUM, EXTENSION_ID, Chromium, JobSite, application_for,
                                     build_extension, capture_directly, wait_until)
from test_native_host import applied, setup, web_base

OTHER_EXTENSION = {  # another extension, with another id, asking for our host
    "manifest_version": 3, "name": "Someone else", "version": "1.0", "permissions": ["nativeMessaging"],
    "background": {"service_worker": "worker.js"},
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """HOME with `applied setup` done, the companion NOT running, Chromium with our extension and another one."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium): apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    root = tmp_path_factory.mktemp("native-chromium")
    home, data_dir, port = root / "home", root / "data", free_port()
    home.mkdir()
    setup(home, data_dir, port)
    profile = home / ".config" / "chromium"  # where `applied setup` put NativeMessagingHosts/ for this HOME
    assert (profile / "NativeMessagingHosts" / "applied.companion.json").exists()
    ours = build_extension(root / "dist") / "chrome"
    other = root / "other"
    other.mkdir()
    (other / "manifest.json").write_text(json.dumps(OTHER_EXTENSION))
    (other / "worker.js").write_text("// asked from the test through the worker's console\n")
    site = JobSite()
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, env={**os.environ, "HOME": str(home)},
            args=CHROME_ARGS + [f"--disable-extensions-except={ours},{other}", f"--load-extension={ours},{other}"])
        try:
            yield {"home": home, "data": data_dir, "port": port, "browser": Chromium(context), "context": context,
                   "site": site}
        finally:
            context.close()
            site.stop()
            applied("stop", "--data-dir", str(data_dir), home=home, check=False)


def worker(context, extension_id, timeout=15):
    found = lambda: next((w for w in context.service_workers if w.url.startswith(f"chrome-extension://{extension_id}/")), None)  # noqa: E731
    return wait_until(found, timeout, f"the service worker of {extension_id}")


def running(data_dir):
    return (Path(data_dir) / "server.json").exists()


def test_the_browser_starts_applied_when_the_extension_starts(world):
    # Installing (or the browser starting) is enough: nobody ran `applied serve`.
    wait_until(lambda: running(world["data"]), 30, "the companion started by the browser")
    assert Companion(world["data"], world["port"]).get("/api/ping", token=None).json["app"] == "applied"


def test_another_extension_cannot_start_the_host(world):
    other = next(w for w in world["context"].service_workers if not w.url.startswith(f"chrome-extension://{EXTENSION_ID}/"))
    answer = other.evaluate("chrome.runtime.sendNativeMessage('applied.companion', {id: 1, type: 'token'})"
                            ".then(reply => ({reply}), error => ({error: error.message}))")
    assert answer == {"error": "Access to the specified native messaging host is forbidden."}


def test_i_applied_with_applied_stopped_starts_it_and_stores_the_application_with_nothing_typed(world):
    browser, site, data_dir = world["browser"], world["site"], world["data"]
    wait_until(lambda: running(data_dir), 30, "the companion started by the browser")
    # What the extension does when it starts Applied ends with counting the badge; and the badge's refresh,
    # every minute, starts a companion that stopped (as it should). Both are waited for or cleared here, so
    # that what starts Applied below is the click alone.
    ours = worker(world["context"], EXTENSION_ID)
    wait_until(lambda: ours.evaluate("chrome.storage.session.get('seen_version').then(s => s.seen_version)"), 30,
               "the badge counted after the start")
    ours.evaluate("chrome.alarms.clear('applied-refresh')")
    applied("stop", "--data-dir", str(data_dir), home=world["home"])
    assert not running(data_dir)
    url = site.add("native", "Native Host Engineer", "Pipes Inc")
    page = browser.page(url)
    browser.wait_for_chip(page, lambda c: c["text"] == "I applied")
    assert not running(data_dir)  # a page loading does not start Applied; the person's click does
    clicked = time.monotonic()
    browser.click_button(page)
    chip = browser.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"), timeout=30)
    assert "follow up" in chip["text"]
    assert time.monotonic() - clicked < 15
    companion = Companion(data_dir, world["port"])
    companion.token = (data_dir / "token").read_text().strip()
    application = application_for(companion, url)
    assert (application["title"], application["company"]) == ("Native Host Engineer", "Pipes Inc")
    # No code typed, nothing approved: no request ever waited, and the pairing says the browser vouched for it.
    pairings = companion.get("/api/pairings").json
    assert pairings["requests"] == []
    assert [(p["origin"], p["via"]) for p in pairings["tokens"]] == [(f"chrome-extension://{EXTENSION_ID}", "browser")]
    # The extension holds its own token: not the install token, and limited to what the extension does.
    settings = worker(world["context"], EXTENSION_ID).evaluate("chrome.storage.local.get('settings').then(s => s.settings)")
    assert settings["port"] == world["port"]
    assert settings["token"] and settings["token"] != companion.token
    assert companion.get("/api/settings", token=settings["token"]).status == 200
    assert companion.get("/api/export", token=settings["token"]).status == 403


def test_open_applied_in_the_popup_opens_the_web_view_signed_in(world):
    browser = world["browser"]
    popup = browser.page(f"{browser.base}/popup/popup.html")
    popup.wait_for_selector("body[data-state=ok]", timeout=30_000)
    with world["context"].expect_page() as opened:
        popup.click("#webview")
    webview = opened.value
    webview.wait_for_url(f"{web_base(world)}/", timeout=15_000)
    webview.wait_for_selector("nav")
    assert webview.locator("h1").first.inner_text() == "Today"  # the start page, not the sign-in form
    assert webview.locator("#login-form").count() == 0
    webview.close()


def test_the_sign_in_page_offers_to_open_applied_from_the_extension(world):
    browser, port = world["browser"], world["port"]
    # A session that ended: the page says so, and the extension's button signs this tab in again, whether the
    # sign-in page is the web view's own (its session ended there) or 127.0.0.1's (an old link).
    for sign_in in (f"{web_base(world)}/login?ended=1", f"http://127.0.0.1:{port}/login?ended=1"):
        page = browser.page(sign_in)
        assert "Your session ended" in page.inner_text("#why")
        page.wait_for_selector("#open-from-extension:not([hidden])")  # shown by the extension, only where it is
        page.click("#open-from-extension")
        page.wait_for_url(f"{web_base(world)}/", timeout=15_000)  # signed in at the web view's own address
        page.wait_for_selector("nav")
        page.close()


def test_a_follow_up_done_with_the_applied_command_changes_the_badge_within_5_seconds(world):
    data_dir = world["data"]
    companion = Companion(data_dir, world["port"])
    companion.token = (data_dir / "token").read_text().strip()
    due = capture_directly(companion, world["site"].add("due", "Badge Engineer", "Counts Ltd"),
                           "Badge Engineer", "Counts Ltd", applied_days_ago=20)
    ours = worker(world["context"], EXTENSION_ID)
    wait_until(lambda: ours.evaluate("chrome.action.getBadgeText({})") == "1", 10, "the badge counting it")
    applied("followup", "done", str(due["id"]), "--data-dir", str(data_dir), home=world["home"])
    done = time.monotonic()
    wait_until(lambda: ours.evaluate("chrome.action.getBadgeText({})") == "", 5, "the badge after `applied followup done`")
    assert time.monotonic() - done < 5


def png_size(path):
    header = Path(path).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_the_store_screenshots(world, tmp_path):
    """The screenshots the stores show, at the Chrome Web Store's size (1280x800): a posting logged with one click,
    the popup, and the web view. `APPLIED_SCREENSHOTS=store/screenshots` writes them where the listing takes them."""
    out = Path(os.environ.get("APPLIED_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    browser, site, context = world["browser"], world["site"], world["context"]
    posting = browser.page(site.add("native", "Native Host Engineer", "Pipes Inc"))  # logged earlier in this module
    posting.set_viewport_size({"width": 1280, "height": 800})
    browser.wait_for_chip(posting, lambda c: c["text"].startswith("Applied ✓"))
    posting.screenshot(path=str(out / "1-posting-logged.png"))
    tab = browser.tab_id(worker_page(browser), posting.url)
    popup = browser.page(f"{browser.base}/popup/popup.html?tab={tab}")
    popup.set_viewport_size({"width": 1280, "height": 800})
    popup.wait_for_selector("#app-title", timeout=30_000)
    popup.screenshot(path=str(out / "2-popup.png"))
    webview = browser.page(f"{browser.base}/popup/popup.html")
    with context.expect_page() as opened:
        webview.wait_for_selector("body[data-state=ok]", timeout=30_000)
        webview.click("#webview")
    start = opened.value
    start.set_viewport_size({"width": 1280, "height": 800})
    start.wait_for_url(f"{web_base(world)}/", timeout=15_000)
    start.wait_for_selector("nav")
    start.screenshot(path=str(out / "3-web-view.png"))
    for name in ("1-posting-logged.png", "2-popup.png", "3-web-view.png"):
        assert png_size(out / name) == (1280, 800), name
    for page in (posting, popup, webview, start):
        page.close()


def worker_page(browser):
    """An extension page to ask the browser's tab ids from."""
    page = browser.page(f"{browser.base}/options/options.html")
    page.wait_for_selector("body[data-state]")
    return page
