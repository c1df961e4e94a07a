"""Pages built to freeze the companion: every entry point reads them in under a second, and the companion
keeps answering meanwhile (issue 12, point 5).

Each input once took 12-27 s with a backtracking pattern or a substitution repeated until stable, holding
the interpreter lock so that even /api/ping waited. The bound is a correctness bound, not a benchmark.
"""
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import posting_page

LIMIT = 1.0
URL = "https://jobs.example.com/jobs/1"
PAGES = {
    "huge title": "<html><head><title>" + "Engineer " * 10000 + "</title></head><body><h1>"
                  + "Engineer " * 10000 + "</h1></body></html>",
    # a "|" at the end made the old backtracking title pattern try every split: 20 KB took 1.9 s, 78 KB 25 s
    "x at x at": "<html><head><title>" + "x at " * 16000 + "|</title><meta property='og:title' content='"
                 + "x at " * 16000 + "|'></head><body><h1>x</h1></body></html>",
    "nested empty tags": "<html><body><main>" + "<p><b><i><em><strong>" * 11000 + "x</main></body></html>",
    "nested divs": "<html><body>" + "<div>" * 50000 + "text" + "</div>" * 50000 + "</body></html>",
    "line breaks": "<html><body><main><p>" + "<br> " * 50000 + "x</p></main></body></html>",
}
DESCRIPTION = "<div>" * 20000 + "<p><b></b></p>" * 2000 + "x" + "</div>" * 20000  # 136 KB through import


class Pinger(threading.Thread):
    """Asks /api/ping every 50 ms while an entry point works; remembers the slowest answer."""

    def __init__(self, companion):
        super().__init__(daemon=True)
        self.companion, self.slowest, self.done = companion, 0.0, threading.Event()

    def run(self):
        while not self.done.is_set():
            started = time.monotonic()
            assert self.companion.get("/api/ping", token=None).status == 200
            self.slowest = max(self.slowest, time.monotonic() - started)
            time.sleep(0.05)


def timed(companion, call):
    pinger = Pinger(companion)
    pinger.start()
    started = time.monotonic()
    try:
        result = call()
    finally:
        elapsed = time.monotonic() - started
        pinger.done.set()
        pinger.join()
    return result, elapsed, pinger.slowest


@pytest.mark.parametrize("name", PAGES)
def test_capture_of_an_adversarial_page_is_quick_and_ping_keeps_answering(companion, name):
    response, elapsed, ping = timed(companion, lambda: companion.post(
        "/api/applications", {"url": URL + "?case=" + name.replace(" ", "-"), "html": PAGES[name]}))
    assert response.status == 201  # recorded, as any "I applied"
    assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


@pytest.mark.parametrize("name", PAGES)
def test_extract_command_reads_an_adversarial_page_quickly(tmp_path, name):
    page = tmp_path / "page.html"
    page.write_text(PAGES[name])
    command = subprocess.run([sys.executable, "-m", "companion.extract.command", str(page), "--url", URL],
                             capture_output=True, text=True, timeout=30)
    assert command.returncode in (0, 1), command.stderr  # a posting, or "not a posting": never a crash
    # the interpreter's start is no part of the reading: time the reading in the child itself
    code = ("import time, sys; from companion.extract import read; t = time.monotonic(); "
            "read(open(sys.argv[1], 'rb').read(), sys.argv[2]); print(time.monotonic() - t)")
    child = subprocess.run([sys.executable, "-c", code, str(page), URL], capture_output=True, text=True, timeout=30)
    assert float(child.stdout) < LIMIT


def test_import_of_a_deeply_nested_description_is_quick(companion):
    export = {"format": "applied", "version": 1, "applications": [
        {"url": URL, "status": "applied", "title": "Engineer", "company": "Acme", "description_html": DESCRIPTION}]}
    response, elapsed, ping = timed(companion, lambda: companion.post(
        "/api/import", {"format": "json", "data": export}))
    assert response.status == 200, response.text
    assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


def test_reextract_of_adversarial_pages_is_quick(companion):
    for name, html in PAGES.items():
        companion.post("/api/applications", {"url": URL + "?case=" + name.replace(" ", "-"), "html": html})
    response, elapsed, ping = timed(companion, lambda: companion.post("/api/reextract", {}))
    assert response.status == 200
    # five adversarial pages read back to back in one request, on a machine shared with other work:
    # each is bounded by a second, and the companion answers in between
    assert elapsed < LIMIT * len(PAGES) and ping < 2 * LIMIT, (elapsed, ping)


# -- issue 19, point 1: markup that never closes, wherever untrusted text comes in -------------------------
# "<a" repeated: the old nesting cap rescanned to the next ">" from every "<" (quadratic, holding the lock):
# 39 KB blocked /api/ping for 8 s, 78 KB for 27 s, through a capture, the popup's preview, notes and CSV cells.
UNCLOSED = {"39 KB": "<a" * 20_000, "78 KB": "<a" * 40_000}


