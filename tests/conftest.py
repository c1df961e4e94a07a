"""Shared fixtures: a real companion (waitress, real TinyDB file) on a free loopback port."""
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
# Hooks: in CI a skip for a missing browser or package fails instead (see dependency_check.py).
from dependency_check import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class _LoopbackNames(http.client.HTTPConnection):
    """Browsers resolve every *.localhost name to loopback themselves (the web view's own name is one, see
    companion/webhost.py); Python asks the system, which may not. The Host header keeps the name."""

    def connect(self):
        host = self.host
        if host.endswith(".localhost"):
            self.host = "127.0.0.1"
        try:
            super().connect()
        finally:
            self.host = host


class _LoopbackNamesHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_LoopbackNames, req)


def web_opener(*handlers):
    """A urllib opener that reaches the web view at its own address, as a browser does."""
    return urllib.request.build_opener(_LoopbackNamesHandler(), *handlers)


class Companion:
    """A running `applied serve` in a subprocess, and an HTTP client for it."""

    def __init__(self, data_dir, port=None):
        self.data_dir = Path(data_dir)
        self.port_chosen_here = port is None  # (then another may be chosen: see start)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def command(self):
        """How the companion is started: the way a person does."""
        return [sys.executable, "-m", "companion", "serve", "--port", str(self.port),
                "--data-dir", str(self.data_dir), "--no-open"]

    def start(self, timeout=15, attempts=3):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.process.stdout.read().decode()
                if self.port_chosen_here and attempts > 1 and "in use" in said:
                    # Another test worker's companion took the free port between its choice and our bind.
                    self.port = free_port()
                    self.base = f"http://127.0.0.1:{self.port}"
                    return self.start(timeout, attempts - 1)
                raise RuntimeError("companion exited: " + said)
            try:
                # Ours once it said so in its own folder (another worker's companion may answer this port).
                if self._listening() and self.request("GET", "/api/ping", token=None).status == 200:
                    self.token = (self.data_dir / "token").read_text().strip()
                    # The web view's own address (its session lives there alone): pages and sign-in go to it.
                    named = self.data_dir / "web_host"  # (a companion from before it had one: 127.0.0.1)
                    self.web_host = named.read_text().strip() if named.exists() else "127.0.0.1"
                    self.web_netloc = f"{self.web_host}:{self.port}"
                    self.web_base = f"http://{self.web_netloc}"
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("companion did not answer in time")

    writes_server_info = True  # `applied serve` writes server.json once it listens

    def _listening(self):
        """Whether this companion process wrote its own server.json (it does so once it listens)."""
        if not self.writes_server_info:
            return True
        try:
            return json.loads((self.data_dir / "server.json").read_text())["pid"] == self.process.pid
        except (OSError, ValueError, KeyError):
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def request(self, method, path, payload=None, *, token="default", headers=None, data=None):
        """Send a request; token='default' uses the install token, None sends none."""
        all_headers = {"Host": f"127.0.0.1:{self.port}"}
        if payload is not None:
            data = json.dumps(payload).encode()
            all_headers["Content-Type"] = "application/json"
        if token == "default":
            token = self.token
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, payload=None, **kw):
        return self.request("POST", path, payload, **kw)

    def patch(self, path, payload=None, **kw):
        return self.request("PATCH", path, payload, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


SERVE_WITH_CONFIG = """
import json, sys
from waitress import serve
from companion.app import create_app
config = json.loads(sys.argv[1])
serve(create_app(config), host="127.0.0.1", port=config["PORT"], threads=4)
"""


class ConfiguredCompanion(Companion):
    """A real companion built with test-only app config (which no flag or variable can set)."""

    writes_server_info = False  # served by waitress directly, not by `applied serve`

    def __init__(self, data_dir, config):
        super().__init__(data_dir)
        self.config = {"DATA_DIR": str(data_dir), "PORT": self.port, **config}

    def command(self):
        return [sys.executable, "-c", SERVE_WITH_CONFIG, json.dumps(self.config)]


# The half of a pairing code the extension makes and sends nowhere (see companion/pairing.py): in tests,
# the person types the companion's half and this one, and the token's proof is keyed by it.
EXTENSION_HALF = "K7QX"


def shown_code(asked, half=EXTENSION_HALF):
    """The whole code an extension shows for its pairing request ``asked``: the companion's half, then its own
    (a companion from before the two halves made the whole code itself, "K7Q-2MX")."""
    return asked["code"] if "-" in asked["code"] else f"{asked['code']}-{half}"


def proved(collected, request_id, port, half=EXTENSION_HALF):
    """What the extension checks before it keeps a token: the companion was told its half of the code."""
    from companion.tokens import pairing_proof

    return collected.get("proof") == pairing_proof(half, port, request_id, collected.get("token"))


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def companion(data_dir):
    """A fresh companion with an empty store, stopped after the test."""
    server = Companion(data_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_companion(tmp_path_factory):
    """One companion for a module's read-mostly tests (faster than one per test)."""
    data = tmp_path_factory.mktemp("shared-data")
    server = Companion(data).start()
    yield server
    server.stop()


def posting_page(title="Senior Widget Engineer", company="Acme Robotics", extra=""):
    """A small job page with schema.org JobPosting data, as many career sites publish."""
    data = {
        "@context": "https://schema.org", "@type": "JobPosting", "title": title,
        "hiringOrganization": {"@type": "Organization", "name": company},
        "datePosted": "2026-11-02", "employmentType": "FULL_TIME",
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Toronto", "addressRegion": "ON",
                                                      "addressCountry": "CA"}},
        "description": "<p>Build widgets that delight.</p><ul><li>Python</li><li>SQL</li></ul>",
    }
    return (f"<!doctype html><html><head><title>{title} at {company}</title>"
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><nav>Jobs · Blog</nav><main><h1>{title}</h1><p>Build widgets that delight.</p>{extra}</main>"
            f"</body></html>")
