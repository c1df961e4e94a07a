"""The native messaging host: the program a browser starts for the Applied extension, and only for it.

``applied setup`` registers it (see ``native``); the browser starts it with the caller's identity
as its arguments (Chrome and its kin: ``chrome-extension://ID/``; Firefox: the host manifest's
path and the extension's id) and speaks to it on stdin and stdout, each message a 4-byte
little-endian length and UTF-8 JSON. The browser lets only the extension ids the host manifest
names start it, so a caller the browser vouches for needs no code and no approval: that is what
lets the extension start Applied, get its own token and sign the person in without a terminal.
Started by hand, without a caller the browser would pass, the host answers nothing.

Requests carry an ``id`` the answer repeats; what they ask:

* ``{"type": "hello"}``: ``{"version"}``, to learn that the host is there (it starts nothing);
* ``{"type": "start"}``: start the companion of the data folder if it is not running (detached,
  its log in the data folder), answer ``{"port", "started"}`` once ``/api/ping`` proves it;
* ``{"type": "token", "name"}``: a token of the extension's scope, made for this caller
  (``POST /api/pairings/browser``; one per browser, a new one replaces the last);
* ``{"type": "signIn"}``: ``{"url"}``, the web view's one-time sign-in address;
* ``{"type": "watch"}``: from then on, ``{"type": "changed", "version"}`` is pushed whenever the
  companion's change counter moves (what is due may have changed), checked every second.

The host reaches the companion as the person's own tools do (``client``): with the install
token, after the server has proved it holds that token's digest.
"""
import json
import os
import struct
import subprocess
import sys
import threading
import time

from . import client
from .errors import AppliedError

START_TIMEOUT = 30  # seconds for a cold start to answer /api/ping (a big store takes a few)
WATCH_SECONDS = 1.0  # how often a watch asks the companion whether anything changed
LOG_FILE = "companion.log"
MAX_MESSAGE = 1024 * 1024  # what the browser may send us (Chrome's limit towards a host is 4 GB; we need little)


# -- who is calling -----------------------------------------------------------------------------

def caller(argv):
    """The extension that started us, as the browser names it in ``argv``; None for anyone else.

    Chrome, Edge, Brave, Vivaldi: ``chrome-extension://<id>/`` first (on Windows a
    ``--parent-window=`` argument may follow). Firefox: the host manifest's path, then the id.
    """
    from .native import extension_ids

    chrome, gecko = extension_ids()
    if argv and argv[0] == f"chrome-extension://{chrome}/":
        return argv[0]
    if len(argv) >= 2 and argv[1] == gecko and argv[0].endswith(".json"):
        return gecko
    return None


# -- the wire --------------------------------------------------------------------------------------

def read_message(stream):
    """One message from the browser, or None at the end of the stream."""
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack("<I", header)
    if length > MAX_MESSAGE:
        raise AppliedError(f"a message of {length} bytes is more than the host takes")
    body = stream.read(length)
    if len(body) < length:
        return None
    return json.loads(body.decode("utf-8"))


def encode(message):
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return struct.pack("<I", len(body)) + body


# -- the companion -----------------------------------------------------------------------------

def serve_command(port, data_dir):
    """How the host starts the companion: this interpreter, the same package, never opening a browser."""
    return [sys.executable, "-P", "-m", "companion", "serve", "--no-open", "--port", str(port), "--data-dir", data_dir]


def start(port, data_dir, timeout=START_TIMEOUT):
    """Make sure the companion of ``data_dir`` runs: (its client, whether we started it)."""
    running = client.running_client(data_dir)
    if running:
        return running, False
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    log_path = os.path.join(data_dir, LOG_FILE)
    with open(log_path, "ab") as log:
        os.chmod(log_path, 0o600)
        options = {"stdin": subprocess.DEVNULL, "stdout": log, "stderr": subprocess.STDOUT, "cwd": data_dir,
                   "close_fds": True}
        if os.name == "nt":
            # Chrome and Firefox put the host in a job that ends with it: the companion must leave it.
            options["creationflags"] = (subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
                                        | subprocess.CREATE_BREAKAWAY_FROM_JOB)
        else:
            options["start_new_session"] = True  # not in the browser's process group: it outlives the host
        process = subprocess.Popen(serve_command(port, data_dir), **options)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = client.running_client(data_dir)
        if running:
            return running, True
        if process.poll() is not None:
            # It ended: another one may have won the race for the folder; otherwise its log says why.
            running = client.running_client(data_dir)
            if running:
                return running, False
            raise AppliedError(f"Applied could not start: {_last_line(log_path)}", code="start_failed")
        time.sleep(0.05)
    raise AppliedError(f"Applied did not answer within {timeout} seconds of starting (see {log_path})",
                       code="start_failed")


