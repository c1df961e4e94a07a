"""Moving in from other trackers: Huntr and JobSync CSVs, any spreadsheet through a preview, whole or not at all."""
import csv
import json
import io
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from companion import imports
from companion.store import Store
from conftest import ROOT
from test_pairing import CHROME, paired_token

HUNTR_HEADER = ("id,createdAt,title,salary,location,url,rootDomain,htmlDescription,deadline,color,lastMovedAt,boardId,"
                "boardName,listId,listName,companyId,companyName,companyDomain,notes")
HUNTR = f"""{HUNTR_HEADER}
64a1,2026-10-02T09:15:00.000Z,Data Engineer,,Berlin,https://jobs.example.com/initech/7,example.com,"<p>Build <b>pipelines</b>.</p><script>alert(1)</script><img src=x onerror=alert(2)>",,#fff,,b1,Search,l1,Interview,c1,Initech,initech.com,
64a2,1696150800000,Platform Engineer,,,,,,,,,b1,Search,l0,Wishlist,c2,Globex,globex.com,
64a3,2026-09-20T12:00:00.000Z,"=HYPERLINK(""http://evil"",""x"")",,,https://jobs.example.com/umbrella/1,,,,,,b1,Search,l2,Rejected,c3,Umbrella,umbrella.com,
64a4,2026-09-21T12:00:00.000Z,Analyst,,,https://jobs.example.com/hooli/2,,,,,,b1,Search,l3,Offer,c4,Hooli,hooli.com,
"""
JOBSYNC = """index,createdAt,applied,appliedDate,Company,JobTitle,jobType,workplaceType,Location,JobSource,Status
1,2026-09-01T10:00:00.000Z,true,2026-09-03T00:00:00.000Z,Contoso,Backend Developer,FT,Remote,Lisbon,LinkedIn,applied
2,2026-09-05T10:00:00.000Z,true,2026-09-06T00:00:00.000Z,Fabrikam,SRE,FT,Onsite,Porto,Indeed,interview
3,2026-09-07T10:00:00.000Z,false,,Tailspin,Designer,PT,Hybrid,,Company site,draft
4,2026-09-08T10:00:00.000Z,true,2026-09-09T00:00:00.000Z,Litware,Tester,FT,Remote,,Glassdoor,rejected
"""
SPREADSHEET = """Firma;Stelle;Datum;Stand
Northwind;Data Engineer;02.10.2026;beworben
""".replace(";", ",").replace("beworben", "Applied")


