"""`applied setup`: registering the native messaging host with this user's browsers, and undoing it.

A browser starts a native messaging host only when a host manifest of that name names the
calling extension: Chromium-family browsers read ``NAME.json`` in a ``NativeMessagingHosts``
folder of their own (on Windows, in the folder a per-user registry key points at) and check
``allowed_origins``; Firefox reads ``~/.mozilla/native-messaging-hosts`` (and its macOS and
Windows equivalents) and checks ``allowed_extensions``. The manifest's ``path`` must be an
absolute executable, and the browser adds its own arguments, so ``path`` is a small launcher
written here that runs *this* Python with ``-m companion.host`` and the port and data folder
given to ``applied setup`` (the browser's environment may know neither, nor the venv).

Everything this module writes is worked out first as a :class:`Plan` (files and registry
values), so that what Windows and macOS would get is checked on any machine.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HOST_NAME = "applied.companion"  # what the extension passes to connectNative(); [a-z0-9_.] only
LAUNCHER = {"posix": "applied-host", "windows": "applied-host.bat"}
DESCRIPTION = "Applied: starts your job-application tracker and signs the extension in"


@dataclass(frozen=True)
class Browser:
    key: str
    name: str
    family: str  # "chromium" (allowed_origins) or "firefox" (allowed_extensions)
    linux: str  # the manifest folder, relative to $HOME
    mac: str  # the same on macOS
    windows_key: str  # HKEY_CURRENT_USER\<this>\<HOST_NAME>, whose default value is the manifest's path
    programs: tuple = ()  # names on PATH that say the browser is installed (Linux)
    snap: str = ""  # its snap's name, where it has one
    flatpak: str = ""  # its Flatpak application id


BROWSERS = (
    Browser("chrome", "Google Chrome", "chromium", ".config/google-chrome/NativeMessagingHosts",
            "Library/Application Support/Google/Chrome/NativeMessagingHosts",
            r"Software\Google\Chrome\NativeMessagingHosts", ("google-chrome", "google-chrome-stable"),
            flatpak="com.google.Chrome"),
    Browser("chromium", "Chromium", "chromium", ".config/chromium/NativeMessagingHosts",
            "Library/Application Support/Chromium/NativeMessagingHosts",
            r"Software\Chromium\NativeMessagingHosts", ("chromium", "chromium-browser"),
            snap="chromium", flatpak="org.chromium.Chromium"),
    Browser("edge", "Microsoft Edge", "chromium", ".config/microsoft-edge/NativeMessagingHosts",
            "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
            r"Software\Microsoft\Edge\NativeMessagingHosts", ("microsoft-edge", "microsoft-edge-stable"),
            flatpak="com.microsoft.Edge"),
    # On Windows, Brave and Vivaldi read Chrome's registry key.
    Browser("brave", "Brave", "chromium", ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            r"Software\Google\Chrome\NativeMessagingHosts", ("brave-browser", "brave"),
            snap="brave", flatpak="com.brave.Browser"),
    Browser("vivaldi", "Vivaldi", "chromium", ".config/vivaldi/NativeMessagingHosts",
            "Library/Application Support/Vivaldi/NativeMessagingHosts",
            r"Software\Google\Chrome\NativeMessagingHosts", ("vivaldi", "vivaldi-stable"),
            flatpak="com.vivaldi.Vivaldi"),
    Browser("firefox", "Firefox", "firefox", ".mozilla/native-messaging-hosts",
            "Library/Application Support/Mozilla/NativeMessagingHosts",
            r"Software\Mozilla\NativeMessagingHosts", ("firefox", "firefox-esr"),
            snap="firefox", flatpak="org.mozilla.firefox"),
)


def system():
    """"linux", "darwin" or "windows" (what decides where manifests go)."""
    return "windows" if os.name == "nt" else ("darwin" if sys.platform == "darwin" else "linux")


def extension_ids():
    """(Chrome id, Firefox id) of our extension: from the manifest's ``key`` and gecko id."""
    from .extension_build import chrome_id, source_manifest

    manifest = source_manifest()
    return chrome_id(manifest["key"]), manifest["browser_specific_settings"]["gecko"]["id"]


