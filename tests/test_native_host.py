"""`applied setup` and the native messaging host, spoken to as a browser speaks to it (no browser here:
test_native_chromium.py and test_native_firefox.py do it in real browsers).

Every test runs with a temporary HOME, so `applied setup` writes where a browser of that user would
read, and nothing of the machine's own user is touched.
"""
import json
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion import native
from companion.security import EXTENSION_ID
from conftest import ROOT, Companion, free_port

GECKO_ID = "applied@applied.localhost"
CHROME_CALLER = f"chrome-extension://{EXTENSION_ID}/"


def applied(*args, home, check=True, timeout=60, extra_env=None):
    """The `applied` command as the person runs it, with HOME set to ``home``."""
    env = {**os.environ, "HOME": str(home), **(extra_env or {})}
    env.pop("XDG_CONFIG_HOME", None)
    result = subprocess.run([sys.executable, "-m", "companion", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


def setup(home, data_dir, port):
    """`applied setup` for this HOME; the launcher it wrote."""
    out = applied("setup", "--port", str(port), "--data-dir", str(data_dir), home=home).stdout
    launcher = home / ".config" / "applied" / "browser-host" / "applied-host"
    assert launcher.exists(), out
    return launcher, out


class HostProcess:
    """The host as a browser starts it: the launcher, the caller's arguments, length-prefixed JSON."""

    def __init__(self, launcher, args, home):
        env = {**os.environ, "HOME": str(home)}
        self.process = subprocess.Popen([str(launcher), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, cwd="/")

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(struct.pack("<I", len(body)) + body)
        self.process.stdin.flush()

    def receive(self, timeout=30):
        import select

        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, "the host did not answer in time"
        header = self.process.stdout.read(4)
        assert len(header) == 4, "the host ended without answering: " + self.process.stderr.read().decode()
        (length,) = struct.unpack("<I", header)
        return json.loads(self.process.stdout.read(length))

    def ask(self, message, timeout=30):
        self.send(message)
        return self.receive(timeout)

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


def answer(port, method, path, body=None, headers=None, host="127.0.0.1"):
    """One request and the answer itself, not where a redirect leads (urllib would follow it). ``host``: the
    name the request gives (the web view's own, for its pages and session)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers={"Host": f"{host}:{port}", **(headers or {})})
    response = connection.getresponse()
    response.read = (lambda body: lambda: body)(response.read())
    connection.close()
    return response


def web_base(world):
    """The web view's own address (companion/webhost.py): the companion made its name in the data folder."""
    return f"http://{(world['data'] / 'web_host').read_text().strip()}:{world['port']}"


def sign_in_with(port, code, host):
    """POST /login with a sign-in code, as the sign-in page's script does (at the web view's own address)."""
    return answer(port, "POST", "/login", f"code={code}", {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
        "Origin": f"http://{host}:{port}"}, host=host)


def stop(home, data_dir):
    applied("stop", "--data-dir", str(data_dir), home=home)


# -- what setup writes ------------------------------------------------------------------------------

def test_setup_registers_the_host_for_the_browsers_found_and_only_for_our_extension(home, tmp_path):
    (home / ".config" / "google-chrome").mkdir(parents=True)  # Chrome has a profile here
    data_dir = tmp_path / "data"
    launcher, out = setup(home, data_dir, 7611)
    chrome = json.loads((home / ".config/google-chrome/NativeMessagingHosts/applied.companion.json").read_text())
    assert chrome == {"name": "applied.companion", "description": native.DESCRIPTION, "path": str(launcher),
                      "type": "stdio", "allowed_origins": [CHROME_CALLER]}
    assert "Google Chrome: registered" in out
    if Path("/usr/bin/firefox-esr").exists():  # found on PATH
        firefox = json.loads((home / ".mozilla/native-messaging-hosts/applied.companion.json").read_text())
        assert firefox["allowed_extensions"] == [GECKO_ID] and "allowed_origins" not in firefox
        assert firefox["path"] == str(launcher)
    assert "Not found:" in out and "Vivaldi" in out  # says which it could not serve
    # The launcher runs this very interpreter (absolute), with the port and data folder setup was given.
    text = launcher.read_text()
    assert os.access(launcher, os.X_OK) and text.startswith("#!/bin/sh\n")
    assert f"exec {sys.executable} -P -m companion.host --port 7611 --data-dir {data_dir} \"$@\"" in text

    removed = applied("setup", "--remove", home=home).stdout
    assert "Google Chrome" in removed
    assert not (home / ".config/google-chrome/NativeMessagingHosts/applied.companion.json").exists()
    assert not launcher.exists()


def test_setup_says_why_it_cannot_serve_a_sandboxed_browser(home):
    (home / ".var" / "app" / "org.mozilla.firefox").mkdir(parents=True)  # a Flatpak Firefox's folder
    plan = native.plan(port=7531, data_dir="/data", kind="linux", home=home, environ={}, which=lambda name: None)
    firefox = next(o for o in plan.outcomes if o.browser.key == "firefox")
    assert firefox.state == "sandboxed" and firefox.manifest is None
    assert "Flatpak" in firefox.why and "pair the extension by code" in firefox.why
    assert {o.browser.key for o in plan.outcomes if o.state == "absent"} == {"chrome", "chromium", "edge", "brave", "vivaldi"}


def test_on_windows_setup_writes_a_batch_launcher_and_per_user_registry_keys(tmp_path):
    python = r"C:\Users\Ann\pipx\venvs\applied\Scripts\python.exe"
    plan = native.plan(python=python, port=7531, data_dir=r"C:\Users\Ann\AppData\Local\applied", kind="windows",
                       home=tmp_path, environ={"LOCALAPPDATA": r"C:\Users\Ann\AppData\Local"})
    folder = Path(r"C:\Users\Ann\AppData\Local") / "Applied" / "browser-host"
    assert plan.launcher == folder / "applied-host.bat"
    assert plan.launcher_text.splitlines()[-1] == (
        f'"{python}" -P -m companion.host --port 7531 --data-dir "C:\\Users\\Ann\\AppData\\Local\\applied" %*')
    chromium_manifest, firefox_manifest = str(folder / "applied.companion.chromium.json"), str(folder / "applied.companion.firefox.json")
    assert plan.registry() == {
        r"Software\Google\Chrome\NativeMessagingHosts\applied.companion": chromium_manifest,  # Chrome, Brave, Vivaldi
        r"Software\Chromium\NativeMessagingHosts\applied.companion": chromium_manifest,
        r"Software\Microsoft\Edge\NativeMessagingHosts\applied.companion": chromium_manifest,
        r"Software\Mozilla\NativeMessagingHosts\applied.companion": firefox_manifest,
    }
    manifests = {str(path): json.loads(text) for path, text in plan.manifests().items()}
    assert manifests[chromium_manifest]["allowed_origins"] == [CHROME_CALLER]
    assert manifests[firefox_manifest]["allowed_extensions"] == [GECKO_ID]
    assert {m["path"] for m in manifests.values()} == {str(plan.launcher)}

    class Registry(dict):  # what apply() and remove() do to HKEY_CURRENT_USER
        def set(self, key, value):
            self[key] = value

        def delete(self, key):
            self.pop(key, None)

    registry = Registry()
    assert native.registered(kind="windows", home=tmp_path, environ={"LOCALAPPDATA": str(tmp_path)}, registry=registry) == []
    local = native.plan(python=python, port=7531, data_dir="d", kind="windows", home=tmp_path,
                        environ={"LOCALAPPDATA": str(tmp_path)})
    native.apply(local, registry)
    assert set(registry) == set(plan.registry())
    assert native.registered(kind="windows", home=tmp_path, environ={"LOCALAPPDATA": str(tmp_path)}, registry=registry)
    native.remove(local, registry)
    assert registry == {}


def test_on_macos_setup_writes_to_each_browsers_application_support_folder(tmp_path):
    for folder in ("Google/Chrome", "Mozilla", "BraveSoftware/Brave-Browser"):
        (tmp_path / "Library" / "Application Support" / folder).mkdir(parents=True)
    plan = native.plan(python="/Users/ann/.local/pipx/venvs/applied/bin/python", port=7531, data_dir="/d",
                       kind="darwin", home=tmp_path, environ={})
    support = tmp_path / "Library" / "Application Support"
    assert {str(p.relative_to(support)) for p in plan.manifests()} == {
        "Google/Chrome/NativeMessagingHosts/applied.companion.json",
        "Mozilla/NativeMessagingHosts/applied.companion.json",
        "BraveSoftware/Brave-Browser/NativeMessagingHosts/applied.companion.json"}
    assert plan.launcher == support / "Applied" / "browser-host" / "applied-host"
    assert plan.registry() == {}


# -- the host, as a browser speaks to it --------------------------------------------------------------

def test_the_host_started_by_hand_answers_nothing(home, tmp_path):
    launcher, _ = setup(home, tmp_path / "data", free_port())
    for args in ([], ["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"], ["/tmp/x.json", "other@example.org"],
                 [CHROME_CALLER.rstrip("/")]):
        body = json.dumps({"id": 1, "type": "hello"}).encode()
        result = subprocess.run([str(launcher), *args], input=struct.pack("<I", len(body)) + body,
                                capture_output=True, timeout=30, env={**os.environ, "HOME": str(home)})
        assert result.returncode == 2 and result.stdout == b"", args
        assert b"started by your browser" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was started, nothing was made


def test_the_host_starts_applied_gives_the_extension_its_token_signs_in_and_tells_of_changes(home, tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    launcher, _ = setup(home, data_dir, port)
    host = HostProcess(launcher, [CHROME_CALLER], home)
    try:
        assert host.ask({"id": "a", "type": "hello"})["ok"]
        assert not (data_dir / "server.json").exists()
        started = host.ask({"id": "b", "type": "start"})
        assert started == {"id": "b", "ok": True, "port": port, "started": True}
        assert host.ask({"id": "c", "type": "start"})["started"] is False  # one companion, not two
        companion = Companion(data_dir, port)
        companion.token = (data_dir / "token").read_text().strip()
        assert companion.get("/api/ping", token=None).json["app"] == "applied"
        assert (data_dir / "companion.log").stat().st_mode & 0o077 == 0

        given = host.ask({"id": "d", "type": "token", "name": "Chrome on Linux"})
        token = given["token"]
        assert companion.get("/api/settings", token=token).status == 200  # the extension's scope...
        assert companion.get("/api/export", token=token).status == 403  # ...and no more
        paired = companion.get("/api/pairings").json["tokens"]
        assert [(p["name"], p["origin"], p["via"]) for p in paired] == \
            [("Chrome on Linux", f"chrome-extension://{EXTENSION_ID}", "browser")]
        again = host.ask({"id": "e", "type": "token", "name": "Chrome on Linux"})["token"]
        assert companion.get("/api/settings", token=token).status == 401  # the new one replaces it
        assert companion.get("/api/settings", token=again).status == 200
        assert len(companion.get("/api/pairings").json["tokens"]) == 1

        url = host.ask({"id": "f", "type": "signIn"})["url"]
        web_host, code = re.fullmatch(rf"http://(applied-[0-9a-f]{{24}}\.localhost):{port}/login#code=([\w-]+)",
                                      url).groups()
        signed = sign_in_with(port, code, web_host)
        assert signed.status == 303 and "applied_session_" in signed.getheader("Set-Cookie")
        used = sign_in_with(port, code, web_host)
        assert used.status == 401 and "used already" in json.loads(used.read())["error"]["message"]

        assert host.ask({"id": "g", "type": "watch"})["watching"] is True
        before = time.monotonic()
        applied("add", "--help", home=home)  # nothing changes: no push
        companion.post("/api/applications", {"url": "https://jobs.example.org/1", "html": "<h1>Role</h1>"})
        pushed = host.receive(timeout=5)
        assert pushed["type"] == "changed" and time.monotonic() - before < 5
        assert host.ask({"id": "h", "type": "nonsense"})["error"]["code"] == "unknown_request"
    finally:
        host.close()
        stop(home, data_dir)
    assert not (data_dir / "server.json").exists()


def test_the_host_answers_firefox_by_the_extension_id_it_passes(home, tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    launcher, _ = setup(home, data_dir, port)
    manifest = home / ".mozilla" / "native-messaging-hosts" / "applied.companion.json"
    host = HostProcess(launcher, [str(manifest), GECKO_ID], home)
    try:
        assert host.ask({"id": 1, "type": "hello"})["ok"]
    finally:
        host.close()


# -- serve, stop, sign-in --------------------------------------------------------------------------

def test_serve_says_once_when_no_browser_can_start_it_and_a_second_serve_leaves_the_first(home, tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    first = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--no-open", "--port", str(port),
                              "--data-dir", str(data_dir)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        lines = [first.stdout.readline() for _ in range(3)]
        assert [line for line in lines if "applied setup" in line] == [
            "No browser can start Applied by itself yet: run `applied setup` once, then the extension starts it, "
            "pairs and signs you in.\n"]
        # The sign-in page is a file only the person can read; its address on the terminal holds no secret.
        page = data_dir / "sign-in.html"
        assert f"open {page.as_uri()}" in lines[1] and page.stat().st_mode & 0o077 == 0
        code = re.search(r"login#code=([\w-]+)", page.read_text()).group(1)
        assert code not in "".join(lines)
        second = applied("serve", "--no-open", "--port", str(free_port()), "--data-dir", str(data_dir), home=home)
        assert f"already running for {data_dir} on port {port}" in second.stdout
        assert first.poll() is None
        stopped = applied("stop", "--data-dir", str(data_dir), home=home)
        assert stopped.stdout.strip() == f"Stopped Applied (port {port})."
        assert first.wait(10) == 0
        assert applied("stop", "--data-dir", str(data_dir), home=home).stdout.strip() == \
            "Applied is not running for this data folder."
    finally:
        if first.poll() is None:
            first.kill()
        first.stdout.close()
    setup(home, data_dir, port)
    registered = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--no-open", "--port", str(port),
                                   "--data-dir", str(data_dir)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
    try:
        lines = [registered.stdout.readline() for _ in range(2)]
        assert "sign in" in lines[1]
        stop(home, data_dir)
        assert "applied setup" not in registered.stdout.read()
    finally:
        if registered.poll() is None:
            registered.kill()
        registered.stdout.close()


def test_pairing_by_code_can_be_turned_off(companion):
    assert companion.post("/api/pair", {"name": "Chrome"}, token=None).status == 201
    assert companion.patch("/api/settings", {"pairing_by_code": False}).status == 200
    refused = companion.post("/api/pair", {"name": "Chrome"}, token=None)
    assert refused.status == 403 and refused.json["error"]["code"] == "pairing_off"


def test_an_ended_session_and_a_used_link_say_what_happened(companion):
    cookie = f"applied_session_{companion.port}=not-a-live-session"
    ended = answer(companion.port, "GET", "/", headers={"Cookie": cookie})
    assert ended.status == 303 and ended.getheader("Location").endswith("/login?ended=1")
    page = companion.get("/login?ended=1", token=None).text
    assert "Your session ended" in page
    # The way back that needs no terminal comes first; the install token is the last resort, folded below it.
    assert page.index("Open Applied from the extension") < page.index("Sign in with your install token instead")
    assert "Your session ended" not in companion.get("/login", token=None).text
    assert answer(companion.port, "GET", "/").getheader("Location").endswith("/login")



def test_no_sign_in_code_and_no_token_on_any_command_line(home, tmp_path):
    """`applied open` starts a real browser; it signs in, and no process of ours shows a secret in its arguments."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium): apt-get install chromium")
    data_dir, port = tmp_path / "data", free_port()
    launcher, _ = setup(home, data_dir, port)
    host = HostProcess(launcher, [CHROME_CALLER], home)  # the host, started by the browser, watching
    profile = tmp_path / "browser-profile"
    wrapper = tmp_path / "browser"  # what $BROWSER names: Chromium, its output away from `applied open`'s
    wrapper.write_text(f"#!/bin/sh\nexec {chromium} --headless --no-sandbox --disable-gpu --no-first-run "
                       f"--disable-background-networking --disable-sync --user-data-dir={profile} \"$@\" "
                       ">/dev/null 2>&1\n")
    wrapper.chmod(0o755)
    browser = f"{wrapper} %s &"  # "&": started in the background, as a desktop browser is
    try:
        assert host.ask({"id": 1, "type": "start"})["started"]
        extension_token = host.ask({"id": 2, "type": "token", "name": "Chrome"})["token"]
        host.ask({"id": 3, "type": "watch"})
        opened = applied("open", "--data-dir", str(data_dir), home=home, extra_env={"BROWSER": browser})
        page = data_dir / "sign-in.html"
        assert page.as_uri() in opened.stdout and page.stat().st_mode & 0o077 == 0
        code = re.search(r"login#code=([\w-]+)", page.read_text()).group(1)
        secrets = {"sign-in code": code, "install token": (data_dir / "token").read_text().strip(),
                   "extension token": extension_token}
        sessions = data_dir / "sessions.json"
        # The browser opened the file, which sent it to the sign-in address: it holds a session now.
        wait_until_true(lambda: sessions.exists() and json.loads(sessions.read_text()), 30, "the browser's session")
        seen = command_lines()
        assert any(str(profile) in line for line in seen), "the browser `applied open` started is not running"
        assert any("companion.host" in line for line in seen) and any(" serve " in f" {line} " for line in seen)
        for name, secret in secrets.items():
            assert not [line for line in seen if secret in line], f"the {name} is on a command line"
    finally:
        for pid, line in command_lines(with_pids=True):
            if str(profile) in line:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
        host.close()
        stop(home, data_dir)


def command_lines(with_pids=False):
    """Every process's arguments, as another user of the machine can read them in /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        found.append((int(entry.name), line) if with_pids else line)
    return found


def wait_until_true(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
