"""The extension as built for people, in real headless Chromium, on job pages served at their real addresses.

A local HTTPS server answers for boards.greenhouse.io, ca.linkedin.com, jobs.lever.co... (Chromium's
host mapping sends every name to it), with pages from the extraction golden files; the companion
runs on 127.0.0.1 as usual. One browser for the module; tests follow one person through the sites.
"""
import os
import signal
import threading
import time
from contextlib import contextmanager
from datetime import date

import pytest

from conftest import ROOT
from job_hosts import SITE_PAGES, RealHosts, every_site_posting, golden
from test_extension_chromium import (EXTENSION_ID, HOST_TAG, application_for, capture_directly, chromium_with,  # noqa: F401
                                     companion, pair_in_options, wait_until)

LEVER_POSTING = "https://jobs.lever.co/quillmate/3f2a9c1e-77aa-4b1c-9d0e-5e8f4c2b1a00"

LEVER_APPLY = """<!doctype html><html><head><title>Quillmate - Senior Platform Engineer</title></head><body>
<div class="posting-header"><h2>Senior Platform Engineer</h2></div>
<form method="POST" action="/quillmate/3f2a9c1e-77aa-4b1c-9d0e-5e8f4c2b1a00/apply">
  <h4>Submit your application</h4>
  <label>Resume/CV <input type="file" name="resume"></label>
  <label>Full name <input name="name"></label><label>Email <input name="email"></label>
  <button type="submit" class="template-btn-submit">Submit application</button>
</form></body></html>"""

CONFIRMATION = """<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>
<main><h1>{heading}</h1><p>{text}</p></main></body></html>"""

# A posting without structured data or a known marker: a title heading beside an apply control.
HEADING_PAGE = """<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>
<nav><a href="/">Start</a></nav><main><h1>{title}</h1><p>Nordlicht GmbH · Berlin</p>
<p>Wir suchen Verstärkung für unser Team.</p><button type="button">{apply}</button></main></body></html>"""

BLOG = """<!doctype html><html><head><title>How to write a cover letter</title></head><body>
<main><h1>How to write a cover letter</h1><p>Start with what you can do for them.</p>
<a href="/career-advice">More advice</a></main></body></html>"""

# An editorial article on a job site, with a sidebar of other jobs and their "Apply" links (a golden page).
ARTICLE = (ROOT / "tests" / "extract" / "not_a_posting" / "article-jobs-sidebar.html").read_text(encoding="utf-8")
ARTICLE_URL = "https://www.welcometothejungle.com/en/articles/negotiate-your-first-salary"

