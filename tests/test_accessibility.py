"""Every page for keyboard, screen reader and phone: axe-core in real Chromium, and a 390 px wide screen.

axe-core (the npm package, see tests/axe.py) runs on each web view page with data and empty, and
on the extension's popup and options pages; nothing serious or critical may be found, in the light
and the dark colour scheme.
"""
from datetime import date, timedelta
from pathlib import Path

import pytest

from axe import axe_script, serious_violations
from conftest import Companion, posting_page
from test_extension_chromium import approve_pairing

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PAGES = ("/", "/applications", "/board", "/board?closed=1", "/followups", "/contacts", "/skills", "/insights",
         "/settings", "/applications?q=nothing-matches-this", "/replies")
TODAY = date.today()

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def days_ago(n):
    return (TODAY - timedelta(days=n)).isoformat()


def seed(server):
    """A search in full swing: every status, a remote job, one logged by hand, one page that was not a
    posting, contacts, a course, skills, a reason, a pairing request and a paired extension."""
    ids = {}
    rows = [("saved", "Platform Engineer", "Acme", None, "saved"), ("applied", "Data Analyst", "Globex", 20, None),
            ("screening", "Backend Engineer", "Initech", 14, "screening"),
            ("interviewing", "Site Reliability Engineer", "Hooli", 25, "interviewing"),
            ("offer", "Staff Engineer", "Stark", 40, "offer"), ("accepted", "Principal Engineer", "Wayne", 50, "accepted"),
            ("rejected", "Frontend Engineer", "Umbrella", 30, "rejected"),
            ("withdrawn", "QA Engineer", "Soylent", 30, "withdrawn"), ("ghosted", "ML Engineer", "Cyberdyne", 70, "ghosted"),
            ("archived", "Support Engineer", "Tyrell", 90, "archived")]
    paths = {"screening": ["screening"], "interviewing": ["interviewing"], "offer": ["interviewing", "offer"],
             "accepted": ["interviewing", "offer", "accepted"], "rejected": ["rejected"], "withdrawn": ["withdrawn"],
             "ghosted": ["ghosted"], "archived": ["archived"]}
    for slug, title, company, applied, _ in rows:
        body = {"url": f"https://jobs.example.com/{slug}", "html": posting_page(
            title, company, extra="<p>Kotlin, Python, Docker, Kubernetes and SQL.</p>")}
        if applied is None:
            body["status"] = "saved"
        else:
            body["applied_at"] = days_ago(applied)
        response = server.post("/api/applications", body)
        assert response.status == 201, response.text
        ids[slug] = response.json["application"]["id"]
        for step in paths.get(slug, []):
            assert server.patch(f"/api/applications/{ids[slug]}", {"status": step}).status == 200
    server.patch(f"/api/applications/{ids['applied']}", {"remote": "remote", "locations": ["Remote"],
                                                         "notes": "Asked a friend for a referral."})
    server.post(f"/api/applications/{ids['rejected']}/reasons", {"codes": ["skills_gap"], "text": "More Go, please."})
    server.post(f"/api/applications/{ids['interviewing']}/events", {"kind": "interview", "date": days_ago(2)})
    ids["by_hand"] = server.post("/api/applications", {"title": "Analyst", "company": "Career Fair Co"}).json["application"]["id"]
    not_posting = server.post("/api/applications", {"url": "https://jobs.example.com/about",
                                                    "html": "<html><head><title>About us</title></head><body>Hi</body></html>"})
    ids["not_posting"] = not_posting.json["application"]["id"]
    server.post("/api/contacts", {"name": "Grace Hopper", "email": "grace@example.com", "asked_at": days_ago(1),
                                  "application_ids": [ids["interviewing"]]})
    server.post("/api/courses", {"name": "Kubernetes basics", "skill": "Kubernetes", "progress": 40})
    server.patch("/api/settings", {"my_skills": ["python", "sql"], "your_name": "Sam Lee"})
    asked = server.post("/api/pair", {"name": "Chrome on my laptop"}, token=None)
    paired = server.post("/api/pair", {"name": "Firefox at work"}, token=None).json["id"]
    server.post(f"/api/pairings/{paired}/approve", {})
    assert asked.status == 201
    # Replies from mail: matched, to pick among candidates, to log, an interview with its date field.
    messages = Path(__file__).resolve().parent / "mail" / "messages"
    for name in ("05-greenhouse-update-which-role", "61-hooli-interview-never-applied", "62-initech-received-never-logged"):
        assert server.post("/api/mail/import", {"path": str(messages / f"{name}.eml")}).status == 200
    return ids


@pytest.fixture(scope="module")
def axe_path():
    return str(axe_script())


@pytest.fixture(scope="module")
def driver():
    with playwright.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(driver):
    chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    server = Companion(tmp_path_factory.mktemp("full")).start()
    server.ids = seed(server)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    server = Companion(tmp_path_factory.mktemp("empty")).start()
    yield server
    server.stop()


