"""The extension as built for people, in real headless Firefox ESR, on job pages served at their real addresses.

Firefox reaches boards.greenhouse.io, ca.linkedin.com... through a proxy on loopback whose tunnels end
at the local HTTPS server (job_hosts.py); the companion on 127.0.0.1 is reached directly.
"""
import time
from datetime import date

import pytest

from job_hosts import every_site_posting, golden
from test_extension_chromium import application_for, capture_directly, companion, wait_until  # noqa: F401
from test_extension_firefox import HOST_TAG, launch_firefox, pair_in_options
from test_extension_sites import (ARTICLE, ARTICLE_URL, BLOG, CONFIRMATION, HEADING_PAGE, LEVER_APPLY,  # noqa: F401
                                  LEVER_POSTING, frozen, hosts)


@pytest.fixture(scope="module")
def firefox(tmp_path_factory, hosts):
    # No prompt for the optional permission in this test profile: the checkbox's request is granted at once.
    preferences = {**hosts.firefox_preferences(), "extensions.webextOptionalPermissionPrompts": False}
    with launch_firefox(tmp_path_factory, dev_hosts=(), preferences=preferences, insecure_certs=True) as browser:
        yield browser


@pytest.fixture(scope="module")
def paired(firefox, companion):
    return pair_in_options(firefox, companion)


def open_posting(firefox, url):
    handle = firefox.page(url)
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    return handle


def popup_for(firefox, paired, url):
    firefox.on(paired["options"])
    return firefox.popup(firefox.tab_id(url))


def test_the_button_appears_on_a_posting_of_every_host_in_the_built_manifest(firefox, paired, hosts):
    postings = every_site_posting()
    assert len(postings) == len(firefox.manifest["content_scripts"][0]["matches"])  # each pattern the button runs on
    firefox.page("about:blank")
    missing = []
    for pattern, url, html in postings:
        firefox.driver.get(hosts.add(url, html))
        try:
            firefox.wait_for_chip(lambda c: c["text"] == "I applied", timeout=5)
        except AssertionError:
            missing.append(f"{pattern} {url}")
    firefox.driver.close()
    firefox.on(paired["options"])
    assert missing == [], "\n".join(missing)


def test_a_german_posting_without_structured_data_gets_the_button(firefox, paired, hosts):
    url = hosts.add("https://www.glassdoor.de/job-listing/ff-backend", HEADING_PAGE.format(
        lang="de", title="Backend-Entwickler", apply="Jetzt bewerben"))
    open_posting(firefox, url)
    firefox.driver.close()
    firefox.on(paired["options"])


def test_a_capture_on_levers_apply_page_records_the_posting_seen_before_it(firefox, paired, companion, hosts):
    posting, expected = hosts.add_golden("lever")
    hosts.add(LEVER_POSTING + "/apply", LEVER_APPLY)
    open_posting(firefox, posting)
    firefox.find("a.postings-btn").click()
    wait_until(lambda: firefox.driver.current_url.endswith("/apply"), 10, "the application form")
    firefox.wait_for_chip(lambda c: c["text"] == "I applied")
    firefox.find(HOST_TAG).click()
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, posting)["title"] == expected["title"]
    assert application_for(companion, LEVER_POSTING + "/apply") is None
    firefox.driver.close()
    firefox.on(paired["options"])


def test_a_confirmation_page_offers_to_log_the_posting_seen_before_it(firefox, paired, companion, hosts):
    posting, expected = hosts.add_golden("greenhouse")
    done = hosts.add("https://boards.greenhouse.io/fernhill/jobs/4012345/confirmation", CONFIRMATION.format(
        lang="de", title="Vielen Dank für Ihre Bewerbung", heading="Vielen Dank für Ihre Bewerbung", text="…"))
    open_posting(firefox, posting)
    firefox.driver.get(done)
    firefox.wait_for_chip(lambda c: c["text"] == "Log this application?")
    firefox.find(HOST_TAG).click()
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, posting)["title"] == expected["title"]
    firefox.driver.close()
    firefox.on(paired["options"])


def test_the_popups_preview_saves_the_corrected_fields(firefox, paired, companion, hosts):
    url, expected = hosts.add_golden("workday")
    page = open_posting(firefox, url)
    popup = popup_for(firefox, paired, url)
    firefox.wait_for("body[data-preview=read]")  # Applied's reading of the page has filled the fields
    field = firefox.find("#field-title")
    assert field.get_attribute("value") == expected["title"]
    field.clear()
    field.send_keys("Senior Data Engineer (Platform)")
    firefox.find("#capture").click()
    firefox.wait_for("#app-title")
    application = application_for(companion, url)
    assert (application["title"], application["status"]) == ("Senior Data Engineer (Platform)", "applied")
    assert "null" not in firefox.find("body").text
    for handle in (popup, page):
        firefox.on(handle).close()
    firefox.on(paired["options"])


def test_a_page_that_is_not_a_posting_asks_before_saving(firefox, paired, companion, hosts):
    url = hosts.add("https://www.ziprecruiter.com/blog/interview-tips", BLOG)
    page = firefox.page(url)
    popup = popup_for(firefox, paired, url)
    note = firefox.wait_for("#not-posting")
    assert note.text.startswith("This page doesn't look like a job posting. Log it anyway?")
    assert not firefox.driver.find_elements(firefox.By.CSS_SELECTOR, "#capture")
    assert application_for(companion, url) is None
    for handle in (popup, page):
        firefox.on(handle).close()
    firefox.on(paired["options"])


