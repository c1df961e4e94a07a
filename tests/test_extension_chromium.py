"""The extension in real headless Chromium, against a real companion on loopback.

One browser launch for the module: its tests follow one person's day in order (pair, apply,
check the popup, apply while the companion is down, clear due follow-ups). The helpers at the
top (the built extension, a local job site) serve the Firefox tests too.
"""
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import weakref
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from companion.security import EXTENSION_ID  # the id the manifest's key gives (checked in test_extension_build.py)
from conftest import ROOT, Companion, free_port, posting_page

CHROMIUM = Path("/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


# -- shared with test_extension_firefox.py ---------------------------------------------------

def build_extension(out, dev_hosts=("http://127.0.0.1/*",)):
    """`applied extension build` as a person runs it; the test build also runs the button on loopback pages."""
    args = [sys.executable, "-m", "companion", "extension", "build", "--out", str(out)]
    for pattern in dev_hosts:
        args += ["--dev-hosts", pattern]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return Path(out)


# A single-page job site: the posting appears late, and "Next posting" changes it without a reload.
SPA_PAGE = """<!doctype html><html><head><title>Jobs</title></head><body><div id="app">Loading…</div><script>
const jobs = {one: ["Platform Engineer", "Spa Corp"], two: ["Data Engineer", "Spa Corp"]};
function show(slug) {
  const [title, company] = jobs[slug];
  const data = {"@context": "https://schema.org", "@type": "JobPosting", title,
                hiringOrganization: {"@type": "Organization", name: company}, datePosted: "2026-11-02",
                description: "<p>Ship data pipelines.</p>"};
  document.getElementById("app").innerHTML = `<h1>${title}</h1><p>${company}</p>` +
    `<script type="application/ld+json">${JSON.stringify(data)}<\\/script>` +
    `<a class="apply" href="#apply">Apply now</a> <a id="next" href="/spa/two">Next posting</a>`;
  document.getElementById("next").addEventListener("click", (event) => {
    event.preventDefault(); history.pushState({}, "", "/spa/two"); show("two");
  });
}
setTimeout(() => show(location.pathname.endsWith("/two") ? "two" : "one"), 400);
</script></body></html>"""


# A page of the same site that holds no posting.
PLAIN_PAGE = "<!doctype html><html><head><title>About us</title></head><body><p>We make widgets.</p></body></html>"


class JobSite:
    """Job pages served on loopback, as a careers site would serve them."""

    def __init__(self):
        from flask import Flask
        from werkzeug.serving import make_server

        app = Flask("job-site")
        app.add_url_rule("/jobs/<slug>", "job", lambda slug: posting_page(*self.postings[slug]))
        app.add_url_rule("/spa/<slug>", "spa", lambda slug: SPA_PAGE)
        app.add_url_rule("/about/<slug>", "about", lambda slug: PLAIN_PAGE)
        self.postings = {}  # slug -> (title, company, extra markup)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, slug, title, company, extra=""):
        self.postings[slug] = (title, company, extra)
        return f"http://127.0.0.1:{self.port}/jobs/{slug}"

    def stop(self):
        self.server.shutdown()


def application_for(companion, url):
    return companion.get("/api/applications?url=" + quote(url, safe="")).json["application"]


def approve_pairing(companion, shown):
    """The person approves the extension's request by typing the code it shows (in ``shown``, its text)."""
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b[A-Z0-9]{3}-[A-Z0-9]{3}\b", shown).group(0)  # (or before: 3-3)
    response = companion.post("/api/pairings/approve", {"code": code})
    assert response.status == 200, response.text
    return response.json["pairing"]


def capture_directly(companion, url, title, company, applied_days_ago):
    """An application logged some days ago, so its check-in is due today."""
    applied = (date.today() - timedelta(days=applied_days_ago)).isoformat()
    response = companion.post("/api/applications", {"url": url, "html": posting_page(title, company),
                                                    "applied_at": applied})
    assert response.status == 201, response.text
    return response.json["application"]


def wait_until(condition, timeout=10, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


# -- Chromium ----------------------------------------------------------------------------------

class Chromium:
    """The browser, with the extension loaded the way --load-extension does for a developer."""

    def __init__(self, context):
        self.context = context
        self.base = f"chrome-extension://{EXTENSION_ID}/extension"
        self.sessions = weakref.WeakKeyDictionary()

    def page(self, url):
        page = self.context.new_page()
        try:
            page.goto(url)
        except Exception as error:
            # The first run opens the options page itself (runtime.openOptionsPage), and may take
            # over the tab the test is opening it in: the page then loads the same address anyway.
            if "interrupted by another navigation" not in str(error):
                raise
            page.wait_for_load_state()
        return page

    def tab_id(self, extension_page, url):
        """The id of the newest tab showing url (what the toolbar popup would act on)."""
        return extension_page.evaluate("url => chrome.tabs.query({}).then(tabs => "
                                       "Math.max(...tabs.filter(t => t.url === url).map(t => t.id)))", url)

    def popup(self, tab_id):
        page = self.page(f"{self.base}/popup/popup.html?tab={tab_id}")
        page.wait_for_selector("body[data-state]")
        return page

    def badge(self, extension_page):
        return extension_page.evaluate("chrome.action.getBadgeText({})")

    def host(self, page, then=None):
        """The button's host as the DevTools protocol sees it (the page's one element with a closed shadow root:
        it carries no name or attribute of ours), or None; ``then(session, node)`` runs while the session lasts."""
        if page not in self.sessions:  # one DevTools session per tab: opening one costs more than the look
            self.sessions[page] = self.context.new_cdp_session(page)
        session = self.sessions[page]
        root = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        host = next((node for node in _walk(root) if any(shadow.get("shadowRootType") == "closed"
                                                         for shadow in node.get("shadowRoots", []))), None)
        return then(session, host) if then and host else host

    def on_host(self, page, function):
        """Run ``function`` (JavaScript, ``this`` being the host) in the page's own world, as its scripts could."""
        def call(session, host):
            remote = session.send("DOM.resolveNode", {"backendNodeId": host["backendNodeId"]})["object"]
            return session.send("Runtime.callFunctionOn", {"objectId": remote["objectId"], "returnByValue": True,
                                                           "functionDeclaration": function})["result"].get("value")
        return self.host(page, call)

    def chip(self, page):
        """What the button says inside its closed shadow root: {"text", "due", "kind", "label_nodes"} (None while absent).

        Its words are drawn on a canvas and named by aria-label, as a screen reader reads them. Page
        scripts cannot look inside; the DevTools protocol can, as a person's eyes can.
        """
        host = self.host(page)
        if not host or not host.get("shadowRoots"):
            return None
        texts, label = [], None
        for node in _walk(host["shadowRoots"][0]):
            if node.get("nodeType") == 3 and node.get("_parent") != "style" and node["nodeValue"].strip():
                texts.append(node["nodeValue"])
            attributes = node.get("attributes", [])
            attributes = dict(zip(attributes[::2], attributes[1::2]))
            if label is None and "aria-label" in attributes:
                label = attributes
        if label is None:
            return None
        return {"text": label["aria-label"], "due": label.get("data-due"), "kind": label.get("data-kind"),
                "text_nodes": texts}

    def wait_for_chip(self, page, predicate, timeout=10):
        return wait_until(lambda: (c := self.chip(page)) and predicate(c) and c, timeout, "the button's state")

    def click_button(self, page):
        # A real (trusted) click in the middle of the host lands on the button inside the shadow root.
        def middle(session, host):
            session.send("DOM.scrollIntoViewIfNeeded", {"backendNodeId": host["backendNodeId"]})
            quad = session.send("DOM.getBoxModel", {"backendNodeId": host["backendNodeId"]})["model"]["content"]
            return sum(quad[0::2]) / 4, sum(quad[1::2]) / 4
        page.mouse.click(*self.host(page, middle))

    def pick_files(self, page, selector, paths):
        """Pick files in a file input as the file dialog does (a trusted change event; Playwright's own
        set_input_files dispatches an untrusted one, which the content script rightly ignores)."""
        session = self.context.new_cdp_session(page)
        try:
            document = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = session.send("DOM.querySelector", {"nodeId": document, "selector": selector})["nodeId"]
            session.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path) for path in paths]})
        finally:
            session.detach()

    def in_content_script(self, page, expression):
        """Evaluate in the content script's isolated world, as a page that subverted it could."""
        session = self.context.new_cdp_session(page)
        contexts = []
        try:
            session.on("Runtime.executionContextCreated", lambda event: contexts.append(event["context"]))
            session.send("Runtime.enable")  # reports the contexts that exist
            ours = wait_until(lambda: next((c for c in contexts if c["name"].startswith("Applied")
                                            and c["auxData"]["type"] == "isolated"), None), 5, "the content script")
            return session.send("Runtime.evaluate", {"expression": expression, "contextId": ours["id"],
                                                     "awaitPromise": True, "returnByValue": True})["result"]["value"]
        finally:
            session.detach()


