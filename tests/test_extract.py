"""Golden files: every tests/extract/<site>/<name>.html is extracted and compared with <name>.json.

The JSON gives the inputs (``url``, ``captured_at``) and either the whole ``expected``
posting or ``"not_a_posting": true``. Regenerate nothing by hand-waving: a changed
output is read, judged, and the JSON edited to what a careful reader takes from the page.
"""
import datetime
import json
from pathlib import Path

import pytest

from companion.errors import NotAPosting
from companion.extract import KEYS, extract, page_title
from companion.extract.registry import SITES

FIXTURES = Path(__file__).parent / "extract"
PAGES = sorted(FIXTURES.glob("*/*.html"))


def _load(page):
    case = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return case, page.read_bytes(), datetime.date.fromisoformat(case["captured_at"])


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_extract_matches_golden_file(page):
    case, html, captured_at = _load(page)
    if case.get("not_a_posting"):
        with pytest.raises(NotAPosting):
            extract(html, case["url"], captured_at)
        return
    expected = case["expected"]
    got = extract(html, case["url"], captured_at)
    assert list(got) == list(KEYS), "output keys differ from the schema"
    wrong = [f"  {key}:\n    expected {expected.get(key)!r}\n    got      {got.get(key)!r}"
             for key in KEYS if got.get(key) != expected.get(key)]
    assert not wrong, f"{page.relative_to(FIXTURES)}: fields differ\n" + "\n".join(wrong)


def test_every_page_has_a_golden_json():
    missing = [str(p.relative_to(FIXTURES)) for p in PAGES if not p.with_suffix(".json").exists()]
    assert not missing


def test_every_site_module_has_a_golden_page():
    covered = {p.parent.name for p in PAGES}
    assert set(SITES) <= covered, f"site modules without a page: {sorted(set(SITES) - covered)}"


@pytest.mark.parametrize("page", PAGES[:3], ids=lambda p: p.stem)
def test_extract_reads_the_same_page_as_text_or_bytes(page):
    case, html, captured_at = _load(page)
    if case.get("not_a_posting"):
        pytest.skip("not a posting")
    assert extract(html.decode("utf-8"), case["url"], captured_at) == extract(html, case["url"], captured_at)


def test_extract_decodes_a_declared_legacy_charset():
    html = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9 manager</title></head><body>'
            '<script type="application/ld+json">{"@type":"JobPosting","title":"G\u00e9rant de caf\u00e9",'
            '"hiringOrganization":{"name":"Caf\u00e9 Fran\u00e7ois"},"description":"<p>Ouvrir le caf\u00e9 \u2013 '
            'tous les matins.</p>"}</script></body></html>').encode("cp1252")
    posting = extract(html, "https://cafe.example/jobs/1", datetime.date(2026, 1, 1))
    assert posting["title"] == "G\u00e9rant de caf\u00e9"
    assert posting["company"] == "Caf\u00e9 Fran\u00e7ois"
    assert "\u2013" in posting["description_text"]


def test_extract_survives_broken_bytes_and_markup():
    html = b"\xff\xfe\x00<html><body><h1>Job</h1><div><p>unclosed <b>bold <i>\x81\x8d\x00" + b"<div>" * 3000
    with pytest.raises(NotAPosting):
        extract(html, "https://example.com/jobs/1")


def _jsonld_page(*nodes, body=""):
    blocks = "".join('<script type="application/ld+json">%s</script>' % json.dumps(node) for node in nodes)
    return f"<html><head>{blocks}</head><body>{body}</body></html>"


def test_extract_reads_the_work_arrangement_from_the_title_suffix_it_drops():
    page = _jsonld_page({"@type": "JobPosting", "title": "Data Engineer (Remote)",
                         "hiringOrganization": {"name": "Acme"}, "description": "<p>Build our data platform.</p>",
                         "jobLocation": {"address": {"addressLocality": "Toronto", "addressCountry": "CA"}}})
    posting = extract(page, "https://acme.example/jobs/1", datetime.date(2026, 1, 1))
    assert posting["title"] == "Data Engineer" and posting["remote"] == "remote"


def test_extract_replaces_lone_surrogates_from_json_escapes():
    # a JSON string cut in the middle of an emoji keeps half of its surrogate pair
    page = ('<script type="application/ld+json">{"@type": "JobPosting", "title": "Barista \\ud83d",'
            '"hiringOrganization": {"name": "Caf\\u00e9"}, "description": "<p>Pour coffee \\ud83d</p>"}</script>')
    posting = extract(page, "https://cafe.example/jobs/1", datetime.date(2026, 1, 1))
    assert posting["title"] == "Barista \ufffd" and posting["description_text"] == "Pour coffee \ufffd"
    json.dumps(posting, ensure_ascii=False).encode("utf-8")  # printable and storable


