"""Benchmark of companion/store.py against stock TinyDB (JSONStorage), run side by side.

    python bench/bench_store.py            # 100, 1,000 and 10,000 applications (about a minute)
    python bench/bench_store.py --quick    # 100 and 1,000, fewer samples (a smoke test)

Measures p50/p95 of a capture (insert an application, put its 500 KB page and its description)
and of a status change (update the status, append to the history), for our store and for a
naive stock TinyDB app that keeps the page and description inline; then, in fresh processes,
the time to open our store and its peak RSS. Prints Markdown, writes bench/results/store.json.
Both sides are TinyDB: ours through the store's JournaledTable and JournaledStorage, stock through
TinyDB's own Table and JSONStorage.

The stock baseline is prefilled with the application fields only: with a 500 KB page inline in
each, 10,000 applications would make a 5 GB file. Its figures are therefore a lower bound, and
the ratios (stock / ours) conservative.
"""
import argparse
import itertools
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from companion.store import Store  # noqa: E402

APPS = "applications"
STATUSES = ["screening", "interviewing", "offer", "rejected", "ghosted", "withdrawn", "applied"]
TARGETS = {"capture_p95_ms": 50, "status_p95_ms": 15, "status_speedup_p95": 10, "open_s": 1.0, "rss_mb": 150}
_rng = random.Random(7)
_VOCAB = ["".join(_rng.choices("abcdefghijklmnopqrstuvwxyz", k=_rng.randint(2, 11))) for _ in range(3000)]
_ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(_VOCAB) + 1)))  # words as common as in text
_TAGS = ["div", "span", "p", "li", "a", "section", "h2", "strong"]
_ICON = ('<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M12 2a10 10 0 1 0 0 20 '
         '10 10 0 0 0 0-20zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z"></path></svg>')


def html_text(rng, size):
    """Rendered-page-like HTML of about size bytes; gzip shrinks it ~6x, as it does a real job page."""
    parts, total = [], 0
    while total < size:
        tag = rng.choice(_TAGS)
        words = " ".join(rng.choices(_VOCAB, cum_weights=_ZIPF, k=rng.randint(0, 12)))
        part = (f'<{tag} class="jobs-top-card__{rng.choice(_TAGS)} artdeco-{rng.randint(1, 9)}" '
                f'data-test-id="job-{rng.choice(_TAGS)}-{rng.randint(1, 30)}">'
                f'{_ICON if rng.random() < 0.2 else ""}{words}</{tag}>\n')
        parts.append(part)
        total += len(part)
    return "".join(parts)


def application(rng, n):
    """An application as the companion keeps it: about 1.7 KB of fields with a history."""
    words = lambda k: " ".join(rng.choices(_VOCAB, k=k))  # noqa: E731
    return {
        "url": f"https://boards.example.com/acme-{n}/jobs/{rng.randint(10**6, 10**7)}",
        "title": words(4).title(), "company": words(2).title(), "locations": [words(2).title(), words(1).title()],
        "remote": rng.choice(["remote", "hybrid", "onsite"]), "employment_type": "full_time",
        "salary": {"min": 90000, "max": 130000, "currency": "USD", "period": "year"},
        "date_posted": "2024-04-28", "valid_through": "2024-06-30", "source": "greenhouse",
        "apply_url": f"https://boards.example.com/acme-{n}/apply", "company_logo": f"https://cdn.example.com/{n}.png",
        "status": "applied", "applied_at": "2024-05-01", "capture_ids": [f"cap-{n}-{rng.randint(0, 10**9)}"],
        "description_text": words(70), "skills": rng.choices(_VOCAB, k=10), "notes": words(25),
        "history": [{"status": s, "at": f"2024-05-0{i + 1}", "note": words(4)}
                    for i, s in enumerate(["saved", "applied", "screening"])],
        "followups": [{"kind": "checkin", "due": "2024-05-15", "done": False}],
    }


def percentiles(samples):
    ms = sorted(s * 1000 for s in samples)
    return {"p50": statistics.median(ms), "p95": statistics.quantiles(ms, n=100, method="inclusive")[94],
            "max": ms[-1], "n": len(ms)}


def bench_ours(folder, n, updates, captures, pages, description):
    rng = random.Random(n)
    with Store(folder) as store:
        for i in range(n):
            store.insert(APPS, application(rng, i))
    store = Store(folder)  # measured from a clean open, as after a restart
    status_times, capture_times = [], []
    for _ in range(updates):
        doc_id, status = rng.randint(1, n), rng.choice(STATUSES)
        start = time.perf_counter()
        with store.lock:
            doc = store.get(APPS, doc_id)
            store.update(APPS, doc_id, {"status": status,
                                         "history": doc["history"] + [{"status": status, "at": "2024-05-09"}]})
        status_times.append(time.perf_counter() - start)
    for i in range(captures):
        fields, page = application(rng, n + i), pages[i % len(pages)]
        start = time.perf_counter()
        with store.lock:  # as companion/applications.py does it
            doc = store.insert(APPS, fields)
            store.put_blob("page", doc["id"], page)
            store.put_blob("description", doc["id"], description)
        capture_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    store.close()  # writes a snapshot of everything: the compaction cost
    return status_times, capture_times, time.perf_counter() - start