def _walk(node, parent=None):
    node["_parent"] = parent
    yield node
    for child in node.get("children", []) + node.get("shadowRoots", []):
        yield from _walk(child, node.get("localName"))


@pytest.fixture(scope="module")
def site():
    server = JobSite()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def companion(tmp_path_factory):
    """The companion for the whole module (a test restarts it on the same port and data folder)."""
    server = Companion(tmp_path_factory.mktemp("chromium-data"), port=free_port()).start()
    yield server
    server.stop()


def launch_chromium(playwright, folder, profile, extra_args=(), env=None):
    """Chromium with the built extension loaded, and the extension's service worker started."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, env=env,
        args=CHROME_ARGS + list(extra_args) + [f"--disable-extensions-except={folder}", f"--load-extension={folder}"])
    worker = context.service_workers[0] if context.service_workers \
        else context.wait_for_event("serviceworker", timeout=15_000)
    assert worker.url.startswith(f"chrome-extension://{EXTENSION_ID}/")
    return context


def pair_in_options(chromium, companion):
    """Pair through the options page: the person sets the port, asks to pair, types the code it shows in Applied."""
    options = chromium.page(f"{chromium.base}/options/options.html")
    options.wait_for_selector("body[data-state]")
    options.fill("#port", str(companion.port))
    options.click("button[type=submit]")
    options.wait_for_selector("body[data-state=unpaired]")
    options.click("#pair")
    options.wait_for_selector("body[data-state=pairing]")
    request = approve_pairing(companion, options.inner_text("#pair-state"))  # the code tells it from look-alikes
    options.wait_for_selector("body[data-state=ok]", timeout=10_000)
    return {"options": options, "request": request}


@contextmanager
def chromium_with(tmp_path_factory, dev_hosts=("http://127.0.0.1/*",), extra_args=(), env=None):
    """A fresh profile's Chromium with the extension built as `applied extension build` does (env: the browser's environment)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium): apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    folder = build_extension(tmp_path_factory.mktemp("dist"), dev_hosts) / "chrome"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = launch_chromium(playwright, folder, profile, extra_args, env)
        try:
            browser = Chromium(context)
            browser.profile = profile
            browser.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            yield browser
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    with chromium_with(tmp_path_factory) as browser:
        yield browser