@pytest.mark.parametrize("html", [
    '<script type="application/ld+json">' + "[" * 100_000 + "</script><h1>Deep</h1>",
    '<script type="application/ld+json">{"@type": "JobPosting", "x": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}</script>",
    "<script>window.__appData = " + "[" * 100_000 + "</script>",
], ids=["array", "object", "assigned"])
def test_extract_refuses_json_nested_beyond_the_stack_without_crashing(html):
    with pytest.raises(NotAPosting):
        extract(html, "https://jobs.ashbyhq.com/acme/1")


def test_extract_survives_deeply_nested_microdata():
    html = ('<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Welder</h1>'
            + '<div itemprop="x" itemscope>' * 3000 + "</div>" * 3000 + "</div>")
    assert extract(html, "https://example.com/jobs/1")["title"] == "Welder"


def test_extract_judges_several_postings_whose_titles_are_lists():
    page = _jsonld_page(*({"@type": "JobPosting", "title": [f"Job {i}"]} for i in range(3)), body="<h1>Openings</h1>")
    with pytest.raises(NotAPosting):
        extract(page, "https://example.com/jobs")


def test_extract_reads_the_posting_past_an_article_inside_a_cookie_banner():
    body = ("<p>Acme Fabrication is looking for an experienced welder to join our workshop team in Leeds.</p>"
            "<p>Responsibilities: you will weld steel structures to drawings and keep the bay safe.</p>"
            "<p>Requirements: three years of experience with MIG and TIG welding, and the skills to read drawings.</p>")
    html = ('<html><head><title>Welder - Acme Fabrication</title></head><body><div id="cookie-banner"><article>'
            "<p>We use cookies to improve your experience on our website. Accept all cookies?</p></article></div>"
            f'<div class="content"><h1>Welder</h1><p class="location">Leeds, England</p><div>{body}'
            '<a href="/jobs/welder/apply">Apply now</a></div></div></body></html>')
    posting = extract(html, "https://acme.example/jobs/welder", datetime.date(2026, 1, 1))
    assert posting["description_text"].startswith("Acme Fabrication is looking") and "cookies" not in posting["description_text"]


def test_extract_takes_no_apply_link_from_similar_jobs():
    html = ('<html><head><title>Welder - Acme Fabrication</title></head><body><main><h1>Welder</h1>'
            '<p class="location">Leeds, England</p><div>'
            "<p>Acme Fabrication is looking for an experienced welder to join our workshop team in Leeds.</p>"
            "<p>Responsibilities: you will weld steel structures to drawings and keep the bay safe.</p>"
            "<p>Requirements: three years of experience with MIG and TIG welding. Send your CV to our office.</p>"
            '</div><section class="similar-jobs"><h2>Similar jobs</h2><ul><li><a href="/jobs/fitter">Fitter</a> '
            '<a href="/jobs/fitter/apply">Apply now</a></li></ul></section></main></body></html>')
    assert extract(html, "https://acme.example/jobs/welder", datetime.date(2026, 1, 1))["apply_url"] is None


@pytest.mark.parametrize("page, before, empty_label", [
    ("careerbeacon/halifax-lpn", '<dl class="job-info">', "<dt></dt><dd></dd>"),
    ("icims/job-iframe", '<div class="iCIMS_JobHeaderTag">', '<div class="iCIMS_JobHeaderTag"><dt '
     'class="iCIMS_JobHeaderField"></dt><dd class="iCIMS_JobHeaderData">x</dd></div>'),
], ids=["careerbeacon", "icims"])
def test_site_label_lists_read_past_an_empty_label(page, before, empty_label):
    case, html, captured_at = _load(FIXTURES / f"{page}.html")
    html = html.decode("utf-8").replace(before, before + empty_label if page.startswith("careerbeacon")
                                        else empty_label + before, 1)
    assert empty_label in html
    assert extract(html, case["url"], captured_at) == case["expected"]


def test_extract_refuses_a_url_that_is_not_http():
    from companion.errors import ValidationError

    with pytest.raises(ValidationError):
        extract("<html></html>", "ftp://example.com/job")


def test_page_title_reads_title_or_og_title():
    assert page_title(b"<html><head><title> Jobs | Example </title></head></html>") == "Jobs | Example"
    assert page_title('<meta property="og:title" content="Login wall">') == "Login wall"
    assert page_title("") is None