def applied(*args, data_dir, timeout=120):
    result = subprocess.run([sys.executable, "-m", "companion", *map(str, args), "--data-dir", str(data_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=dict(os.environ))
    return result.returncode, result.stdout, result.stderr


def every(companion):
    return {a["company"]: a for a in companion.get("/api/applications?limit=500").json["applications"]}


def test_a_huntr_export_imports_with_its_stages_and_dates_twice_without_duplicates(companion, tmp_path):
    source = tmp_path / "huntr.csv"
    source.write_text(HUNTR, encoding="utf-8")
    code, out, err = applied("import", source, data_dir=companion.data_dir)
    assert code == 0 and out.startswith("imported 4 applications, skipped 0 already stored\n"), err
    assert "3 posting addresses claimed by this file" in out  # the fourth row has no address
    found = every(companion)
    assert {c: (a["status"], a["applied_at"]) for c, a in found.items()} == {
        "Initech": ("interviewing", "2026-10-02"), "Globex": ("saved", None),
        "Umbrella": ("rejected", "2026-09-20"), "Hooli": ("offer", "2026-09-21")}
    assert found["Initech"]["locations"] == ["Berlin"] and found["Initech"]["title"] == "Data Engineer"
    described = companion.get(f"/api/applications/{found['Initech']['id']}").json["application"]
    assert "<b>pipelines</b>" in described["description_html"]
    assert "script" not in described["description_html"] and "onerror" not in described["description_html"]

    code, out, err = applied("import", source, data_dir=companion.data_dir)
    assert (code, out.strip()) == (0, "imported 0 applications, skipped 4 already stored"), err
    assert len(every(companion)) == 4


def test_formula_cells_come_back_defused_in_the_csv_export(companion, tmp_path):
    source = tmp_path / "huntr.csv"
    source.write_text(HUNTR, encoding="utf-8")
    assert applied("import", source, data_dir=companion.data_dir)[0] == 0
    code, out, _ = applied("export", "--format", "csv", data_dir=companion.data_dir)
    titles = {row["company"]: row["title"] for row in csv.DictReader(io.StringIO(out))}
    assert titles["Umbrella"] == "'=HYPERLINK(\"http://evil\",\"x\")"


def test_a_jobsync_export_imports_through_the_api_twice_without_duplicates(companion):
    first = companion.post("/api/import", {"format": "csv", "text": JOBSYNC})
    assert first.status == 200 and first.json == {"created": 4, "skipped": 0, "problems": [], "claimed": []}
    found = every(companion)
    assert {c: (a["status"], a["applied_at"]) for c, a in found.items()} == {
        "Contoso": ("applied", "2026-09-03"), "Fabrikam": ("interviewing", "2026-09-06"),
        "Tailspin": ("saved", None), "Litware": ("rejected", "2026-09-09")}
    assert found["Contoso"]["title"] == "Backend Developer" and found["Contoso"]["locations"] == ["Lisbon"]
    again = companion.post("/api/import", {"format": "csv", "text": JOBSYNC})
    assert again.json == {"created": 0, "skipped": 4, "problems": [], "claimed": []}


def test_any_other_spreadsheet_is_previewed_with_changeable_columns_before_anything_is_stored(companion):
    refused = companion.post("/api/import", {"format": "csv", "text": SPREADSHEET})
    assert refused.status == 400 and "Import page" in refused.json["error"]["message"]
    detected = companion.post("/api/import/preview", {"text": SPREADSHEET}).json
    assert detected["format"] == "generic" and detected["columns"] == ["Firma", "Stelle", "Datum", "Stand"]
    mapping = {"company": "Firma", "title": "Stelle", "applied_at": "Datum", "status": "Stand"}
    shown = companion.post("/api/import/preview", {"text": SPREADSHEET, "mapping": mapping}).json
    [row] = shown["preview"]
    assert (row["company"], row["title"], row["applied_at"], row["status"]) == \
        ("Northwind", "Data Engineer", "2026-10-02", "applied")
    assert companion.get("/api/applications").json["total"] == 0  # a preview writes nothing
    for created in (1, 0):
        result = companion.post("/api/import", {"format": "csv", "text": SPREADSHEET, "mapping": mapping}).json
        assert result["created"] == created
    assert companion.get("/api/applications").json["total"] == 1


@pytest.mark.parametrize("payload, message", [
    ({"text": SPREADSHEET, "mapping": {"company": "Nope"}}, "no column 'Nope'"),
    ({"text": SPREADSHEET, "mapping": {"priority": "Firma"}}, "unknown field"),
    ({"text": SPREADSHEET, "mapping": ["Firma"]}, "mapping must be an object"),
    ({"text": 42}, "as text"),
    ({"text": ""}, "no header row"),
    ({"text": SPREADSHEET, "format": "json"}, "only CSV"),
])
def test_bad_previews_get_a_clear_400(companion, payload, message):
    response = companion.post("/api/import/preview", payload)
    assert response.status == 400 and message in response.json["error"]["message"]


def test_a_staged_import_cancelled_half_way_leaves_the_store_as_it_was(companion):
    companion.post("/api/import", {"format": "csv", "text": JOBSYNC})
    staged = companion.post("/api/imports", {"text": HUNTR})
    assert staged.status == 201 and staged.json["total"] == 4 and staged.json["created"] == 0
    assert companion.get("/api/applications").json["total"] == 4  # staging writes nothing
    step = companion.post(f"/api/imports/{staged.json['id']}/commit", {"limit": 2}).json
    assert (step["position"], step["created"], step["done"]) == (2, 2, False)
    assert companion.delete(f"/api/imports/{staged.json['id']}").json == {"removed": 2}
    assert sorted(every(companion)) == ["Contoso", "Fabrikam", "Litware", "Tailspin"]
    assert companion.post(f"/api/imports/{staged.json['id']}/commit", {}).status == 404


def test_importing_is_the_persons_alone(companion):
    _, token = paired_token(companion)
    for path in ("/api/import/preview", "/api/imports"):
        assert companion.post(path, {"text": HUNTR}, token=token, headers={"Origin": CHROME}).status == 403


def test_a_file_that_is_not_text_is_one_readable_line(data_dir, tmp_path):
    source = tmp_path / "resume.pdf"
    source.write_bytes(b"%PDF-1.7\n\xff\xfe\x00\x01binary")
    code, out, err = applied("import", source, data_dir=data_dir)
    assert code == 1 and "not UTF-8 text" in err and len(err.strip().splitlines()) == 1


def test_a_50000_row_csv_is_imported_whole_with_progress(data_dir, tmp_path):
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("url,company,title,status,date applied\n")
        for i in range(50_000):
            handle.write(f"https://jobs.example.com/p{i},Company {i % 700},Engineer {i},Applied,2026-10-{1 + i % 28:02d}\n")
    code, out, err = applied("import", source, data_dir=data_dir, timeout=600)
    assert code == 0 and out.startswith("imported 50000 applications, skipped 0 already stored\n"), err[-500:]
    assert "50000 posting addresses claimed by this file" in out and "... and 49990 more" in out
    progress = [line for line in err.splitlines() if line.startswith("importing:")]
    assert len(progress) == 25 and progress[-1] == "importing: 50,000 of 50,000 rows"
    with Store(data_dir) as store:
        assert store.count("applications") == 50_000


def test_a_csv_over_the_request_limit_is_refused_in_one_line_and_stores_nothing(data_dir, tmp_path):
    source = tmp_path / "huge.csv"
    row = "https://jobs.example.com/{},Acme,Engineer,Applied,2026-10-01," + "x" * 1000 + "\n"
    source.write_text("url,company,title,status,date applied,notes\n" + "".join(row.format(i) for i in range(11_000)),
                      encoding="utf-8")
    code, out, err = applied("import", source, data_dir=data_dir)
    assert code == 1 and "larger than the 10 MB limit" in err and "split the file" in err
    assert len(err.strip().splitlines()) == 1
    with Store(data_dir) as store:
        assert store.count("applications") == 0


def test_a_description_an_import_stores_after_the_capture_is_searched_even_if_the_list_was_searched_between(tmp_path):
    from companion import applications as apps

    with Store(tmp_path / "data") as store:
        created, _, _ = apps.capture(store, {"url": "https://jobs.example.com/d1", "title": "Engineer",
                                             "company": "Acme"})
        assert apps.list_applications(store, q="kubernetes")[0] == 0  # a search while the import runs
        apps.put_description(store, created["id"], "<p>Kubernetes</p>", "Kubernetes")
        assert apps.list_applications(store, q="kubernetes")[0] == 1


def test_a_row_imported_without_an_address_reads_as_logged_by_hand_in_the_web_view(tmp_path):
    """JobSync rows have no URL: the key a second import finds them by is no page to open."""
    from datetime import date

    from companion import imports
    from companion.app import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    store = app.extensions["applied"]["store"]
    imports.import_payload(store, {"format": "csv", "text": JOBSYNC}, date(2026, 10, 1))
    doc = next(d for d in store.all("applications") if d["title"] == "Backend Developer")
    assert doc["url"] is None and doc["import_key"].startswith("jobsync/")
    client, host = app.test_client(), {"Host": app.extensions["applied"]["web_host"]}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    page = client.get(f"/applications/{doc['id']}", headers=host).get_data(as_text=True)
    assert "import.invalid" not in page and "Open posting" not in page
    assert "<dt>Logged</dt>" in page


def test_the_preview_reads_only_the_rows_it_shows_and_counts_the_rest(companion):
    """Issue 19, point 12: a preview (asked again at each change of a column) reads its first rows, not the file."""
    cell = "<p>" + "Build widgets. " * 1500 + "</p>"  # 22 KB of description per row, cleaned only when read
    rows = "".join(f'https://jobs.example.com/many/{n},Engineer {n},Acme,applied,"{cell}"\n' for n in range(200))
    rows += "not an address,Broken,Acme,nonsense status,x\n"
    text = "url,title,company,status,description\n" + rows
    started = time.monotonic()
    shown = companion.post("/api/import/preview", {"text": text}).json
    elapsed = time.monotonic() - started
    assert len(shown["preview"]) == imports.PREVIEW_ROWS and shown["unchecked"] == 201 - imports.PREVIEW_ROWS
    assert shown["rows"] == 201 and shown["problems"] == []  # the broken last row is told by the import itself
    assert elapsed < 1.0, elapsed
    result = companion.post("/api/import", {"format": "csv", "text": text}).json
    assert result["created"] == 200 and [p["line"] for p in result["problems"]] == [202]


def test_an_imported_backup_cannot_claim_a_posting_the_person_then_captures(companion, tmp_path):
    """Issue 19, point 10: a backup from anywhere once made the person's own capture of a posting a "duplicate"
    of the record it planted (its status, its dates, its notes)."""
    from conftest import posting_page

    planted, kept = "https://jobs.example.com/planted/1", "https://jobs.example.com/planted/2"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"format": "applied", "version": 1, "applications": [
        {"url": url, "status": "rejected", "title": "Planted", "company": "Nobody", "applied_at": "2025-01-02",
         "notes": "<p>planted</p>"} for url in (planted, kept)]}))
    code, out, err = applied("import", backup, data_dir=companion.data_dir)
    assert code == 0, err
    assert "2 posting addresses claimed by this file" in out and planted in out and kept in out
    assert companion.get(f"/api/applications?url={planted}").json["application"] is None  # not shown as tracked

    captured = companion.post("/api/applications", {"url": planted, "html": posting_page()})
    assert captured.status == 201 and captured.json["duplicate"] is False
    mine = captured.json["application"]
    assert (mine["title"], mine["status"], mine["url"]) == ("Senior Widget Engineer", "applied", planted)
    assert companion.get(f"/api/applications?url={planted}").json["application"]["id"] == mine["id"]
    [import_of_it] = [a for a in every_application(companion) if a.get("claimed_url") == planted]
    assert import_of_it["title"] == "Planted" and import_of_it["url"] is None  # kept, without the address

    # Confirmed by the person, an imported application is taken for its posting.
    other = next(a for a in every_application(companion) if a["url"] == kept)
    assert companion.post(f"/api/applications/{other['id']}/confirm", {}).status == 200
    again = companion.post("/api/applications", {"url": kept, "html": posting_page()})
    assert again.status == 200 and again.json["duplicate"] is True and again.json["application"]["id"] == other["id"]


