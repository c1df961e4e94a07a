"""The web view in real headless Chromium against a real companion: what a person sees and clicks."""
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import shown_code

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
# The same flags as /work/shared/tools/chromium_extension_e2e.py: quiet, sandbox-free, no network chatter.
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PAGES = ("/", "/applications", "/board", "/followups", "/contacts", "/skills", "/insights", "/settings")
TODAY = date.today()

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def days_ago(n):
    return (TODAY - timedelta(days=n)).isoformat()


def job_page(title, company, description):
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": title, "datePosted": days_ago(30),
            "hiringOrganization": {"@type": "Organization", "name": company}, "employmentType": "FULL_TIME",
            "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                           "value": {"@type": "QuantitativeValue", "minValue": 60000, "maxValue": 75000,
                                     "unitText": "YEAR"}},
            "description": description}
    # "<\/" keeps a "</script>" inside the description from closing the JSON-LD block early.
    block = json.dumps(data).replace("</", "<\\/")
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<script type="application/ld+json">{block}</script></head><body><h1>{title}</h1></body></html>')


def capture(companion, slug, title, company, description="<p>Python and SQL.</p>", **fields):
    response = companion.post("/api/applications", {"url": f"https://jobs.example.com/{slug}",
                                                    "html": job_page(title, company, description), **fields})
    assert response.status == 201, response.text
    return response.json["application"]


@pytest.fixture(scope="module")
def server(shared_companion):
    return shared_companion


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def console():
    """Every console error and uncaught page error seen in the module (CSP violations land here)."""
    return []


