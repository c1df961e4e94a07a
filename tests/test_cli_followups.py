"""`applied due`, `applied export` and `applied import` as a person runs them: with and without a companion running."""
import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from conftest import ROOT

TODAY = date.today()


def ago(n, pattern="%Y-%m-%d"):
    return (TODAY - timedelta(days=n)).strftime(pattern)


def applied(*args, data_dir, stdin=None):
    """Run the `applied` command; return (exit code, stdout, stderr)."""
    result = subprocess.run([sys.executable, "-m", "companion", *map(str, args), "--data-dir", str(data_dir)],
                            cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=60,
                            env={**os.environ, "COLUMNS": "160"})
    return result.returncode, result.stdout, result.stderr


# What another tracker's export looks like: its own headers, US dates, its own status words.
OTHER_TRACKER_CSV = f"""\ufeffCompany,Job Title,Status,Date Applied,Link,Notes
Northwind,Data Engineer,Applied,{ago(40, "%m/%d/%Y")},https://jobs.example.com/northwind?utm_source=x,Referred by Ana
Contoso,Analyst,Interviewing,{ago(3, "%m/%d/%Y")},https://jobs.example.com/contoso,
Fabrikam,Designer,Wishlist,,https://jobs.example.com/fabrikam,
Tailspin,Writer,Applied,{ago(2, "%m/%d/%Y")},,no link here
Litware,Tester,On the moon,{ago(2, "%m/%d/%Y")},https://jobs.example.com/litware,
"""


@pytest.fixture
def imported(data_dir, tmp_path):
    """A data folder filled from another tracker's CSV, with no companion running."""
    source = tmp_path / "other-tracker.csv"
    source.write_text(OTHER_TRACKER_CSV, encoding="utf-8")
    code, out, err = applied("import", source, data_dir=data_dir)
    assert code == 0, err
    assert out.strip() == "imported 3 applications, skipped 0 already stored"
    assert "line 5: no URL" in err and "line 6: unknown status 'On the moon'" in err
    return data_dir


def test_import_reads_another_trackers_csv_and_due_shows_one_catch_up_for_what_fell_due_before(imported):
    """Northwind's check-in fell due a month before the import: one catch-up line, not an overdue one."""
    code, out, err = applied("due", data_dir=imported)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Due", "Company", "Role", "What", "to", "do"]
    assert "overdue" not in lines[1] and "Catch up: 1 follow-up fell due before" in lines[1]
    assert "1 follow-up due." in out and "overdue" not in out


def test_due_json_lists_drafts_for_scripts(imported):
    code, out, _ = applied("due", "--json", data_dir=imported)
    body = json.loads(out)
    assert (body["count"], body["overdue"]) == (1, 0)
    [catch_up] = body["followups"]
    assert catch_up["kind"] == "catch_up" and catch_up["items"][0]["application"]["company"] == "Northwind"
    code, out, _ = applied("due", "--json", "--by", (TODAY + timedelta(days=30)).isoformat(), data_dir=imported)
    later = json.loads(out)["followups"]
    assert [f["kind"] for f in later] == ["catch_up", "interview_followup"]
    assert later[1]["application"]["company"] == "Contoso" and later[1]["draft"]["subject"]


def test_importing_twice_skips_what_is_stored(imported, tmp_path):
    code, out, _ = applied("import", tmp_path / "other-tracker.csv", data_dir=imported)
    assert out.strip() == "imported 0 applications, skipped 3 already stored"


def test_csv_export_is_one_row_per_application(imported, tmp_path):
    target = tmp_path / "out.csv"
    code, _, err = applied("export", "--format", "csv", "-o", target, data_dir=imported)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600  # it holds the whole job search
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    by_company = {row["company"]: row for row in rows}
    assert set(by_company) == {"Northwind", "Contoso", "Fabrikam"}
    northwind = by_company["Northwind"]
    assert (northwind["status"], northwind["applied_at"]) == ("applied", ago(40))
    assert northwind["url"] == "https://jobs.example.com/northwind"  # the tracking parameter is gone
    assert northwind["notes"] == "Referred by Ana" and northwind["next_followup_due"]
    assert by_company["Contoso"]["status"] == "interviewing" and by_company["Fabrikam"]["status"] == "saved"


def test_json_export_round_trips_with_history(imported, tmp_path):
    backup = tmp_path / "backup.json"
    code, _, err = applied("export", "--format", "json", "-o", backup, data_dir=imported)
    assert code == 0, err
    exported = json.loads(backup.read_text())
    assert exported["format"] == "applied-export" and len(exported["applications"]) == 3
    fresh = tmp_path / "fresh"
    code, out, err = applied("import", backup, data_dir=fresh)
    assert code == 0, err
    assert out.strip() == "imported 3 applications, skipped 0 already stored"
    code, _, _ = applied("export", "--format", "json", "-o", tmp_path / "again.json", data_dir=fresh)
    again = json.loads((tmp_path / "again.json").read_text())
    keep = ("url", "title", "company", "status", "applied_at", "notes", "history", "created_at")
    assert [{k: a.get(k) for k in keep} for a in again["applications"]] == \
        [{k: a.get(k) for k in keep} for a in exported["applications"]]


