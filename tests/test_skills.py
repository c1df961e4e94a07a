"""Skills: finding them in postings, ranking demand against mine, courses, weekly work; and their API."""
import json
from datetime import date, timedelta

import pytest

from companion import applications, skills
from companion.skills import canonical, find_skills, weekly_activity
from companion.store import Store

TODAY = date.today()


def job_page(title, description):
    """A job page whose schema.org posting carries the given description."""
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": title,
            "hiringOrganization": {"@type": "Organization", "name": "Acme"}, "datePosted": "2026-01-05",
            "description": description}
    return (f'<!doctype html><html><head><title>{title}</title><script type="application/ld+json">'
            f"{json.dumps(data)}</script></head><body><h1>{title}</h1></body></html>")


# -- finding skills in text -------------------------------------------------------------------------

def test_common_spellings_count_as_one_skill():
    assert find_skills("We run postgres on k8s; front end in js.") == {"PostgreSQL", "Kubernetes", "JavaScript"}
    assert find_skills("PostgreSQL, Postgres and postgresql") == {"PostgreSQL"}


@pytest.mark.parametrize("text, expected", [
    ("JavaScript and TypeScript", {"JavaScript", "TypeScript"}),  # no Java inside JavaScript
    ("C++ and C# but not C-level meetings", {"C++", "C#"}),
    ("Our R&D team", set()),
    ("Go beyond. We excel at service.", set()),  # everyday words are not skills
    ("Services in Python, Go and Rust", {"Python", "Go", "Rust"}),
    ("Mobile apps in React Native", {"React Native"}),
    ("A React-based UI, Node.js back end", {"React", "Node.js"}),
    ("Spring 2026 internship", set()),
    ("Spring Boot services", {"Spring"}),
    ("Skills: C/C++, T-SQL and TypeScript/React", {"C", "C++", "SQL Server", "TypeScript", "React"}),
    ("machine-learning, A/B testing and CI/CD.", {"Machine learning", "A/B testing", "CI/CD"}),
])
def test_skills_are_matched_as_whole_words(text, expected):
    assert find_skills(text) == expected


def test_what_the_person_types_is_read_as_the_vocabulary_name():
    assert [canonical(s) for s in ("postgres", " k8s ", "JS", "Underwater basket weaving")] == \
        ["PostgreSQL", "Kubernetes", "JavaScript", "Underwater basket weaving"]


def test_the_vocabulary_is_broad_and_has_no_duplicate_names():
    assert len(skills.SKILL_NAMES) >= 150
    assert len(set(skills.SKILL_NAMES)) == len(skills.SKILL_NAMES)


# -- demand across a real store -----------------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data") as opened:
        yield opened


def capture(store, name, description, **fields):
    doc, _, problem = applications.capture(store, {"url": f"https://jobs.example.com/{name}",
                                                   "html": job_page(f"{name} engineer", description), **fields})
    assert problem is None
    return doc


def test_demand_ranks_skills_by_how_many_postings_ask_and_marks_mine(store):
    capture(store, "one", "<p>Python, SQL and Docker.</p>")
    capture(store, "two", "<p>Python and PostgreSQL. Docker is a plus.</p>")
    capture(store, "three", "<p>Python, Kubernetes.</p>")
    result = skills.demand(store, ["python", "postgres"])
    assert result["postings"] == 3
    ranked = [(row["skill"], row["count"], row["mine"]) for row in result["ranked"]]
    assert ranked[:2] == [("Python", 3, True), ("Docker", 2, False)]
    assert [gap["skill"] for gap in result["gaps"]] == ["Docker", "Kubernetes", "SQL"]
    assert result["mine"] == [{"skill": "Python", "count": 3}, {"skill": "PostgreSQL", "count": 1}]


def test_each_gap_links_to_course_searches_for_that_skill(store):
    capture(store, "one", "<p>Terraform</p>")
    [gap] = skills.demand(store, [])["gaps"]
    assert gap["skill"] == "Terraform"
    assert {link["site"] for link in gap["courses"]} >= {"Coursera", "edX"}
    assert all("Terraform" in link["url"] for link in gap["courses"])


