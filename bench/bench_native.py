"""Click on "I applied" to "Applied ✓" through Applied's native host, in real Chromium: cold and warm.

    python bench/bench_native.py [--runs 15] [--stored 1000] [--page-kb 100]

A temporary HOME gets `applied setup`; Chromium runs with that HOME's profile (where the host
manifest was written) and the built extension; the data folder is seeded with --stored
applications. Each cold run stops the companion (`applied stop`, not timed), opens a new
posting, waits for the button and clicks it: the browser starts the host, the host starts the
companion and waits for /api/ping, then the capture is sent. Each warm run does the same with the
companion running. The time is the content script's User Timing measure "applied:capture"
(click to "Applied ✓" drawn on the page).
Targets: cold ≤ 2 s median, warm ≤ 100 ms median. Results also go to bench/results/native-<time>.json.
"""
import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from bench_api import percentile, seed  # noqa: E402
from bench_extension import click_to_confirmation, filler  # noqa: E402
from conftest import free_port  # noqa: E402
from test_extension_chromium import CHROME_ARGS, CHROMIUM, Chromium, JobSite, build_extension, wait_until  # noqa: E402

COLD_TARGET_MS, WARM_TARGET_MS = 2000, 100


def applied(home, *args):
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    subprocess.run([sys.executable, "-m", "companion", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def summary(values):
    return {"median": round(statistics.median(values), 1), "p90": round(percentile(values, 0.9), 1),
            "min": round(min(values), 1), "max": round(max(values), 1), "n": len(values)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--stored", type=int, default=1000)
    parser.add_argument("--page-kb", type=int, default=100)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright
    # The companion's bytecode, as pip writes it when it installs Applied: a start measured here then compiles
    # nothing (with PYTHONDONTWRITEBYTECODE set, as in some shells, every start compiled it all again: 0.1 s).
    compileall.compile_dir(ROOT / "companion", quiet=1)

    with tempfile.TemporaryDirectory(prefix="bench-native-") as tmp:
        tmp = Path(tmp)
        home, data_dir, port = tmp / "home", tmp / "data", free_port()
        home.mkdir()
        seed(data_dir, options.stored)
        applied(home, "setup", "--port", str(port), "--data-dir", str(data_dir))
        extension = build_extension(tmp / "dist") / "chrome"
        extra = filler(options.page_kb * 1000)
        site = JobSite()
        cold, warm = [], []
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(home / ".config" / "chromium"), executable_path=str(CHROMIUM), headless=True,
                    env={**os.environ, "HOME": str(home)},
                    args=CHROME_ARGS + [f"--disable-extensions-except={extension}", f"--load-extension={extension}"])
                browser = Chromium(context)
                wait_until(lambda: (data_dir / "server.json").exists(), 60, "the companion started by the browser")
                page = context.new_page()
                click_to_confirmation(browser, site, page, "warm-up", extra)  # the token is fetched once, here
                for n in range(options.runs):
                    # Alternate, so both see the same load on the machine.
                    applied(home, "stop", "--data-dir", str(data_dir))
                    cold.append(click_to_confirmation(browser, site, page, f"cold-{n}", extra))
                    warm.append(click_to_confirmation(browser, site, page, f"warm-{n}", extra))
                context.close()
        finally:
            site.stop()
            applied(home, "stop", "--data-dir", str(data_dir))
    result = {"when": datetime.now().isoformat(timespec="seconds"), "stored": options.stored,
              "page_kb": options.page_kb, "load": os.getloadavg()[0],
              "cold_ms": summary(cold), "warm_ms": summary(warm),
              "targets_ms": {"cold": COLD_TARGET_MS, "warm": WARM_TARGET_MS}}
    print("| click to \"Applied ✓\" | median | p90 | min | max | target |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, values, target in (("companion not running (started through the host)", result["cold_ms"], COLD_TARGET_MS),
                                 ("companion running", result["warm_ms"], WARM_TARGET_MS)):
        print(f"| {name} | {values['median']} ms | {values['p90']} ms | {values['min']} ms | {values['max']} ms "
              f"| ≤ {target} ms |")
    print(f"({options.stored} stored applications, {options.page_kb} KB pages, load average {result['load']:.1f})")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"native-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
