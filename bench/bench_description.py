"""Benchmark: the generic description (main content) against trafilatura and readability-lxml.

    python bench/bench_description.py [--quick]

On pages without structured data the description comes from the page's main content. This
measures our reading (``heuristics.Heuristics.description``, then the sanitizer) against two kept
libraries that do the same job, by accuracy and by time, to decide which one the engine uses:

* accuracy: on the labelled real pages of ``../shared/corpus/real`` (when beside this checkout),
  the share of required sentences found and of forbidden strings (navigation, forms, similar
  jobs) kept out; on the project's own generic golden pages, the first and last sentence of the
  expected description found;
* time: median CPU milliseconds per page, on those pages and on the 500 KB padded page of
  ``bench_extract.py``.

Prints a Markdown table and writes bench/results/description.json.
"""
import datetime
import json
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import padded  # noqa: E402
from companion.extract.heuristics import Heuristics  # noqa: E402
from companion.extract.page import Page  # noqa: E402
from companion.sanitize import clean_html, html_to_text  # noqa: E402

CORPUS = ROOT.parent.parent / "shared" / "corpus" / "real"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/real")
GOLDEN = ["labelled/dl-french", "labelled/sidebar-german", "labelled/lines-spanish", "labelled/chips-dutch",
          "labelled/table-portuguese", "wordpress/careers-post", "table_layout/board-webforms",
          "company_careers/headings-only", "generic/heuristics-only", "apply_step/greenhouse-form"]


def norm(text):
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def ours(html, url):
    page = Page(html, url)
    raw = Heuristics(page, datetime.date(2026, 11, 20)).description()
    return html_to_text(clean_html(raw, url), cleaned=True) if raw else ""


def trafilatura_text(html, url):
    import trafilatura

    return trafilatura.extract(html if isinstance(html, str) else html.decode("utf-8", "replace"), url=url,
                               include_tables=True, include_comments=False) or ""


def readability_text(html, url):
    from readability import Document

    text = html if isinstance(html, str) else html.decode("utf-8", "replace")
    return html_to_text(Document(text, url=url).summary(html_partial=True))


READERS = [("ours (heuristics + nh3)", ours), ("trafilatura", trafilatura_text), ("readability-lxml", readability_text)]


def cases():
    found = []
    if CORPUS.is_dir():
        for expected in sorted(CORPUS.glob("*.json")):
            case = json.loads(expected.read_text(encoding="utf-8"))
            found.append((f"real/{expected.stem}", expected.with_suffix(".html").read_bytes(), case["url"],
                          case.get("description_must_contain", []), case.get("description_must_not_contain", [])))
    for name in GOLDEN:
        case = json.loads((ROOT / "tests" / "extract" / f"{name}.json").read_text(encoding="utf-8"))
        text = (case.get("expected") or {}).get("description_text") or ""
        lines = [line.strip("- ") for line in text.split("\n") if len(line) > 40]
        must = [lines[0], lines[-1]] if lines else []
        found.append((f"golden/{name}", (ROOT / "tests" / "extract" / f"{name}.html").read_bytes(), case["url"], must, []))
    return found


def cpu_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main(argv=None):
    quick = "--quick" in (argv or sys.argv[1:])
    pages = cases()
    big = padded((ROOT / "tests" / "extract" / "company_careers" / "headings-only.html").read_text(encoding="utf-8"),
                 500_000)
    rows = []
    for name, reader in READERS:
        found = required = leaked = forbidden = 0
        times = []
        for _, html, url, must, must_not in pages:
            text = norm(reader(html, url))
            found += sum(1 for s in must if norm(s) in text)
            required += len(must)
            leaked += sum(1 for s in must_not if norm(s) in text)
            forbidden += len(must_not)
            times.append(cpu_ms(lambda reader=reader, html=html, url=url: reader(html, url), 1 if quick else 3))
        big_ms = cpu_ms(lambda reader=reader: reader(big, "https://acme.example/careers/1"), 3 if quick else 10)
        rows.append({"reader": name, "required_found": found, "required": required, "forbidden_leaked": leaked,
                     "forbidden": forbidden, "median_ms_per_page": round(statistics.median(times), 2),
                     "ms_500kb": round(big_ms, 2)})
    print(f"## Main-content description on {len(pages)} pages without structured data\n")
    print("| reader | required sentences found | forbidden strings kept out | median ms / page | 500 KB page ms |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['reader']} | {row['required_found']}/{row['required']} | "
              f"{row['forbidden'] - row['forbidden_leaked']}/{row['forbidden']} | {row['median_ms_per_page']:.2f} | "
              f"{row['ms_500kb']:.2f} |")
    out = ROOT / "bench" / "results" / "description.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"when": datetime.datetime.now().isoformat(timespec="seconds"), "pages": len(pages),
                               "readers": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