def test_my_own_skills_outside_the_vocabulary_are_looked_for_too(store):
    capture(store, "one", "<p>Experience with Widgetry and Python.</p>")
    result = skills.demand(store, ["Widgetry"])
    assert {"skill": "Widgetry", "count": 1} in result["mine"]


def test_a_changed_application_is_read_again_while_unchanged_ones_come_from_the_cache(store):
    doc = capture(store, "one", "<p>Python</p>")
    assert [r["skill"] for r in skills.demand(store, [])["ranked"]] == ["Python"]
    # The title is part of what is read: editing it changes updated_at, so the cache entry is stale.
    applications.update(store, doc["id"], {"title": "Rust engineer"}, now=applications._now() + timedelta(seconds=5))
    assert {r["skill"] for r in skills.demand(store, [])["ranked"]} == {"Python", "Rust"}


def test_pages_without_a_posting_do_not_count(store):
    applications.capture(store, {"url": "https://example.com/blog", "html": "<html><title>Python blog</title></html>"})
    assert skills.demand(store, [])["postings"] == 0


# -- the week's work (pure) -----------------------------------------------------------------------------

def test_weekly_activity_counts_applications_followups_people_and_course_hours():
    today = date(2026, 3, 11)  # a Wednesday; the week starts Monday 9 March
    apps = [{"history": [{"kind": "status", "to": "applied", "date": "2026-03-09"},
                         {"kind": "followup", "action": "done", "date": "2026-03-10"},
                         {"kind": "followup", "action": "snooze", "date": "2026-03-10"},
                         {"kind": "interview", "date": "2026-03-04"}]}]
    people = [{"asked_at": "2026-03-11"}, {"asked_at": "2025-01-01"}]
    courses = [{"log": [{"date": "2026-03-09", "hours": 1.5}, {"date": "2026-03-03", "hours": 2}]}]
    weeks = weekly_activity(apps, people, courses, today, weeks=2)
    assert weeks == [
        {"week": "2026-03-02", "applications": 0, "followups_done": 0, "interviews": 1, "contacts_asked": 0,
         "course_hours": 2.0},
        {"week": "2026-03-09", "applications": 1, "followups_done": 1, "interviews": 0, "contacts_asked": 1,
         "course_hours": 1.5},
    ]


def test_weekly_activity_counts_an_application_once_though_it_comes_back_to_applied():
    today = date(2026, 3, 11)
    history = [{"kind": "status", "from": None, "to": "saved", "date": "2026-03-09"},
               {"kind": "status", "from": "saved", "to": "applied", "date": "2026-03-09"},
               {"kind": "status", "from": "applied", "to": "screening", "date": "2026-03-10"},
               {"kind": "status", "from": "screening", "to": "applied", "date": "2026-03-10"},  # a misclick undone
               {"kind": "status", "from": "applied", "to": "ghosted", "date": "2026-03-10"},
               {"kind": "status", "from": "ghosted", "to": "applied", "date": "2026-03-11"}]  # they answered
    reapplied = [{"kind": "status", "from": None, "to": "applied", "date": "2026-03-09"},
                 {"kind": "status", "from": "applied", "to": "withdrawn", "date": "2026-03-10"},
                 {"kind": "status", "from": "withdrawn", "to": "applied", "date": "2026-03-11"}]
    [week] = weekly_activity([{"history": history}, {"history": reapplied}], [], [], today, weeks=1)
    assert week["applications"] == 3


# -- the API ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(shared_companion):
    return shared_companion


def put(api, path, payload):
    return api.request("PUT", path, payload)


