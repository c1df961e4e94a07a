"""The same job seen twice: the capture answer names the earlier one, and merging makes them one record."""
import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from companion.similar import company_key, titles_match
from conftest import ROOT, Companion, posting_page
from test_security import site  # noqa: F401  (fixture: a local web server standing for a public site)


@pytest.mark.parametrize("one, other", [("Acme Inc.", "ACME"), ("Acme, Inc", "acme"), ("The Acme Company", "Acme"),
                                        ("Müller GmbH", "MÜLLER")])
def test_company_names_are_compared_without_legal_forms(one, other):
    assert company_key(one) == company_key(other) != ""


def test_titles_match_despite_order_case_and_a_suffix_but_not_another_role():
    assert titles_match("Senior Widget Engineer", "senior widget engineer (Remote)")
    assert titles_match("Engineer, Senior Widget", "Senior Widget Engineer")
    assert not titles_match("Senior Widget Engineer", "Sales Manager")


def capture(companion, url, title="Senior Widget Engineer", company="Acme Inc.", **fields):
    response = companion.post("/api/applications", {"url": url, "html": posting_page(title, company), **fields})
    assert response.status in (200, 201), response.text
    return response.json


def test_a_capture_from_a_second_site_reports_the_first_as_similar(companion):
    first = capture(companion, "https://www.linkedin.com/jobs/view/4242")
    assert first["similar"] == []
    second = capture(companion, "https://boards.greenhouse.io/acme/jobs/42", title="Senior Widget Engineer (Remote)",
                     company="ACME")
    assert second["similar"] == [{"id": first["application"]["id"], "title": "Senior Widget Engineer",
                                  "company": "Acme Inc.", "status": "applied",
                                  "applied_at": first["application"]["applied_at"], "source": "linkedin"}]
    looked_up = companion.get(f"/api/applications/{first['application']['id']}/similar").json["similar"]
    assert [s["id"] for s in looked_up] == [second["application"]["id"]]


def test_other_companies_other_roles_and_old_applications_are_not_similar(companion):
    capture(companion, "https://jobs.example.com/old", applied_at=(date.today() - timedelta(days=120)).isoformat())
    capture(companion, "https://jobs.example.com/other-company", company="Globex")
    capture(companion, "https://jobs.example.com/other-role", title="Office Manager")
    assert capture(companion, "https://jobs.example.com/new")["similar"] == []


def test_a_merge_keeps_both_urls_and_both_histories_in_one_record(companion):
    first = capture(companion, "https://www.linkedin.com/jobs/view/7")["application"]
    second = capture(companion, "https://boards.greenhouse.io/acme/jobs/7", company="ACME")["application"]
    assert companion.post(f"/api/applications/{first['id']}/events", {"kind": "interview", "note": "phone screen"}
                          ).status == 201
    assert companion.post(f"/api/applications/{second['id']}/events", {"kind": "reply", "note": "from Greenhouse"}
                          ).status == 201
    before = [entry for application in (first, second)
              for entry in companion.get(f"/api/applications/{application['id']}/history").json["history"]]
    merged = companion.post(f"/api/applications/{second['id']}/merge", {"other_id": first["id"]})
    assert merged.status == 200, merged.text
    record = merged.json["application"]
    assert record["url"] == second["url"] and record["urls"] == [first["url"]]
    assert all(entry in record["history"] for entry in before) and len(record["history"]) == len(before) + 1
    assert record["history"][-1]["kind"] == "merged"
    assert [e.get("date") for e in record["history"]] == sorted(e.get("date") for e in record["history"])
    assert companion.get(f"/api/applications/{first['id']}").status == 404
    assert companion.get("/api/applications").json["total"] == 1


@pytest.mark.parametrize("body, status", [({"other_id": "2"}, 400), ({"other_id": 999}, 404), ({}, 400),
                                          ({"other_id": 1, "x": 1}, 400)])
def test_bad_merges_are_refused_and_change_nothing(companion, body, status):
    first = capture(companion, "https://jobs.example.com/m1")["application"]
    response = companion.post(f"/api/applications/{first['id']}/merge", body)
    assert response.status == status and response.json["error"]["message"]
    assert companion.get(f"/api/applications/{first['id']}").json["application"]["history"] == first["history"]


def test_an_application_cannot_be_merged_into_itself(companion):
    first = capture(companion, "https://jobs.example.com/self")["application"]
    response = companion.post(f"/api/applications/{first['id']}/merge", {"other_id": first["id"]})
    assert response.status == 400 and "two different" in response.json["error"]["message"]


