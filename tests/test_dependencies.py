"""What a fresh machine installs is what the code needs: every import declared, every declared package pinned."""
import ast
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib import metadata

import pytest

from conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Import names whose distribution is named otherwise, for packages not installed here to ask.
IMPORT_NAMES = {"bs4": "beautifulsoup4", "re2": "google-re2", "yaml": "pyyaml", "readability": "readability-lxml"}


def distribution_name(requirement):
    """'flask-cors>=5.0' → 'flask-cors'; names compared in their normalized form."""
    return normalize(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    names = {distribution_name(r) for r in PROJECT["dependencies"]}
    for extra in PROJECT["optional-dependencies"].values():
        names |= {distribution_name(r) for r in extra}
    return names


def our_modules():
    """Names a file under the checkout can import as its own: the package, test and bench helpers."""
    names = {"companion"}
    for folder in ("tests", "bench"):
        names |= {path.stem for path in (ROOT / folder).rglob("*.py")}
    return names


def third_party_imports():
    """(import name, file) for every absolute import under companion/, tests/ and bench/ that is not ours."""
    ours, found = our_modules(), []
    for folder in ("companion", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ours:
                        found.append((top, path.relative_to(ROOT)))
    return found


def test_every_import_is_the_standard_library_ours_or_declared():
    owners = metadata.packages_distributions()
    wanted = declared()
    undeclared = sorted({f"{name} ({where})" for name, where in third_party_imports()
                         if not {normalize(d) for d in owners.get(name, [IMPORT_NAMES.get(name, name)])} & wanted})
    assert not undeclared, "imported but not declared in pyproject.toml: " + ", ".join(undeclared)


def test_the_click_the_cli_imports_is_declared_at_runtime():
    assert "click" in {distribution_name(r) for r in PROJECT["dependencies"]}


def test_the_constraints_file_pins_every_declared_package():
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pinned[normalize(match[1])] = match[2]
    assert declared() - {"applied"} <= set(pinned), f"not pinned: {sorted(declared() - set(pinned))}"


def test_the_readme_test_command_installs_through_the_constraints_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -e '.[test]' -c constraints.txt && python -m pytest"
    assert command in readme and command in ci


SKIPPING_SUITE = {
    "test_browser.py": 'import pytest\ndef test_firefox():\n    pytest.skip("Firefox ESR is not installed: apt-get install firefox-esr")\n',
    "test_corpus.py": 'import pytest\ndef test_corpus():\n    pytest.skip("../shared/corpus is not beside this checkout")\n',
    "test_module.py": 'import pytest\npytest.importorskip("a_package_nobody_has")\ndef test_it():\n    pass\n',
}


@pytest.mark.parametrize("require_all, summary", [
    (None, "3 skipped"),
    ("1", "1 failed, 1 skipped, 1 error"),
])
def test_a_skip_for_a_missing_dependency_fails_only_when_everything_is_required(tmp_path, require_all, summary):
    for name, text in SKIPPING_SUITE.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    env = {k: v for k, v in os.environ.items() if k != "APPLIED_REQUIRE_ALL"}
    env["PYTHONPATH"] = str(ROOT / "tests")
    if require_all:
        env["APPLIED_REQUIRE_ALL"] = require_all
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "dependency_check", "-p", "no:cacheprovider",
                             "-q", "--continue-on-collection-errors", "--rootdir", str(tmp_path), str(tmp_path)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert summary in result.stdout.splitlines()[-1], result.stdout
