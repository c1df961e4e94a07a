"""How the command line reaches the data: through the running companion, or the store itself.

One process owns a data folder. When `applied serve` is running, CLI commands
speak to it over HTTP with the install token; when it is not, they run the same
API in-process on the data folder. Either way they go through the API, so the
CLI and the extension can never disagree about what a command does.
"""
import json
import os
import secrets
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

from . import tokens
from .errors import AppliedError, StoreLocked


class CompanionClient:
    """Requests to a running companion on loopback."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method, path, payload=None):
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                return response.status, _decode(response.read(), response.headers.get("Content-Type"))
        except urllib.error.HTTPError as error:
            return error.code, _decode(error.read(), error.headers.get("Content-Type"))
        except OSError as error:  # URLError, a timeout: it stopped, or hangs, since it answered the ping
            reason = getattr(error, "reason", error)
            raise AppliedError(f"the companion on port {self.port} stopped answering "
                               f"({getattr(reason, 'strerror', None) or reason}); try again, or restart it "
                               "with `applied serve`", code="companion_gone") from None


class InProcessClient:
    """The same API, run in this process on the data folder (when no companion is running)."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.token = app.extensions["applied"]["token"]

    def request(self, method, path, payload=None):
        response = self.client.open(path, method=method, json=payload,
                                    headers={"Authorization": f"Bearer {self.token}"})
        return response.status_code, _decode(response.get_data(), response.content_type)


def _decode(raw, content_type):
    if content_type and "json" in content_type:
        return json.loads(raw or b"null")
    return raw.decode("utf-8", "replace")


def call(client, method, path, payload=None, *, ok=(200, 201, 204)):
    """Make a request and return its body; raise the API's own error otherwise."""
    status, body = client.request(method, path, payload)
    if status not in ok:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        raise AppliedError(error.get("message") or f"the companion answered {status}",
                           code=error.get("code"), status=status)
    return body


def running_port(data_dir, token):
    """The port a companion serving this data folder listens on, if one is running there and proves it.

    ``server.json`` says where it listens; but when the companion is gone, another user's program
    may hold that port. So before any token is sent, the server must answer our nonce with the
    HMAC only a holder of the token's digest can make (``tokens.proof``); whatever cannot is left
    alone, and the command runs in this process instead.
    """
    try:
        with open(os.path.join(data_dir, "server.json"), encoding="utf-8") as handle:
            info = json.load(handle)
        port = int(info["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    nonce = secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}/api/ping?nonce={nonce}&key={tokens.key_id(tokens.digest(token))}"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            answer = json.load(response)
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict) or answer.get("app") != "applied":
        return None
    if not tokens.proves(answer.get("proof"), token, nonce, port):
        print(f"applied: something on port {port} answers like Applied but cannot prove it is your companion; "
              "nothing was sent to it", file=sys.stderr)
        return None
    return port


def running_client(data_dir):
    """A client of the running companion of ``data_dir`` (it proved itself), or None."""
    if not os.path.isdir(data_dir):
        return None
    token = tokens.load_or_create_token(data_dir)
    port = running_port(data_dir, token)
    return CompanionClient(port, token) if port else None


@contextmanager
def connect(data_dir):
    """A client for this data folder: the running companion if there is one, else in-process."""
    running = running_client(data_dir)
    if running:
        yield running
        return
    from .app import create_app

    try:
        app = create_app({"DATA_DIR": data_dir})
    except StoreLocked as error:
        # It holds the folder but did not answer the ping: still starting, or another command's.
        raise AppliedError(f"{error.message}, or try again once it answers",
                           code=error.code, status=error.status) from None
    try:
        yield InProcessClient(app)
    finally:
        app.extensions["applied"]["store"].close()
