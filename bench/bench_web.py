"""Every web view page, the due count and the API list over HTTP, at 1,000, 10,000 and 50,000 applications.

    python bench/bench_web.py [--sizes 1000,10000,50000] [--rounds 30] [--writes 2500]

For each size it seeds a data folder directly through the Store, in bulk (realistic records:
3-8 KB descriptions, a few history entries, contacts linked to applications, courses), starts
`applied serve` the way a person does, signs a session in, and measures:

* start to first answer, and the first /skills after start (the one that used to read every description);
* each page (and the badge's count, one page of GET /api/applications) ``--rounds`` times, with
  ``GET /api/ping`` sent just before each one as the baseline of the same moment: p50, p95, and
  p95 over ping's p95 (the machine is shared, so the ratio says more than the milliseconds);
* the server's resident memory after every page has been visited;
* ``--writes`` changes over HTTP (status moves and notes), enough for the store to fold its journal
  into a snapshot at least once: p50, p99 and the slowest, snapshots included;
* the pages whose summaries are kept per store version (/, /insights, /skills), each right after a
  change, when they are computed again (ping is not interleaved there: the ratio uses the one above).
"""
import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_api import percentile, rss_mb  # noqa: E402
from conftest import Companion, free_port  # noqa: E402

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


def seed(data_dir, count, *, rng_seed=13):
    """Write ``count`` applications, their descriptions, count/20 contacts and a few courses, in bulk."""
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
        store.insert_many("courses", [
            {"name": f"Course {n}", "provider": "Coursera", "url": None, "skill": SKILLS[n], "progress": 40,
             "hours_logged": 6.0, "log": [{"date": (TODAY - timedelta(days=7 * n)).isoformat(), "hours": 6.0}],
             "started_at": (TODAY - timedelta(days=7 * n)).isoformat(), "finished_at": None, "notes": None,
             "created_at": TODAY.isoformat(), "updated_at": TODAY.isoformat()} for n in range(8)])
        store.insert("settings", {"my_skills": ["Python", "SQL", "Docker"], "your_name": "Sam"})