def test_the_persons_own_backup_imported_as_theirs_is_taken_for_its_postings(companion):
    backup = {"format": "applied", "version": 1, "applications": [
        {"url": "https://jobs.example.com/mine/1", "status": "interviewing", "title": "Mine", "company": "Acme"}]}
    result = companion.post("/api/import", {"format": "json", "data": backup, "mine": True}).json
    assert result["created"] == 1 and result["claimed"] == ["https://jobs.example.com/mine/1"]
    found = companion.get("/api/applications?url=https://jobs.example.com/mine/1").json["application"]
    assert found["status"] == "interviewing"


def every_application(companion):
    return companion.get("/api/applications?limit=500").json["applications"]


def test_rows_without_an_address_never_show_a_made_up_one(companion):
    """Not in the import's preview, the API, the list, the CSV or the JSON export."""
    huntr = companion.post("/api/import/preview", {"text": HUNTR}).json
    globex = next(row for row in huntr["preview"] if row.get("company") == "Globex")
    assert globex["url"] is None
    assert companion.post("/api/import", {"format": "csv", "text": JOBSYNC}).json["created"] == 4
    assert companion.post("/api/import", {"format": "csv", "text": HUNTR}).json["created"] == 4
    seen = [companion.get("/api/applications?limit=100").text, companion.get("/api/export?format=csv").text,
            companion.get("/api/export?format=json").text]
    assert not any("invalid" in text for text in seen)


