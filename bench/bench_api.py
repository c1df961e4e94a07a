"""End-to-end latency of the real companion over HTTP, with 100, 1,000 and 10,000 stored applications.

    python bench/bench_api.py [--quick]

For each size it seeds a fresh data folder, starts `applied serve` the way a person
does, and measures: start to first answer, capture of a 500 KB posting page, status
update, lookup by URL (the popup's question), and the server's resident memory.
The store-level comparison with stock TinyDB is bench/bench_store.py.
"""
import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import Companion, free_port, posting_page  # noqa: E402

from companion.store import Store  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def seed(data_dir, count):
    """Fill a store with realistic applications (about 1.7 KB of fields each)."""
    store = Store(data_dir)
    now = datetime(2026, 11, 1).isoformat()
    for n in range(count):
        store.insert("applications", {
            "url": f"https://jobs.example.com/seed/{n}", "source_url": f"https://jobs.example.com/seed/{n}",
            "status": "applied", "applied_at": "2026-11-01", "title": f"Engineer {n}", "company": f"Company {n % 700}",
            "locations": ["Toronto, ON, CA", "Remote"], "remote": "hybrid", "employment_type": "full_time",
            "salary": {"min": 100000, "max": 130000, "currency": "CAD", "period": "year"},
            "date_posted": "2026-10-28", "valid_through": None, "apply_url": f"https://jobs.example.com/apply/{n}",
            "company_logo": None, "source": "generic", "notes": "<p>" + "Talked to the recruiter. " * 40 + "</p>",
            "capture_ids": [f"seed-{n}"], "captured_at": now, "created_at": now, "updated_at": now,
            "has_page": False, "not_a_posting": False, "edited": [],
            "history": [{"kind": "status", "at": now, "date": "2026-11-01", "from": None, "to": "applied"}],
        })
    store.close()


def big_page(size=500_000):
    filler = "<div class='similar'><a href='/jobs/x'>Another job you may like</a><p>" + "lorem ipsum " * 40 + "</p></div>"
    return posting_page(extra=filler * (size // len(filler)))


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run(size, repeats, tmp):
    data_dir = Path(tmp) / f"data-{size}"
    data_dir.mkdir(parents=True)
    seed(data_dir, size)
    server = Companion(data_dir, port=free_port())
    started = time.perf_counter()
    server.start(timeout=30)
    start_s = time.perf_counter() - started
    page = big_page()
    capture_ms, update_ms, lookup_ms = [], [], []
    try:
        for n in range(repeats):
            t = time.perf_counter()
            response = server.post("/api/applications", {"url": f"https://jobs.example.com/new/{n}", "html": page})
            capture_ms.append((time.perf_counter() - t) * 1000)
            assert response.status == 201, response.text
        for n in range(repeats):
            t = time.perf_counter()
            response = server.patch(f"/api/applications/{n + 1}", {"status": "screening"})
            update_ms.append((time.perf_counter() - t) * 1000)
            assert response.status == 200, response.text
        for n in range(repeats):
            t = time.perf_counter()
            server.get(f"/api/applications?url=https://jobs.example.com/seed/{n * 7 % size}")
            lookup_ms.append((time.perf_counter() - t) * 1000)
        memory = rss_mb(server.process.pid)
    finally:
        server.stop()
    return {"applications": size, "start_s": start_s, "rss_mb": memory,
            **{f"{name}_{stat}": round(fn(values), 2) for name, values in
               (("capture", capture_ms), ("update", update_ms), ("lookup", lookup_ms))
               for stat, fn in (("p50", statistics.median), ("p95", lambda v: percentile(v, 0.95)))}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    import tempfile

    repeats = 20 if args.quick else 60
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (100, 1_000, 10_000):
            rows.append(run(size, repeats, tmp))
    print("| stored | start→first answer | capture 500 KB p50 / p95 | status update p50 / p95 "
          "| lookup by URL p50 / p95 | server RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['applications']:,} | {r['start_s'] * 1000:.0f} ms | {r['capture_p50']} / {r['capture_p95']} ms "
              f"| {r['update_p50']} / {r['update_p95']} ms | {r['lookup_p50']} / {r['lookup_p95']} ms "
              f"| {r['rss_mb']:.0f} MB |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "api.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
