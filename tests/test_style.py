"""The code keeps the rules it follows: ruff, with the configuration in pyproject.toml, finds nothing."""
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing_in_the_code_the_tests_or_the_benchmarks():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "companion", "tests", "bench"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