@pytest.fixture(scope="module")
def paired(chromium, companion):
    paired = pair_in_options(chromium, companion)
    assert paired["request"]["name"].startswith("Chrome on ")
    yield paired


def test_options_page_pairs_with_the_companion(paired, companion):
    assert "Paired" in paired["options"].inner_text("#pair-state")
    tokens = companion.get("/api/pairings").json["tokens"]
    assert [t["name"] for t in tokens] == [paired["request"]["name"]]
    assert tokens[0]["origin"] == f"chrome-extension://{EXTENSION_ID}"


def test_i_applied_captures_the_posting_and_shows_its_status(chromium, paired, companion, site):
    url = site.add("widget", "Senior Widget Engineer", "Acme Robotics")
    page = chromium.page(url)
    assert chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chip = chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))

    application = application_for(companion, url)
    assert (application["title"], application["company"], application["status"]) == \
        ("Senior Widget Engineer", "Acme Robotics", "applied")
    due = companion.get(f"/api/followups?application_id={application['id']}&due=9999-12-31").json["followups"][0]["due"]
    assert "follow up" in chip["text"] and chip["due"] == due

    page.reload()  # a tracked page shows its status, not the button: nobody applies twice unknowingly
    chip = chromium.wait_for_chip(page, lambda c: c["text"] != "I applied" and c["due"])
    assert chip["text"].startswith("Applied ✓") and chip["due"] == due
    assert companion.get("/api/applications").json["total"] == 1


def test_popup_shows_the_application_and_changes_its_status(chromium, paired, companion, site):
    url = site.add("widget", "Senior Widget Engineer", "Acme Robotics")
    if application_for(companion, url) is None:  # run on its own, without the capture test before it
        capture_directly(companion, url, "Senior Widget Engineer", "Acme Robotics", applied_days_ago=0)
    page = chromium.page(url)
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    assert popup.inner_text("#app-title") == "Senior Widget Engineer"
    assert popup.inner_text("#app-company") == "Acme Robotics"
    assert popup.input_value("#app-status") == "applied"
    application = application_for(companion, url)
    due = companion.get(f"/api/followups?application_id={application['id']}&due=9999-12-31").json["followups"][0]["due"]
    assert popup.get_attribute("#next-followup time", "datetime") == due

    popup.select_option("#app-status", "screening")
    wait_until(lambda: popup.input_value("#app-status") == "screening", message="the popup's status")
    # The change goes through the service worker, which proves the server before it sends it.
    wait_until(lambda: application_for(companion, url)["status"] == "screening", message="the status change")
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Screening ✓"))  # the page follows