@pytest.fixture(scope="module")
def page(browser, server, console):
    """One signed-in tab for the module, through the link `applied serve` opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.on("console", lambda message: message.type == "error" and console.append(message.text))
    tab.on("pageerror", lambda error: console.append(str(error)))
    tab.goto(f"{server.web_base}/login#{server.token}")
    tab.wait_for_url(f"{server.web_base}/")
    yield tab
    context.close()


def open_page(page, server, path):
    response = page.goto(server.web_base + path)
    assert response.status == 200, (path, response.status)
    return response


def reloads(page, action):
    """Do something that changes data and wait for the page the change reloads to."""
    with page.expect_navigation():
        action()


# -- signing in ---------------------------------------------------------------------------------

def test_a_browser_that_is_not_signed_in_is_sent_to_sign_in(browser, server):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(server.web_base + "/applications")
    assert tab.url == f"{server.web_base}/login"
    tab.click("#token-sign-in summary")  # the last resort, folded below "Open Applied from the extension"
    tab.fill("#token", "not-the-token")
    tab.click("button[type=submit]")
    tab.wait_for_selector("#login-error:has-text('not this install')")
    context.close()


def test_the_sign_in_link_opens_the_start_page(page, server):
    open_page(page, server, "/")
    assert page.locator("h1").inner_text() == "Today"
    assert page.locator("nav .badge").count() == 1


# -- applications --------------------------------------------------------------------------------

def test_a_captured_application_is_listed_and_its_description_shown_sanitized(page, server):
    hostile = ('<p>Build <b>robots</b> in Python.</p><script>window.pwned = 1</script>'
               '<img src="x" onerror="window.pwned = 2"><a href="javascript:window.pwned = 3">click</a>')
    app = capture(server, "robots", "Robot Wrangler", "Acme Robotics", hostile, applied_at=days_ago(2))
    open_page(page, server, "/applications")
    row = page.locator(f"#applications-table tr[data-id='{app['id']}']")
    assert "Robot Wrangler" in row.inner_text() and "applied" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"{server.web_base}/applications/{app['id']}")
    description = page.locator("#description")
    assert "Build robots in Python." in description.inner_text()
    assert description.locator("b").inner_text() == "robots"
    assert description.locator("script, img").count() == 0
    assert description.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.locator("#salary").inner_text() == "€60,000–€75,000 a year"


def test_changing_the_status_updates_the_timeline_and_the_api(page, server):
    app = capture(server, "status", "Status Tester", "Globex", applied_at=days_ago(5))
    open_page(page, server, f"/applications/{app['id']}")
    page.select_option("#new-status", "interviewing")
    page.fill("#status-note", "phone screen went well")
    reloads(page, lambda: page.click("#status-form button[type=submit]"))
    assert page.locator("#app-status").inner_text() == "interviewing"
    newest = page.locator("#timeline li").first.inner_text()
    assert "Moved from applied to interviewing" in newest and "phone screen went well" in newest
    assert server.get(f"/api/applications/{app['id']}").json["application"]["status"] == "interviewing"


def test_a_move_the_pipeline_forbids_is_not_offered(page, server):
    app = capture(server, "saved", "Saved Role", "Initech", status="saved")
    open_page(page, server, f"/applications/{app['id']}")
    offered = page.locator("#new-status option").all_inner_texts()
    assert "applied" in offered and "rejected" not in offered  # not chosen before it was even sent


def test_notes_are_saved_with_their_line_breaks(page, server):
    app = capture(server, "notes", "Notes Role", "Hooli")
    open_page(page, server, f"/applications/{app['id']}")
    page.fill("#notes", "Ask about <team size>\nPrepare a demo")
    page.click("#notes-form button[type=submit]")
    page.wait_for_selector("#notice:has-text('Notes saved')")
    open_page(page, server, f"/applications/{app['id']}")
    assert page.input_value("#notes") == "Ask about <team size>\nPrepare a demo"
    assert server.get(f"/api/applications/{app['id']}").json["application"]["notes"] == \
        "Ask about &lt;team size&gt;<br>Prepare a demo"


def test_deleting_an_application_asks_first_then_removes_it(page, server):
    app = capture(server, "delete-me", "Doomed Role", "Umbrella")
    open_page(page, server, f"/applications/{app['id']}")
    page.once("dialog", lambda dialog: dialog.accept())
    reloads(page, lambda: page.click("button:has-text('Delete application')"))
    assert page.url == f"{server.web_base}/applications"
    assert server.get(f"/api/applications/{app['id']}").status == 404


@pytest.mark.parametrize("title, company, url", [
    ("Lighthouse Keeper", "Coastal Trust", "https://jobs.example.com/lighthouse"),
    ("Booth Recruiter", "Career Fair Ltd", None),  # sent by email, a referral, a career fair: no address
])
def test_adding_one_by_hand_opens_it(page, server, title, company, url):
    open_page(page, server, "/")
    if not page.is_visible("#m-title"):  # folded away once there are applications
        page.click("#manual-title")
    page.fill("#m-title", title)
    page.fill("#m-company", company)
    if url:
        page.fill("#m-url", url)
    page.click("#manual-form button[type=submit]")
    page.wait_for_url(f"{server.web_base}/applications/*")
    assert page.locator("#app-title").inner_text() == title
    assert company in page.locator(".page-head").inner_text()
    assert "Applied" in page.locator("#timeline").inner_text()


def test_an_address_the_companion_refuses_to_fetch_is_explained_next_to_the_form(page, server):
    open_page(page, server, "/")
    page.fill("#fetch-url", "http://127.0.0.1:9/job/1")
    page.click("[data-feature=fetch] button[type=submit]")
    error = page.locator("[data-feature=fetch] .form-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.url == f"{server.web_base}/"
    assert server.get("/api/applications?url=http://127.0.0.1:9/job/1").json["application"] is None


# -- follow-ups from the start page ----------------------------------------------------------------

def test_a_follow_up_marked_done_on_the_start_page_leaves_it_and_is_recorded(page, server):
    app = capture(server, "done", "Checkin Done", "Stark", applied_at=days_ago(20))
    open_page(page, server, "/")
    item = page.locator(f"[data-followup='{app['id']}-checkin-1']")
    assert "Check in with Stark" in item.inner_text()
    item.locator("summary").click()
    assert "Checking in on my application" in item.locator(".draft-subject").inner_text()
    reloads(page, lambda: item.locator("button:has-text('Done')").click())
    assert page.locator(f"[data-followup='{app['id']}-checkin-1']").count() == 0
    history = server.get(f"/api/applications/{app['id']}/history").json["history"]
    assert {"kind": "followup", "key": "checkin-1", "action": "done"}.items() <= history[-1].items()


def test_a_snoozed_follow_up_comes_back_three_days_later(page, server):
    app = capture(server, "snooze", "Checkin Snooze", "Wayne", applied_at=days_ago(20))
    open_page(page, server, "/")
    item = page.locator(f"[data-followup='{app['id']}-checkin-1']")
    reloads(page, lambda: item.get_by_role("button", name="Snooze 3 days").click())
    assert page.locator(f"[data-followup='{app['id']}-checkin-1']").count() == 0
    due_today = server.get("/api/followups").json["followups"]
    assert app["id"] not in [s["application_id"] for s in due_today]
    ahead = (TODAY + timedelta(days=30)).isoformat()
    later = server.get(f"/api/followups?application_id={app['id']}&due={ahead}").json["followups"][0]
    assert later["key"] == "checkin-1" and later["snoozed_until"] >= (TODAY + timedelta(days=3)).isoformat()


# -- contacts, skills, pairing -----------------------------------------------------------------------

def test_adding_a_contact_shows_them_with_a_thank_you_reminder(page, server):
    open_page(page, server, "/contacts")
    page.fill("#new-name", "Grace Hopper")
    page.fill("#new-email", "grace@example.com")
    page.fill("#new-role", "Rear admiral")
    page.fill("#new-asked", days_ago(1))
    page.fill("#new-notes", "Ship early; ask forgiveness.")
    reloads(page, lambda: page.click("#contact-form button[type=submit]"))
    card = page.locator("article[data-contact='Grace Hopper']")
    assert "Rear admiral" in card.inner_text() and "Ship early; ask forgiveness." in card.inner_text()
    assert "today" in card.locator(".thank-by").inner_text()
    [contact] = [c for c in server.get("/api/contacts").json["contacts"] if c["name"] == "Grace Hopper"]
    assert contact["email"] == "grace@example.com" and contact["thank_by"] == TODAY.isoformat()


def test_a_mistake_in_a_form_is_explained_next_to_it(page, server):
    open_page(page, server, "/contacts")
    page.fill("#new-name", "Typo Person")
    # Get past the browser's own check to reach the companion's (as an older browser would).
    page.evaluate("document.getElementById('new-every').removeAttribute('min')")
    page.fill("#new-every", "-5")
    page.click("#contact-form button[type=submit]")
    error = page.locator("#contact-form .form-error")
    error.wait_for()
    assert "keep_in_touch_every_days must be a whole number" in error.inner_text()


def test_setting_my_skills_turns_the_rest_into_gaps_with_course_links(page, server):
    capture(server, "skills-1", "Platform Engineer", "Acme", "<p>Python, Docker and Kubernetes.</p>")
    capture(server, "skills-2", "Backend Engineer", "Acme", "<p>Python and Docker.</p>")
    open_page(page, server, "/skills")
    page.fill("#my-skills", "python, k8s")
    reloads(page, lambda: page.click("#skills-form button[type=submit]"))
    gaps = page.locator("#gap-list li").all_inner_texts()
    assert any(text.startswith("Docker") for text in gaps)
    assert not any(text.startswith(("Python", "Kubernetes")) for text in gaps)
    assert page.locator("[data-gap='Docker'] a:has-text('Search Coursera')").count() == 1
    assert server.get("/api/settings").json["settings"]["my_skills"] == ["python", "k8s"]


def test_a_pairing_request_is_approved_from_the_start_page(page, server):
    asked = server.post("/api/pair", {"name": "Chrome on my laptop"}, token=None)
    assert asked.status == 201, asked.text
    request_id = asked.json["id"]
    open_page(page, server, "/")
    row = page.locator(f"#pairing-requests tr[data-pairing='{request_id}']")
    assert "Chrome on my laptop" in row.inner_text() and asked.json["code"] not in row.inner_text()
    assert "Only the code identifies your extension" in page.locator("#pairing-requests").inner_text()
    page.fill("#pairing-code", shown_code(asked.json))
    page.fill("#pairing-token", server.token)
    reloads(page, lambda: page.click("#pairing-approve button[type=submit]"))
    assert page.locator("#pairing-requests").count() == 0
    token = server.post(f"/api/pair/{request_id}/token", {}, token=None).json["token"]
    assert server.get("/api/applications", token=token).status == 200
    open_page(page, server, "/settings")
    assert "Chrome on my laptop" in page.locator("#paired-table").inner_text()


# -- every page: the CSP, a clean console, small screens ----------------------------------------------

def test_every_page_carries_the_csp_and_the_browser_reports_no_violation(page, server, console, tmp_path_factory):
    shots = tmp_path_factory.mktemp("screenshots")
    console.clear()  # earlier tests sent mistakes on purpose; the browser logs those 4xx answers
    for path in PAGES:
        response = open_page(page, server, path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.screenshot(path=str(shots / f"{path.strip('/') or 'home'}.png"), full_page=True)
    print(f"screenshots in {shots}")
    assert not [m for m in console if "Content Security Policy" in m], console
    assert console == [], "the pages logged errors"


def test_pages_fit_a_400_pixel_wide_screen(browser, server, page):
    context = browser.new_context(viewport={"width": 400, "height": 800}, color_scheme="dark")
    context.add_cookies(page.context.cookies())
    tab = context.new_page()
    for path in PAGES:
        tab.goto(server.web_base + path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} is {width} px wide"
    context.close()
