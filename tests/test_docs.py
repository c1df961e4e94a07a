"""The README tells the truth about settings and commands."""
import re

from companion.cli import main
from companion.docs import settings_table
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = set(main.list_commands(None))  # with those imported only when they run


def test_readme_settings_table_matches_the_declared_settings():
    block = re.search(r"<!-- settings-table.*?-->\n(.*?)\n<!-- /settings-table -->", README, re.S).group(1)
    assert block == settings_table(), "run `python -m companion.docs` and paste its table into the README"


def test_every_command_the_readme_shows_exists():
    shown = set(re.findall(r"^\| `applied (\w+)", README, re.M))
    assert shown, "the README lists no commands"
    assert shown <= COMMANDS, f"README shows commands that do not exist: {shown - COMMANDS}"


def test_every_command_is_in_the_readme():
    shown = set(re.findall(r"^\| `applied (\w+)", README, re.M))
    assert not COMMANDS - shown, f"commands missing from the README: {COMMANDS - shown}"


def test_quick_start_installs_a_tool_first_and_keeps_the_two_clone_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)
    # A person installs a tool and runs `applied setup`; nothing after that needs a terminal.
    assert [line.split("#")[0].strip() for line in commands[0].splitlines()] == [
        "pipx install .", "applied setup", "applied extension build"]
    # The two commands for a clone (run, test), word for word; .ci/run proves them, and the installed wheel.
    assert commands[1:] == ["pip install -e . && applied serve", "pip install -e '.[test]' -c constraints.txt && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[2] in ci
    assert "-m build" in ci and '"$applied" setup' in ci and '"$applied" extension build' in ci