# A page of the job site whose script moves the address by itself (history.pushState, no click).
PROBE = """<!doctype html><html><head><title>Jobs</title></head><body><main id="main"></main><script>
function show(title) {
  const data = {"@context": "https://schema.org", "@type": "JobPosting", title,
                hiringOrganization: {"@type": "Organization", name: "Probe Co"}, datePosted: "2026-11-02",
                description: "<p>Probe things.</p>"};
  document.getElementById("main").innerHTML = `<h1>${title}</h1><script type="application/ld+json">` +
    JSON.stringify(data) + "<\\/script><a href='#apply'>Apply now</a>";
}
show("Probe Engineer");
</script></body></html>"""


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    server = RealHosts(tmp_path_factory.mktemp("certs"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory, hosts):
    # the toolbar popup as a person opens it (tools/README.md): the action triggered through DevTools
    debugging = ["--enable-unsafe-extension-debugging", "--remote-debugging-port=0"]
    with chromium_with(tmp_path_factory, dev_hosts=(), extra_args=hosts.chromium_args() + debugging) as browser:
        yield browser  # built as people get it


def in_toolbar_popup(chromium, page, look):
    """Click the extension's toolbar button on ``page`` (which grants the popup that tab, as a person's click does)
    and return ``look(popup)``: the popup is its own target, reached by a second DevTools connection."""
    from playwright.sync_api import sync_playwright

    session = chromium.context.browser.new_browser_cdp_session()
    try:
        tabs = session.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        target = next(t for t in tabs if t["url"] == page.url)
        session.send("Extensions.triggerAction", {"id": EXTENSION_ID, "targetId": target["targetId"]})
    finally:
        session.detach()
    port = (chromium.profile / "DevToolsActivePort").read_text().split()[0]
    answer = {}

    def run():  # Playwright's sync API runs one connection per thread
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            popup = wait_until(lambda: next((p for c in browser.contexts for p in c.pages
                                             if p.url.endswith("/popup/popup.html")), None), 10, "the toolbar popup")
            try:
                answer["value"] = look(popup)
            except Exception as error:  # noqa: BLE001 - raised again in the test's own thread
                answer["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in answer:
        raise answer["error"]
    return answer.get("value")


@pytest.fixture(scope="module")
def paired(chromium, companion):
    return pair_in_options(chromium, companion)


def popup_for(chromium, paired, page):
    return chromium.popup(chromium.tab_id(paired["options"], page.url))


def test_installing_opens_the_options_page_on_what_to_do_next(chromium):
    def options_tab():
        chromium.context.pages[0].wait_for_timeout(100)  # lets Playwright hear of the tab's navigation
        return next((p for p in chromium.context.pages if p.url.endswith("/options/options.html")), None)
    first = wait_until(options_tab, 10, "the options page to open by itself")
    first.wait_for_selector("body[data-state]")
    steps = first.inner_text("#start")
    assert "applied serve" in steps and "Pair with Applied" in steps and "I applied" in steps
    assert first.get_attribute("#webview", "href") == "http://127.0.0.1:7531/"
    assert first.inner_text("#pair") == "Pair with Applied"


def test_the_button_appears_on_a_posting_of_every_host_in_the_built_manifest(chromium, paired, hosts):
    postings = every_site_posting()
    assert len(postings) == len(chromium.manifest["content_scripts"][0]["matches"])  # each pattern the button runs on
    page = chromium.context.new_page()
    missing = []
    for pattern, url, html in postings:
        page.goto(hosts.add(url, html))
        try:
            chromium.wait_for_chip(page, lambda c: c["text"] == "I applied", timeout=5)
        except AssertionError:
            missing.append(f"{pattern} {url}")
    page.close()
    assert missing == [], "\n".join(missing)


def test_the_supported_postings_include_country_hosts_and_other_languages():
    hosts = {site: golden(site)[0].split("/")[2] for site in SITE_PAGES}
    assert hosts["linkedin"] == "ca.linkedin.com" and hosts["indeed"] == "ca.indeed.com"
    assert hosts["glassdoor"] == "www.glassdoor.ca" and hosts["seek"] == "au.seek.com"
    assert "Postuler" in golden("welcometothejungle")[1]  # French, no English apply word on the page
    assert "1-Click Apply" in golden("ziprecruiter")[1]


@pytest.mark.parametrize("host, lang, apply", [
    ("www.glassdoor.de", "de", "Jetzt bewerben"), ("www.glassdoor.fr", "fr", "Postuler"),
    ("www.glassdoor.es", "es", "Solicitar"), ("www.glassdoor.nl", "nl", "Solliciteren"),
    ("www.glassdoor.com.br", "pt", "Candidatar-se"), ("uk.indeed.com", "en", "Apply on employer site"),
])
def test_a_title_heading_beside_an_apply_control_is_a_posting_in_six_languages(chromium, paired, hosts, host, lang, apply):
    url = hosts.add(f"https://{host}/job-listing/backend-{lang}", HEADING_PAGE.format(lang=lang, title="Backend-Entwickler", apply=apply))
    page = chromium.page(url)
    try:
        assert chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    finally:
        page.close()


def test_a_page_of_a_job_site_without_a_posting_gets_no_button(chromium, paired, hosts):
    page = chromium.page(hosts.add("https://ca.indeed.com/career-advice/cover-letter", BLOG))
    time.sleep(1)  # the script looked, and looks again after changes
    assert chromium.chip(page) is None
    page.close()


def test_a_capture_on_levers_apply_page_records_the_posting_seen_before_it(chromium, paired, companion, hosts):
    posting, expected = hosts.add_golden("lever")
    hosts.add(LEVER_POSTING + "/apply", LEVER_APPLY)
    page = chromium.page(posting)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    page.click("a.postings-btn >> nth=0")  # "Apply for this job": the application form, a new page
    page.wait_for_url(LEVER_POSTING + "/apply")
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))

    application = application_for(companion, posting)
    assert application["title"] == expected["title"] and application["company"] == expected["company"]
    assert application_for(companion, LEVER_POSTING + "/apply") is None  # the form is not the posting
    page.close()


