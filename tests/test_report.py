"""The work-search report through the API and the CLI: exactly the activities in the range, in date order, by week."""
import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, posting_page
from test_pairing import CHROME, paired_token

MONDAY = date.today() - timedelta(days=date.today().weekday() + 21)  # three weeks back, a Monday


def day(n):
    return (MONDAY + timedelta(days=n)).isoformat()


def applied(*args, data_dir):
    result = subprocess.run([sys.executable, "-m", "companion", *map(str, args), "--data-dir", str(data_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env=dict(os.environ))
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def searched(companion):
    """Two weeks of a search, with activity on both sides of the range [day 0, day 13]."""
    def capture(slug, title, company, on):
        response = companion.post("/api/applications", {"url": f"https://jobs.example.com/{slug}",
                                                        "html": posting_page(title, company), "applied_at": on})
        assert response.status == 201, response.text
        return response.json["application"]["id"]

    oldco = capture("before", "Too Early", "Oldco", day(-2))
    northwind = capture("northwind", "Data Engineer", "Northwind", day(1))
    capture("formula", "Analyst", '=HYPERLINK("http://evil","x")', day(8))
    capture("after", "Too Late", "Newco", day(15))
    assert companion.post(f"/api/applications/{northwind}/events",
                          {"kind": "interview", "date": day(9), "note": "video call with the team"}).status == 201
    assert companion.post("/api/contacts", {"name": "Ana Lima", "email": "ana@northwind.example", "company": "Northwind",
                                            "role": "Data lead", "application_ids": [northwind],
                                            "asked_at": day(3), "answered_at": day(4)}).status == 201
    suggestion = companion.get(f"/api/followups?application_id={oldco}&due={day(30)}").json["followups"][0]
    assert companion.post(f"/api/followups/{oldco}/{suggestion['key']}/done", {"date": day(11)}).status == 200
    course = companion.post("/api/courses", {"name": "SQL basics", "provider": "edX"}).json["course"]["id"]
    assert companion.post(f"/api/courses/{course}/hours", {"hours": 2.5, "date": day(10)}).status == 200
    assert companion.request("PUT", "/api/settings/your_name", {"value": "Sam Doe"}).status == 200
    return companion


def test_the_report_holds_exactly_the_activities_in_the_range_in_date_order(searched):
    body = searched.get(f"/api/report?from={day(0)}&to={day(13)}").json
    assert body["person"] == "Sam Doe"
    assert [(r["date"], r["activity"], r["employer"]) for r in body["rows"]] == [
        (day(1), "applied", "Northwind"),
        (day(4), "informational interview", "Northwind"),
        (day(8), "applied", '=HYPERLINK("http://evil","x")'),
        (day(9), "interviewed", "Northwind"),
        (day(10), "course", "edX"),
        (day(11), "followed up", "Oldco"),
    ]
    first = body["rows"][0]
    assert (first["position"], first["contact_name"], first["contact_email"], first["method"]) == \
        ("Data Engineer", "Ana Lima", "ana@northwind.example", "online")
    assert body["rows"][3]["method"] == "online" and body["rows"][4]["result"] == "2.5 h"
    assert [(w["start"], w["total"]) for w in body["weeks"]] == [(day(0), 2), (day(7), 4)]


def test_the_cli_writes_the_csv_with_a_header_row_and_formulas_defused(searched, tmp_path):
    out = tmp_path / "report.csv"
    code, _, err = applied("report", "--from", day(0), "--to", day(13), "--format", "csv", "-o", out,
                           data_dir=searched.data_dir)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["Date", "Employer", "Position", "Posting address", "Contact", "Email", "Phone", "Method",
                       "Activity", "Result or status"]
    assert [r[0] for r in rows[1:]] == [day(1), day(4), day(8), day(9), day(10), day(11)]
    assert rows[3][1] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_the_cli_writes_printable_html_a_page_per_week_without_navigation(searched, tmp_path):
    out = tmp_path / "report.html"
    code, _, err = applied("report", "--from", day(0), "--to", day(13), "-o", out, data_dir=searched.data_dir)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "Sam Doe" in html and html.count('class="report-week"') == 2
    assert "@media print" in html and "page-break-after: always" in html
    assert "<nav" not in html and "<script" not in html
    assert "Too Late" not in html and html.count("Too Early") == 1  # its follow-up, not its application
    assert html.index("Data Engineer") < html.index("Analyst") < html.index("SQL basics") < html.index("Too Early")
    assert "Week total: 2" in html and "Week total: 4" in html


@pytest.mark.parametrize("args, message", [
    (("--from", day(5), "--to", day(1)), "comes before"),
    (("--from", "last monday", "--to", day(1)), "--from"),
    (("--from", "2000-01-01", "--to", "2026-01-01"), "at most three years"),
])
def test_a_bad_range_is_one_readable_line(data_dir, args, message):
    code, out, err = applied("report", *args, data_dir=data_dir)
    assert code == 1 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("query", ["", f"from={day(0)}", f"from={day(0)}&to={day(3)}&format=pdf",
                                   f"from=yesterday&to={day(3)}"])
def test_the_api_answers_a_bad_range_with_a_400(companion, query):
    response = companion.get(f"/api/report?{query}")
    assert response.status == 400 and response.json["error"]["message"]


def test_the_report_is_the_persons_alone(companion):
    _, token = paired_token(companion)
    response = companion.get(f"/api/report?from={day(0)}&to={day(3)}", token=token, headers={"Origin": CHROME})
    assert response.status == 403


def test_html_and_csv_downloads_say_so(searched):
    for kind, mime in (("csv", "text/csv"), ("html", "text/html")):
        response = searched.get(f"/api/report?from={day(0)}&to={day(13)}&format={kind}")
        assert response.status == 200 and response.headers["Content-Type"].startswith(mime)
        assert response.headers["Content-Disposition"] == f"attachment; filename=work-search-{day(0)}-to-{day(13)}.{kind}"
    assert json.loads(searched.get(f"/api/report?from={day(14)}&to={day(14)}").body)["rows"] == []


# -- what the benefits office reads ------------------------------------------------------------------

@pytest.fixture
def mixed(companion):
    """Applications sent three ways in the first week of a four-week range, nothing after."""
    assert companion.post("/api/applications", {"url": "https://jobs.example.com/web", "applied_at": day(1),
                                                "html": posting_page("Web Role", "Webco")}).status == 201
    assert companion.post("/api/applications", {"title": "Mailed Role", "company": "Mailco", "applied_at": day(2),
                                                "method": "email"}).status == 201
    assert companion.post("/api/applications", {"title": "Hand Role", "company": "Handco",
                                                "applied_at": day(3)}).status == 201
    return companion


def test_every_week_of_the_range_is_listed_with_zero_where_nothing_happened(mixed):
    body = mixed.get(f"/api/report?from={day(0)}&to={day(27)}").json
    assert [(w["start"], w["total"]) for w in body["weeks"]] == [(day(0), 3), (day(7), 0), (day(14), 0), (day(21), 0)]


def test_the_method_says_how_each_application_was_sent_and_the_posting_address_is_given(mixed):
    rows = {r["employer"]: r for r in mixed.get(f"/api/report?from={day(0)}&to={day(6)}").json["rows"]}
    assert {name: row["method"] for name, row in rows.items()} == {
        "Webco": "online", "Mailco": "email", "Handco": "not recorded"}
    assert rows["Webco"]["address"] == "https://jobs.example.com/web" and rows["Handco"]["address"] == ""


def test_the_printed_report_keeps_dates_whole_leaves_out_empty_columns_and_lists_quiet_weeks(mixed, tmp_path):
    out = tmp_path / "report.html"
    code, _, err = applied("report", "--from", day(0), "--to", day(13), "-o", out, data_dir=mixed.data_dir)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    assert headers[:7] == ["Date", "Employer", "Position", "Posting address", "Method", "Activity", "Result or status"]
    assert "Phone" not in headers and "Email" not in headers  # nobody's phone or email was recorded
    assert html.count('class="report-week"') == 2 and "No job-search activity was recorded this week." in html
    assert "Week total: 0<" in html and "Week total: 3 (3 applied)" in html


def test_the_printed_report_keeps_each_date_on_one_line_however_full_the_row(companion, tmp_path):
    """In a row full of long words, the date was the column that gave way: "2026-12-" over "07"."""
    pytest.importorskip("playwright.sync_api")
    from test_web import CHROME_ARGS, CHROMIUM
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    for n in range(3):
        title = f"Senior Principal Distributed Systems Reliability Engineer, Platform Infrastructure {n}"
        company = f"Internationale Handelsgesellschaft für Datenverarbeitung und Logistik {n}"
        created = companion.post("/api/applications", {
            "url": f"https://careers.example.com/jobs/europe/germany/berlin/engineering/{n}-{'x' * 40}",
            "html": posting_page(title, company), "applied_at": day(n)}).json["application"]
        companion.post("/api/contacts", {"name": "Maximiliane Alexandra Schwarzenberger-Lindqvist",
                                         "email": f"maximiliane.schwarzenberger{n}@handelsgesellschaft.example",
                                         "company": company, "application_ids": [created["id"]]})
    out = tmp_path / "report.html"
    code, _, err = applied("report", "--from", day(0), "--to", day(6), "-o", out, data_dir=companion.data_dir)
    assert code == 0, err
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1030, "height": 700})  # A4 landscape, less its margins
        page.emulate_media(media="print")
        page.goto(out.as_uri())
        lines = page.evaluate("""() => [...document.querySelectorAll('tbody tr')].filter((tr) => tr.cells.length > 1)
            .map((tr) => { const range = document.createRange(); range.selectNodeContents(tr.cells[0]);
                           return range.getClientRects().length; })""")
        browser.close()
    assert len(lines) == 3 and set(lines) == {1}