def test_the_popup_offers_i_applied_within_a_second_while_applied_does_not_answer(firefox, paired, companion, hosts):
    url, html, expected = golden("smartrecruiters")
    url = hosts.add(url.replace("744000098765432", "744000055500011"), html)
    page = open_posting(firefox, url)
    firefox.on(paired["options"])
    tab = firefox.tab_id(url)
    with frozen(companion):  # its preview of the page cannot come
        popup = firefox.page(f"{firefox.base}/popup/popup.html?tab={tab}")
        firefox.wait_for("#capture", timeout=5)
        offered = firefox.run("return performance.getEntriesByName('applied:offered')[0].startTime")
        assert offered < 1000, f"'I applied' offered {offered:.0f} ms after the popup opened"
    firefox.find("#capture").click()
    firefox.wait_for("#app-title", timeout=15)
    assert application_for(companion, url)["title"] == expected["title"]
    for handle in (popup, page):
        firefox.on(handle).close()
    firefox.on(paired["options"])


def test_an_article_with_a_jobs_sidebar_is_asked_about_on_the_button_and_in_the_popup(firefox, paired, companion, hosts):
    url = hosts.add(ARTICLE_URL, ARTICLE)
    page = open_posting(firefox, url)  # a headline, and "Apply" links beside it
    firefox.find(HOST_TAG).click()
    firefox.wait_for_chip(lambda c: c["kind"] == "confirm")  # Applied reads no posting here: it asks
    assert application_for(companion, url) is None
    firefox.find(HOST_TAG).click()  # "Not a posting? Log anyway"
    firefox.wait_for_chip(lambda c: c["text"].startswith("Applied ✓"))
    assert application_for(companion, url)["review"]["needed"] is True

    other = hosts.add(ARTICLE_URL + "-again", ARTICLE)
    firefox.driver.get(other)
    popup = popup_for(firefox, paired, other)
    firefox.wait_for("#not-posting")  # the same verdict in the popup, before anything can be saved
    assert not firefox.driver.find_elements(firefox.By.CSS_SELECTOR, "#capture")
    firefox.find("#log-anyway").click()
    firefox.find("#capture").click()
    firefox.wait_for("#app-title")
    assert application_for(companion, other) is not None
    for handle in (popup, page):
        firefox.on(handle).close()
    firefox.on(paired["options"])


def test_the_badge_follows_a_followup_done_in_the_web_view_within_5_seconds(firefox, paired, companion, hosts):
    capture_directly(companion, hosts.add("https://jobs.ashbyhq.com/ff-old/1", "<p>gone</p>"), "Old Fox Role", "Old Co", 20)
    count = companion.get(f"/api/followups?due={date.today().isoformat()}").json["count"]
    firefox.on(paired["options"])
    popup = firefox.popup(None)  # on no page in particular: it counts what is due
    firefox.wait_for("#due li")
    assert firefox.run("return browser.action.getBadgeText({})") == str(count)
    firefox.driver.close()
    firefox.on(paired["options"])

    webview = firefox.page(f"http://127.0.0.1:{companion.port}/login#{companion.token}")
    wait_until(lambda: firefox.driver.current_url == f"http://127.0.0.1:{companion.port}/", 10, "signing in")
    # Sign-in's script navigated here, which Selenium does not wait for: the button's handler comes
    # with the page's scripts, which have run once the page has loaded.
    wait_until(lambda: firefox.run("return document.readyState") == "complete", 10, "the start page to load")
    done = firefox.wait_for("#due-followups li.followup button[data-api$='/done']")
    started = time.monotonic()
    done.click()
    firefox.on(paired["options"])
    expected = str(count - 1) if count > 1 else ""
    wait_until(lambda: firefox.run("return browser.action.getBadgeText({})") == expected, 5, "the badge to follow")
    assert time.monotonic() - started < 5
    firefox.on(webview).close()
    firefox.on(paired["options"])
    assert popup not in firefox.driver.window_handles


def test_the_opt_in_shows_the_button_on_a_posting_of_any_site(firefox, paired, companion, hosts):
    posting = hosts.add("https://careers.nordlicht.example/jobs/42", HEADING_PAGE.format(
        lang="de", title="Data Engineer", apply="Jetzt bewerben"))
    blog = hosts.add("https://careers.nordlicht.example/blog", BLOG)
    firefox.page(posting)
    time.sleep(1)
    assert firefox.chip() is None  # not a site Applied knows, and the person has not opted in
    firefox.driver.close()

    firefox.on(paired["options"])
    firefox.driver.refresh()
    firefox.wait_for("body[data-state]")
    firefox.find("#everyPosting").click()  # asks the browser for every site at that moment
    wait_until(lambda: "every site" in firefox.find("#sites-state").text, 10, "the permission")
    assert firefox.run("return browser.permissions.contains({origins: ['https://*/*']})") is True

    open_posting(firefox, posting)
    firefox.driver.close()
    firefox.on(paired["options"])
    firefox.page(blog)
    time.sleep(1)
    assert firefox.chip() is None  # a page without a posting is left alone
    firefox.driver.close()

    firefox.on(paired["options"])
    firefox.find("#everyPosting").click()  # off again: the access is given back
    wait_until(lambda: firefox.run("return browser.permissions.contains({origins: ['https://*/*']})") is False,
               10, "the permission to go")