def test_skills_api_ranks_demand_against_my_skills(api):
    for name, text in (("a", "Python and AWS"), ("b", "AWS, Terraform"), ("c", "Go and AWS")):
        response = api.post("/api/applications", {"url": f"https://jobs.example.com/skills-{name}",
                                                  "html": job_page(f"Engineer {name}", f"<p>{text}</p>")})
        assert response.status == 201, response.text
    assert put(api, "/api/settings/my_skills", {"value": ["aws", "golang"]}).status == 200
    result = api.get("/api/skills").json
    assert result["ranked"][0] == {"skill": "AWS", "count": 3, "share": 1.0, "mine": True}
    assert {g["skill"] for g in result["gaps"]} >= {"Python", "Terraform"}
    assert "Go" not in {g["skill"] for g in result["gaps"]}
    assert api.get("/api/skills?status=nonsense").status == 400


@pytest.mark.parametrize("payload, status, message", [
    ({"max_checkins": "two"}, 400, "whole number"),
    ({"max_checkins": 99}, 400, "between 0 and 5"),
    ({"port": 80}, 400, "unknown setting"),
    ({}, 400, "at least one setting"),
])
def test_settings_are_checked_before_anything_is_saved(api, payload, status, message):
    before = api.get("/api/settings").json["settings"]
    # A good value next to the bad one is not saved either.
    response = api.patch("/api/settings", {"your_name": "Changed?", **payload} if payload else {})
    assert response.status == status
    assert message in response.json["error"]["message"]
    assert api.get("/api/settings").json["settings"] == before


def test_settings_can_be_changed_and_list_their_help(api):
    response = api.patch("/api/settings", {"your_name": "Sam Lee", "checkin_after_days": 7})
    assert response.status == 200, response.text
    assert response.json["settings"]["your_name"] == "Sam Lee"
    assert api.get("/api/settings").json["settings"]["checkin_after_days"] == 7
    declared = {s["name"]: s for s in api.get("/api/settings").json["declared"]}
    assert "port" not in declared
    assert declared["checkin_after_days"]["help"].startswith("Days after applying")
    assert put(api, "/api/settings/checkin_after_days", {"days": 3}).status == 400


def test_courses_keep_progress_and_logged_hours(api):
    response = api.post("/api/courses", {"name": "Terraform basics", "provider": "edX", "skill": "terraform",
                                         "url": "https://example.com/course", "hours_logged": 2})
    assert response.status == 201, response.text
    course = response.json["course"]
    assert (course["skill"], course["hours_logged"], course["started_at"]) == ("Terraform", 2, TODAY.isoformat())
    logged = api.post(f"/api/courses/{course['id']}/hours", {"hours": 1.5}).json["course"]
    assert logged["hours_logged"] == 3.5
    finished = api.patch(f"/api/courses/{course['id']}", {"progress": 100}).json["course"]
    assert finished["finished_at"] == TODAY.isoformat()
    assert [c["name"] for c in api.get("/api/courses").json["courses"]].count("Terraform basics") == 1
    week = api.get("/api/activity?weeks=1").json["weeks"][-1]
    assert week["course_hours"] >= 3.5
    assert api.delete(f"/api/courses/{course['id']}").status == 204
    assert api.get(f"/api/courses/{course['id']}").status == 404


@pytest.mark.parametrize("payload, message", [
    ({}, "name is required"),
    ({"name": "X", "progress": 140}, "progress must be a number from 0 to 100"),
    ({"name": "X", "url": "javascript:alert(1)"}, "url must be a web address"),
    ({"name": "X", "hours_logged": -1}, "hours_logged"),
    ({"name": "X", "teacher": "Y"}, "unknown field"),
])
def test_a_course_with_a_mistake_is_refused_clearly(api, payload, message):
    response = api.post("/api/courses", payload)
    assert response.status == 400
    assert message in response.json["error"]["message"]


def test_hours_cannot_be_logged_in_the_future_or_as_nothing(api):
    course = api.post("/api/courses", {"name": "SQL"}).json["course"]
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert api.post(f"/api/courses/{course['id']}/hours", {"hours": 1, "date": tomorrow}).status == 400
    assert api.post(f"/api/courses/{course['id']}/hours", {"hours": 0}).status == 400