def test_popup_captures_a_page_the_button_does_not_run_on(chromium, paired, companion, site):
    # localhost is not among the content script's patterns: the popup injects it on demand.
    url = f"http://localhost:{site.port}/jobs/gadget"
    site.add("gadget", "Gadget Designer", "Gizmo Inc")
    page = chromium.page(url)
    assert chromium.chip(page) is None
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("body[data-preview=read]")
    assert popup.input_value("#field-title") == "Gadget Designer"  # what will be saved, to check first
    assert popup.inner_text("#page-note").startswith("No button on this page, but you can log it from here.")
    popup.click("#capture")
    popup.wait_for_selector("#app-title")
    assert popup.inner_text("#app-title") == "Gadget Designer"
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, url)["company"] == "Gizmo Inc"


def test_capture_waits_while_the_companion_is_down_and_arrives_once(chromium, paired, companion, site):
    before = companion.get("/api/applications").json["total"]
    companion.stop()
    url = site.add("sprocket", "Sprocket Analyst", "Cogs Ltd")
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Queued"))

    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("body[data-state=down]")
    assert "not running" in popup.inner_text("#connection")
    assert popup.inner_text("#start-command") == f"applied serve --port {companion.port}"
    assert popup.inner_text("#queued") == "1 capture waiting to be sent"
    # One capture: the popup says this page's is waiting, and offers no second "I applied".
    popup.wait_for_selector("#queued-note")
    assert "waits here" in popup.inner_text("#queued-note") and popup.inner_text("#app-title") == "Sprocket Analyst"
    assert popup.locator("#capture, #save-later").count() == 0
    page.reload()  # and the page, looked at again, says it is waiting too
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Queued"))

    companion.start()  # same port, same data folder
    popup.wait_for_selector("body[data-state=ok]", timeout=10_000)  # the popup polls, then sends the queue
    popup.wait_for_selector("#app-title >> text=Sprocket Analyst")
    popup.wait_for_selector("#app-status")
    assert popup.inner_text("#queued") == ""
    # The button follows the queue: once sent, "Applied ✓", without a reload.
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    popup.reload()  # a second look (another flush) must not send it again
    popup.wait_for_selector("#app-title")
    listed = companion.get("/api/applications?q=Sprocket").json
    assert listed["total"] == 1 and listed["applications"][0]["url"] == url
    assert companion.get("/api/applications").json["total"] == before + 1


def test_a_posting_saved_for_later_offline_keeps_its_location_and_its_button_says_saved(chromium, paired, companion,
                                                                                       site):
    companion.stop()
    url = site.add("gasket", "Gasket Fitter", "Seal Co")
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("#field-location")
    popup.fill("#field-title", "Gasket Fitter")
    popup.fill("#field-company", "Seal Co")
    popup.fill("#field-location", "Porto")
    popup.click("#save-later")
    popup.wait_for_selector("#queued-note")
    assert popup.inner_text("#queued-as") == "Saved · Porto"
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Queued"))

    companion.start()
    popup.wait_for_selector("#app-status", timeout=10_000)  # sent: the popup shows the application
    application = application_for(companion, url)
    assert (application["status"], application["locations"]) == ("saved", ["Porto"])  # the typed location came along
    assert chromium.wait_for_chip(page, lambda c: c["text"] == "Saved ✓ · I applied")
    page.reload()  # looked up again: still saved, not a plain "I applied"
    assert chromium.wait_for_chip(page, lambda c: c["text"] == "Saved ✓ · I applied" and c["kind"] == "saved")
    chromium.click_button(page)  # applied after all
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓") and "already" not in c["text"])
    assert application_for(companion, url)["status"] == "applied"


def test_a_capture_sent_from_the_outbox_still_asks_to_check_what_could_not_be_read(chromium, paired, companion, site):
    # The companion keeps the review on the application: the popup and the page ask from it, not
    # only from the answer to a capture this worker saw (a flush sends without showing its answer).
    companion.stop()
    url = site.add("nameless", "Nameless Role", "")  # no company on the page
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Queued"))
    companion.start()
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("#app-title", timeout=10_000)  # the popup sent the queue, then looked the page up
    assert application_for(companion, url)["review"]["missing"] == ["company"]
    assert popup.locator("#review-note").count() == 1 and popup.locator("#details").is_visible()
    assert popup.input_value("#field-title") == "Nameless Role"
    page.reload()
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓") and "check details" in c["text"])
    popup.fill("#field-company", "Nameless Inc")
    popup.click("#save-fields")
    wait_until(lambda: not application_for(companion, url)["review"]["needed"], message="the review settled")
    popup.wait_for_selector("#review-note", state="detached")


