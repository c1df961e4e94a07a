"""`applied autostart on|off|status` and the Settings switch: what each system's entry says, and that it starts Applied.

On Linux the entry written is run the way the session manager runs it: an XDG autostart entry
through GLib's desktop-entry launcher (`gio launch`, what GNOME and most desktops use), a systemd
user unit by its ExecStart (after `systemd-analyze verify` reads it). The macOS and Windows
forms are checked by what they write. Every test has its own HOME.
"""
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from companion import autostart
from conftest import Companion, free_port
from test_native_host import applied, home, stop  # noqa: F401


def wait_for_ping(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ping", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            time.sleep(0.1)
    return False


def expected_command(port, data_dir, python=sys.executable):
    return [os.path.abspath(python), "-P", "-m", "companion", "serve", "--no-open", "--port", str(port),
            "--data-dir", str(data_dir)]


def test_autostart_on_writes_an_entry_the_session_manager_starts_and_off_removes_it(home, tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    said = applied("autostart", "on", "--port", str(port), "--data-dir", str(data_dir), home=home).stdout
    state = autostart.status(kind="linux", home=home, environ={})
    assert state["on"] and state["where"] in said
    path = Path(state["where"])
    env = {**os.environ, "HOME": str(home)}
    if state["how"] == "xdg":  # no systemd --user here: the desktop's autostart folder
        assert path == home / ".config" / "autostart" / "applied.desktop"
        if not shutil.which("gio"):
            pytest.skip("gio is not installed (apt-get install libglib2.0-bin): it launches the entry as a desktop does")
        subprocess.run(["gio", "launch", str(path)], env=env, check=True, timeout=30)
    else:
        assert path == home / ".config" / "systemd" / "user" / "applied.service"
        exec_start = next(line for line in path.read_text().splitlines() if line.startswith("ExecStart="))
        subprocess.Popen(shlex.split(exec_start[10:].replace("%%", "%").replace("$$", "$")), env=env)
    try:
        assert wait_for_ping(port), "the entry did not start Applied"
        assert (data_dir / "server.json").exists()  # this data folder's companion, on that port
    finally:
        stop(home, data_dir)
    assert applied("autostart", "status", home=home).stdout.startswith("on (")
    assert applied("autostart", "off", home=home).stdout.strip() == "Applied will no longer start when you log in."
    assert not path.exists()
    assert applied("autostart", "status", home=home).stdout.strip() == "off"


def test_the_xdg_entry_quotes_folders_with_spaces_and_percent_signs(tmp_path):
    if not shutil.which("gio"):
        pytest.skip("gio is not installed (apt-get install libglib2.0-bin): it launches the entry as a desktop does")
    data_dir = tmp_path / "my data 100% $HOME \\ \"quoted\""
    found = autostart.entry(7531, str(data_dir), kind="linux", home=tmp_path, environ={}, use_systemd=False)
    assert found.command == expected_command(7531, data_dir)
    exec_line = next(line for line in found.text.splitlines() if line.startswith("Exec="))
    assert exec_line == "Exec=" + " ".join(autostart.desktop_quote(part) for part in found.command)
    # GLib's launcher reads the same quoting back: a shell started that way writes out the arguments it got.
    argv_file = tmp_path / "argv.txt"
    probe = ["/bin/sh", "-c", f'printf "%s\\n" "$@" > {argv_file}', "sh", *found.command]
    (tmp_path / "probe.desktop").write_text(found.text.replace(
        exec_line, "Exec=" + " ".join(autostart.desktop_quote(part) for part in probe)))
    subprocess.run(["gio", "launch", str(tmp_path / "probe.desktop")], check=True, timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(argv_file.read_text().splitlines() if argv_file.exists() else []) < 10:
        time.sleep(0.05)
    assert argv_file.read_text().splitlines() == found.command


def test_where_systemd_user_runs_a_unit_is_written_enabled_and_its_command_starts_applied(home, tmp_path):
    data_dir, port = tmp_path / "data dir", free_port()
    calls = []

    def systemctl(argv, **options):
        calls.append(argv)
        return subprocess.CompletedProcess(argv, 0, b"", b"")

    runner = autostart.Runner(run=systemctl)
    found = autostart.turn_on(port, str(data_dir), kind="linux", home=home, environ={}, runner=runner, use_systemd=True)
    assert found.path == home / ".config" / "systemd" / "user" / "applied.service"
    assert ["systemctl", "--user", "enable", "applied.service"] in calls
    text = found.path.read_text()
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text
    if shutil.which("systemd-analyze"):  # systemd reads the unit without a complaint
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        checked = subprocess.run(["systemd-analyze", "verify", "--user", str(found.path)], capture_output=True,
                                 text=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(home)})
        assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))[10:]
    argv = shlex.split(exec_start.replace("%%", "%").replace("$$", "$"))
    assert argv == expected_command(port, data_dir)
    process = subprocess.Popen(argv, env={**os.environ, "HOME": str(home)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        assert wait_for_ping(port)
    finally:
        stop(home, data_dir)
        assert process.wait(10) == 0  # stopped cleanly: Restart=on-failure does not start it again
    assert autostart.turn_off(kind="linux", home=home, environ={}, runner=runner) == [str(found.path)]
    assert ["systemctl", "--user", "disable", "applied.service"] in calls


def test_on_macos_a_launch_agent_runs_applied_at_login(tmp_path):
    found = autostart.entry(7531, "/Users/ann/Library/Application Support/applied", kind="darwin", home=tmp_path,
                            python="/Users/ann/.local/pipx/venvs/applied/bin/python")
    plist = plistlib.loads(found.text.encode())
    assert found.path == tmp_path / "Library" / "LaunchAgents" / "app.applied.companion.plist"
    assert plist["Label"] == "app.applied.companion"
    assert plist["ProgramArguments"] == expected_command(7531, "/Users/ann/Library/Application Support/applied",
                                                         "/Users/ann/.local/pipx/venvs/applied/bin/python")
    assert plist["RunAtLoad"] is True and plist["KeepAlive"] == {"SuccessfulExit": False}
    assert plist["StandardErrorPath"] == "/Users/ann/Library/Application Support/applied/companion.log"


def test_on_windows_a_run_value_starts_applied_without_a_console(tmp_path):
    class RunKey(dict):
        def set(self, name, value):
            self[name] = value

        def delete(self, name):
            self.pop(name)

    key = RunKey()
    runner = autostart.Runner(registry=key)
    python = tmp_path / "Scripts" / "python.exe"
    python.parent.mkdir()
    python.write_text("")
    (python.parent / "pythonw.exe").write_text("")
    found = autostart.entry(7531, "C:\\Users\\Ann Lee\\AppData\\Local\\applied", kind="windows", python=str(python))
    assert found.text == subprocess.list2cmdline(
        [str(python.parent / "pythonw.exe"), "-P", "-m", "companion", "serve", "--no-open", "--port", "7531",
         "--data-dir", os.path.abspath("C:\\Users\\Ann Lee\\AppData\\Local\\applied")])
    assert '"' in found.text  # the folder with a space is quoted
    autostart.turn_on(7531, "d", kind="windows", runner=runner)
    assert list(key) == ["Applied"]
    assert autostart.status(kind="windows", runner=runner)["on"]
    assert autostart.turn_off(kind="windows", runner=runner) == [rf"HKCU\{autostart.RUN_KEY}\Applied"]
    assert key == {}


def test_the_settings_switch_turns_start_at_login_on_and_off(home, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    companion = Companion(data_dir).start()
    try:
        assert companion.get("/api/autostart").json == {"on": False, "how": "", "where": ""}
        turned = companion.request("PUT", "/api/autostart", {"on": True})
        assert turned.status == 200 and turned.json["on"]
        state = autostart.status(kind="linux", home=home, environ={})
        assert state["where"] == turned.json["where"]
        assert f"--port {companion.port}" in state["command"] and str(data_dir) in state["command"]
        assert 'id="autostart-on" name="on" type="checkbox" data-autosubmit checked' in _settings_page(companion)
        assert companion.request("PUT", "/api/autostart", {"on": "yes"}).status == 400
        assert companion.request("PUT", "/api/autostart", {"on": False}).json["on"] is False
        assert not autostart.status(kind="linux", home=home, environ={})["on"]
        # The extension's token cannot reach it: starting programs at login is the person's decision.
        pairing = companion.post("/api/pairings/browser", {"name": "Chrome", "origin": "chrome-extension://x"})
        assert companion.get("/api/autostart", token=pairing.json["token"]).status == 403
    finally:
        companion.stop()


def _settings_page(companion):
    """The Settings page as the signed-in person sees it."""
    from test_native_host import answer, sign_in_with

    code = companion.post("/api/sign-in", {}).json["code"]
    cookie = sign_in_with(companion.port, code, companion.web_host).getheader("Set-Cookie").split(";")[0]
    return answer(companion.port, "GET", "/settings", headers={"Cookie": cookie}, host=companion.web_host).read().decode()