def signed_in_tab(browser, server, axe_path=None, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    if axe_path:
        context.add_init_script(path=axe_path)
    tab = context.new_page()
    tab.goto(f"{server.web_base}/login#{server.token}")
    tab.wait_for_url(f"{server.web_base}/")
    return tab


def check_pages(tab, server, paths):
    found = {}
    for path in paths:
        response = tab.goto(server.web_base + path)
        assert response.status in (200, 404), (path, response.status)
        tab.wait_for_load_state("load")
        problems = serious_violations(tab)
        print(f"axe {path}: {len(problems)} serious or critical")
        if problems:
            found[path] = problems
    return found


def detail_pages(server):
    return [f"/applications/{i}" for i in server.ids.values()]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_with_data_has_nothing_serious_for_axe(browser, full, axe_path, scheme):
    tab = signed_in_tab(browser, full, axe_path, color_scheme=scheme)
    found = check_pages(tab, full, PAGES + tuple(detail_pages(full)) + ("/no-such-page",))
    tab.context.close()
    assert not found, found


def test_every_page_empty_has_nothing_serious_for_axe(browser, empty, axe_path):
    tab = signed_in_tab(browser, empty, axe_path)
    found = check_pages(tab, empty, PAGES)
    tab.context.close()
    assert not found, found


def test_the_sign_in_page_has_nothing_serious_for_axe(browser, empty, axe_path):
    context = browser.new_context()
    context.add_init_script(path=axe_path)
    tab = context.new_page()
    tab.goto(empty.web_base + "/login")
    assert serious_violations(tab) == []
    context.close()


def test_an_open_move_menu_and_a_selection_have_nothing_serious_for_axe(browser, full, axe_path):
    tab = signed_in_tab(browser, full, axe_path)
    tab.goto(full.web_base + "/board")
    tab.locator(".move-menu summary").first.click()
    tab.locator("[data-select]").first.check()
    assert serious_violations(tab) == []
    tab.goto(full.web_base + "/followups")
    tab.locator("[data-select]").first.check()
    tab.locator(".draft summary").first.click()
    assert serious_violations(tab) == []
    tab.context.close()


# -- the focus ring ----------------------------------------------------------------------------------

def _luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_three_to_one(browser, full, scheme):
    tab = signed_in_tab(browser, full, color_scheme=scheme)
    tab.goto(full.web_base + "/applications")
    tab.keyboard.press("Tab")  # the skip link first, then the brand
    tab.keyboard.press("Tab")
    ring = tab.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        const card = getComputedStyle(document.querySelector('.topbar'));
        return {width: parseFloat(style.outlineWidth), style: style.outlineStyle,
                color: style.outlineColor, behind: card.backgroundColor};
    }""")
    tab.context.close()
    assert ring["style"] == "solid" and ring["width"] >= 2

    def rgb(text):
        parts = text[text.index("(") + 1:text.index(")")].replace(",", " ").replace("/", " ").split()
        assert len(parts) == 3 or float(parts[3]) == 1, f"the ring is translucent: {text}"
        return [float(p) for p in parts[:3]]

    assert _contrast(rgb(ring["color"]), rgb(ring["behind"])) >= 3


# -- phones ---------------------------------------------------------------------------------------

def test_no_page_scrolls_sideways_at_390_pixels(browser, full, empty):
    for server in (full, empty):
        tab = signed_in_tab(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        paths = PAGES + (tuple(detail_pages(server)) if hasattr(server, "ids") else ())
        wide = {}
        for path in paths:
            tab.goto(server.web_base + path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        tab.context.close()
        assert not wide, f"pages wider than the screen: {wide}"


def test_on_a_phone_the_status_form_comes_before_the_description(browser, full):
    tab = signed_in_tab(browser, full, viewport={"width": 390, "height": 844}, is_mobile=True)
    tab.goto(f"{full.web_base}/applications/{full.ids['screening']}")
    status = tab.locator("#status-form").bounding_box()
    description = tab.locator("#description").bounding_box()
    assert status["y"] + status["height"] < description["y"]
    assert status["y"] < 844 * 1.5  # within about a screen and a half of the top, not 3,000 px down
    tab.goto(f"{full.web_base}/settings")
    form = tab.locator("#settings-form")
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # not clipped
    assert tab.locator("#settings-form button[type=submit]").is_visible()
    tab.context.close()


# -- the extension's own pages -----------------------------------------------------------------------

def test_the_extension_popup_and_options_have_nothing_serious_for_axe(tmp_path, axe_path, full, driver):
    from companion.security import EXTENSION_ID
    from test_extension_chromium import build_extension

    folder = build_extension(tmp_path / "dist") / "chrome"
    base = f"chrome-extension://{EXTENSION_ID}/extension"
    context = driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
        args=CHROME_ARGS + [f"--disable-extensions-except={folder}", f"--load-extension={folder}"])
    try:
        context.add_init_script(path=axe_path)
        if not context.service_workers:
            context.wait_for_event("serviceworker", timeout=15_000)
        found = {}
        options = context.new_page()
        options.goto(f"{base}/options/options.html")
        options.wait_for_selector("body[data-state]")
        found["options, not paired"] = serious_violations(options)
        popup = context.new_page()
        popup.goto(f"{base}/popup/popup.html")
        popup.wait_for_selector("body[data-state]")
        found["popup, not paired"] = serious_violations(popup)
        # Paired with a companion that has follow-ups due: the popup lists them.
        options.fill("#port", str(full.port))
        options.click("button[type=submit]")
        options.wait_for_selector("body[data-state=unpaired]")
        options.click("#pair")
        options.wait_for_selector("body[data-state=pairing]")
        found["options, pairing"] = serious_violations(options)
        approve_pairing(full, options.inner_text("#pair-state"))  # by the code the options page shows
        options.wait_for_selector("body[data-state=ok]", timeout=10_000)
        found["options, paired"] = serious_violations(options)
        popup.reload()
        popup.wait_for_selector("body[data-state=ok]")
        popup.wait_for_selector("#followups h2")
        found["popup, paired"] = serious_violations(popup)
    finally:
        context.close()
    for where, problems in found.items():
        print(f"axe extension {where}: {len(problems)} serious or critical")
    assert not any(found.values()), found