def test_details_checked_in_the_popup_on_a_page_logged_anyway_need_no_other_look(chromium, paired, companion, site):
    page = chromium.page(f"http://127.0.0.1:{site.port}/about/checked")
    tab = chromium.tab_id(paired["options"], page.url)
    # A tab may inherit the posting of the tab that opened it (the apply flow): this one is a page of its own.
    paired["options"].evaluate("tab => chrome.storage.session.remove(`posting:${tab}`)", tab)
    popup = chromium.popup(tab)
    popup.click("#log-anyway")
    popup.fill("#field-title", "Widget Whisperer")
    popup.fill("#field-company", "About Us Ltd")
    popup.click("#capture")
    popup.wait_for_selector("#app-title")
    application = application_for(companion, page.url)
    assert (application["title"], application["company"]) == ("Widget Whisperer", "About Us Ltd")
    assert not application["review"]["needed"]  # the web view asks no more than the popup does
    assert popup.locator("#review-note").count() == 0
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓") and "check" not in c["text"])


def test_badge_counts_due_followups_and_done_clears_one(chromium, paired, companion, site):
    capture_directly(companion, site.add("old", "Gear Engineer", "Old Gears"), "Gear Engineer", "Old Gears", 20)
    due = companion.get(f"/api/followups?due={date.today().isoformat()}").json
    assert due["count"] == 1
    popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
    popup.wait_for_selector("#due li")
    assert chromium.badge(popup) == "1"
    assert popup.locator("#due li").count() == 1
    assert "applied-followups" in popup.evaluate("chrome.notifications.getAll()")  # "1 follow-up is due today."
    assert popup.evaluate("chrome.storage.local.get('notified_on')")["notified_on"] == date.today().isoformat()
    popup.click("#due li button.done")
    popup.wait_for_selector("#due", state="detached")
    assert chromium.badge(popup) == ""
    assert companion.get(f"/api/followups?due={date.today().isoformat()}").json["count"] == 0


def test_a_change_made_while_the_badge_counts_is_not_lost(chromium, paired, companion, site):
    # The badge keeps the change counter it counted at, and counts again only once it moves: the
    # version must be read before the count, or a change landing between the two is never shown.
    application = capture_directly(companion, site.add("racy", "Race Engineer", "Tight Timing"),
                                   "Race Engineer", "Tight Timing", 20)
    [due] = companion.get(f"/api/followups?application_id={application['id']}").json["followups"]
    page = chromium.page(f"{chromium.base}/options/options.html")
    page.wait_for_selector("body[data-state=ok]")
    page.evaluate("""async () => {
      const send = globalThis.fetch;
      globalThis.heldChanges = new Promise((resolve) => { globalThis.releaseChanges = resolve; });
      globalThis.countRead = false;
      globalThis.fetch = async (url, init) => {
        if (String(url).includes("/api/changes")) await globalThis.heldChanges;  // asked late
        const answer = await send(url, init);
        if (String(url).includes("/api/followups?")) globalThis.countRead = true;
        return answer;
      };
      const { refreshBadge } = await import("../followups.js");
      globalThis.counting = refreshBadge({ limit: 0 });
    }""")
    time.sleep(1.5)  # the count may be read meanwhile (it must not be trusted with a later version)
    done = companion.post(f"/api/followups/{application['id']}/{due['key']}/done", {})
    assert done.status == 200, done.text
    after = companion.get(f"/api/followups?due={date.today().isoformat()}&limit=0").json["count"]
    page.evaluate("async () => { globalThis.releaseChanges(); await globalThis.counting; }")
    page.evaluate("async () => (await import('../followups.js')).syncBadge()")  # as the web view's change asks
    assert chromium.badge(page) == (str(after) if after else "")
    page.close()