def test_applied_add_names_a_similar_application_already_tracked(data_dir, site):
    from test_security import PUBLIC, send
    from conftest import ConfiguredCompanion

    server = ConfiguredCompanion(data_dir, {"FETCH_TEST_ADDRESSES": [PUBLIC]}).start()
    # `applied serve` leaves this note for the CLI; a companion built with test config does not.
    (data_dir / "server.json").write_text(json.dumps({"port": server.port, "pid": server.process.pid}))
    try:
        first = capture(server, "https://www.linkedin.com/jobs/view/88")["application"]
        public = site(lambda request: send(request, body=posting_page("Senior Widget Engineer", "ACME").encode()))
        result = subprocess.run([sys.executable, "-m", "companion", "add", public.url("/careers/88"),
                                 "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    added, similar_line = result.stdout.strip().splitlines()
    assert added.startswith("Added #2 Senior Widget Engineer at ACME")
    assert similar_line.startswith(f"You applied to a similar role at Acme Inc. on {first['applied_at']} (linkedin): "
                                   f"#{first['id']} Senior Widget Engineer")


def test_a_merged_application_keeps_its_other_addresses_through_a_backup(companion, tmp_path):
    first = capture(companion, "https://www.linkedin.com/jobs/view/99")["application"]
    second = capture(companion, "https://boards.greenhouse.io/acme/jobs/99", company="ACME")["application"]
    companion.post(f"/api/applications/{second['id']}/merge", {"other_id": first["id"]})
    backup = companion.get("/api/export?format=json").json
    restored = Companion(tmp_path / "restored").start()
    try:
        assert restored.post("/api/import", {"format": "json", "data": backup}).json["created"] == 1
        [record] = restored.get("/api/applications").json["applications"]
    finally:
        restored.stop()
    assert record["urls"] == [first["url"]]


def test_a_merged_away_address_is_still_known_to_lookup_and_capture(companion):
    first = capture(companion, "https://www.linkedin.com/jobs/view/77")["application"]
    second = capture(companion, "https://boards.greenhouse.io/acme/jobs/77", company="ACME")["application"]
    assert companion.post(f"/api/applications/{second['id']}/merge", {"other_id": first["id"]}).status == 200
    # The extension asks about the LinkedIn page again: it is the merged application, not an untracked page.
    found = companion.get("/api/applications?url=https://www.linkedin.com/jobs/view/77?trk=feed").json["application"]
    assert found and found["id"] == second["id"]
    again = companion.post("/api/applications", {"url": "https://www.linkedin.com/jobs/view/77",
                                                 "html": posting_page("Senior Widget Engineer", "Acme Inc.")})
    assert again.status == 200 and again.json["duplicate"] and again.json["application"]["id"] == second["id"]
    assert companion.get("/api/applications").json["total"] == 1


def test_applications_logged_without_an_address_are_found_similar_and_merge_without_a_null_address(companion):
    def log(title, company):
        response = companion.post("/api/applications", {"title": title, "company": company})
        assert response.status == 201, response.text
        return response.json

    first = log("Senior Sprocket Designer", "Initech LLC")["application"]
    second = log("Senior Sprocket Designer (Remote)", "Initech")
    assert [s["id"] for s in second["similar"]] == [first["id"]]
    with_url = capture(companion, "https://jobs.example.com/sprocket", title="Senior Sprocket Designer", company="Initech")
    merged = companion.post(f"/api/applications/{with_url['application']['id']}/merge", {"other_id": first["id"]})
    assert merged.status == 200, merged.text
    assert merged.json["application"]["urls"] == []
    assert "None" not in merged.json["application"]["history"][-1]["note"]


def test_a_capture_merged_into_an_application_logged_by_hand_gives_it_its_address_and_page(companion):
    logged = companion.post("/api/applications", {"title": "Senior Widget Engineer", "company": "Acme"}).json
    seen = capture(companion, "https://jobs.example.com/widget-9")
    assert [s["id"] for s in seen["similar"]] == [logged["application"]["id"]]
    merged = companion.post(f"/api/applications/{logged['application']['id']}/merge",
                            {"other_id": seen["application"]["id"]})
    assert merged.status == 200, merged.text
    assert merged.json["application"]["url"] == "https://jobs.example.com/widget-9"
    assert merged.json["application"]["urls"] == []
    # Its page came with it: re-extraction reads it from its address, as any captured one.
    reextracted = companion.post("/api/reextract", {})
    assert reextracted.status == 200, reextracted.text
    assert reextracted.json["without_page"] == 0
    found = companion.get("/api/applications?url=https://jobs.example.com/widget-9").json["application"]
    assert found["id"] == logged["application"]["id"]


def test_correcting_the_company_makes_an_application_similar(companion):
    first = capture(companion, "https://www.linkedin.com/jobs/view/77", company="Acme Inc.")["application"]
    second = capture(companion, "https://jobs.lever.co/acme/77", company="Acme Careers Portal")["application"]
    assert companion.get(f"/api/applications/{second['id']}/similar").json["similar"] == []
    assert companion.patch(f"/api/applications/{second['id']}", {"company": "ACME"}).status == 200
    similar = companion.get(f"/api/applications/{second['id']}/similar").json["similar"]
    assert [s["id"] for s in similar] == [first["id"]]
