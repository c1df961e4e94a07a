"""Every route of the companion over HTTP, at 10,000 and 50,000 applications (the ROUTES table below).

    python bench/bench_web.py [--sizes 10000,50000] [--rounds 30] [--heavy-rounds 3]

For each size it seeds a data folder directly through the Store, in bulk (realistic records:
3-8 KB descriptions, a few history entries, one contact for 20 applications, one document for 10,
one reply proposal read from mail for 5, captured pages, courses), starts `applied serve` the way a
person does (its HOME and keyring the run's own), signs a session in, and measures:

* start to first answer, and the first search and the first /skills after it (the warm-up after a
  start runs meanwhile): wall time, and the server's CPU seconds to its first answer;
* every route ``--rounds`` times (whole-store transfers ``--heavy-rounds`` times), each with
  ``GET /api/ping`` sent just before it as the baseline of the same moment: p50, p95, p95 over
  ping's p95 (the machine is shared, so the ratio says more than the milliseconds), and the CPU
  the server spent on it (its threads' schedstat), which does not depend on the load;
* the server's resident memory after every page and read, after a search, at the end, and its peak.
Reads come first, then the whole-store transfers, then the writes (each on things made for it).
"""
import argparse
import compileall
import base64
import collections
import hashlib
import http.client
import json
import random
import os
import re
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import bench_mail  # noqa: E402
from bench_api import percentile  # noqa: E402
from conftest import Companion, free_port, posting_page, shown_code  # noqa: E402

from companion import applications, skills  # noqa: E402
from companion.store import Store  # noqa: E402

TODAY = date.today()
STATUSES = (["applied"] * 45 + ["screening"] * 8 + ["interviewing"] * 7 + ["rejected"] * 15 + ["ghosted"] * 10
            + ["saved"] * 8 + ["offer"] * 1 + ["withdrawn"] * 3 + ["archived"] * 3)
PATHS = {"applied": ["applied"], "screening": ["applied", "screening"],
         "interviewing": ["applied", "screening", "interviewing"], "rejected": ["applied", "rejected"],
         "ghosted": ["applied", "ghosted"], "saved": ["saved"], "offer": ["applied", "interviewing", "offer"],
         "withdrawn": ["applied", "withdrawn"], "archived": ["applied", "rejected", "archived"]}
SKILLS = ("Python", "SQL", "PostgreSQL", "Kubernetes", "Docker", "AWS", "Terraform", "React", "TypeScript",
          "Go", "Java", "Kafka", "Spark", "Airflow", "GraphQL", "Redis", "Linux", "CI/CD", "Django", "Flask")
SENTENCES = (
    "You will design, build and operate services used by millions of people every day.",
    "Our stack: {a}, {b} and {c}, deployed with {d} on {e}.",
    "Experience with {a} or {b} is a strong plus; familiarity with {c} is nice to have.",
    "We value clear writing, kind code review and shipping small changes often.",
    "You have {n}+ years of professional experience with {a} and a track record of mentoring.",
    "Benefits include a learning budget, flexible hours and four weeks of vacation.",
    "The team owns its on-call rotation and invests in observability with {a} and {b}.",
)
COMPANIES = [f"{a} {b}" for a in ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark",
                                  "Wayne", "Tyrell", "Soylent", "Cyberdyne", "Aperture", "Massive", "Pied")
             for b in ("Robotics", "Labs", "Systems", "Health", "Bank", "Games", "Foods", "Cloud", "Energy", "AI")]


def _description(rng):
    parts, size = [], rng.randint(3000, 8000)
    while sum(map(len, parts)) < size:
        picked = rng.sample(SKILLS, 5)
        sentence = rng.choice(SENTENCES).format(a=picked[0], b=picked[1], c=picked[2], d=picked[3], e=picked[4],
                                                n=rng.randint(2, 8))
        parts.append(f"<p>{sentence}</p>" if rng.random() < 0.7 else f"<ul><li>{sentence}</li></ul>")
    html = "".join(parts)
    return html, html.replace("<p>", "").replace("</p>", "\n").replace("<ul><li>", "- ").replace("</li></ul>", "\n")


def _application(n, rng):
    status = rng.choice(STATUSES)
    applied = TODAY - timedelta(days=rng.randint(0, 360))
    stamp = datetime.combine(applied, datetime.min.time()).replace(hour=9)
    history, day, previous = [], applied, None
    for step in PATHS[status]:
        history.append({"kind": "status", "at": datetime.combine(day, stamp.time()).isoformat(),
                        "date": day.isoformat(), "from": previous, "to": step})
        previous, day = step, min(TODAY, day + timedelta(days=rng.randint(3, 20)))
    if status in ("interviewing", "offer") and rng.random() < 0.7:
        history.append({"kind": "interview", "at": stamp.isoformat(), "date": day.isoformat()})
    if status in ("applied", "screening") and rng.random() < 0.3:
        history.append({"kind": "followup", "at": stamp.isoformat(), "key": "checkin-1", "followup_kind": "checkin",
                        "action": "done", "date": min(TODAY, applied + timedelta(days=10)).isoformat()})
    company = COMPANIES[n % len(COMPANIES)]
    updated = datetime.combine(day, stamp.time()).isoformat()
    return {
        "url": f"https://jobs.example.com/seed/{n}", "source_url": f"https://jobs.example.com/seed/{n}?utm=x",
        "status": status, "applied_at": None if status == "saved" else applied.isoformat(),
        "title": f"{rng.choice(('Senior', 'Staff', 'Lead', ''))} {rng.choice(('Backend', 'Data', 'Platform'))} "
                 f"Engineer {n}".strip(),
        "company": company, "locations": ["Toronto, ON, CA", "Remote"], "remote": rng.choice(("remote", "hybrid")),
        "employment_type": "full_time", "salary": {"min": 100000, "max": 130000, "currency": "CAD", "period": "year"},
        "date_posted": (applied - timedelta(days=3)).isoformat(), "valid_through": None,
        "apply_url": f"https://jobs.example.com/apply/{n}", "company_logo": None,
        "source": rng.choice(("greenhouse", "lever", "workday", "linkedin", "generic")),
        "notes": "<p>Talked to the recruiter about the team and the on-call rotation.</p>" if rng.random() < 0.3 else "",
        "capture_ids": [f"seed-{n}"], "captured_at": stamp.isoformat(), "created_at": stamp.isoformat(),
        "updated_at": updated, "has_page": False, "not_a_posting": False, "edited": [], "history": history,
    }