def posting_opening_a_tab(chromium, hosts, slug, path, html):
    """A posting whose link opens apply.workable.com/.../<path> (serving html) in a new tab: (posting, expected, page, tab)."""
    url, posting_html, expected = golden("workable")
    posting = hosts.add(url.replace("8E2F6A1C3B", slug), posting_html.replace(
        "</body>", f'<a id="new-tab" target="_blank" href="/tidewater-labs/j/{slug}/{path}">Go on</a></body>'))
    opened_url = hosts.add(f"https://apply.workable.com/tidewater-labs/j/{slug}/{path}", html)
    page = chromium.page(posting)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    with chromium.context.expect_page() as opened:
        page.click("#new-tab")
    tab = opened.value
    tab.wait_for_url(opened_url)
    return posting, expected, page, tab


def test_an_apply_form_opened_in_a_new_tab_records_the_posting_of_the_tab_it_came_from(chromium, paired, companion, hosts):
    posting, expected, page, tab = posting_opening_a_tab(chromium, hosts, "NEWTAB1", "apply/", LEVER_APPLY)
    chromium.wait_for_chip(tab, lambda c: c["text"] == "I applied")
    chromium.click_button(tab)
    chromium.wait_for_chip(tab, lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, posting)["title"] == expected["title"]
    assert application_for(companion, tab.url) is None
    tab.close()
    page.close()


def test_a_confirmation_page_opened_in_a_new_tab_says_truly_which_posting_it_logs(chromium, paired, companion, hosts):
    """Not "This tab showed this posting before the application form": this tab showed neither."""
    _, expected, page, tab = posting_opening_a_tab(chromium, hosts, "NEWTAB2", "apply/success", CONFIRMATION.format(
        lang="en", title="Application submitted", heading="Application submitted", text="We will be in touch."))
    chromium.wait_for_chip(tab, lambda c: c["text"] == "Log this application?")
    popup = popup_for(chromium, paired, tab)
    popup.wait_for_selector("#page-note")
    assert popup.inner_text("#page-note") == \
        "This page confirms an application, in a tab opened from this posting's page: it is the one logged."
    assert popup.input_value("#field-title") == expected["title"]
    for opened_page in (popup, tab, page):
        opened_page.close()


@pytest.mark.parametrize("site, lang, heading", [
    ("greenhouse", "en", "Thank you for applying!"),
    ("welcometothejungle", "fr", "Merci pour votre candidature"),
])
def test_a_confirmation_page_offers_to_log_the_posting_seen_before_it(chromium, paired, companion, hosts, site, lang, heading):
    posting, expected = hosts.add_golden(site)
    done = hosts.add(f"https://{posting.split('/')[2]}/confirmation/{site}",
                     CONFIRMATION.format(lang=lang, title=heading, heading=heading, text="…"))
    page = chromium.page(posting)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    page.goto(done)  # the site's form sent the application and showed its thank-you page
    chromium.wait_for_chip(page, lambda c: c["text"] == "Log this application?")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    application = application_for(companion, posting)
    assert application["title"] == expected["title"] and application["status"] == "applied"
    page.close()


def test_a_confirmation_page_logs_by_itself_when_the_person_chose_so(chromium, paired, companion, hosts):
    posting, expected = hosts.add_golden("workable")
    done = hosts.add("https://apply.workable.com/tidewater-labs/j/8E2F6A1C3B/apply/success",
                     CONFIRMATION.format(lang="en", title="Application submitted", heading="Application submitted",
                                         text="We will be in touch."))
    paired["options"].evaluate("chrome.storage.local.get('settings').then(({settings}) => "
                               "chrome.storage.local.set({settings: {...settings, autoLog: true}}))")
    try:
        page = chromium.page(posting)
        chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
        page.goto(done)
        chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
        assert application_for(companion, posting)["title"] == expected["title"]
        page.close()
    finally:
        paired["options"].evaluate("chrome.storage.local.get('settings').then(({settings}) => "
                                   "chrome.storage.local.set({settings: {...settings, autoLog: false}}))")


