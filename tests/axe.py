"""axe-core for the browser tests: installed from tests/package.json on first use, injected into pages.

The suite needs no step of its own: the first test that asks for axe runs `npm ci` in tests/
(the lock file pins the version), and later runs find it in tests/node_modules. Without npm the
accessibility tests are skipped with a message saying so, as the browser tests are without Chromium.
"""
import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
# Rules the issue named that axe rates below serious: held to zero all the same.
NAMED = ("empty-table-header", "heading-order", "landmark-one-main", "region", "label-content-name-mismatch")


def axe_script():
    """The path of axe.min.js, installing it with npm the first time."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: the accessibility checks need it to install axe-core "
                        "(apt-get install npm)")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TESTS,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and AXE.exists(), f"npm ci in tests/ failed:\n{done.stderr}"
    return AXE


def serious_violations(page):
    """What axe-core finds serious or critical (or breaks a NAMED rule) on the page as it is now."""
    # axe comes in through an init script (context.add_init_script), which the CSP allows, unlike
    # an injected <script> element.
    page.wait_for_function("window.axe !== undefined")
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {', '.join(' '.join(n['target']) for n in v['nodes'][:5])}"
            f"{' …' if len(v['nodes']) > 5 else ''} × {len(v['nodes'])}: {v['help']}"
            for v in results["violations"] if v["impact"] in SERIOUS or v["id"] in NAMED]