def test_rows_imported_by_an_older_version_lose_their_made_up_address_and_are_still_found(tmp_path):
    """Before, a row without an address was stored under https://import.invalid/...: the upgrade keeps it
    as the key a second import finds it by, and the record has no address."""
    from companion.store import Store

    class OlderStore(Store):
        schema_version, migrations = 1, {}

    data = tmp_path / "data"
    with OlderStore(data) as store:
        store.insert("applications", {"url": "https://import.invalid/jobsync/0123456789abcdef0123",
                                       "source_url": "https://import.invalid/jobsync/0123456789abcdef0123",
                                       "title": "Backend Developer", "company": "Contoso", "status": "applied",
                                       "applied_at": "2026-09-03", "history": []})
    with Store(data) as store:
        [doc] = store.all("applications")
    assert (doc["url"], doc["source_url"], doc["import_key"]) == (None, None, "jobsync/0123456789abcdef0123")


# -- the round trip: every stage in, the same record out ------------------------------------------

def _ago(n, iso_time=False):
    day = date.today() - timedelta(days=n)
    return f"{day.isoformat()}T10:00:00.000Z" if iso_time else day.isoformat()


def _huntr_every_stage():
    """A Huntr board with a card in every list: (file, {role: the day it was applied to, or None})."""
    rows = [  # id, made, title, salary, url, deadline, moved, list, company, notes
        ("w1", 70, "Saved Role", "", "https://jobs.example.com/h/saved", "", None, "Wishlist", "Wishco", ""),
        ("a1", 66, "Applied Role", "$100,000 - $120,000", "https://jobs.example.com/h/applied", _ago(-20), 63,
         "Applied", "Appco", "Met them at a fair"),
        ("s1", 56, "Screened Role", "90k-110k EUR", "https://jobs.example.com/h/screen", "", 50, "Phone Screen",
         "Screenco", ""),
        ("i1", 45, "Interview Role", "", "https://jobs.example.com/h/interview", "", 38, "Interview", "Talkco", ""),
        ("o1", 30, "Offer Role", "", "https://jobs.example.com/h/offer", "", 20, "Offer", "Offerco", ""),
        ("r1", 81, "Rejected Role", "", "https://jobs.example.com/h/rejected", "", 60, "Rejected", "Nopeco", ""),
        ("n1", 25, "Addressless Role", "", "", "", None, "Interview", "Nowhere Inc.", ""),
    ]
    lines = [HUNTR_HEADER]
    for key, made, title, salary, url, deadline, moved, stage, company, notes in rows:
        moved_at = _ago(moved, True) if moved is not None else ""
        lines.append(f'{key},{_ago(made, True)},{title},"{salary}",Berlin,{url},,,{deadline},#fff,{moved_at},b1,Search,'
                     f"l1,{stage},c1,{company},{company.lower()}.com,{notes}")
    applied_on = {title: (None if stage == "Wishlist" else _ago(moved if stage == "Applied" else made))
                  for _, made, title, _, _, _, moved, stage, _, _ in rows}
    return "\n".join(lines) + "\n", applied_on