def bench_stock(path, n, updates, captures, pages, description):
    from tinydb import TinyDB

    rng = random.Random(n)
    status_times, capture_times = [], []
    with TinyDB(path) as db:
        table = db.table(APPS)
        table.insert_multiple(application(rng, i) for i in range(n))
        for _ in range(updates):
            doc_id, status = rng.randint(1, n), rng.choice(STATUSES)
            start = time.perf_counter()
            doc = table.get(doc_id=doc_id)
            table.update({"status": status, "history": doc["history"] + [{"status": status, "at": "2024-05-09"}]},
                         doc_ids=[doc_id])
            status_times.append(time.perf_counter() - start)
        for i in range(captures):
            fields, page = application(rng, n + i), pages[i % len(pages)]
            start = time.perf_counter()
            table.insert({**fields, "page_html": page, "description_html": description})
            capture_times.append(time.perf_counter() - start)
    return status_times, capture_times


def child_open(folder):
    """Run open_and_measure in a fresh process, as a restarted companion would be."""
    spawned = time.time()
    out = subprocess.run([sys.executable, __file__, "--child-open", str(folder)], capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out)
    result["ready_s"] = result.pop("ready_at") - spawned
    return result


def open_and_measure(folder):
    """Time Store(), change 100 applications, list a page, close; print the times and peak RSS."""
    start = time.perf_counter()
    store = Store(folder)
    opened, ready_at = time.perf_counter() - start, time.time()
    for doc_id in range(1, 101):
        with store.lock:
            doc = store.get(APPS, doc_id)
            store.update(APPS, doc_id, {"status": "offer", "history": doc["history"] + [{"status": "offer"}]})
    store.search(APPS, lambda d: d["status"] == "offer", sort_key=lambda d: d["title"], limit=50)
    store.close()
    # ru_maxrss would also count the bench's memory, copied by the fork before exec; VmHWM is
    # this program's own high-water mark. getrusage is the fallback where there is no /proc.
    try:
        with open("/proc/self/status") as status:
            peak_kb = int(next(line for line in status if line.startswith("VmHWM")).split()[1])
    except OSError:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"open_s": opened, "ready_at": ready_at, "rss_mb": peak_kb / 1024}))


def crash_with_full_journal(folder, records):
    """Leave folder as a crash would: `records` changes in the journal, none in the snapshot."""
    subprocess.run([sys.executable, __file__, "--child-crash", str(folder), str(records)], check=True)


def change_and_die(folder, records):
    store = Store(folder)
    for i in range(records):
        store.update(APPS, i % 1000 + 1, {"status": "screening", "n": i})
    os._exit(0)