def unclosed_posting(markup):
    # A description that is HTML (it opens with a paragraph): it is cleaned as HTML, unclosed tags and all.
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Engineer",
            "description": "<p>Build widgets.</p>" + markup,
            "hiringOrganization": {"@type": "Organization", "name": "Acme"}, "datePosted": "2026-11-02"}
    return (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><h1>Engineer</h1></body></html>")


@pytest.mark.parametrize("size", UNCLOSED)
@pytest.mark.parametrize("path", ["/api/applications", "/api/preview"])
def test_a_description_of_unclosed_tags_is_read_quickly_on_capture_and_preview(companion, size, path):
    page = unclosed_posting(UNCLOSED[size])
    response, elapsed, ping = timed(companion, lambda: companion.post(path, {"url": URL, "html": page}))
    assert response.status in (200, 201), response.text
    assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


@pytest.mark.parametrize("size", UNCLOSED)
def test_notes_of_unclosed_tags_are_quick_from_the_person_and_from_the_extension(companion, size):
    from test_pairing import paired_token

    application_id = companion.post("/api/applications", {"url": URL, "html": posting_page()}).json["application"]["id"]
    notes = UNCLOSED[size]
    notes = "<p>Call back on Monday.</p>" + notes  # notes in HTML, as the web view's editor sends them
    response, elapsed, ping = timed(companion, lambda: companion.patch(f"/api/applications/{application_id}",
                                                                        {"notes": notes}))  # the person's own
    assert response.status == 200 and elapsed < LIMIT and ping < LIMIT, (response.status, elapsed, ping)
    _, extension_token = paired_token(companion)
    for send in (lambda: companion.post("/api/applications", {"url": URL + "?notes", "html": posting_page(),
                                                               "notes": notes}, token=extension_token),
                 lambda: companion.patch(f"/api/applications/{application_id}", {"notes": notes},
                                         token=extension_token)):
        response, elapsed, ping = timed(companion, send)
        assert response.status < 500, response.text  # refused (notes are not the extension's), or kept: quickly
        assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


def unclosed_csv(markup):
    """Two rows of a Huntr export, whose descriptions are HTML (its htmlDescription column)."""
    from test_imports import HUNTR_HEADER

    cell = ("<p>Build widgets.</p>" + markup).replace('"', '""')
    return (f"{HUNTR_HEADER}\n"
            f'h1,2026-10-02T09:15:00.000Z,Engineer,,Riga,https://jobs.example.com/csv/1,example.com,"{cell}",,#fff,,'
            f"b1,Search,l1,Applied,c1,Acme,acme.com,\n"
            f'h2,2026-10-03T09:15:00.000Z,Analyst,,Riga,https://jobs.example.com/csv/2,example.com,"{cell}",,#fff,,'
            f"b1,Search,l1,Applied,c2,Initech,initech.com,\n")


@pytest.mark.parametrize("size", UNCLOSED)
@pytest.mark.parametrize("path", ["/api/import/preview", "/api/import"])
def test_csv_cells_of_unclosed_tags_are_quick_in_the_import_preview_and_the_import(companion, size, path):
    text = unclosed_csv(UNCLOSED[size])
    response, elapsed, ping = timed(companion, lambda: companion.post(path, {"format": "csv", "text": text}))
    assert response.status == 200, response.text
    assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


@pytest.mark.parametrize("markup", ["<h1" * 40_000, "</h1" * 40_000, "<a" * 40_000])
def test_the_sanitizer_is_linear_on_tags_that_never_close(markup):
    from companion.sanitize import clean_html, html_to_text

    started = time.monotonic()
    html_to_text(clean_html(markup))
    assert time.monotonic() - started < LIMIT


# -- issue 19, point 8: labelled facts on big pages -----------------------------------------------------------
# Each bare label word re-read its parent element's whole text: 6,000 labels in one element, or a page of
# "Label<br>value<br>" rows, took 9.4 s at 216 KB and 66 s at 1 MB, and eight popup previews at once pushed
# /api/ping to 2.4 s.
LABEL_PAGES = {
    "6,000 bare labels": "<html><body><h1>Engineer</h1><div>" + "<br>".join(["Location"] * 6000) + "</div></body></html>",
    "1 MB of label rows": "<html><body><h1>Engineer</h1><div>" + "".join(
        f"Location<br>Riga, office {n} {'x' * 150}<br>" for n in range(6000)) + "</div></body></html>",
}


@pytest.mark.parametrize("name", LABEL_PAGES)
def test_a_page_of_labels_is_captured_quickly(companion, name):
    page = LABEL_PAGES[name]
    response, elapsed, ping = timed(companion, lambda: companion.post(
        "/api/applications", {"url": URL + "?labels=" + name[:1], "html": page}))
    assert response.status == 201, response.text
    assert elapsed < LIMIT and ping < LIMIT, (elapsed, ping)


def test_eight_popup_previews_of_label_pages_at_once_keep_ping_fast(companion):
    page = LABEL_PAGES["1 MB of label rows"]

    def previews():
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda n: companion.post("/api/preview", {"url": f"{URL}?tab={n}", "html": page}),
                                    range(8)))
        return answers

    answers, elapsed, ping = timed(companion, previews)
    assert all(answer.status == 200 for answer in answers)
    # eight megabyte pages read on a 2-core machine: together bounded, and the companion answers in between
    assert ping < LIMIT, (elapsed, ping)


def test_a_label_followed_by_nothing_but_no_break_spaces_is_read_not_a_500(companion):
    """Found by the fuzzing behind issue 19: a run of no-break spaces escaped twice ("&amp;nbsp;", which reads
    "&nbsp;") cleaned to nothing, and reading the labels of a Rippling page then raised (a 500 from the popup's
    preview)."""
    page = ("<html><body><main><h1>Engineer</h1><dl><dt>Location</dt><dd>" + "&amp;nbsp;" * 300
            + "</dd></dl></main></body></html>")
    for path in ("/api/preview", "/api/applications"):
        response = companion.post(path, {"url": "https://ats.rippling.com/acme/jobs/1", "html": page})
        assert response.status in (200, 201), (path, response.text)
