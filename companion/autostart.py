"""Starting the companion when the person logs in: `applied autostart on|off|status` and the Settings switch.

Where ``systemd --user`` runs (most Linux desktops), a user unit; elsewhere on Linux, an XDG
autostart entry (what every desktop's session manager starts); on macOS a LaunchAgent; on
Windows a value under the per-user ``Run`` key. Each is worked out first as an :class:`Entry`
(its path and text, or its registry value), so the macOS and Windows forms are checked on any
machine by what they would write.

The command is this interpreter (absolute) with ``-m companion serve --no-open`` and the port
and data folder, so a venv, pipx or uv install starts the same Applied. A companion already
running for that data folder makes ``serve`` say so and end with success, so a service manager
never loops on it.
"""
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import AppliedError
from .native import system

UNIT = "applied.service"
DESKTOP = "applied.desktop"
AGENT = "app.applied.companion"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Applied"


@dataclass
class Entry:
    """One way of starting Applied at login: ``how`` (systemd, xdg, launchd, windows), where, and what."""

    how: str
    path: Path | None  # the file written (None for the Windows registry value)
    text: str  # the file's text, or the registry value's command line
    command: list  # the argv it starts


def serve_command(port, data_dir, python=None, kind=None):
    python = python or sys.executable
    if (kind or system()) == "windows":
        # pythonw: no console window at every login.
        windowed = Path(python).with_name("pythonw.exe")
        python = str(windowed) if windowed.exists() else python
    return [os.path.abspath(python), "-P", "-m", "companion", "serve", "--no-open", "--port", str(port),
            "--data-dir", os.path.abspath(data_dir)]


