"""Pytest plugin: under APPLIED_REQUIRE_ALL=1, a skip for a missing dependency is a failure.

A test skipped because a browser, a driver or a Python package is missing hides a whole area of
the suite while the run still looks green. `.ci/run` sets APPLIED_REQUIRE_ALL=1, so there such a
skip fails; on a developer's machine it stays a skip with its reason. Skips for other reasons
(../shared not being beside the checkout, say) stay skips everywhere.
"""
import os
import re

import pytest

MISSING_DEPENDENCY = re.compile(r"not installed|is missing|is not available|could not import|no module named", re.I)


def missing_dependency(report):
    """The skip reason when `report` is a skip for a missing dependency, else None."""
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return None
    reason = report.longrepr[2]
    return reason if MISSING_DEPENDENCY.search(reason) else None


def _fail_when_required(report):
    reason = os.environ.get("APPLIED_REQUIRE_ALL") == "1" and missing_dependency(report)
    if reason:
        report.outcome = "failed"
        report.longrepr = f"a dependency the README says to install is missing: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_when_required(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_when_required(outcome.get_result())