def _jobsync_every_stage():
    rows = [(1, 40, 35, "Contoso", "Backend Developer", "applied"), (2, 30, 28, "Fabrikam", "SRE", "interview"),
            (3, 20, None, "Tailspin", "Designer", "draft"), (4, 16, 14, "Litware", "Tester", "rejected"),
            (5, 10, 9, "Proseware", "Lead", "offer"), (6, 80, 75, "Olderco", "Analyst", "expired")]
    lines = ["index,createdAt,applied,appliedDate,Company,JobTitle,jobType,workplaceType,Location,JobSource,Status"]
    for index, made, sent, company, title, status in rows:
        lines.append(f"{index},{_ago(made, True)},{'true' if sent else 'false'},{_ago(sent, True) if sent else ''},"
                     f"{company},{title},FT,Remote,Lisbon,LinkedIn,{status}")
    return "\n".join(lines) + "\n", {title: _ago(sent) if sent else None for _, _, sent, _, title, _ in rows}


def _monday(day):
    day = date.fromisoformat(day)
    return (day - timedelta(days=day.weekday())).isoformat()


def _same(applications, keep):
    from companion.sanitize import html_to_text

    return sorted(({k: html_to_text(a.get(k) or "").strip() if k == "notes" else a.get(k) for k in keep}
                   for a in applications), key=lambda a: (a["company"], a["title"]))


