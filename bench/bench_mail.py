"""Reading a big mailbox: 10,000 messages in an mbox, classified and matched, against a baseline run alongside.

    python bench/bench_mail.py [--messages 10000] [--applications 1000]

The mbox is made from our 75 test messages (tests/mail/messages), each copy with its own Message-ID, and the
data folder holds the 17 applications they are about plus --applications more. Measured in one process:

* baseline: the standard library reading the same mbox (mailbox.mbox, and email's parser on each message);
* ours, reading: sources.mbox_items + message.read + classify + match, each message in turn (nothing stored);
* ours, importing: the same through replies.ingest into a real store (proposals written, as `applied mail import`).

Memory: resident set size at start, after each run and its peak (ru_maxrss), and after the first and the last
tenth of the reading run, so that growth with the number of messages shows.
"""
import argparse
import email
import json
import mailbox
import os
import re
import resource
import sys
import tempfile
import time
from datetime import datetime
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from companion import applications as apps  # noqa: E402
from companion.mail import message, replies, sources  # noqa: E402
from companion.mail.classify import classify  # noqa: E402
from companion.store import Store  # noqa: E402

MAIL = ROOT / "tests" / "mail"
TARGET_SECONDS = 10.0


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1048576


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_mbox(path, count, first=0):
    """``count`` messages, the 75 test ones in turn, each with a Message-ID of its own (numbered from ``first``)."""
    sources_ = [p.read_bytes().replace(b"\r\n", b"\n") for p in sorted((MAIL / "messages").glob("*.eml"))]
    with open(path, "wb") as out:
        for number in range(first, first + count):
            raw = sources_[number % len(sources_)]
            raw = re.sub(rb"(?m)^Message-ID: <", b"Message-ID: <%d." % number, raw, count=1)
            raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)  # mboxrd
            out.write(b"From bench@example.com Mon Nov  2 10:00:00 2026\n" + raw + b"\n")
    return path.stat().st_size


def seed(store, extra):
    for application in json.loads((MAIL / "applications.json").read_text(encoding="utf-8")):
        payload = {key: application[key] for key in ("title", "company", "status", "applied_at")}
        if application["url"]:
            payload["url"] = application["url"]
        apps.capture(store, payload)
    with store.batch():
        for number in range(extra):
            apps.capture(store, {"url": f"https://jobs.example-{number % 300}.com/jobs/{number}",
                                 "title": f"Engineer {number}", "company": f"Company {number % 300}",
                                 "applied_at": "2026-09-01"})


def timed(run):
    """(wall seconds, CPU seconds of this process, what run answered): CPU time is what the reading costs
    whatever else the machine does; wall time is what a person waits."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer = run()
    return time.perf_counter() - wall, time.process_time() - cpu, answer


def baseline(path):
    count = 0
    for item in mailbox.mbox(str(path)):
        email.message_from_bytes(item.as_bytes(), policy=policy.compat32).get_payload()
        count += 1
    return count


def reading(path, index):
    kinds, matched, marks = {}, 0, []
    items = 0
    for item in sources.mbox_items(path):
        mail = message.read(item.raw, received=item.received, size=item.size)
        verdict = classify(mail)
        kinds[verdict.kind] = kinds.get(verdict.kind, 0) + 1
        if verdict.kind != "other" and index.match(mail).application_id:
            matched += 1
        items += 1
        if items % 1000 == 0:
            marks.append(round(rss_mb(), 1))
    return items, kinds, matched, marks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000)
    args = parser.parse_args()
    start_rss = rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        mbox = folder / "inbox.mbox"
        size = make_mbox(mbox, args.messages)
        store = Store(folder / "data")
        seed(store, args.applications)
        index = replies.application_index(store)
        ready_rss = rss_mb()

        base_seconds, base_cpu, base_count = timed(lambda: baseline(mbox))
        after_base = rss_mb()
        read_seconds, read_cpu, (read_count, kinds, matched, marks) = timed(lambda: reading(mbox, index))
        after_read = rss_mb()
        import_seconds, import_cpu, summary = timed(
            lambda: replies.ingest(store, sources.mbox_items(mbox), source="file:inbox.mbox"))
        after_import = rss_mb()
        store.close()

    rows = {
        "messages": read_count, "mbox_mb": round(size / 1048576, 1), "applications": args.applications + 17,
        "baseline_stdlib_seconds": round(base_seconds, 2), "baseline_cpu_seconds": round(base_cpu, 2),
        "baseline_messages": base_count,
        "reading_seconds": round(read_seconds, 2), "reading_cpu_seconds": round(read_cpu, 2),
        "reading_per_message_ms": round(1000 * read_seconds / read_count, 3),
        "import_seconds": round(import_seconds, 2), "import_cpu_seconds": round(import_cpu, 2),
        "proposed": summary["proposed"], "other": summary["other"], "load_average": os.getloadavg()[0],
        "kinds": kinds, "matched": matched,
        "rss_mb": {"start": round(start_rss, 1), "seeded": round(ready_rss, 1), "after_baseline": round(after_base, 1),
                   "after_reading": round(after_read, 1), "after_import": round(after_import, 1),
                   "peak": round(peak_mb(), 1), "every_1000_read": marks},
        "measured": datetime.now().isoformat(timespec="seconds"),
    }
    print(f"| what ({read_count:,} messages, {rows['mbox_mb']} MB mbox, {rows['applications']:,} applications; "
          f"load average {rows['load_average']:.1f}) | wall s | CPU s | ÷ baseline (CPU) |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: the standard library parses the mbox | {base_seconds:.2f} | {base_cpu:.2f} | 1.0 |")
    print(f"| ours: read safely, classify, match | {read_seconds:.2f} | {read_cpu:.2f} | {read_cpu / base_cpu:.2f} |")
    print(f"| ours: `applied mail import` (proposals stored) | {import_seconds:.2f} | {import_cpu:.2f} | "
          f"{import_cpu / base_cpu:.2f} |")
    print(f"\nRSS MB: start {rows['rss_mb']['start']}, seeded {rows['rss_mb']['seeded']}, after baseline "
          f"{rows['rss_mb']['after_baseline']}, after reading {rows['rss_mb']['after_reading']}, after import "
          f"{rows['rss_mb']['after_import']}, peak {rows['rss_mb']['peak']}; every 1,000 read: {marks}")
    print(f"kinds: {kinds}; matched {matched}; proposed {summary['proposed']}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "mail.json").write_text(json.dumps(rows, indent=2))
    verdict = "within" if read_seconds <= TARGET_SECONDS and import_seconds <= TARGET_SECONDS else "OVER"
    print(f"\n{verdict} the {TARGET_SECONDS:.0f} s target in wall time (CPU: reading {read_cpu:.1f} s, import {import_cpu:.1f} s)")


if __name__ == "__main__":
    main()
