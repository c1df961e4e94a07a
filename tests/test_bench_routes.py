"""bench/bench_web.py measures every route the app has: a route added without a bench entry fails here."""
import json
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import bench_web  # noqa: E402

from companion.app import create_app  # noqa: E402


def test_every_route_of_the_app_has_a_bench_entry_and_every_entry_a_route(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    try:
        routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    finally:
        app.extensions["applied"]["store"].close()
    assert sorted(routes - set(bench_web.ROUTES)) == [], "routes the bench does not measure"
    assert sorted(set(bench_web.ROUTES) - routes) == [], "bench entries for routes the app does not have"


def test_the_bench_runs_every_route_on_a_small_store(tmp_path):
    """The README's benchmark command still runs (a sign-in or pairing change once broke it unseen): every
    route measured once, on 300 applications."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_web.py"), "--sizes", "300", "--rounds", "1",
                           "--heavy-rounds", "1", "--results", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    [row] = json.loads((tmp_path / "web.json").read_text())["rows"]
    assert len(row["routes"]) >= len(bench_web.ROUTES)
    assert "| `/board` |" in done.stdout