def systemd_quote(argument):
    """One ExecStart argument, as systemd reads it: double-quoted, with %- and $-expansion escaped."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def desktop_quote(argument):
    """One Exec argument of a desktop entry: quoted by the spec's rules, then escaped as a string value."""
    if argument and not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`%='):
        return argument
    quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in argument) + '"'
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def systemd_runs(run=subprocess.run):
    """Whether a ``systemd --user`` manager runs for this user (on a desktop session it does)."""
    if not shutil.which("systemctl"):
        return False
    try:
        result = run(["systemctl", "--user", "show-environment"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def entry(port, data_dir, *, kind=None, home=None, environ=None, python=None, use_systemd=None):
    """The entry that starts Applied at login on this system (see the module's doc)."""
    kind = kind or system()
    home = Path(home or Path.home())
    environ = os.environ if environ is None else environ
    command = serve_command(port, data_dir, python, kind)
    log = os.path.join(os.path.abspath(data_dir), "companion.log")
    if kind == "windows":
        return Entry("windows", None, subprocess.list2cmdline(command), command)
    if kind == "darwin":
        plist = {"Label": AGENT, "ProgramArguments": command, "RunAtLoad": True,
                 # Started again if it fails, not when it ends by itself (stopped, or already running).
                 "KeepAlive": {"SuccessfulExit": False}, "ProcessType": "Interactive",
                 "StandardOutPath": log, "StandardErrorPath": log}
        return Entry("launchd", home / "Library" / "LaunchAgents" / f"{AGENT}.plist",
                     plistlib.dumps(plist).decode("utf-8"), command)
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    if use_systemd if use_systemd is not None else systemd_runs():
        text = ("[Unit]\nDescription=Applied, your job-application tracker\n\n"
                "[Service]\nType=simple\n"
                f"ExecStart={' '.join(systemd_quote(part) for part in command)}\n"
                "Restart=on-failure\nRestartSec=5\n\n"
                "[Install]\nWantedBy=default.target\n")
        return Entry("systemd", config / "systemd" / "user" / UNIT, text, command)
    text = ("[Desktop Entry]\nType=Application\nName=Applied\n"
            "Comment=Starts Applied, your job-application tracker, when you log in\n"
            f"Exec={' '.join(desktop_quote(part) for part in command)}\n"
            "Terminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n")
    return Entry("xdg", config / "autostart" / DESKTOP, text, command)


def _every_place(kind, home, environ):
    """Each file an earlier `autostart on` may have written on this system (systemd and XDG alike)."""
    config = Path(environ.get("XDG_CONFIG_HOME") or Path(home) / ".config")
    if kind == "darwin":
        return [Path(home) / "Library" / "LaunchAgents" / f"{AGENT}.plist"]
    return [config / "systemd" / "user" / UNIT, config / "autostart" / DESKTOP]


class Runner:
    """The system calls an entry needs besides its file: systemctl, launchctl, the Windows registry."""

    def __init__(self, run=subprocess.run, registry=None):
        self.run, self.registry = run, registry

    def quietly(self, *argv):
        try:
            self.run(list(argv), capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def windows_run_key(self):
        if self.registry is not None:
            return self.registry
        import winreg

        class RunKey:
            def set(self, name, value):
                with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

            def get(self, name):
                try:
                    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                        return winreg.QueryValueEx(key, name)[0]
                except OSError:
                    return None

            def delete(self, name):
                try:
                    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                        winreg.DeleteValue(key, name)
                except OSError:
                    pass
        return RunKey()


def turn_on(port, data_dir, *, kind=None, home=None, environ=None, runner=None, use_systemd=None):
    """Start Applied at login from now on; returns the :class:`Entry` written."""
    kind = kind or system()
    environ = os.environ if environ is None else environ
    runner = runner or Runner()
    found = entry(port, data_dir, kind=kind, home=home, environ=environ, use_systemd=use_systemd)
    turn_off(kind=kind, home=home, environ=environ, runner=runner)  # one entry only, whatever was there
    if found.how == "windows":
        runner.windows_run_key().set(RUN_VALUE, found.text)
        return found
    found.path.parent.mkdir(parents=True, exist_ok=True)
    temporary = found.path.with_name(found.path.name + ".tmp")
    temporary.write_text(found.text, encoding="utf-8")
    os.replace(temporary, found.path)
    if found.how == "systemd":
        runner.quietly("systemctl", "--user", "daemon-reload")
        result = runner.run(["systemctl", "--user", "enable", UNIT], capture_output=True, timeout=30)
        if result.returncode != 0:
            raise AppliedError(f"systemd did not enable {UNIT}: "
                               f"{(result.stderr or b'').decode('utf-8', 'replace').strip() or 'no reason given'}")
    elif found.how == "launchd":
        runner.quietly("launchctl", "load", "-w", str(found.path))
    return found


def turn_off(*, kind=None, home=None, environ=None, runner=None):
    """Stop starting Applied at login: remove whatever entry is there. Returns what was removed."""
    kind = kind or system()
    home = Path(home or Path.home())
    environ = os.environ if environ is None else environ
    runner = runner or Runner()
    removed = []
    if kind == "windows":
        key = runner.windows_run_key()
        if key.get(RUN_VALUE):
            key.delete(RUN_VALUE)
            removed.append(f"HKCU\\{RUN_KEY}\\{RUN_VALUE}")
        return removed
    for path in _every_place(kind, home, environ):
        if not path.exists():
            continue
        if path.name == UNIT:
            runner.quietly("systemctl", "--user", "disable", UNIT)
        elif kind == "darwin":
            runner.quietly("launchctl", "unload", "-w", str(path))
        path.unlink()
        removed.append(str(path))
    if removed and any(p.endswith(UNIT) for p in removed):
        runner.quietly("systemctl", "--user", "daemon-reload")
    return removed


def status(*, kind=None, home=None, environ=None, runner=None):
    """{"on", "how", "where", "command"}: what starts Applied at login now, if anything."""
    kind = kind or system()
    home = Path(home or Path.home())
    environ = os.environ if environ is None else environ
    if kind == "windows":
        value = (runner or Runner()).windows_run_key().get(RUN_VALUE)
        return {"on": bool(value), "how": "windows", "where": f"HKCU\\{RUN_KEY}\\{RUN_VALUE}" if value else "",
                "command": value or ""}
    for path in _every_place(kind, home, environ):
        if path.exists():
            how = "launchd" if kind == "darwin" else ("systemd" if path.name == UNIT else "xdg")
            return {"on": True, "how": how, "where": str(path), "command": _command_of(path)}
    return {"on": False, "how": "", "where": "", "command": ""}


def _command_of(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".plist":
        try:
            return shlex.join(plistlib.loads(text.encode())["ProgramArguments"])
        except Exception:
            return ""
    for line in text.splitlines():
        if line.startswith(("ExecStart=", "Exec=")):
            return line.split("=", 1)[1]
    return ""