# -- the `applied extract` command -------------------------------------------------------------
def test_a_written_date_outranks_one_counted_back_when_a_page_is_read_again_later():
    # The Indeed page says "Posted 5 days ago" and its JSON-LD says 2026-10-03: read a month
    # after the capture (applied reextract), the counted-back date would drift; the written one holds.
    page = (FIXTURES / "indeed" / "viewjob.html").read_bytes()
    url = "https://ca.indeed.com/viewjob?jk=8c1f2e3d4b5a6978"
    assert extract(page, url, datetime.date(2026, 10, 8))["date_posted"] == "2026-10-03"
    assert extract(page, url, datetime.date(2026, 11, 8))["date_posted"] == "2026-10-03"


def test_a_date_counted_back_is_used_when_the_page_gives_no_written_one():
    # LinkedIn's guest page only says "2 weeks ago": the date follows the capture day.
    page = (FIXTURES / "linkedin" / "guest.html").read_bytes()
    url = "https://ca.linkedin.com/jobs/view/junior-data-analyst-at-maple-ledger-4100200300"
    assert extract(page, url, datetime.date(2026, 10, 16))["date_posted"] == "2026-10-02"
    assert extract(page, url, datetime.date(2026, 10, 23))["date_posted"] == "2026-10-09"


from click.testing import CliRunner  # noqa: E402

from companion.extract.command import extract_command  # noqa: E402


def test_command_prints_the_posting_as_json():
    page = FIXTURES / "seek" / "job.html"
    case = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(extract_command, [str(page), "--url", case["url"], "--captured-at", case["captured_at"]])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == case["expected"]


def test_command_reads_stdin_and_finds_the_url_in_the_page():
    html = (FIXTURES / "indeed" / "viewjob.html").read_bytes()
    result = CliRunner().invoke(extract_command, ["-", "--captured-at", "2026-10-08"], input=html)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == "https://ca.indeed.com/viewjob?jk=8c1f2e3d4b5a6978"


def test_command_exits_1_with_one_line_when_the_page_is_not_a_posting():
    page = FIXTURES / "not_a_posting" / "blog-post.html"
    result = CliRunner().invoke(extract_command, [str(page), "--url", "https://blog.example/post"])
    assert result.exit_code == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["missing.html", "--url", "https://example.com/j"],
    [str(FIXTURES / "seek" / "job.html"), "--url", "https://example.com/j", "--captured-at", "yesterday"],
    [str(FIXTURES / "not_a_posting" / "empty.html")],
])
def test_command_exits_2_on_bad_input(args):
    result = CliRunner().invoke(extract_command, args)
    assert result.exit_code == 2


def test_scaffold_writes_module_page_and_json_that_load(tmp_path):
    import importlib.util

    from companion.extract.scaffold import scaffold

    (tmp_path / "companion" / "extract" / "sites").mkdir(parents=True)
    module, page, golden = scaffold("acmejobs", url="https://acmejobs.com/jobs/9", root=tmp_path)
    spec = importlib.util.spec_from_file_location("companion.extract.sites.acmejobs", module)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    assert loaded.Acmejobs.key == "acmejobs" and loaded.Acmejobs.matches_host("www.acmejobs.com")
    assert json.loads(golden.read_text())["expected"]["source"] == "acmejobs" and page.exists()
    with pytest.raises(FileExistsError):
        scaffold("acmejobs", root=tmp_path)


def test_every_site_module_is_listed_in_the_extract_readme():
    readme = (Path(__file__).parents[1] / "companion" / "extract" / "README.md").read_text(encoding="utf-8")
    missing = [key for key in SITES if f"(`{key}`)" not in readme]
    assert not missing, f"site modules missing from the README's supported sites: {missing}"


def _site_urls():
    urls = {}
    for page in PAGES:
        if not page.with_suffix(".json").exists():
            continue  # test_every_page_has_a_golden_json says so
        case = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        source = (case.get("expected") or {}).get("source")
        if source in SITES:
            urls.setdefault(source, case["url"])
    return sorted(urls.items())


_HOSTILE = ("<html><head><title>" + "Engineer at Acme " * 2000 + "</title></head><body>"
            + "<div><span>Location</span><p>x</p>" * 1500 + "<div>" * 2000 + "</div>" * 2000
            + "<dl>" + "<dt>Location:</dt><dd>Berlin</dd>" * 1500 + "</dl>"
            + "<span>" * 2000 + "Salary: 1" + "</span>" * 2000
            + "<script>window.pageData = " + "[" * 50_000 + "</script></body></html>")