def _last_line(path):
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.path.getsize(path) - 2000))
            lines = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        lines = []
    return lines[-1].removeprefix("applied: ") if lines else "it stopped without saying why"


# -- the host ------------------------------------------------------------------------------------

class Host:
    """Answers one browser's extension on a pair of byte streams."""

    def __init__(self, port, data_dir, caller_id, output):
        self.port, self.data_dir, self.caller = port, data_dir, caller_id
        self.output = output
        self.lock = threading.Lock()  # answers and pushes come from two threads
        self.watching = False

    def send(self, message):
        with self.lock:
            self.output.write(encode(message))
            self.output.flush()

    def answer(self, message):
        """The answer to one request (without its id)."""
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "hello":  # is the host there? (starts nothing)
            from . import __version__

            return {"version": __version__}
        if kind == "start":
            running, started = start(self.port, self.data_dir)
            return {"port": running.port, "started": started}
        if kind == "token":
            running, _ = start(self.port, self.data_dir)
            origin = self.caller.rstrip("/") if self.caller.startswith("chrome-extension://") \
                else f"moz-extension ({self.caller})"
            body = client.call(running, "POST", "/api/pairings/browser",
                               {"name": str(message.get("name") or "Browser extension")[:80], "origin": origin})
            return {"port": running.port, "token": body["token"]}
        if kind == "signIn":
            running, _ = start(self.port, self.data_dir)
            return {"port": running.port, "url": client.call(running, "POST", "/api/sign-in", {})["url"]}
        if kind == "watch":
            if not self.watching:
                self.watching = True
                threading.Thread(target=self.watch, daemon=True, name="applied-host-watch").start()
            return {"watching": True}
        raise AppliedError(f"unknown request {kind!r}", code="unknown_request")

    def handle(self, message):
        reply = {"id": message.get("id") if isinstance(message, dict) else None}
        try:
            reply.update(ok=True, **self.answer(message))
        except AppliedError as error:
            reply.update(ok=False, error={"code": error.code, "message": error.message})
        except OSError as error:
            reply.update(ok=False, error={"code": "os_error", "message": str(error)})
        self.send(reply)

    def watch(self, seconds=WATCH_SECONDS):
        """Push "changed" whenever the companion's change counter moves (a restart moves it too)."""
        version, running = None, None
        while True:
            try:
                running = running or client.running_client(self.data_dir)
                if running:
                    now = client.call(running, "GET", "/api/changes")["version"]
                    if version is not None and now != version:
                        self.send({"type": "changed", "version": now})
                    version = now
            except AppliedError:
                running = None  # stopped, or restarted elsewhere: find it again
            except OSError:  # the browser went away: nothing more to tell
                return
            time.sleep(seconds)

    def run(self, stream):
        # Requests are answered one at a time, in order: a second "start" while the first is starting
        # the companion waits for it, and finds it running.
        while True:
            message = read_message(stream)
            if message is None:
                return
            self.handle(message)


def _options(argv):
    """(--port, --data-dir, the rest): the launcher's options first, then what the browser passed."""
    port, data_dir, rest = None, None, list(argv)
    while rest[:1] and rest[0] in ("--port", "--data-dir") and len(rest) >= 2:
        name, value, rest = rest[0], rest[1], rest[2:]
        if name == "--port":
            port = int(value)
        else:
            data_dir = value
    return port, data_dir, rest


def main(argv=None):
    from .settings import DEFAULT_PORT, default_data_dir

    port, data_dir, rest = _options(sys.argv[1:] if argv is None else argv)
    calling = caller(rest)
    if calling is None:
        # Not a browser starting us for our extension: not one byte on stdout.
        print("applied-host is started by your browser for the Applied extension; it answers nothing else. "
              "Run `applied setup` to register it.", file=sys.stderr)
        return 2
    host = Host(port or DEFAULT_PORT, os.path.abspath(data_dir or default_data_dir()), calling, sys.stdout.buffer)
    try:
        host.run(sys.stdin.buffer)
    except (AppliedError, ValueError) as error:  # a malformed message: the browser sent us something odd
        print(f"applied-host: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