def test_an_import_round_trip_counts_every_sent_application_in_its_week_and_gives_back_the_same_record(
        companion, tmp_path):
    huntr, huntr_sent = _huntr_every_stage()
    jobsync, jobsync_sent = _jobsync_every_stage()
    assert companion.post("/api/import", {"format": "csv", "text": huntr}).json["created"] == 7
    assert companion.post("/api/import", {"format": "csv", "text": jobsync}).json["created"] == 6
    sent = {role: day for role, day in {**huntr_sent, **jobsync_sent}.items() if day}
    assert len(sent) == 11

    # The work-search report: each application sent, on the day it was sent, in its week.
    report = companion.get(f"/api/report?from={_ago(90)}&to={_ago(0)}").json
    assert sorted((r["position"], r["date"]) for r in report["rows"] if r["activity"] == "applied") == \
        sorted(sent.items())
    per_week = {}
    for day in sent.values():
        per_week[_monday(day)] = per_week.get(_monday(day), 0) + 1
    assert {w["start"]: w["counts"]["applied"] for w in report["weeks"] if w["counts"]["applied"]} == per_week
    # Insights: the same applications in the same weeks (the weekly activity, and the Insights page below).
    weeks = companion.get("/api/activity?weeks=14").json["weeks"]
    assert {w["week"]: w["applications"] for w in weeks if w["applications"]} == per_week

    # What the file knew is kept: the pay, the closing day, the day it was saved, the notes.
    found = {a["title"]: a for a in companion.get("/api/applications?limit=100").json["applications"]}
    assert found["Applied Role"]["salary"] == {"min": 100000, "max": 120000, "currency": "USD", "period": None}
    assert found["Screened Role"]["salary"]["currency"] == "EUR" and found["Applied Role"]["valid_through"] == _ago(-20)
    history = [(e["from"], e["to"], e["date"]) for e in found["Applied Role"]["history"]]
    assert history == [(None, "saved", _ago(66)), ("saved", "applied", _ago(63))]
    assert [(e["to"], e["date"]) for e in found["Interview Role"]["history"]] == \
        [("applied", _ago(45)), ("interviewing", _ago(38))]
    moved = found["Addressless Role"]["history"][-1]
    assert (moved["to"], moved["date"], moved["imported"]) == ("interviewing", _ago(0), True)
    assert found["Backend Developer"]["remote"] == "remote" and found["SRE"]["employment_type"] == "full_time"

    # The Due list: what fell due long before the import is one catch-up entry, and nothing is overdue.
    due = companion.get("/api/followups").json
    assert [f["kind"] for f in due["followups"]].count("catch_up") == 1 and due["overdue"] == 0
    assert due["followups"][0]["kind"] == "catch_up" and due["followups"][0]["count"] >= 5
    dismissed = companion.post("/api/followups/catch-up/dismiss", {}).json
    assert dismissed["dismissed"] >= due["followups"][0]["count"]
    after = companion.get(f"/api/followups?due={_ago(-60)}").json["followups"]
    assert all(f["kind"] != "catch_up" and f["due"] >= _ago(0) for f in after)

    # Our own CSV and JSON, into empty data folders: the same applications, documents included.
    resume = companion.post("/api/documents", {"name": "resume.pdf", "kind": "resume",
                                               "content_base64": "JVBERi0xLjcKcmVzdW1l",
                                               "application_id": found["Applied Role"]["id"]}).json["document"]
    companion.post(f"/api/applications/{found['SRE']['id']}/documents", {"document_id": resume["id"]})
    exported = {}
    for kind in ("csv", "json"):
        exported[kind] = tmp_path / f"backup.{kind}"
        code, _, err = applied("export", "--format", kind, "-o", exported[kind], data_dir=companion.data_dir)
        assert code == 0, err
    before = companion.get("/api/applications?limit=100").json["applications"]
    fields = ("title", "company", "status", "applied_at", "url", "locations", "salary", "valid_through", "remote",
              "employment_type", "notes")
    for kind in ("csv", "json"):
        fresh = tmp_path / f"fresh-{kind}"
        code, out, err = applied("import", exported[kind], data_dir=fresh)
        assert code == 0, err
        with Store(fresh) as store:
            after = store.all("applications")
            stored = store.all("documents")
        assert _same(after, fields) == _same(before, fields)
        if kind == "json":
            assert "and 1 document" in out
            keep = fields + ("history", "imported_at")
            assert _same(after, keep) == _same(before, keep)
            [document] = stored
            by_id = {a["id"]: a["title"] for a in after}
            assert document["sha256"] == resume["sha256"]
            assert sorted(by_id[i] for i in document["application_ids"]) == ["Applied Role", "SRE"]

    # The Insights page, as the person reads it: applications per week over its twelve weeks.
    from companion.app import create_app
    from companion.web.filters import day_filter

    companion.stop()
    app = create_app({"DATA_DIR": str(companion.data_dir)})
    client, host = app.test_client(), {"Host": app.extensions["applied"]["web_host"]}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    page = client.get("/insights", headers=host).get_data(as_text=True)
    shown = dict(re.findall(r'<td data-label="Week of" class="nowrap">([^<]+)</td>\s*'
                            r'<td data-label="Applications" class="num">(\d+)</td>', page))
    assert len(shown) == 12
    assert {week: int(n) for week, n in shown.items() if n != "0"} == \
        {day_filter(week): n for week, n in per_week.items() if day_filter(week) in shown}


def test_a_cancelled_import_moves_back_a_saved_posting_it_marked_applied(companion):
    saved = companion.post("/api/applications", {"url": "https://jobs.example.com/later", "status": "saved",
                                                 "title": "Later Role", "company": "Laterco"}).json["application"]
    text = ("url,company,title,status,date applied\nhttps://jobs.example.com/later,Laterco,Later Role,Applied,"
            f"{_ago(3)}\nhttps://jobs.example.com/other,Otherco,Other Role,Applied,{_ago(2)}\n")
    staged = companion.post("/api/imports", {"text": text}).json
    step = companion.post(f"/api/imports/{staged['id']}/commit", {"limit": 1}).json
    assert step["skipped"] == 1
    assert companion.get(f"/api/applications/{saved['id']}").json["application"]["status"] == "applied"
    assert companion.delete(f"/api/imports/{staged['id']}").status == 200
    back = companion.get(f"/api/applications/{saved['id']}").json["application"]
    assert (back["status"], back["applied_at"], len(back["history"])) == ("saved", None, 1)
