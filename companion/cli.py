"""The `applied` command: run the companion, and reach your data from a terminal."""
import atexit
import errno
import importlib
import json
import os
import signal
import sys
import threading
import webbrowser

import click

from . import __version__
from .client import CompanionClient, call, connect
from .commands import data_dir_option
from .errors import AppliedError
from .settings import DEFAULT_PORT
from .tokens import write_owner_only

LOOPBACK = ("127.0.0.1", "::1", "localhost")


# The commands of their own modules, imported when they run (or for --help): `applied serve` (which the
# browser's host starts while the person waits) imports none of them, nor the extraction engine they bring.
LAZY_COMMANDS = {
    "extract": "extract.command:extract_command", "add": "commands.add:add_command", "due": "commands.followups:due_command",
    "export": "commands.transfer:export_command", "import": "commands.transfer:import_command",
    "pair": "commands.pairing:pair_command", "extension": "extension_build:extension_group",
    "report": "commands.report:report_command", "setup": "commands.setup:setup_command",
    "autostart": "commands.setup:autostart_command", "stop": "commands.setup:stop_command",
    "followup": "commands.followups:followup_command", "mail": "commands.mail:mail_group",
}


class Commands(click.Group):
    """Every command's errors end as one readable line and a non-zero exit, never a traceback."""

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS and name not in self.commands:
            module, attribute = LAZY_COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f".{module}", __package__), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AppliedError as error:
            click.echo(f"applied: {error.message}", err=True)
            sys.exit(1)
        except OSError as error:
            click.echo(f"applied: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
            sys.exit(1)


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="applied")
def main():
    """Applied: track job applications from your browser, and never forget a follow-up."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Kept for old scripts: Applied always listens on both loopback addresses (127.0.0.1 and ::1), "
                   "so that no other program can answer on the other one, and never beyond this computer.")
@click.option("--port", type=click.IntRange(1, 65535), envvar="APPLIED_PORT", default=DEFAULT_PORT,
              show_default=True, help="Port; the extension looks here by default.")
@data_dir_option
@click.option("--no-open", is_flag=True, help="Do not open the web view in a browser (say where the sign-in page is).")
def serve(host, port, data_dir, no_open):
    """Run the companion: the API for the extension and the web view."""
    if host not in LOOPBACK:
        raise AppliedError(f"refusing to listen on {host}: Applied only listens on loopback (127.0.0.1 or ::1)")
    from . import native, sessions, webhost
    from .app import create_app
    from .client import running_client

    running = running_client(data_dir)
    if running:
        # Started again (at login, by the browser, by hand): one is enough, and that is not a failure.
        click.echo(f"Applied is already running for {data_dir} on port {running.port}; `applied open` signs you in.")
        return

    _few_malloc_arenas()
    app = create_app({"DATA_DIR": data_dir, "PORT": port, "MAIL_CHECKS": True})
    store = app.extensions["applied"]["store"]
    try:
        server = _listen(app, port)
    except AppliedError:
        store.close()
        raise
    info_path = os.path.join(data_dir, "server.json")
    write_owner_only(info_path, json.dumps({"port": port, "pid": os.getpid()}).encode())
    # Whatever ends this process (Ctrl+C, `kill`, the terminal closing, an error), server.json
    # goes: a stale one would send the next command's token to whoever takes the port.
    atexit.register(_remove, info_path)
    url = webhost.origin(app.extensions["applied"]["web_host"], port) + "/"
    # The browser gets a file's address: the one-time code inside it is on no command line.
    page = sessions.write_sign_in_file(data_dir, port, sessions.new_sign_in_code(app))
    click.echo(f"Applied {__version__} is running at {url}  (data: {data_dir}; Ctrl+C or `applied stop` to stop)")
    click.echo(f"To sign in within a minute, open {sessions.file_url(page)}  (later: `applied open`)")
    if not native.registered():
        click.echo("No browser can start Applied by itself yet: run `applied setup` once, then the extension "
                   "starts it, pairs and signs you in.")
    if not no_open:
        threading.Timer(0.5, lambda: webbrowser.open(sessions.file_url(page))).start()
    # A service manager (or `kill`) stops us with SIGTERM, a closing terminal with SIGHUP: end the
    # same way as Ctrl+C, so the store folds its journal into a snapshot and the folder is released.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.close()
        store.close()
        _remove(info_path)


M_ARENA_MAX = -8  # glibc's malloc.h


def _few_malloc_arenas(count=2):
    """Two malloc arenas for the companion's threads, not glibc's default of eight a core.

    Each thread that serves a request frees into an arena of its own, which keeps what it freed: after
    a big answer (an export, a year's report) the companion stayed far above its steady size. Measured at
    10,000 applications: after a JSON export 124 MB instead of 173, steady 111 instead of 113, at no cost
    in speed. Only with glibc (and only when MALLOC_ARENA_MAX does not say otherwise); elsewhere nothing."""
    if "MALLOC_ARENA_MAX" in os.environ or not hasattr(os, "confstr"):
        return False
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
        import ctypes
        return ctypes.CDLL(None).mallopt(M_ARENA_MAX, count) == 1
    except (ValueError, OSError, AttributeError):
        return False


def _listen(app, port):
    """A waitress server on 127.0.0.1 and ::1 at ``port``.

    Both, because browsers resolve "localhost" to ::1 first: a program of another user listening
    there would receive what was meant for us. When ::1 is taken we refuse to start; when this
    machine has no IPv6 loopback, nobody can listen there, and 127.0.0.1 alone is safe.
    """
    from waitress import create_server

    options = {"threads": app.config["THREADS"], "ident": "applied",
               # Waitress reads a whole body before the app sees it; let it read a little past
               # our limit so Flask can answer a readable 413, and cut the connection only for
               # bodies far beyond it.
               "max_request_body_size": app.config["MAX_CONTENT_LENGTH"] * 4}
    try:
        return create_server(app, listen=f"127.0.0.1:{port} [::1]:{port}", **options)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise AppliedError(f"port {port} is already in use on 127.0.0.1 or ::1 ({error.strerror}); "
                               "stop whatever uses it or choose another with --port") from None
        if error.errno not in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise AppliedError(f"cannot listen on port {port}: {error.strerror or error}") from None
    try:
        return create_server(app, host="127.0.0.1", port=port, **options)
    except OSError as error:
        raise AppliedError(f"cannot listen on 127.0.0.1 port {port}: {error.strerror or error}; "
                           "stop whatever uses it or choose another with --port") from None


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.command("open")
@data_dir_option
@click.option("--no-open", is_flag=True, help="Only say where the sign-in page is.")
def open_command(data_dir, no_open):
    """Open the web view signed in: a new one-time sign-in page, valid for a minute."""
    from . import sessions

    with connect(data_dir) as client:
        if not isinstance(client, CompanionClient):
            raise AppliedError("the companion is not running: start it with `applied serve`")
        answer = call(client, "POST", "/api/sign-in", {})
    page = sessions.write_sign_in_file(data_dir, client.port, answer["code"])
    click.echo(f"To sign in within a minute, open {sessions.file_url(page)}")
    if not no_open:
        webbrowser.open(sessions.file_url(page))


@main.command()
@data_dir_option
def token(data_dir):
    """Print the API token (for scripts and the extension's manual setup; never pass it as an argument)."""
    from .tokens import load_or_create_token

    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    click.echo(load_or_create_token(data_dir))


@main.command()
@data_dir_option
def reextract(data_dir):
    """Read every stored page again with the current extraction engine.

    A page that cannot be read is named on stderr (and the exit status is 1); the others are read all the same.
    """
    with connect(data_dir) as client:
        counts = call(client, "POST", "/api/reextract", {})
    problems = counts.pop("problems", [])
    click.echo(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
    for problem in problems:
        what = " at ".join(filter(None, (problem.get("title"), problem.get("company"))))
        click.echo(f"  application {problem['id']}{f' ({what})' if what else ''}: {problem['message']}", err=True)
    if problems:
        sys.exit(1)