def test_a_tab_remembers_the_posting_it_shows_even_after_big_pages_in_other_tabs(chromium, paired):
    # Session storage holds 10 MB in all: big pages in other tabs must not leave this tab on the posting
    # it showed before (its apply form would log that one).
    page = chromium.page(f"{chromium.base}/options/options.html")
    recalled = page.evaluate("""async () => {
      const flow = await import("../flow.js");
      const big = (n) => `<html><h1>Job ${n}</h1>${"x".repeat(2_900_000)}</html>`;
      for (const tab of [990001, 990002, 990003]) {
        await flow.remember(tab, { url: `https://jobs.example.com/${tab}`, html: big(tab), title: `Job ${tab}` });
      }
      await flow.remember(990004, { url: "https://jobs.example.com/before", html: "<html>before</html>", title: "Before" });
      await flow.remember(990004, { url: "https://jobs.example.com/now", html: big(4), title: "Now" });
      const now = await flow.recall(990004);
      const others = await Promise.all([990001, 990002, 990003].map((tab) => flow.recall(tab)));
      await Promise.all([990001, 990002, 990003, 990004].map((tab) => flow.forget(tab)));
      return { url: now?.url, title: now?.title, kept: others.filter(Boolean).length };
    }""")
    page.close()
    assert (recalled["url"], recalled["title"]) == ("https://jobs.example.com/now", "Now"), recalled
    assert recalled["kept"] >= 1  # room is made by forgetting the oldest pages, not every one


def test_button_appears_when_a_single_page_site_renders_and_follows_its_navigation(chromium, paired, companion, site):
    page = chromium.context.new_page()
    page.goto(f"http://127.0.0.1:{site.port}/spa/one")
    assert chromium.chip(page) is None  # nothing to apply to while the site is still loading
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, f"http://127.0.0.1:{site.port}/spa/one")["title"] == "Platform Engineer"

    page.click("#next")  # pushState: a new posting, no reload
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, f"http://127.0.0.1:{site.port}/spa/two")["title"] == "Data Engineer"


def test_page_scripts_cannot_press_the_button(chromium, paired, companion, site):
    url = site.add("bait", "Bait Role", "Sneaky Co")
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    # The shadow root is closed to the page, and a synthetic click is not a person's click.
    assert chromium.on_host(page, "function () { return this.shadowRoot; }") is None
    chromium.on_host(page, "function () { this.click(); }")
    time.sleep(0.5)
    assert application_for(companion, url) is None
    assert chromium.chip(page)["text"] == "I applied"


def test_the_buttons_host_carries_no_name_a_page_can_read(chromium, paired, site):
    """Issue 19, point 11: `<applied-extension-button>` once told every page the visitor uses Applied."""
    page = chromium.page(site.add("unmarked", "Unmarked Role", "Quiet Co"))
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    host = chromium.host(page)
    assert host["localName"] == "span" and host.get("attributes") == []
    assert "applied" not in page.content().lower()  # the page's whole DOM, as its scripts can read it


def test_a_page_element_named_like_the_scripts_guard_does_not_hide_the_button(chromium, paired, site):
    # Elements with an id show up on the content script's window too (DOM clobbering).
    page = chromium.page(site.add("clobber", "Clobber Role", "Sneaky Co", '<div id="__appliedContentScript"></div>'))
    assert chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")


def test_a_content_script_asks_only_about_its_own_site_and_changes_nothing(chromium, paired, companion, site):
    site.add("elsewhere", "Elsewhere Engineer", "Far Away")  # tracked, on another origin than the page below
    tracked = capture_directly(companion, f"http://localhost:{site.port}/jobs/elsewhere", "Elsewhere Engineer",
                               "Far Away", 1)
    page = chromium.page(site.add("bait", "Bait Role", "Sneaky Co"))
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    send = "message => chrome.runtime.sendMessage(message)"
    other = chromium.in_content_script(page, f"({send})({{type: 'lookup', url: '{tracked['url']}'}})")
    assert other == {"error": {"kind": "internal", "message": "a page may only ask about its own address"}}
    own = chromium.in_content_script(page, f"({send})({{type: 'lookup', url: location.href}})")
    assert own["state"] == "new"
    changed = chromium.in_content_script(page, f"({send})({{type: 'setStatus', applicationId: {tracked['id']}, "
                                               "status: 'withdrawn'})")
    assert changed["error"]["message"] == "setStatus is not allowed from a web page"
    assert chromium.in_content_script(page, f"({send})({{type: 'pair'}})")["error"]
    assert application_for(companion, tracked["url"])["status"] == tracked["status"]


def test_capture_from_the_popup_after_the_site_moved_without_a_reload(chromium, paired, companion, site):
    page = chromium.page(f"http://127.0.0.1:{site.port}/about/one")
    page.evaluate("history.pushState({}, '', '/about/two')")  # no DOM change: the script has not looked yet
    popup = chromium.popup(chromium.tab_id(paired["options"], page.url))
    assert "doesn't look like a job posting" in popup.inner_text("#not-posting")  # asked before anything is saved
    popup.click("#log-anyway")
    popup.click("#capture")
    popup.wait_for_selector("#app-title")
    assert chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))  # shown on the page too
    assert application_for(companion, page.url)["url"] == page.url