def test_the_report_page_says_1_activity_not_1_activities(tmp_path):
    from companion import applications as apps
    from companion.app import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    apps.capture(app.extensions["applied"]["store"], {"title": "Only Role", "company": "Soloco", "applied_at": day(1)})
    client, host = app.test_client(), {"Host": app.extensions["applied"]["web_host"]}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    page = client.get(f"/report?from={day(0)}&to={day(6)}", headers=host).get_data(as_text=True)
    assert "1 activity" in page and "1 activities" not in page


def test_the_reports_rows_are_escaped_whatever_their_cells_hold():
    """The report's table rows are made in one pass (web/filters.py table_rows): the same HTML as a cell by cell
    escape, with the cells' classes, for plain cells, markup, and cells holding the control characters it uses."""
    from markupsafe import escape

    from companion.web.filters import table_rows_filter

    columns = (("date", "Date"), ("employer", "Employer"), ("result", "Result"))

    def by_hand(rows, classes):
        opening = {key: f'<td class="{classes[key]}">' if key in classes else "<td>" for key, _ in columns}
        return "\n".join("<tr>" + "".join(f"{opening[key]}{escape(row[key])}</td>" for key, _ in columns) + "</tr>"
                         for row in rows)

    plain = [{"date": f"2026-01-0{n}", "employer": f'<b>Acme & "Sons" {n}</b>', "result": "applied"} for n in range(1, 4)]
    odd = plain + [{"date": "2026-01-05", "employer": "Tab\x11and\x1erecord", "result": "\x10"}]
    for rows in (plain, odd, plain[:1]):
        assert str(table_rows_filter(rows, columns, {"date": "nowrap"})) == by_hand(rows, {"date": "nowrap"})
        assert str(table_rows_filter(rows, columns, "col-{key}")) == by_hand(rows, {k: f"col-{k}" for k, _ in columns})
        assert str(table_rows_filter(rows, columns)) == by_hand(rows, {})
    assert str(table_rows_filter([], columns)) == ""