class Client:
    """One keep-alive connection, signed in to the web view (a session cookie) and holding the token."""

    def __init__(self, server):
        self.server = server
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        self.headers = {"Host": f"127.0.0.1:{server.port}"}
        status, headers, _ = self.request("POST", "/login", urllib.parse.urlencode({"token": server.token}).encode(),
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status
        self.cookie = headers["Set-Cookie"].split(";")[0]

    def request(self, method, path, body=None, headers=None):
        self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        response = self.connection.getresponse()
        return response.status, response.headers, response.read()

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


def run(size, rounds, writes, tmp):
    data_dir = Path(tmp) / f"data-{size}"
    data_dir.mkdir(parents=True)
    started = time.perf_counter()
    seed(data_dir, size)
    seed_s = time.perf_counter() - started
    folder_mb = sum(f.stat().st_size for f in data_dir.rglob("*") if f.is_file()) / 2 ** 20
    server = Companion(data_dir, port=free_port())
    started = time.perf_counter()
    server.start(timeout=120)
    start_s = time.perf_counter() - started
    start_rss = rss_mb(server.process.pid)
    try:
        client = Client(server)
        first_skills, _ = client.timed("/skills")
        ids = random.Random(1).sample(range(1, size + 1), rounds)
        pages = {"/": "/", "/applications": "/applications", "/applications/<id>": None,
                 "/followups": "/followups", "/insights": "/insights", "/skills": "/skills",
                 "/contacts": "/contacts", "/settings": "/settings",
                 "due count (API)": f"/api/followups?due={TODAY.isoformat()}&limit=0",
                 "list page (API)": "/api/applications?limit=50"}
        times = {name: [] for name in pages}
        ping = []
        for n in range(rounds):
            for name, path in pages.items():
                ping.append(client.timed("/api/ping", api=True)[0])
                elapsed, body = client.timed(path or f"/applications/{ids[n]}", api=path and path.startswith("/api/"))
                times[name].append(elapsed)
        memory = rss_mb(server.process.pid)
        write_ms = []
        moves = {"applied": "screening", "screening": "interviewing", "interviewing": "offer"}
        states = {}
        for n in range(writes):
            doc_id = ids[n % len(ids)] if n % 2 else (n * 7919) % size + 1
            if n % 3 == 0:
                payload = {"notes": f"<p>note {n}</p>"}
            else:
                current = states.get(doc_id)
                if current is None:
                    current = json.loads(client.timed(f"/api/applications/{doc_id}", api=True)[1])["application"]["status"]
                payload = {"status": moves[current]} if current in moves else {"notes": f"<p>note {n}</p>"}
                states[doc_id] = payload.get("status", current)
            elapsed, _ = client.timed(f"/api/applications/{doc_id}", api=True, method="PATCH", payload=payload)
            write_ms.append(elapsed)
        # Summaries are kept per store version: the first view after a change computes them again.
        after = {"/insights after a change": [], "/skills after a change": [], "/ after a change": []}
        for n in range(rounds):
            for name in after:
                client.timed(f"/api/applications/{ids[n]}", api=True, method="PATCH", payload={"notes": f"<p>{n}</p>"})
                after[name].append(client.timed(name.split(" ")[0])[0])
        times.update(after)
        client.connection.close()
    finally:
        server.stop()
    ping_p50, ping_p95 = statistics.median(ping), percentile(ping, 0.95)
    return {
        "applications": size, "seed_s": round(seed_s, 1), "start_s": round(start_s, 2), "folder_mb": round(folder_mb),
        "rss_start_mb": round(start_rss), "rss_mb": round(memory), "first_skills_ms": round(first_skills, 1),
        "ping_p50": round(ping_p50, 2), "ping_p95": round(ping_p95, 2),
        "pages": {name: {"p50": round(statistics.median(v), 1), "p95": round(percentile(v, 0.95), 1),
                         "ratio": round(percentile(v, 0.95) / ping_p95, 1)} for name, v in times.items()},
        "write_p50": round(statistics.median(write_ms), 2), "write_p99": round(percentile(write_ms, 0.99), 2),
        "write_max": round(max(write_ms), 2), "write_max_at": write_ms.index(max(write_ms)), "writes": len(write_ms),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated numbers of applications")
    parser.add_argument("--rounds", type=int, default=30, help="requests per page and size")
    parser.add_argument("--writes", type=int, default=2500, help="changes per size (2,000 trigger a snapshot)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows.append(run(size, args.rounds, args.writes, tmp))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.2f}\n")
    print("| page p50 / p95 (p95 ÷ ping p95) | " + " | ".join(f"{r['applications']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    print("| `GET /api/ping` (baseline) | " + " | ".join(f"{r['ping_p50']} / {r['ping_p95']} ms" for r in rows) + " |")
    for name in rows[0]["pages"]:
        cells = [f"{r['pages'][name]['p50']} / {r['pages'][name]['p95']} ms ({r['pages'][name]['ratio']}×)"
                 for r in rows]
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    for label, key, unit in (("first /skills after start", "first_skills_ms", " ms"), ("start → first answer", "start_s", " s"),
                             ("RSS at start", "rss_start_mb", " MB"), ("RSS after every page", "rss_mb", " MB"),
                             ("write p50", "write_p50", " ms"), ("write p99 (snapshots included)", "write_p99", " ms"),
                             ("slowest write", "write_max", " ms"), ("data folder", "folder_mb", " MB"),
                             ("seeding (bulk, in-process)", "seed_s", " s")):
        print(f"| {label} | " + " | ".join(f"{r[key]}{unit}" for r in rows) + " |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "web.json").write_text(json.dumps({"load": load, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