def test_popup_keeps_showing_a_refused_capture_after_an_action(chromium, paired, companion, site):
    url = site.add("widget", "Senior Widget Engineer", "Acme Robotics")
    chromium.page(url)
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    # What a flush leaves when Applied refuses a waiting capture for good (it is told once).
    popup.evaluate("chrome.storage.local.set({last_refused: {url: 'https://jobs.example.com/huge', "
                   "message: 'the page is too large', at: Date.now()}})")
    move = popup.eval_on_selector("#app-status", "select => select.options[1].value")
    popup.select_option("#app-status", move)
    popup.wait_for_selector("#message:not(:empty)")
    assert popup.inner_text("#message") == \
        "Applied refused a waiting capture of https://jobs.example.com/huge: the page is too large"


def test_notifications_follow_the_setting_in_applied(chromium, paired, companion, site):
    assert companion.patch("/api/settings", {"notifications": False}).status == 200
    try:
        capture_directly(companion, site.add("quiet", "Quiet Engineer", "Hush Inc"), "Quiet Engineer", "Hush Inc", 20)
        popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
        popup.evaluate("Promise.all([chrome.notifications.clear('applied-followups'), "
                       "chrome.storage.local.remove('notified_on')])")
        popup.reload()
        popup.wait_for_selector("#due li")
        assert chromium.badge(popup) == "1"
        assert popup.evaluate("chrome.notifications.getAll()") == {}
    finally:
        companion.patch("/api/settings", {"notifications": True})