def test_ics_export_holds_the_followups(imported, tmp_path):
    code, out, err = applied("export", "--format", "ics", data_dir=imported)
    assert code == 0, err
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(out).walk("VEVENT"))
    # Northwind's check-in fell due before the import: the catch-up entry is no calendar event.
    assert summaries == ["Follow up on the interview at Contoso"]


def test_commands_talk_to_the_running_companion(companion, tmp_path):
    """While `applied serve` owns the folder, the commands go through its HTTP API."""
    response = companion.post("/api/applications", {"url": "https://jobs.example.com/live", "title": "Live Role",
                                                    "company": "Running Co", "applied_at": ago(15)})
    application_id = response.json["application"]["id"]
    code, out, err = applied("due", data_dir=companion.data_dir)
    assert code == 0, err
    assert "Running Co" in out and "Live Role" in out
    companion.post(f"/api/applications/{application_id}/reasons", {"codes": ["salary"]})
    source = tmp_path / "more.csv"
    source.write_text("url,company,title,status,applied_at\nhttps://jobs.example.com/more,More Co,Role,applied,"
                      f"{ago(1)}\n", encoding="utf-8")
    code, out, err = applied("import", source, data_dir=companion.data_dir)
    assert code == 0 and "imported 1 application," in out, err
    assert companion.get("/api/applications?url=https://jobs.example.com/more").json["application"]["company"] == \
        "More Co"
    assert companion.post(f"/api/followups/{application_id}/checkin-1/done", {}).status == 200
    code, out, _ = applied("due", data_dir=companion.data_dir)
    assert "Nothing is due today." in out
    assert "Why you were not chosen, so far (1 answers): salary 1" in out
    code, out, _ = applied("export", "--format", "json", data_dir=companion.data_dir)
    assert len(json.loads(out)["applications"]) == 2


def test_due_on_an_empty_folder(data_dir):
    code, out, err = applied("due", data_dir=data_dir)
    assert (code, out.strip()) == (0, "Nothing is due today."), err


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ('{"hello": 1}', "is not an Applied export"),
    ("Company,Title\nAcme,Engineer\n", "needs a URL column"),
])
def test_bad_import_files_fail_with_one_readable_line(data_dir, tmp_path, content, message):
    source = tmp_path / "bad.txt"
    source.write_text(content, encoding="utf-8")
    code, out, err = applied("import", source, data_dir=data_dir)
    assert code == 1 and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_import_file_and_bad_format(data_dir, tmp_path):
    code, _, err = applied("import", tmp_path / "nope.csv", data_dir=data_dir)
    assert code != 0 and "nope.csv" in err and "Traceback" not in err
    code, _, err = applied("export", "--format", "xml", data_dir=data_dir)
    assert code == 2 and "xml" in err


def test_spreadsheet_formulas_are_neutralised(data_dir, tmp_path):
    source = tmp_path / "sneaky.csv"
    source.write_text("url,company,title\nhttps://jobs.example.com/x,=HYPERLINK(\"http://evil\"),Role\n",
                      encoding="utf-8")
    assert applied("import", source, data_dir=data_dir)[0] == 0
    code, out, _ = applied("export", "--format", "csv", data_dir=data_dir)
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["company"].startswith("'=")
    # ...and importing our own export gives the text back without the guard.
    again = tmp_path / "again"
    exported = tmp_path / "exported.csv"
    exported.write_text(out, encoding="utf-8")
    applied("import", exported, data_dir=again)
    code, out, _ = applied("export", "--format", "json", data_dir=again)
    assert json.loads(out)["applications"][0]["company"] == '=HYPERLINK("http://evil")'


def test_a_csv_row_too_big_to_read_is_reported_and_the_others_are_imported(data_dir, tmp_path):
    """Trackers export whole job descriptions: one over the csv module's 128 KB cell limit must not sink the file."""
    source = tmp_path / "big.csv"
    source.write_text("url,title,job description\n"
                      f"https://jobs.example.com/huge,Huge,{'x' * 200_000}\n"
                      "https://jobs.example.com/small,Small,short\n", encoding="utf-8")
    code, out, err = applied("import", source, data_dir=data_dir)
    assert code == 0 and out.strip() == "imported 1 application, skipped 0 already stored", err
    assert "line 2: this row cannot be read" in err and "Traceback" not in err