@pytest.mark.parametrize("key, url", _site_urls(), ids=[key for key, _ in _site_urls()])
def test_site_modules_read_a_hostile_page_at_their_own_address_within_a_second(key, url):
    import time

    from companion.extract.base import FIELDS
    from companion.extract.page import Page

    site = SITES[key](Page(_HOSTILE, url), datetime.date(2026, 1, 1))
    started = time.perf_counter()
    for name in ("is_posting", "canonical", *FIELDS):
        try:
            getattr(site, name)()
        except Exception:  # noqa: BLE001 - the engine logs a failing reader and goes on; only the time counts here
            pass
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("status, remote", [
    ("Helt på distans", "remote"), ("Delvis på distans", "hybrid"), ("Volledig op afstand", "remote"),
    ("Hybride", "hybrid"), ("Teilweise Homeoffice", "hybrid"), ("Vor Ort", "onsite"), ("Fully Remote", "remote"),
])
def test_teamtailor_reads_the_remote_status_in_the_career_site_language(status, remote):
    page = ('<html><head><meta property="og:site_name" content="Nordlys"></head><body><main><h1>Elektriker</h1>'
            f'<dl><dt>Platser</dt><dd>Malmö</dd><dt>Distansarbete</dt><dd>{status}</dd></dl>'
            '<a href="/jobs/77-elektriker/applications/new">Ansök</a>'
            "<p>Nordlys söker en elektriker som installerar solceller och batterier hos våra kunder.</p></main></body></html>")
    posting = extract(page, "https://nordlys.teamtailor.com/jobs/77-elektriker", datetime.date(2026, 1, 1))
    assert posting["remote"] == remote and posting["locations"] == ["Malmö"] and posting["company"] == "Nordlys"


def test_extract_takes_the_title_the_page_title_names_over_a_slogan_heading():
    body = "<p>You will build pipelines with our data team; experience with SQL and Python is required.</p>" * 4
    html = ('<html><head><title>Data Engineer | Acme</title></head><body><h1>Join our mission</h1>'
            f'<p>Location: Leeds</p>{body}<a href="/jobs/data-engineer/apply">Apply now</a></body></html>')
    posting = extract(html, "https://acme.example/jobs/data-engineer", datetime.date(2026, 1, 1))
    assert (posting["title"], posting["company"], posting["locations"]) == ("Data Engineer", "Acme", ["Leeds"])


def test_extract_takes_the_heading_over_a_title_that_names_the_site():
    body = "<p>You will build pipelines with our data team; experience with SQL and Python is required.</p>" * 4
    html = (f'<html><head><title>Acme Labs</title></head><body><h1>Data Engineer</h1>{body}'
            '<table><tr><th>Location</th><td>Riga, Latvia</td></tr><tr><th>Type of job</th><td>full-time</td></tr>'
            '</table></body></html>')
    posting = extract(html, "https://labs.acme.example/careers/data-engineer/", datetime.date(2026, 1, 1))
    assert (posting["title"], posting["locations"], posting["employment_type"]) == (
        "Data Engineer", ["Riga, Latvia"], "full_time")


def test_a_site_module_on_a_layout_it_does_not_know_leaves_pay_to_the_generic_readers():
    """CareerBuilder's module says "no pay" only on its own layout; an old page of the same host still has its pay read."""
    body = "<p>Keep our warehouse systems running and train the night shift on the new scanners.</p>" * 3
    html = ("<html><head><title>Systems Technician Job in Omaha, Nebraska - CareerBuilder</title></head><body>"
            "<h1>Systems Technician</h1><table><tr><td>Location:</td><td>US-NE-Omaha</td></tr>"
            "<tr><td>Base Pay:</td><td>$52,000 - $58,000 /Year</td></tr></table>"
            f"{body}<a href='/apply'>Apply Now</a></body></html>")
    posting = extract(html, "http://www.careerbuilder.com/JobSeeker/Jobs/JobDetails.aspx?job_did=J1", datetime.date(2026, 1, 1))
    assert posting["salary"] == {"min": 52000, "max": 58000, "currency": "USD", "period": "year"}


def test_recruitee_reads_the_job_type_from_its_dutch_label_when_the_offer_has_no_type_code():
    """The offer in data-props gives no employment type code: the "Dienstverband" row still gives the job type."""
    props = json.dumps({"appConfig": {"offers": [{"slug": "verpleegkundige", "title": "Verpleegkundige",
                                                   "companyName": "ZorgPlus"}]}})
    html = (f"<html><body><div data-component='PublicApp' data-props='{props}'></div><main><h1>Verpleegkundige</h1>"
            "<dl><dt>Dienstverband</dt><dd>Fulltime</dd><dt>Locatie</dt><dd>Utrecht</dd></dl><p>Wij zoeken een "
            "verpleegkundige voor onze kliniek in Utrecht, met ervaring in de wijkzorg.</p>"
            '<a href="/o/verpleegkundige/c/new">Solliciteer</a></main></body></html>')
    posting = extract(html, "https://zorgplus.recruitee.com/o/verpleegkundige", datetime.date(2026, 1, 1))
    assert (posting["source"], posting["company"], posting["employment_type"]) == ("recruitee", "ZorgPlus", "full_time")