def fsync_cost(folder):
    """What one durable journal append costs on this disk: the floor under every write."""
    times, fd = [], os.open(folder / "fsync-probe", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for _ in range(200):
        start = time.perf_counter()
        os.write(fd, b"x" * 1800 + b"\n")
        getattr(os, "fdatasync", os.fsync)(fd)
        times.append(time.perf_counter() - start)
    os.close(fd)
    return percentiles(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 applications, fewer samples")
    parser.add_argument("--dir", help="where to put the stores (default: a temp folder; the disk matters)")
    parser.add_argument("--child-open", help=argparse.SUPPRESS)
    parser.add_argument("--child-crash", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_open:
        return open_and_measure(args.child_open)
    if args.child_crash:
        return change_and_die(args.child_crash[0], int(args.child_crash[1]))
    sizes = {100: (200, 40, 40, 20), 1000: (200, 40, 25, 15), 10_000: (200, 40, 15, 10)}
    if args.quick:
        sizes = {100: (50, 10, 10, 5), 1000: (50, 10, 8, 5)}
    work = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    rng = random.Random(1)
    print("generating pages...", file=sys.stderr)
    pages = [html_text(rng, 500_000) for _ in range(5)]
    description = html_text(rng, 6_000)
    results, report = [], {}
    try:
        report["fsync_append_ms"] = fsync_cost(work)
        for n, (our_updates, our_captures, stock_updates, stock_captures) in sizes.items():
            print(f"{n} applications: our store...", file=sys.stderr)
            folder = work / f"ours-{n}"
            ours_status, ours_capture, compaction = bench_ours(folder, n, our_updates, our_captures,
                                                               pages, description)
            print(f"{n} applications: stock TinyDB...", file=sys.stderr)
            stock_status, stock_capture = bench_stock(work / f"stock-{n}.json", n, stock_updates, stock_captures,
                                                      pages, description)
            for op, ours, stock in (("capture", ours_capture, stock_capture),
                                    ("status update", ours_status, stock_status)):
                results.append({"apps": n, "op": op, "ours": percentiles(ours), "stock": percentiles(stock)})
            results.append({"apps": n, "op": "snapshot (close)", "ours": {"p50": compaction * 1000}})
            (work / f"stock-{n}.json").unlink()
        largest = max(sizes)
        folder = work / f"ours-{largest}"
        runs = [child_open(folder) for _ in range(3)]
        report["open_s"] = statistics.median(r["open_s"] for r in runs)
        report["ready_s"] = statistics.median(r["ready_s"] for r in runs)
        report["rss_mb"] = max(r["rss_mb"] for r in runs)
        crash_with_full_journal(folder, 1999)
        report["open_after_crash_s"] = child_open(folder)["open_s"]
        report["largest"] = largest
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_report(results, report)
    save(results, report, args.quick)


def row_for(results, n, op):
    return next(r for r in results if r["apps"] == n and r["op"] == op)


def print_report(results, report):
    print("| applications | operation | ours p50 | ours p95 | stock p50 | stock p95 "
          "| stock/ours p50 | stock/ours p95 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if "stock" not in r:
            continue
        ours, stock = r["ours"], r["stock"]
        print(f"| {r['apps']:,} | {r['op']} | {ours['p50']:.1f} ms | {ours['p95']:.1f} ms | {stock['p50']:.1f} ms "
              f"| {stock['p95']:.1f} ms | {stock['p50'] / ours['p50']:.0f}x | {stock['p95'] / ours['p95']:.0f}x |")
    n = report["largest"]
    print()
    counts = [f"{r['op']} {r['ours']['n']}/{r['stock']['n']}" for r in results if r["apps"] == n and "stock" in r]
    print(f"- samples at {n:,} (ours/stock): {', '.join(counts)}")
    print(f"- one durable journal append (1.8 KB write + fdatasync): p50 {report['fsync_append_ms']['p50']:.2f} ms, "
          f"p95 {report['fsync_append_ms']['p95']:.2f} ms")
    print(f"- full snapshot on close at {n:,}: {row_for(results, n, 'snapshot (close)')['ours']['p50']:.0f} ms "
          f"(also once per 2,000 changes)")
    print(f"- open at {n:,}: Store() {report['open_s'] * 1000:.0f} ms, process start to ready "
          f"{report['ready_s'] * 1000:.0f} ms; after a crash with 1,999 journal records (replay + new snapshot): "
          f"{report['open_after_crash_s'] * 1000:.0f} ms")
    print(f"- peak RSS of a process that opens the store at {n:,}, changes 100 and closes: "
          f"{report['rss_mb']:.0f} MB")
    checks = targets(results, report)
    if checks:
        print()
        print("| target at 10,000 | measured | limit | |")
        print("|---|---:|---:|---|")
        for name, (value, limit, ok) in checks.items():
            print(f"| {name} | {value:.1f} | {limit} | {'PASS' if ok else 'FAIL'} |")


def targets(results, report):
    """{name: (measured, limit, met)} at 10,000 applications; nothing for a --quick run."""
    if report["largest"] != 10_000:
        return {}
    capture, status = row_for(results, 10_000, "capture"), row_for(results, 10_000, "status update")
    measured = {
        "capture p95 (ms)": (capture["ours"]["p95"], TARGETS["capture_p95_ms"]),
        "status update p95 (ms)": (status["ours"]["p95"], TARGETS["status_p95_ms"]),
        "open (s)": (report["open_s"], TARGETS["open_s"]),
        "peak RSS (MB)": (report["rss_mb"], TARGETS["rss_mb"]),
    }
    checks = {name: (value, limit, value <= limit) for name, (value, limit) in measured.items()}
    speedup = status["stock"]["p95"] / status["ours"]["p95"]
    checks["status update speedup vs stock, p95 (x)"] = (speedup, TARGETS["status_speedup_p95"],
                                                         speedup >= TARGETS["status_speedup_p95"])
    return checks


def save(results, report, quick):
    out = ROOT / "bench" / "results" / "store.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    checks = {name: {"value": v, "limit": limit, "ok": ok}
              for name, (v, limit, ok) in targets(results, report).items()}
    out.write_text(json.dumps({
        "quick": quick, "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "load_average": os.getloadavg(), "results": results, **report, "targets": checks,
    }, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