def test_popup_offers_no_capture_on_applieds_own_web_view(chromium, paired, companion):
    webview = chromium.page(f"http://127.0.0.1:{companion.port}/")
    popup = chromium.popup(chromium.tab_id(paired["options"], webview.url))
    assert popup.locator("#capture").count() == 0
    # Said by the overview ("Open a job posting...") or, when the tab's page was still loading as the popup
    # asked, by the capture's own check ("This is Applied itself: open a job posting..."): both send the
    # person to a posting.
    english = json.loads((ROOT / "extension" / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
    assert popup.inner_text("#page") in (english["popup_open_posting"]["message"],
                                         english["error_own_web_view"]["message"])


def test_popup_counts_the_replies_from_mail_waiting_for_review(chromium, paired, companion):
    message = ROOT / "tests" / "mail" / "messages" / "62-initech-received-never-logged.eml"
    assert companion.post("/api/mail/import", {"path": str(message)}).json["proposed"] == 1
    popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
    link = popup.wait_for_selector("#replies-link")
    assert link.inner_text() == "1 reply to review in Applied →"
    assert link.get_attribute("href") == f"{companion.web_base}/replies"  # the web view at its own address


def test_popup_offers_to_pair_once_the_token_is_revoked_without_taking_the_server_at_its_word(chromium, paired,
                                                                                              companion):
    """A revoked token gets `proof: null`, which any program holding the port can answer too (issue 19, point 3)."""
    assert companion.delete(f"/api/pairings/{paired['request']['id']}").status == 204
    popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
    popup.wait_for_selector("body[data-state=unpaired]")
    said = popup.inner_text("#connection")
    assert "another program may be holding Applied's port" in said and "removed this browser" in said
    assert popup.inner_text("#pair") == "Pair with Applied"


def test_options_page_does_not_say_paired_with_a_revoked_token(chromium, paired):
    options = chromium.page(f"{chromium.base}/options/options.html")
    options.wait_for_selector("body[data-state=unpaired]")
    assert "Paired" not in options.inner_text("#pair-state")


def test_two_pages_checking_an_approved_pairing_at_once_both_see_it_paired(chromium, paired, companion):
    options = paired["options"]
    asked = options.evaluate("chrome.runtime.sendMessage({type: 'pair'})")
    approve_pairing(companion, str(asked))
    # The popup and the options page both poll; the token is handed over once.
    states = options.evaluate("Promise.all([1, 2].map(() => chrome.runtime.sendMessage({type: 'checkConnection'})))")
    assert [state["state"] for state in states] == ["ok", "ok"], states


def test_popup_offers_to_link_the_stored_document_of_a_file_picked_in_the_form(chromium, paired, companion, site,
                                                                               tmp_path):
    import base64

    # The résumé as stored in Applied, uploaded with the install token as the web view does.
    stored = b"%PDF-1.7\n% the resume Ana keeps in Applied\n"
    uploaded = companion.post("/api/documents", {"name": "Ana-CV.pdf", "kind": "resume",
                                                 "content_base64": base64.b64encode(stored).decode()})
    assert uploaded.status == 201, uploaded.text
    document = uploaded.json["document"]
    before = companion.get("/api/documents").json["documents"]

    form = '<label>Résumé <input type="file" id="resume" multiple></label>'
    url = site.add("files", "Records Engineer", "Paperworks", extra=form)
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    application = application_for(companion, url)

    # The person picks two files; what they hold is not what Applied stores (only names may leave the page).
    folder = tmp_path / "picked"
    folder.mkdir()
    (folder / "ana-cv.pdf").write_bytes(b"%PDF-1.7\n% a private local copy\n")
    (folder / "portfolio.pdf").write_bytes(b"%PDF-1.7\n% not in Applied\n")
    chromium.pick_files(page, "#resume", [folder / "ana-cv.pdf", folder / "portfolio.pdf"])
    tab_id = chromium.tab_id(paired["options"], url)
    picked = wait_until(lambda: paired["options"].evaluate(
        "key => chrome.storage.session.get(key).then(items => items[key])", f"files:{tab_id}"), message="the names")
    assert picked["names"] == ["ana-cv.pdf", "portfolio.pdf"] and set(picked) == {"names", "posting", "at"}

    popup = chromium.popup(tab_id)
    offer = popup.wait_for_selector("#documents li.offer")
    assert offer.inner_text().startswith("Link your résumé “Ana-CV.pdf” to this application?")
    missing = popup.inner_text("#documents li.missing-document")
    assert missing == "A file named “portfolio.pdf” was picked here: you can add it in Applied's Documents page."
    assert popup.get_attribute("#documents li.missing-document a", "href") == f"{companion.web_base}/documents"
    assert "null" not in popup.inner_text("body") and "undefined" not in popup.inner_text("body")

    popup.click("#documents button.link-document")
    popup.wait_for_selector("#documents .linked")
    assert popup.inner_text("#documents .linked").startswith("Linked")
    listed = companion.get(f"/api/applications/{application['id']}/documents").json["documents"]
    assert [d["id"] for d in listed] == [document["id"]]
    # The companion never received the picked files: its documents are the one uploaded, unchanged.
    after = companion.get("/api/documents").json["documents"]
    assert [(d["id"], d["sha256"], d["size"]) for d in after] == [(d["id"], d["sha256"], d["size"]) for d in before]

    popup.reload()  # linked now: no offer again, the missing file is still told
    popup.wait_for_selector("#documents li.missing-document")
    assert not popup.query_selector("#documents li.offer")


def test_files_a_page_script_puts_in_a_file_input_are_not_noted(chromium, paired, site, tmp_path):
    form = '<input type="file" id="upload">'
    url = site.add("forged", "Forged Picks Engineer", "Paperworks", extra=form)
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    page.evaluate("""() => {
      const input = document.getElementById("upload");
      const transfer = new DataTransfer();
      transfer.items.add(new File(["x"], "planted.pdf"));
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", {bubbles: true}));
    }""")
    (tmp_path / "mine.pdf").write_bytes(b"%PDF-1.7\n")
    chromium.pick_files(page, "#upload", [tmp_path / "mine.pdf"])
    tab_id = chromium.tab_id(paired["options"], url)
    picked = wait_until(lambda: paired["options"].evaluate(
        "key => chrome.storage.session.get(key).then(items => items[key])", f"files:{tab_id}"), message="the names")
    assert picked["names"] == ["mine.pdf"]


def test_what_fell_due_before_an_import_is_one_entry_in_the_popup_dismissed_at_once(chromium, paired, companion, site):
    from test_imports import _huntr_every_stage

    text, _ = _huntr_every_stage()
    assert companion.post("/api/import", {"format": "csv", "text": text}).json["created"] == 7
    url = site.add("after-import", "After Import Role", "Importco")
    page = chromium.page(url)
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    entry = popup.wait_for_selector("#due li.catch-up")
    assert popup.locator("#due li.catch-up").count() == 1
    assert re.match(r"Catch up: \d+ follow-ups fell due before your import", entry.inner_text())
    assert "overdue" not in entry.get_attribute("class") and not entry.query_selector(".overdue")
    popup.click("#due li.catch-up .dismiss-all")
    popup.wait_for_selector("#due li.catch-up", state="detached")
    assert all(f["kind"] != "catch_up" for f in companion.get("/api/followups").json["followups"])
    page.close()