def test_the_popups_preview_saves_the_corrected_fields_for_later(chromium, paired, companion, hosts):
    url, expected = hosts.add_golden("smartrecruiters")
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    popup = popup_for(chromium, paired, page)
    popup.wait_for_selector("body[data-preview=read]")  # Applied's reading of the page has filled the fields
    assert popup.inner_text("#page-note") == "Check the details before saving:"  # the page has its button
    assert popup.input_value("#field-title") == expected["title"]  # filled from the page
    assert popup.input_value("#field-company") == expected["company"]
    popup.fill("#field-title", "Registered Nurse, ICU (nights)")
    popup.fill("#field-company", "Front Range Health")
    popup.fill("#field-location", "Denver, CO")
    popup.click("#save-later")
    popup.wait_for_selector("#app-title")
    application = application_for(companion, url)
    assert (application["title"], application["company"], application["locations"], application["status"]) == \
        ("Registered Nurse, ICU (nights)", "Front Range Health", ["Denver, CO"], "saved")
    assert popup.input_value("#app-status") == "saved"
    assert "null" not in popup.inner_text("body")
    page.close()


@contextmanager
def frozen(companion):
    """Applied stops answering (busy, or stopped by the system) while the body runs: its port still takes
    connections, and nothing comes back."""
    os.kill(companion.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(companion.process.pid, signal.SIGCONT)


def test_the_popup_offers_i_applied_within_a_second_while_applied_does_not_answer(chromium, paired, companion, hosts):
    url, html, expected = golden("ashby")
    url = hosts.add(url.replace("c0ffee00", "f00dfeed"), html)
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    tab = chromium.tab_id(paired["options"], url)
    popup = chromium.context.new_page()
    with frozen(companion):  # its preview of the page cannot come
        popup.goto(f"{chromium.base}/popup/popup.html?tab={tab}")
        popup.wait_for_selector("#capture", timeout=5000)
        offered = popup.evaluate("performance.getEntriesByName('applied:offered')[0].startTime")
        assert offered < 1000, f"'I applied' offered {offered:.0f} ms after the popup opened"
        assert expected["title"] in popup.input_value("#field-title")  # what the page itself says
    popup.click("#capture")
    popup.wait_for_selector("#app-title", timeout=15_000)
    assert application_for(companion, url)["title"] == expected["title"]
    popup.close()
    page.close()


# A posting on a careers site Applied has no module for: a JSON-LD @graph with a remote job (TELECOMMUTE)
GRAPH_POSTING = """<!doctype html><html lang="en"><head><title>Data Engineer - Northwind</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Northwind Careers"},
{"@type": "JobPosting", "title": "Data Engineer", "hiringOrganization": {"@type": "Organization", "name": "Northwind Traders"},
"jobLocationType": "TELECOMMUTE", "applicantLocationRequirements": {"@type": "Country", "name": "Canada"},
"datePosted": "2026-11-20", "description": "<p>Build the pipelines that move our orders data.</p>"}]}</script>
</head><body><h1>Data Engineer</h1><p>Build the pipelines that move our orders data.</p><a href="/apply">Apply now</a></body></html>"""


def test_the_toolbar_popup_offers_i_applied_within_a_second_on_a_site_without_a_module(chromium, paired, companion, hosts):
    url = hosts.add("https://careers.northwind.example/jobs/data-engineer", GRAPH_POSTING)
    page = chromium.page(url)
    assert chromium.chip(page) is None  # no button here: the popup reads the page when the person asks
    with frozen(companion):  # and Applied is busy: its reading cannot come
        offered = in_toolbar_popup(chromium, page, lambda popup: (
            popup.wait_for_selector("#capture", timeout=5000),
            popup.evaluate("performance.getEntriesByName('applied:offered')[0].startTime"),
            popup.input_value("#field-title"))[1:])
    assert offered[0] < 1000, f"'I applied' offered {offered[0]:.0f} ms after the popup opened"
    assert offered[1] == "Data Engineer"
    page.close()


def test_an_article_with_a_jobs_sidebar_is_asked_about_on_the_button_and_in_the_popup(chromium, paired, companion, hosts):
    url = hosts.add(ARTICLE_URL, ARTICLE)
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")  # a headline, and "Apply" links beside it
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["kind"] == "confirm")  # Applied reads no posting here: it asks
    assert application_for(companion, url) is None
    chromium.click_button(page)  # "Not a posting? Log anyway"
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    application = application_for(companion, url)
    assert application["review"]["needed"] is True and "title" in application["review"]["guessed"]

    other = hosts.add(ARTICLE_URL + "-again", ARTICLE)
    page.goto(other)
    popup = popup_for(chromium, paired, page)
    popup.wait_for_selector("#not-posting")  # the same verdict in the popup, before anything can be saved
    assert popup.locator("#capture").count() == 0
    popup.click("#log-anyway")
    popup.fill("#field-title", "Salary negotiation notes")
    popup.click("#capture")
    popup.wait_for_selector("#app-title")
    assert application_for(companion, other)["title"] == "Salary negotiation notes"
    popup.close()
    page.close()