def test_demand_follows_each_change_like_a_full_count(tmp_path):
    """The counts are kept change by change (from the skills stored with each posting)."""
    from companion import applications as apps
    from conftest import posting_page

    def recount(store):
        counts = {}
        for doc in store.all("applications"):
            if not doc.get("not_a_posting"):
                for skill in skills.stored_skills(doc):
                    counts[skill] = counts.get(skill, 0) + 1
        return sorted(counts.items())

    with Store(tmp_path / "data") as store:
        for n, title in enumerate(["Rust Engineer", "Kubernetes Engineer", "Docker Engineer"]):
            apps.capture(store, {"url": f"https://jobs.example.com/{n}", "html": posting_page(title=title)})
        first = skills.demand(store)
        assert sorted((r["skill"], r["count"]) for r in first["ranked"]) == recount(store)
        assert {"Python": 3, "SQL": 3, "Rust": 1}.items() <= {r["skill"]: r["count"] for r in first["ranked"]}.items()
        apps.update(store, 1, {"title": "Go developer"})
        apps.delete(store, 3)
        apps.update(store, 2, {"status": "rejected"})
        again = skills.demand(store)
        assert sorted((r["skill"], r["count"]) for r in again["ranked"]) == recount(store)
        assert again["postings"] == sum(1 for d in store.all("applications") if not d.get("not_a_posting"))


def test_backfill_gives_earlier_postings_their_skills_once(tmp_path):
    with Store(tmp_path / "data") as store:
        store.put_blob("description", 1, json.dumps({"html": "", "text": "We use Kubernetes and Python."}))
        store.insert("applications", {"title": "Rust Engineer", "status": "applied", "updated_at": "2026-11-01"})
        store.insert("applications", {"title": "Go", "status": "applied", "skills": skills.posting_skills("Go", "")})
        assert skills.backfill(store) == 1
        assert skills.stored_skills(store.get("applications", 1)) == ["Kubernetes", "Python", "Rust"]
        assert store.get("applications", 1)["updated_at"] == "2026-11-01"  # not a change the person made
        assert skills.backfill(store) == 0


def test_descriptions_brought_by_an_import_a_restore_or_a_merge_count_in_the_demand(tmp_path):
    from companion import imports, similar, transfer

    with Store(tmp_path / "data") as store:
        # A Huntr export carries each posting's description.
        huntr = ("id,title,companyName,listName,createdAt,url,htmlDescription\n"
                 "h1,Data Engineer,Initech,Applied,2026-10-01,https://jobs.example.com/h1,<p>Terraform pipelines</p>\n")
        assert imports.import_all(store, huntr, TODAY)["created"] == 1
        assert skills.demand(store)["ranked"][0]["skill"] == "Terraform"
        # A backup restored: its description is the one the demand counts.
        backup = {"url": "https://jobs.example.com/r1", "status": "applied", "title": "Engineer", "company": "Acme",
                  "description_html": "<p>Kubernetes and Terraform</p>"}
        assert transfer.restore(store, backup, TODAY)[1]
        assert {r["skill"]: r["count"] for r in skills.demand(store)["ranked"]} == {"Terraform": 2, "Kubernetes": 1}
        # A record logged by hand takes the other's description in a merge, and its skills with it.
        logged, _, _ = applications.capture(store, {"title": "Platform Engineer", "company": "Globex"}, today=TODAY)
        seen, _, _ = applications.capture(store, {"url": "https://jobs.example.com/g1", "title": "Platform Engineer",
                                                  "company": "Globex", "html": job_page("Platform Engineer",
                                                                                        "Rust and Kubernetes")},
                                          today=TODAY)
        similar.merge(store, logged["id"], seen["id"])
        assert {r["skill"]: r["count"] for r in skills.demand(store)["ranked"]} == {
            "Terraform": 2, "Kubernetes": 2, "Rust": 1}
