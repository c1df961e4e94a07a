"""bench/bench_web.py measures every route the app has: a route added without a bench entry fails here."""
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