def test_a_page_that_is_not_a_posting_asks_before_saving(chromium, paired, companion, hosts):
    url = hosts.add("https://www.glassdoor.com/blog/how-to-negotiate", BLOG.replace("cover letter", "salary talk"))
    page = chromium.page(url)
    popup = popup_for(chromium, paired, page)
    popup.wait_for_selector("#not-posting")
    assert popup.inner_text("#not-posting").startswith("This page doesn't look like a job posting. Log it anyway?")
    assert popup.locator("#capture").count() == 0  # nothing can be saved before the answer
    assert application_for(companion, url) is None
    popup.click("#log-anyway")
    popup.click("#capture")
    popup.wait_for_selector("#app-title")
    assert application_for(companion, url)["title"]
    assert "null" not in popup.inner_text("body")
    page.close()


def test_the_shortcut_on_a_page_that_is_not_a_posting_asks_on_the_page_first(chromium, paired, companion, hosts):
    url = hosts.add("https://www.monster.com/career-advice/resume-tips", BLOG)
    page = chromium.page(url)
    tab = chromium.tab_id(paired["options"], url)
    # What the keyboard shortcut and the page's context menu do.
    answer = paired["options"].evaluate("tabId => chrome.runtime.sendMessage({type: 'captureTab', tabId})", tab)
    assert answer["state"] == "confirm"
    chip = chromium.wait_for_chip(page, lambda c: c["kind"] == "confirm")
    assert chip["text"] == "Not a posting? Log anyway"
    assert application_for(companion, url) is None
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, url) is not None
    page.close()


def test_a_capture_to_check_says_so_on_the_page_and_opens_the_popup_on_the_fields(chromium, paired, companion, hosts):
    # A posting whose company nobody can read: saved, then offered for checking.
    url = hosts.add("https://www.glassdoor.de/job-listing/werkstudent", HEADING_PAGE.format(
        lang="de", title="Werkstudent Vertrieb", apply="Jetzt bewerben").replace("<p>Nordlicht GmbH · Berlin</p>", ""))
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    chromium.click_button(page)
    chip = chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    application = application_for(companion, url)
    if application["company"]:
        pytest.skip("the companion read a company on this page: nothing to check")
    assert chip["text"] == "Applied ✓ · check details"
    chromium.click_button(page)  # the toolbar popup opens by itself, on the fields to check
    session = chromium.context.new_cdp_session(page)
    try:
        wait_until(lambda: [t for t in session.send("Target.getTargets")["targetInfos"]
                            if t["url"] == f"{chromium.base}/popup/popup.html"], 5, "the toolbar popup")
    finally:
        session.detach()
    popup = popup_for(chromium, paired, page)  # the same popup, opened as a tab to look inside
    popup.wait_for_selector("#details:not([hidden])")
    assert popup.inner_text("#review-note") == "We could not read the company: please check."
    assert "missing" in popup.get_attribute("#field-company", "class")
    assert popup.evaluate("document.activeElement.id") == "field-company"  # the first field to fix, not the title
    popup.fill("#field-company", "Nordlicht GmbH")
    popup.click("#save-fields")
    popup.wait_for_selector("#app-company")
    assert application_for(companion, url)["company"] == "Nordlicht GmbH"
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓") and "check" not in c["text"])
    page.close()