def seed(data_dir, count, *, rng_seed=13, accounts=40):
    """Write ``count`` applications, their descriptions, count/20 contacts, count/10 documents, count/5 reply
    proposals read from mail, ``accounts`` mail accounts and a few courses, in bulk."""
    rng = random.Random(rng_seed)
    with Store(data_dir, compact_after=10 ** 9) as store:
        applications.install_indexes(store)  # as the companion does: its word index is kept as records come
        pool = [_description(rng) for _ in range(200)]  # realistic sizes; the same text may repeat
        found = [skills.find_skills(text) for _, text in pool]
        docs = []
        for n in range(count):
            doc = _application(n, rng)
            # What a capture stores with each posting (skills.posting_skills), the text's part found once.
            doc["skills"] = f"{skills.VOCABULARY_VERSION}:" + "|".join(
                sorted(skills.find_skills(doc["title"]) | found[n % len(pool)]))
            docs.append(doc)
        ids = store.insert_many("applications", docs)
        store.put_blobs("description", {
            doc_id: json.dumps({"html": html, "text": text}) for doc_id, (html, text) in
            zip(ids, (pool[i % len(pool)] for i in range(count)))})
        people = []
        for n in range(max(5, count // 20)):
            asked = TODAY - timedelta(days=rng.randint(0, 200))
            people.append({"name": f"Person {n}", "email": f"person{n}@example.com", "kind": "recruiter",
                           "role": "Recruiter", "company": COMPANIES[n % len(COMPANIES)], "notes": "",
                           "asked_at": asked.isoformat(), "answered_at": None, "thank_by": None,
                           "thanked_at": None, "keep_in_touch_every_days": 60, "last_contact_at": asked.isoformat(),
                           "application_ids": [rng.choice(ids)],
                           "created_at": asked.isoformat(), "updated_at": asked.isoformat()})
        store.insert_many("contacts", people)
        # Documents: a résumé or letter for one application in ten, in forty names (versions of each).
        files = {}
        documents = []
        for n in range(max(2, count // 10)):
            data = f"Resume version {n}\n".encode() * 200
            digest = hashlib.sha256(data).hexdigest()
            files[digest] = data
            documents.append({"name": f"resume-{n % 40}.txt", "kind": "resume", "size": len(data), "type": "text/plain",
                              "sha256": digest, "uploaded_at": f"{TODAY - timedelta(days=n % 300)}T10:00:00",
                              "application_ids": [ids[(n * 10) % count]]})
        store.insert_many("documents", documents)
        store.put_blobs("document", files)
        # Captured pages for a few (GET .../page, and what re-extraction reads).
        PAGED[:] = ids[:20]
        store.put_blobs("page", {doc_id: posting_page(f"Paged Engineer {doc_id}", "Paged Co") for doc_id in PAGED})
        store.update_many("applications", {doc_id: {"has_page": True} for doc_id in PAGED})
        store.insert_many("courses", [
            {"name": f"Course {n}", "provider": "Coursera", "url": None, "skill": SKILLS[n], "progress": 40,
             "hours_logged": 6.0, "log": [{"date": (TODAY - timedelta(days=7 * n)).isoformat(), "hours": 6.0}],
             "started_at": (TODAY - timedelta(days=7 * n)).isoformat(), "finished_at": None, "notes": None,
             "created_at": TODAY.isoformat(), "updated_at": TODAY.isoformat()} for n in range(8)])
        store.insert("settings", {"my_skills": ["Python", "SQL", "Docker"], "your_name": "Sam"})
        _seed_mail(store, ids, rng, accounts)
        store.sync_words("applications", applications.SEARCH)  # as after the companion's first start


REPLY_KINDS = ("received",) * 5 + ("rejection",) * 6 + ("interview",) * 3 + ("assessment", "offer", "recruiter")
REPLY_STATES = ("open",) * 12 + ("accepted",) * 5 + ("dismissed",) * 2 + ("not_job",)


def _seed_mail(store, ids, rng, accounts):
    """One reply proposal for every five applications (what reading a job seeker's mailbox leaves: most open,
    one in ten matched to no application), and mail accounts on a port where no server listens."""
    proposals = []
    for n in range(len(ids) // 5):
        application_id = rng.choice(ids) if n % 10 else None
        kind, company = REPLY_KINDS[n % len(REPLY_KINDS)], COMPANIES[n % len(COMPANIES)]
        day = TODAY - timedelta(days=rng.randint(0, 120))
        proposals.append({
            "message_key": hashlib.sha256(f"bench-{n}".encode()).hexdigest()[:32], "source": "imap:1",
            "status": REPLY_STATES[n % len(REPLY_STATES)], "found_at": f"{TODAY}T08:00:00",
            "from": f"jobs@{company.split()[0].lower()}.example.com", "from_name": f"{company} Recruiting",
            "subject": f"Your application for Engineer {n}", "date": f"{day}T10:{n % 60:02d}:00+00:00",
            "day": day.isoformat(), "kind": kind, "why": f"{kind}: 'thank you for applying'",
            "application_id": application_id,
            "match_why": "the sender's domain is the company's" if application_id else "no application matches",
            "candidates": [], "company": company, "title": f"Engineer {n}",
            "interview_on": (day + timedelta(days=5)).isoformat() if kind == "interview" else None, "text_kept": False})
    reply_ids = store.insert_many("replies", proposals)
    REPLIES.clear()
    for doc_id, doc in zip(reply_ids, proposals):
        matched = "matched" if doc["application_id"] else "unmatched"
        REPLIES.setdefault(f"{doc['status']}-{matched}", []).append(doc_id)
    store.insert_many("mail_accounts", [
        {"host": "127.0.0.1", "port": CLOSED_PORT, "user": f"bench{n}@example.com", "folder": "INBOX", "days": 90,
         "security": "tls", "password_kept": False, "added_at": f"{TODAY}T08:00:00", "uidvalidity": None,
         "last_uid": None, "last_check": None} for n in range(accounts)])


class Client:
    """One keep-alive connection, signed in to the web view (a session cookie) and holding the token."""

    def __init__(self, server):
        self.server = server
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        # The web view's own name (companion/webhost.py), which its session cookie is for; the API answers there too.
        self.headers = {"Host": server.web_netloc}
        status, headers, _ = self.request("POST", "/login", urllib.parse.urlencode({"token": server.token}).encode(),
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status
        self.cookie = headers["Set-Cookie"].split(";")[0]

    def request(self, method, path, body=None, headers=None):
        self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        response = self.connection.getresponse()
        return response.status, response.headers, response.read()

    def api_headers(self):
        return {"Authorization": f"Bearer {self.server.token}"}

    def timed(self, path, *, api=False, method="GET", payload=None):
        headers = {"Authorization": f"Bearer {self.server.token}"} if api else {"Cookie": self.cookie}
        body = None
        if payload is not None:
            body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        started = time.perf_counter()
        status, _, data = self.request(method, path, body, headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert status == 200, (path, status, data[:300])
        return elapsed, data


# -- every route, and how the bench calls it ----------------------------------------------------------
#
# ROUTES names each (method, rule) of the companion with what the bench sends to it: a function of the
# run's Context and the round n that returns one Call (or several: each is measured, as its own row).
# tests/test_bench_routes.py fails when the app has a route this table lacks (or the other way round).
# Reads are measured ``--rounds`` times; writes too, each on things made for it (a capture to delete, a
# pairing request to approve...); whole-store transfers (export, the calendar feed, re-extraction)
# ``--heavy-rounds`` times.

class Call:
    def __init__(self, label, path, *, method="GET", payload=None, as_api=True, ok=(200,), form=None, headers=None,
                 kind="read", heavy=False):
        self.label, self.path, self.method, self.payload, self.as_api = label, path, method, payload, as_api
        self.ok, self.form, self.headers, self.kind, self.heavy = ok, form, headers or {}, kind, heavy


def _page(label, path, **kw):
    return Call(label, path, as_api=False, kind="page", **kw)


def _write(label, path, method="POST", payload=None, ok=(200, 201, 204), **kw):
    return Call(label, path, method=method, payload={} if payload is None and method == "POST" else payload,
                ok=ok, kind="write", **kw)


def _csv(n):
    return f"title,company,url,status,applied_at\nImported {n},Bench Import,https://import.example.com/{n},applied,{TODAY}\n"


ROUTES = {
    # pages
    ("GET", "/"): lambda c, n: _page("/", "/"),
    ("GET", "/applications"): lambda c, n: [_page("/applications", "/applications"),
                                            _page("/applications?q= (search)", f"/applications?q={c.word(n)}")],
    ("GET", "/applications/<int:application_id>"): lambda c, n: _page("/applications/<id>", f"/applications/{c.id(n)}"),
    ("GET", "/board"): lambda c, n: [_page("/board", "/board"), _page("/board?closed=1", "/board?closed=1"),
                                     _page("/board Show more", c.show_more)],
    ("GET", "/followups"): lambda c, n: _page("/followups", "/followups"),
    ("GET", "/contacts"): lambda c, n: _page("/contacts", "/contacts"),
    ("GET", "/documents"): lambda c, n: _page("/documents", "/documents"),
    ("GET", "/skills"): lambda c, n: _page("/skills", "/skills"),
    ("GET", "/insights"): lambda c, n: _page("/insights", "/insights"),
    ("GET", "/settings"): lambda c, n: _page("/settings", "/settings"),
    ("GET", "/report"): lambda c, n: _page("/report (4 weeks)", "/report"),
    ("GET", "/report/print"): lambda c, n: [_page("/report/print (4 weeks)", f"/report/print?{c.weeks(4)}"),
                                            _page("/report/print (a year)", f"/report/print?{c.weeks(52)}", heavy=True)],
    ("GET", "/import"): lambda c, n: _page("/import", "/import"),
    ("GET", "/replies"): lambda c, n: [_page("/replies", "/replies"),
                                       _page("/replies?status=accepted", "/replies?status=accepted")],
    ("GET", "/login"): lambda c, n: Call("/login", "/login", as_api=None),
    ("POST", "/login"): lambda c, n: Call("POST /login", "/login", method="POST", as_api=None, ok=(303,),
                                          form={"token": c.server.token}, kind="write"),
    ("POST", "/logout"): lambda c, n: Call("POST /logout", "/logout", method="POST", as_api=None, ok=(303,),
                                           form={}, headers=c.spare_session(), kind="write"),
    ("GET", "/pulse.json"): lambda c, n: _page("/pulse.json", "/pulse.json"),
    ("GET", "/calendar.ics"): lambda c, n: Call("/calendar.ics", f"/calendar.ics?key={c.calendar_key}", as_api=None,
                                                heavy=True),
    ("GET", "/static/<path:filename>"): lambda c, n: Call("/static/app.js", "/static/app.js", as_api=None),
    # the API: reads
    ("GET", "/api/ping"): lambda c, n: Call("GET /api/ping", "/api/ping", as_api=None),
    ("GET", "/api/activity"): lambda c, n: Call("GET /api/activity (8 weeks)", "/api/activity"),
    ("GET", "/api/applications"): lambda c, n: [
        Call("GET /api/applications (a page)", "/api/applications?limit=50"),
        Call("GET /api/applications?q= (search)", f"/api/applications?q={c.word(n)}"),
        Call("GET /api/applications?url= (the popup)", f"/api/applications?url=https://jobs.example.com/seed/{c.id(n) - 1}"),
        Call("GET /api/applications?cursor= (next page)", f"/api/applications?limit=50&cursor={c.list_cursor}")],
    ("GET", "/api/applications/<int:application_id>"): lambda c, n: Call("GET /api/applications/<id>",
                                                                         f"/api/applications/{c.id(n)}"),
    ("GET", "/api/applications/<int:application_id>/documents"): lambda c, n: Call(
        "GET /api/applications/<id>/documents", f"/api/applications/{c.id(n)}/documents"),
    ("GET", "/api/applications/<int:application_id>/history"): lambda c, n: Call(
        "GET /api/applications/<id>/history", f"/api/applications/{c.id(n)}/history"),
    ("GET", "/api/applications/<int:application_id>/page"): lambda c, n: Call(
        "GET /api/applications/<id>/page", f"/api/applications/{c.paged[n % len(c.paged)]}/page"),
    ("GET", "/api/applications/<int:application_id>/similar"): lambda c, n: Call(
        "GET /api/applications/<id>/similar", f"/api/applications/{c.id(n)}/similar"),
    ("GET", "/api/calendar"): lambda c, n: Call("GET /api/calendar", "/api/calendar"),
    ("GET", "/api/changes"): lambda c, n: Call("GET /api/changes", "/api/changes?since=x"),
    ("GET", "/api/contacts"): lambda c, n: Call("GET /api/contacts", "/api/contacts?limit=50"),
    ("GET", "/api/contacts/<int:contact_id>"): lambda c, n: Call("GET /api/contacts/<id>", f"/api/contacts/{c.contact(n)}"),
    ("GET", "/api/contacts/reminders"): lambda c, n: Call("GET /api/contacts/reminders", f"/api/contacts/reminders?due={TODAY}"),
    ("GET", "/api/courses"): lambda c, n: Call("GET /api/courses", "/api/courses"),
    ("GET", "/api/courses/<int:course_id>"): lambda c, n: Call("GET /api/courses/<id>", f"/api/courses/{1 + n % 8}"),
    ("GET", "/api/documents"): lambda c, n: [Call("GET /api/documents", "/api/documents"),
                                             Call("GET /api/documents?name= (the popup)", f"/api/documents?name=resume-{n % 40}.txt")],
    ("GET", "/api/documents/<int:document_id>"): lambda c, n: Call("GET /api/documents/<id>", f"/api/documents/{c.document(n)}"),
    ("GET", "/api/documents/<int:document_id>/file"): lambda c, n: Call("GET /api/documents/<id>/file",
                                                                        f"/api/documents/{c.document(n)}/file"),
    ("GET", "/api/export"): lambda c, n: [Call(f"GET /api/export?format={kind}", f"/api/export?format={kind}", heavy=True)
                                          for kind in ("json", "csv", "ics")],
    ("GET", "/api/followups"): lambda c, n: [
        Call("GET /api/followups?limit=0 (the badge)", f"/api/followups?due={TODAY}&limit=0"),
        Call("GET /api/followups?limit=5 (the popup)", f"/api/followups?due={TODAY}&limit=5"),
        Call("GET /api/followups (a page, the CLI)", f"/api/followups?due={TODAY}"),
        Call("GET /api/followups?application_id=", f"/api/followups?application_id={c.id(n)}")],
    ("GET", "/api/insights/timing"): lambda c, n: Call("GET /api/insights/timing", "/api/insights/timing"),
    ("GET", "/api/openapi.json"): lambda c, n: Call("GET /api/openapi.json", "/api/openapi.json"),
    ("GET", "/api/pair/<request_id>"): lambda c, n: Call("GET /api/pair/<id> (poll)", f"/api/pair/{c.pairing(n, 'poll')['id']}",
                                                         as_api=None),
    ("GET", "/api/pairings"): lambda c, n: Call("GET /api/pairings", "/api/pairings"),
    ("GET", "/api/reasons"): lambda c, n: Call("GET /api/reasons", "/api/reasons"),
    ("GET", "/api/replies"): lambda c, n: [Call("GET /api/replies (a page)", "/api/replies"),
                                           Call("GET /api/replies?status=dismissed", "/api/replies?status=dismissed&limit=20")],
    ("GET", "/api/replies/count"): lambda c, n: Call("GET /api/replies/count (the popup)", "/api/replies/count"),
    ("GET", "/api/replies/<int:reply_id>"): lambda c, n: Call("GET /api/replies/<id>",
                                                              f"/api/replies/{c.reply(n, 'accepted-matched')}"),
    ("GET", "/api/mail"): lambda c, n: Call("GET /api/mail", "/api/mail"),
    ("GET", "/api/autostart"): lambda c, n: Call("GET /api/autostart", "/api/autostart"),
    ("GET", "/api/report"): lambda c, n: [Call(f"GET /api/report?format={kind} (4 weeks)", f"/api/report?{c.weeks(4)}&format={kind}")
                                          for kind in ("json", "csv", "html")],
    ("GET", "/api/settings"): lambda c, n: Call("GET /api/settings", "/api/settings"),
    ("GET", "/api/skills"): lambda c, n: Call("GET /api/skills", "/api/skills"),
    ("GET", "/api/skills/vocabulary"): lambda c, n: Call("GET /api/skills/vocabulary", "/api/skills/vocabulary"),
    # the API: writes
    ("POST", "/api/applications"): lambda c, n: _write("POST /api/applications (capture, 30 KB page)", "/api/applications",
                                                       payload=c.capture_payload(n)),
    ("PATCH", "/api/applications/<int:application_id>"): lambda c, n: _write(
        "PATCH /api/applications/<id>", f"/api/applications/{c.id(n)}", "PATCH", {"notes": f"<p>note {n}</p>"}),
    ("DELETE", "/api/applications/<int:application_id>"): lambda c, n: _write(
        "DELETE /api/applications/<id>", f"/api/applications/{c.made('doomed', n)}", "DELETE"),
    ("POST", "/api/applications/<int:application_id>/confirm"): lambda c, n: _write(
        "POST /api/applications/<id>/confirm", f"/api/applications/{c.id(n)}/confirm"),
    ("POST", "/api/applications/<int:application_id>/documents"): lambda c, n: _write(
        "POST /api/applications/<id>/documents (link)", f"/api/applications/{c.id(n)}/documents",
        payload={"document_id": c.document(n)}),
    ("DELETE", "/api/applications/<int:application_id>/documents/<int:document_id>"): lambda c, n: _write(
        "DELETE /api/applications/<id>/documents/<id> (unlink)", f"/api/applications/{c.id(n)}/documents/{c.document(n)}",
        "DELETE"),
    ("POST", "/api/applications/<int:application_id>/events"): lambda c, n: _write(
        "POST /api/applications/<id>/events", f"/api/applications/{c.id(n)}/events", payload={"kind": "reply"}),
    ("POST", "/api/applications/<int:application_id>/merge"): lambda c, n: _write(
        "POST /api/applications/<id>/merge", f"/api/applications/{c.made('keep', n)}/merge",
        payload={"other_id": c.made("fold", n)}),
    ("POST", "/api/applications/<int:application_id>/reasons"): lambda c, n: _write(
        "POST /api/applications/<id>/reasons", f"/api/applications/{c.id(n)}/reasons",
        payload={"codes": ["experience_level"], "text": "More senior"}),
    ("POST", "/api/applications/bulk"): lambda c, n: _write(
        "POST /api/applications/bulk (50 ids)", "/api/applications/bulk",
        payload={"ids": [c.id(n * 50 + k) for k in range(50)], "action": "move", "status": "archived"}),
    ("POST", "/api/applications/fetch"): lambda c, n: _write(
        "POST /api/applications/fetch (refused: no network here)", "/api/applications/fetch",
        payload={"url": "http://127.0.0.1/job"}, ok=(400, 403, 422)),
    ("POST", "/api/calendar/rotate"): lambda c, n: _write("POST /api/calendar/rotate", "/api/calendar/rotate"),
    ("POST", "/api/contacts"): lambda c, n: _write("POST /api/contacts", "/api/contacts",
                                                   payload={"name": f"Bench Person {n}", "asked_at": str(TODAY)}),
    ("PATCH", "/api/contacts/<int:contact_id>"): lambda c, n: _write(
        "PATCH /api/contacts/<id>", f"/api/contacts/{c.contact(n)}", "PATCH", {"role": f"Recruiter {n}"}),
    ("DELETE", "/api/contacts/<int:contact_id>"): lambda c, n: _write(
        "DELETE /api/contacts/<id>", f"/api/contacts/{c.made('person', n)}", "DELETE"),
    ("POST", "/api/contacts/<int:contact_id>/done/<key>"): lambda c, n: _write(
        "POST /api/contacts/<id>/done/<key>", f"/api/contacts/{c.contact(n)}/done/keep_in_touch"),
    ("POST", "/api/courses"): lambda c, n: _write("POST /api/courses", "/api/courses", payload={"name": f"Course b{n}"}),
    ("PATCH", "/api/courses/<int:course_id>"): lambda c, n: _write(
        "PATCH /api/courses/<id>", f"/api/courses/{1 + n % 8}", "PATCH", {"progress": n % 100}),
    ("DELETE", "/api/courses/<int:course_id>"): lambda c, n: _write(
        "DELETE /api/courses/<id>", f"/api/courses/{c.made('course', n)}", "DELETE"),
    ("POST", "/api/courses/<int:course_id>/hours"): lambda c, n: _write(
        "POST /api/courses/<id>/hours", f"/api/courses/{1 + n % 8}/hours", payload={"hours": 1}),
    ("POST", "/api/documents"): lambda c, n: _write("POST /api/documents (upload)", "/api/documents", payload={
        "name": f"letter-{n}.txt", "kind": "cover_letter",
        "content_base64": base64.b64encode(f"Dear team, {n} {c.size}".encode()).decode()}),
    ("PATCH", "/api/documents/<int:document_id>"): lambda c, n: _write(
        "PATCH /api/documents/<id>", f"/api/documents/{c.document(n)}", "PATCH", {"kind": "resume"}),
    ("DELETE", "/api/documents/<int:document_id>"): lambda c, n: _write(
        "DELETE /api/documents/<id>", f"/api/documents/{c.made('document', n)}", "DELETE"),
    ("POST", "/api/followups/<int:application_id>/<key>/<action>"): lambda c, n: _write(
        "POST /api/followups/<id>/<key>/snooze", *c.due_followup(n, "snooze"), payload={"days": 3}),
    ("POST", "/api/followups/bulk"): lambda c, n: _write("POST /api/followups/bulk (20)", "/api/followups/bulk", payload={
        "action": "dismiss", "items": c.due_items(n, 20)}),
    ("POST", "/api/followups/catch-up/dismiss"): lambda c, n: _write(  # nothing imported here: the empty case
        "POST /api/followups/catch-up/dismiss", "/api/followups/catch-up/dismiss"),
    ("POST", "/api/import"): lambda c, n: _write("POST /api/import (JSON, 1 application)", "/api/import", payload={
        "format": "json", "data": {"applications": [{"url": f"https://import.example.com/json/{c.size}/{n}",
                                                     "title": f"Imported {n}", "company": "Json Import", "status": "applied"}]}}),
    ("POST", "/api/import/preview"): lambda c, n: _write("POST /api/import/preview (CSV)", "/api/import/preview",
                                                         payload={"format": "csv", "text": _csv(n)}),
    ("POST", "/api/imports"): lambda c, n: _write("POST /api/imports (stage a CSV)", "/api/imports",
                                                  payload={"format": "csv", "text": _csv(f"staged-{n}")}),
    ("POST", "/api/imports/<import_id>/commit"): lambda c, n: _write(
        "POST /api/imports/<id>/commit", f"/api/imports/{c.staged(n, 'commit')}/commit", payload={"limit": 100}),
    ("DELETE", "/api/imports/<import_id>"): lambda c, n: _write(
        "DELETE /api/imports/<id> (cancel)", f"/api/imports/{c.staged(n, 'cancel')}", "DELETE"),
    ("POST", "/api/pair"): lambda c, n: _write("POST /api/pair", "/api/pair", payload={
        "name": "Bench browser", "requester": f"bench-ask-{c.size}-{n:06d}"}, as_api=None),
    ("POST", "/api/pair/<request_id>/token"): lambda c, n: _write(
        "POST /api/pair/<id>/token (collect)", f"/api/pair/{c.pairing(n, 'collect', approve=True)['id']}/token",
        payload={"requester": c.pairing(n, "collect")["requester"]}, as_api=None),
    ("POST", "/api/pairings/<request_id>/approve"): lambda c, n: _write(
        "POST /api/pairings/<id>/approve", f"/api/pairings/{c.pairing(n, 'approve')['id']}/approve",
        payload={"code": c.pairing(n, "approve")["code"]}),
    ("POST", "/api/pairings/approve"): lambda c, n: _write(
        "POST /api/pairings/approve (by code)", "/api/pairings/approve", payload={"code": c.pairing(n, "by-code")["code"]}),
    ("POST", "/api/pairings/<request_id>/deny"): lambda c, n: _write(
        "POST /api/pairings/<id>/deny", f"/api/pairings/{c.pairing(n, 'deny')['id']}/deny"),
    ("DELETE", "/api/pairings/<request_id>"): lambda c, n: _write(
        "DELETE /api/pairings/<id>", f"/api/pairings/{c.pairing(n, 'drop')['id']}", "DELETE"),
    ("POST", "/api/preview"): lambda c, n: _write("POST /api/preview (30 KB page)", "/api/preview",
                                                  payload={"url": f"https://jobs.example.com/p/{n}", "html": c.page_html}),
    ("POST", "/api/reextract"): lambda c, n: _write("POST /api/reextract (every page)", "/api/reextract", heavy=True),
    ("PATCH", "/api/settings"): lambda c, n: _write("PATCH /api/settings", "/api/settings", "PATCH",
                                                    {"your_name": f"Sam {n}"}),
    ("PUT", "/api/settings/<name>"): lambda c, n: _write("PUT /api/settings/<name>", "/api/settings/my_skills", "PUT",
                                                         {"value": ["Python", "SQL", "Docker"]}),
    ("POST", "/api/sign-in"): lambda c, n: _write("POST /api/sign-in", "/api/sign-in"),
    ("PUT", "/api/autostart"): lambda c, n: _write("PUT /api/autostart (a temporary HOME)", "/api/autostart", "PUT",
                                                   {"on": n % 2 == 0}),
    ("POST", "/api/pairings/browser"): lambda c, n: _write("POST /api/pairings/browser (the native host)",
                                                           "/api/pairings/browser", payload={
                                                               "name": "Chromium", "origin": f"chrome-extension://bench{n % 3}/"}),
    # mail: the proposals seeded for the run, a server that refuses, an mbox on disk
    ("POST", "/api/replies/<int:reply_id>/accept"): lambda c, n: _write(
        "POST /api/replies/<id>/accept", f"/api/replies/{c.reply(n, 'open-matched')}/accept"),
    ("POST", "/api/replies/<int:reply_id>/dismiss"): lambda c, n: _write(
        "POST /api/replies/<id>/dismiss", f"/api/replies/{c.reply(n, 'open-matched', last=True)}/dismiss"),
    ("POST", "/api/replies/<int:reply_id>/reopen"): lambda c, n: _write(
        "POST /api/replies/<id>/reopen", f"/api/replies/{c.reply(n, 'dismissed-matched')}/reopen"),
    ("POST", "/api/replies/<int:reply_id>/log"): lambda c, n: _write(
        "POST /api/replies/<id>/log", f"/api/replies/{c.reply(n, 'open-unmatched')}/log",
        payload={"company": f"Logged Co {n}", "title": "Platform Engineer"}),
    ("POST", "/api/mail/accounts"): lambda c, n: _write(
        "POST /api/mail/accounts (refused: no server)", "/api/mail/accounts", ok=(422,), payload={
            "host": "127.0.0.1", "port": CLOSED_PORT, "user": f"new{n}@example.com", "password": "app password"}),
    ("POST", "/api/mail/accounts/<int:account_id>/check"): lambda c, n: _write(
        "POST /api/mail/accounts/<id>/check (refused: no server)", "/api/mail/accounts/1/check", ok=(422,),
        payload={"password": "app password"}),
    ("DELETE", "/api/mail/accounts/<int:account_id>"): lambda c, n: _write(
        "DELETE /api/mail/accounts/<id>", f"/api/mail/accounts/{2 + n}", "DELETE"),
    ("POST", "/api/mail/import"): lambda c, n: _write(
        f"POST /api/mail/import (an mbox of {MBOX_MESSAGES} messages)", "/api/mail/import",
        payload={"path": str(c.mbox(n))}),
    ("POST", "/api/mail/classify"): lambda c, n: _write("POST /api/mail/classify (one message)", "/api/mail/classify",
                                                        payload={"message": c.message(n)}),
}
MBOX_MESSAGES = 100  # each import reads a file of its own, of new messages


class Context:
    """What the calls of one run need: the server, a signed-in client, and things made for the writes."""

    def __init__(self, server, client, size, rng):
        from companion import calendar

        self.server, self.client, self.size, self.rng = server, client, size, rng
        self.ids = rng.sample(range(1, size + 1), min(size, 4000))
        self.calendar_key = calendar.load_or_create_secret(str(server.data_dir))
        self.page_html = posting_page("Bench Engineer", "Bench Co", extra="<p>" + "We build things. " * 1500 + "</p>")
        self.made_for = {}
        self.pairings = {}
        self.imports = {}
        self.paged = PAGED
        self.folder = Path(tempfile.mkdtemp(prefix="bench-mail-", dir=server.data_dir.parent))
        self.messages = [base64.b64encode(path.read_bytes()).decode()
                         for path in sorted((ROOT / "tests" / "mail" / "messages").glob("*.eml"))[:10]]
        with socket.socket() as probe:  # nothing may answer on the "closed" port, or the mail writes would wait
            assert probe.connect_ex(("127.0.0.1", CLOSED_PORT)) != 0, f"something listens on port {CLOSED_PORT}"
        _, _, body = client.request("GET", "/api/applications?limit=50", headers=client.api_headers())
        self.list_cursor = json.loads(body)["next_cursor"]
        _, _, body = client.request("GET", "/board", headers={"Cookie": client.cookie})
        self.show_more = re.search(r'data-show-more="\w+"\s+href="([^"]+)"', body.decode())[1].replace("&amp;", "&")

    def id(self, n):
        return self.ids[n % len(self.ids)]

    def reply(self, n, group, last=False):
        """A seeded proposal of the group (status-matched), its own for each round (from the end with ``last``)."""
        found = REPLIES[group]
        return found[-1 - n] if last else found[n]

    def mbox(self, n):
        """An mbox of MBOX_MESSAGES messages none of the others holds (made before the timed request)."""
        path = self.folder / f"inbox-{n}.mbox"
        if not path.exists():
            bench_mail.make_mbox(path, MBOX_MESSAGES, first=(n + 1) * MBOX_MESSAGES)
        return path

    def message(self, n):
        return self.messages[n % len(self.messages)]

    def word(self, n):
        return ("kafka", "platform+engineer", "terraform", "robotics", "senior+data", "toronto")[n % 6]

    def contact(self, n):
        return 1 + (n * 7) % max(5, self.size // 20)

    def document(self, n):
        return 1 + (n * 3) % max(2, self.size // 10)

    def weeks(self, count):
        return f"from={TODAY - timedelta(weeks=count)}&to={TODAY}"

    def _api(self, method, path, payload=None):
        status, _, body = self.client.request(method, path, json.dumps(payload).encode() if payload is not None else None,
                                              {**self.client.api_headers(), "Content-Type": "application/json"})
        assert status < 300, (method, path, status, body[:300])
        return json.loads(body) if body else None

    def made(self, what, n):
        """A thing made (before the timed request) for a write that uses it up."""
        key = (what, n)
        if key not in self.made_for:
            if what in ("doomed", "keep", "fold"):
                title = "Folded Engineer" if what in ("keep", "fold") else "Doomed Role"
                made = self._api("POST", "/api/applications", {"title": f"{title} {n}", "company": f"Made {what} {n // 2}",
                                                               "url": f"https://made.example.com/{what}/{n}"})
                self.made_for[key] = made["application"]["id"]
            elif what == "person":
                self.made_for[key] = self._api("POST", "/api/contacts", {"name": f"Made {n}"})["contact"]["id"]
            elif what == "course":
                self.made_for[key] = self._api("POST", "/api/courses", {"name": f"Made {n}"})["course"]["id"]
            elif what == "document":
                self.made_for[key] = self._api("POST", "/api/documents", {
                    "name": f"made-{n}.txt", "content_base64": base64.b64encode(f"made {n} {self.size}".encode()).decode()
                })["document"]["id"]
        return self.made_for[key]

    def pairing(self, n, purpose, approve=False):
        key = (purpose, n)
        if key not in self.pairings:
            requester = f"bench-{purpose}-{self.size}-{n:06d}"
            asked = self._api("POST", "/api/pair", {"name": "Bench browser", "requester": requester})
            asked["requester"], asked["code"] = requester, shown_code(asked)  # what the person types
            if approve:
                self._api("POST", f"/api/pairings/{asked['id']}/approve", {"code": asked["code"]})
            self.pairings[key] = asked
        return self.pairings[key]

    def staged(self, n, purpose):
        key = (purpose, n)
        if key not in self.imports:
            self.imports[key] = self._api("POST", "/api/imports", {"format": "csv", "text": _csv(f"{purpose}-{n}")})["id"]
        return self.imports[key]

    def due_items(self, n, count):
        found = self._api("GET", f"/api/followups?due={TODAY}&limit={count}&offset={1 + n * count}")["followups"]
        return [{"application_id": s["application_id"], "key": s["key"]} for s in found] or \
            [{"application_id": self.id(n), "key": "checkin-1"}]

    def due_followup(self, n, action):
        item = self.due_items(n, 1)[0]
        return (f"/api/followups/{item['application_id']}/{item['key']}/{action}",)

    def capture_payload(self, n):
        return {"url": f"https://capture.example.com/{self.size}/{n}", "html": self.page_html}

    def spare_session(self):
        """The cookie and CSRF token of another signed-in browser (one to sign out)."""
        _, headers, _ = self.client.request(
            "POST", "/login", urllib.parse.urlencode({"token": self.server.token}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        cookie = headers["Set-Cookie"].split(";")[0]
        _, _, body = self.client.request("GET", "/import", headers={"Cookie": cookie})
        return {"Cookie": cookie, "X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', body.decode())[1]}


PAGED = []  # ids with a captured page (seeded): GET .../page and re-extraction read them
REPLIES = {}  # "<status>-matched" / "<status>-unmatched" -> ids of the seeded reply proposals
# A loopback port where no mail server listens (discard): adding or checking an account there is refused
# at once, as it is when the person's server cannot be reached. Context checks that nothing answers there.
CLOSED_PORT = 9


def rss(pid):
    """(resident MB now, the peak resident MB so far) of a process."""
    found = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS", "VmHWM")):
                found[line.split(":")[0]] = int(line.split()[1]) / 1024
    return found.get("VmRSS", float("nan")), found.get("VmHWM", float("nan"))


def server_cpu(pid):
    """Nanoseconds the server's threads have run on a CPU (schedstat): what a request costs, whatever the load."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
                total += int(handle.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
            pass
    return total


def _drain(server):
    """Read what the server prints, as it prints it (a full pipe would stop it mid-request), keeping the end."""
    server.output = collections.deque(maxlen=400)
    reader = threading.Thread(target=lambda: server.output.extend(server.process.stdout), daemon=True)
    reader.start()
    server.reader = reader


def _dump_threads(server):
    """What every thread of a server that stopped answering was doing (PYTHONFAULTHANDLER: SIGABRT prints it)."""
    server.process.send_signal(signal.SIGABRT)
    server.process.wait(30)
    server.reader.join(10)
    print(b"".join(server.output).decode("utf-8", "replace"), file=sys.stderr)


def process_cpu(pid):
    """Seconds of CPU the whole process has used, ended threads included (in clock ticks: 10 ms steps)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(ctx, call, ping):
    """One timed request (with GET /api/ping just before it): (ms, bytes of the answer, the server's CPU ms)."""
    client = ctx.client
    ping.append(client.timed("/api/ping", api=True)[0])
    headers = dict(call.headers)
    body = None
    if call.as_api:
        headers.update(client.api_headers())
    elif call.as_api is False:
        headers["Cookie"] = client.cookie
    if call.payload is not None:
        body, headers["Content-Type"] = json.dumps(call.payload).encode(), "application/json"
    if call.form is not None:
        body, headers["Content-Type"] = urllib.parse.urlencode(call.form).encode(), "application/x-www-form-urlencoded"
    cpu = server_cpu(ctx.server.process.pid)
    started = time.perf_counter()
    try:
        status, _, data = client.request(call.method, call.path, body, headers)
    except TimeoutError:
        _dump_threads(ctx.server)
        raise RuntimeError(f"{call.label} ({call.method} {call.path[:80]}) took over {client.connection.timeout} s") from None
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (server_cpu(ctx.server.process.pid) - cpu) / 1e6
    assert status in call.ok, (call.label, call.path, status, data[:300])
    return elapsed, len(data), cpu


def run(size, rounds, heavy_rounds, tmp):
    data_dir = Path(tmp) / f"data-{size}"
    data_dir.mkdir(parents=True)
    started = time.perf_counter()
    seed(data_dir, size, accounts=rounds + 2)
    seed_s = time.perf_counter() - started
    folder_mb = sum(f.stat().st_size for f in data_dir.rglob("*") if f.is_file()) / 2 ** 20
    server = Companion(data_dir, port=free_port())
    started = time.perf_counter()
    server.start(timeout=120)
    start_s = time.perf_counter() - started
    _drain(server)
    start_rss = rss(server.process.pid)[0]
    start_cpu = process_cpu(server.process.pid)
    times, sizes, kinds, cpus = {}, {}, {}, {}
    ping = []
    try:
        client = Client(server)
        # The first search and the first /skills after a start: as fast as the next ones.
        # Their CPU is the whole process's (the warm-up after start runs meanwhile, in a thread that ends).
        cpu = process_cpu(server.process.pid)
        first_search, _ = client.timed("/api/applications?q=kafka", api=True)
        first_search_cpu, cpu = (process_cpu(server.process.pid) - cpu) * 1000, process_cpu(server.process.pid)
        first_skills, _ = client.timed("/skills")
        first_skills_cpu = (process_cpu(server.process.pid) - cpu) * 1000
        first_home, _ = client.timed("/")
        ctx = Context(server, client, size, random.Random(size))
        reads = [make for key, make in ROUTES.items() if key[0] == "GET"]
        writes = [make for key, make in ROUTES.items() if key[0] != "GET"]
        # Every page and read first (the steady figures are taken after them), then the whole-store
        # transfers, then the writes; the peak is of the whole run.
        for group, heavy in ((reads, False), (reads, True), (writes, None)):
            for n in range(heavy_rounds if heavy else rounds):
                for make in group:
                    made = make(ctx, n)
                    for call in made if isinstance(made, list) else [made]:
                        if heavy is not None and call.heavy != heavy:
                            continue
                        elapsed, length, cpu = _measure(ctx, call, ping)
                        times.setdefault(call.label, []).append(elapsed)
                        cpus.setdefault(call.label, []).append(cpu)
                        sizes[call.label] = max(sizes.get(call.label, 0), length)
                        kinds[call.label] = (call.kind, call.heavy)
            if heavy is False:
                steady_page = rss(server.process.pid)[0]
                client.timed("/api/applications?q=senior+platform", api=True)
                steady_search = rss(server.process.pid)[0]
        memory_now, peak = rss(server.process.pid)
        client.connection.close()
    finally:
        server.stop()
    ping_p95 = percentile(ping, 0.95)
    return {
        "applications": size, "seed_s": round(seed_s, 1), "start_s": round(start_s, 2), "folder_mb": round(folder_mb),
        "rss_start_mb": round(start_rss), "rss_pages_mb": round(steady_page), "rss_search_mb": round(steady_search),
        "rss_end_mb": round(memory_now), "rss_peak_mb": round(peak),
        "first_search_ms": round(first_search, 1), "first_skills_ms": round(first_skills, 1),
        "first_search_cpu_ms": round(first_search_cpu, 1), "first_skills_cpu_ms": round(first_skills_cpu, 1),
        "first_home_ms": round(first_home, 1),
        "start_cpu_s": round(start_cpu, 2),
        "ping_p50": round(statistics.median(ping), 2), "ping_p95": round(ping_p95, 2),
        "routes": {label: {"p50": round(statistics.median(v), 1), "p95": round(percentile(v, 0.95), 1),
                           "ratio": round(percentile(v, 0.95) / ping_p95, 1), "n": len(v), "kb": round(sizes[label] / 1024),
                           "cpu_p50": round(statistics.median(cpus[label]), 1), "cpu_p95": round(percentile(cpus[label], 0.95), 1),
                           "kind": kinds[label][0], "heavy": kinds[label][1]} for label, v in times.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="comma-separated numbers of applications")
    parser.add_argument("--rounds", type=int, default=30, help="requests per route and size")
    parser.add_argument("--heavy-rounds", type=int, default=3, help="requests per whole-store transfer and size")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results", help="where web.json is written")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # The companion's bytecode, as pip writes it when it installs Applied: a start measured here then compiles
    # nothing (with PYTHONDONTWRITEBYTECODE set, as in some shells, every start compiled it all again: 0.1 s).
    compileall.compile_dir(ROOT / "companion", quiet=1)
    rows = []
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as tmp:
        # The companion's HOME (where PUT /api/autostart writes its entry) and keyring (the tests' file
        # keyring, so that GET /api/mail and the Settings page do not wait on a desktop's) are the run's own.
        paths = os.pathsep.join(filter(None, [str(ROOT / "tests"), os.environ.get("PYTHONPATH")]))
        os.environ.update({"PYTHONFAULTHANDLER": "1",  # see _dump_threads
                           "HOME": str(Path(tmp) / "home"), "PYTHON_KEYRING_BACKEND": "mail_keyring.FileKeyring",
                           "APPLIED_TEST_KEYRING": str(Path(tmp) / "keyring.json"), "PYTHONPATH": paths})
        os.environ.pop("XDG_CONFIG_HOME", None)
        for size in sizes:
            rows.append(run(size, args.rounds, args.heavy_rounds, tmp))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average (1, 5, 15 min) at the start: {' '.join(load_before)}; at the end: {' '.join(load)}\n")
    print("| route p50 / p95 (p95 ÷ ping p95), server CPU p50 / p95 [largest answer] | "
          + " | ".join(f"{r['applications']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    print("| `GET /api/ping` (baseline) | " + " | ".join(f"{r['ping_p50']} / {r['ping_p95']} ms" for r in rows) + " |")
    for label in rows[0]["routes"]:
        cells = [f"{r['routes'][label]['p50']} / {r['routes'][label]['p95']} ms ({r['routes'][label]['ratio']}×), "
                 f"CPU {r['routes'][label]['cpu_p50']} / {r['routes'][label]['cpu_p95']} ms "
                 f"[{r['routes'][label]['kb']} KB]" for r in rows]
        heavy = " (whole store)" if rows[0]["routes"][label]["heavy"] else ""
        print(f"| `{label}`{heavy} | " + " | ".join(cells) + " |")
    for label, key, unit in (("first search after start", "first_search_ms", " ms"),
                             ("server CPU (whole process) during the first search", "first_search_cpu_ms", " ms"),
                             ("first /skills after start", "first_skills_ms", " ms"),
                             ("server CPU (whole process) during the first /skills", "first_skills_cpu_ms", " ms"),
                             ("first / (what is due) after start", "first_home_ms", " ms"),
                             ("start → first answer", "start_s", " s"), ("server CPU to the first answer", "start_cpu_s", " s"),
                             ("RSS at start", "rss_start_mb", " MB"),
                             ("RSS after every page", "rss_pages_mb", " MB"), ("RSS after a search", "rss_search_mb", " MB"),
                             ("RSS at the end (after every write)", "rss_end_mb", " MB"), ("RSS peak in the run", "rss_peak_mb", " MB"),
                             ("data folder", "folder_mb", " MB"), ("seeding (bulk, in-process)", "seed_s", " s")):
        print(f"| {label} | " + " | ".join(f"{r[key]}{unit}" for r in rows) + " |")
    out = args.results
    out.mkdir(parents=True, exist_ok=True)
    (out / "web.json").write_text(json.dumps({"load_before": load_before, "load": load, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