def host_manifest(family, launcher):
    """The host manifest a browser of ``family`` reads: only our extension's fixed id may start the host."""
    chrome, gecko = extension_ids()
    allowed = {"allowed_origins": [f"chrome-extension://{chrome}/"]} if family == "chromium" \
        else {"allowed_extensions": [gecko]}
    return {"name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher), "type": "stdio", **allowed}


def launcher_text(kind, python, port, data_dir):
    """The launcher's text: this interpreter (absolute), the host module, the port and data folder, the browser's arguments.

    ``-P`` keeps the browser's working folder off ``sys.path``, so nothing lying there can stand in
    for our package.
    """
    if kind == "windows":
        return (f"@echo off\r\nrem Written by `applied setup`: your browser starts this for the Applied extension.\r\n"
                f'"{python}" -P -m companion.host --port {port} --data-dir "{data_dir}" %*\r\n')
    command = " ".join(shlex.quote(str(part)) for part in
                       (python, "-P", "-m", "companion.host", "--port", port, "--data-dir", data_dir))
    return ("#!/bin/sh\n# Written by `applied setup`: your browser starts this for the Applied extension.\n"
            f'exec {command} "$@"\n')


@dataclass
class Outcome:
    """What setup does, or cannot do, for one browser."""

    browser: Browser
    state: str  # "register", "sandboxed" or "absent"
    manifest: Path | None = None
    registry_key: str | None = None
    why: str = ""


@dataclass
class Plan:
    """Every file and registry value ``applied setup`` writes (or ``--remove`` deletes)."""

    launcher: Path
    launcher_text: str
    outcomes: list = field(default_factory=list)

    def manifests(self):
        """{manifest path: its JSON text} for every browser registered."""
        return {o.manifest: json.dumps(host_manifest(o.browser.family, self.launcher), indent=2) + "\n"
                for o in self.outcomes if o.state == "register"}

    def registry(self):
        """{HKCU key: the manifest path it names} (Windows only; empty elsewhere)."""
        return {o.registry_key: str(o.manifest) for o in self.outcomes if o.state == "register" and o.registry_key}


def host_folder(kind, home, environ):
    """Where the launcher (and, on Windows, the manifests) live: the user's config folder for Applied."""
    if kind == "windows":
        return Path(environ.get("LOCALAPPDATA") or Path(home) / "AppData" / "Local") / "Applied" / "browser-host"
    if kind == "darwin":
        return Path(home) / "Library" / "Application Support" / "Applied" / "browser-host"
    return Path(environ.get("XDG_CONFIG_HOME") or Path(home) / ".config") / "applied" / "browser-host"


def _sandbox(browser, home, which):
    """Why a sandboxed build of this browser cannot start programs outside it, or ""."""
    home = Path(home)
    program = next((which(name) for name in browser.programs if which(name)), None)
    native_install = program is not None and not str(Path(program).resolve()).startswith("/snap/")
    if native_install:
        return ""
    if browser.snap and (Path("/snap") / browser.snap).exists() or (program and "/snap/" in str(program)):
        return (f"{browser.name} is a snap here: its sandbox does not let it start programs outside it. "
                f"Install {browser.name} from your distribution's packages to let it start Applied, "
                "or pair the extension by code in its options")
    if browser.flatpak and ((home / ".var" / "app" / browser.flatpak).is_dir()
                            or Path("/var/lib/flatpak/app", browser.flatpak).is_dir()):
        return (f"{browser.name} is a Flatpak here: its sandbox does not let it start programs outside it. "
                f"Install {browser.name} from your distribution's packages to let it start Applied, "
                "or pair the extension by code in its options")
    return ""


def _installed(browser, kind, home, which):
    """Whether this browser is on this machine (its profile folder, or its program on PATH)."""
    home = Path(home)
    if kind == "darwin":
        return (home / browser.mac).parent.is_dir()
    if kind == "windows":
        return True  # a registry key costs nothing where the browser is absent, and it is there when it comes
    profile = (home / browser.linux).parent
    return profile.is_dir() or any(which(name) for name in browser.programs)


def plan(*, python=None, port, data_dir, kind=None, home=None, environ=None, which=shutil.which, everywhere=False):
    """What ``applied setup`` would write for this user (``everywhere``: also for browsers not found)."""
    kind = kind or system()
    environ = os.environ if environ is None else environ
    home = Path(home or Path.home())
    python = python or sys.executable
    folder = host_folder(kind, home, environ)
    launcher = folder / LAUNCHER["windows" if kind == "windows" else "posix"]
    result = Plan(launcher, launcher_text(kind, python, port, data_dir))
    for browser in BROWSERS:
        why = _sandbox(browser, home, which) if kind == "linux" else ""
        if why:
            result.outcomes.append(Outcome(browser, "sandboxed", why=why))
            continue
        if not everywhere and not _installed(browser, kind, home, which):
            result.outcomes.append(Outcome(browser, "absent", why=f"{browser.name} is not installed"))
            continue
        if kind == "windows":
            manifest = folder / f"{HOST_NAME}.{browser.family}.json"
            result.outcomes.append(Outcome(browser, "register", manifest, rf"{browser.windows_key}\{HOST_NAME}"))
        else:
            manifest = home / (browser.mac if kind == "darwin" else browser.linux) / f"{HOST_NAME}.json"
            result.outcomes.append(Outcome(browser, "register", manifest))
    return result


# -- applying a plan -------------------------------------------------------------------------------

class WindowsRegistry:
    """HKEY_CURRENT_USER through winreg: each key's default value."""

    def __init__(self):
        import winreg

        self.winreg = winreg

    def set(self, key, value):
        with self.winreg.CreateKey(self.winreg.HKEY_CURRENT_USER, key) as handle:
            self.winreg.SetValueEx(handle, "", 0, self.winreg.REG_SZ, value)

    def get(self, key):
        try:
            with self.winreg.OpenKey(self.winreg.HKEY_CURRENT_USER, key) as handle:
                return self.winreg.QueryValueEx(handle, "")[0]
        except OSError:
            return None

    def delete(self, key):
        try:
            self.winreg.DeleteKey(self.winreg.HKEY_CURRENT_USER, key)
        except OSError:
            pass


def _write(path, text, mode=0o644):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def apply(result, registry=None):
    """Write the launcher, each manifest and (on Windows) each registry value."""
    _write(result.launcher, result.launcher_text, 0o755)
    for path, text in result.manifests().items():
        _write(path, text)
    for key, value in result.registry().items():
        (registry if registry is not None else WindowsRegistry()).set(key, value)


def remove(result, registry=None):
    """Undo :func:`apply`: our manifests (only files that name our launcher), registry values, the launcher."""
    removed = []
    for outcome in result.outcomes:
        if outcome.manifest is None:
            continue
        if outcome.registry_key:
            reg = registry if registry is not None else WindowsRegistry()
            if reg.get(outcome.registry_key) == str(outcome.manifest):
                reg.delete(outcome.registry_key)
        if _ours(outcome.manifest):
            outcome.manifest.unlink()
            removed.append(outcome)
    for path in (result.launcher,):
        if path.exists():
            path.unlink()
    return removed


def _ours(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")).get("name") == HOST_NAME
    except (OSError, ValueError, AttributeError):
        return False


def registered(*, kind=None, home=None, environ=None, registry=None):
    """The browsers for which a host manifest of ours is in place (what `applied serve` checks)."""
    every = plan(port=0, data_dir="", kind=kind, home=home, environ=environ, everywhere=True)
    found = []
    for outcome in every.outcomes:
        if outcome.registry_key:
            try:
                reg = registry if registry is not None else WindowsRegistry()
            except ImportError:
                continue
            if not reg.get(outcome.registry_key):
                continue
        if _ours(outcome.manifest):
            found.append(outcome.browser)
    return found


def check_launcher(launcher):
    """Run the launcher as a browser would, without the caller argument: it must start and answer nothing."""
    result = subprocess.run([str(launcher)], input=b"", capture_output=True, timeout=30)
    return result.returncode, result.stdout