def page_script(chromium, page, expression):
    """Run the page's own script, as the site would: no click or key of the person's behind it."""
    session = chromium.context.new_cdp_session(page)
    try:
        return session.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "userGesture": False})["result"].get("value")
    finally:
        session.detach()


def test_page_scripts_cannot_read_what_the_button_says(chromium, paired, companion, hosts):
    url = hosts.add("https://www.glassdoor.de/job-listing/probe-1", PROBE)
    capture_directly(companion, url, "Probe Engineer", "Probe Co", 1)
    page = chromium.page(url)
    chip = chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    assert chip["text_nodes"] == []  # drawn, not written
    assert page_script(chromium, page, "['Applied', 'follow up', 'I applied', 'Probe Co'].some(w => window.find(w))") is False
    size = f"JSON.stringify(document.querySelector('{HOST_TAG}').getBoundingClientRect().toJSON())"
    tracked_size = page_script(chromium, page, size)

    page.goto(hosts.add("https://www.glassdoor.de/job-listing/probe-2", PROBE))
    chromium.wait_for_chip(page, lambda c: c["text"] == "I applied")
    assert page_script(chromium, page, size) == tracked_size  # the same size whatever it says

    # The page moves its address to the tracked posting by itself: no lookup, so nothing to learn.
    page_script(chromium, page, "history.pushState({}, '', '/job-listing/probe-1'); show('Probe Engineer (again)')")
    time.sleep(1.5)
    assert chromium.chip(page)["text"] == "I applied"
    page.mouse.click(5, 5)  # once the person acts on the page, the address they are on is looked up
    chromium.wait_for_chip(page, lambda c: c["text"].startswith("Applied ✓"))
    page.close()


def sign_in_to_the_web_view(chromium, companion):
    page = chromium.page(f"http://127.0.0.1:{companion.port}/login#{companion.token}")
    page.wait_for_url(f"http://127.0.0.1:{companion.port}/", timeout=10_000)
    return page


def test_the_badge_follows_a_followup_done_in_the_web_view_within_5_seconds(chromium, paired, companion, hosts):
    capture_directly(companion, hosts.add("https://jobs.ashbyhq.com/old/1", "<p>gone</p>"), "Old Role", "Old Co", 20)
    due = companion.get(f"/api/followups?due={date.today().isoformat()}").json
    popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
    popup.wait_for_selector("#due li")
    count = due["count"]
    assert chromium.badge(popup) == str(count)
    assert popup.text_content("#due-count").startswith(f"Due ({count})")
    assert "overdue since" in popup.inner_text("#due") or "due today" in popup.inner_text("#due")
    popup.close()

    webview = sign_in_to_the_web_view(chromium, companion)
    item = webview.locator("#due-followups li.followup").first
    started = time.monotonic()
    item.locator("button", has_text="Done").click()
    options = paired["options"]
    wait_until(lambda: chromium.badge(options) == (str(count - 1) if count > 1 else ""), 5, "the badge to follow")
    assert time.monotonic() - started < 5
    webview.close()


def test_the_popup_lists_the_first_few_due_and_links_to_the_rest(chromium, paired, companion, hosts):
    for n in range(7):
        capture_directly(companion, hosts.add(f"https://jobs.ashbyhq.com/many/{n}", "<p>x</p>"), f"Role {n}", "Many Co", 25)
    popup = chromium.popup(chromium.tab_id(paired["options"], paired["options"].url))
    popup.wait_for_selector("#due li")
    count = companion.get(f"/api/followups?due={date.today().isoformat()}").json["count"]
    assert popup.locator("#due li").count() == 5
    assert popup.inner_text("#all-due") == f"See all {count} in Applied →"
    assert popup.get_attribute("#all-due", "href") == f"http://127.0.0.1:{companion.port}/"
    assert "overdue since" in popup.inner_text("#due")  # 25 days on: overdue, not "due today"
    assert chromium.badge(popup) == str(count)
