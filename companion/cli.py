"""The `applied` command: run the companion, and reach your data from a terminal."""
import errno
import json
import os
import signal
import sys
import threading
import webbrowser

import click

from . import __version__
from .client import call, connect
from .commands import data_dir_option
from .commands.add import add_command
from .commands.followups import due_command
from .commands.pairing import pair_command
from .commands.transfer import export_command, import_command
from .errors import AppliedError
from .extension_build import extension_group
from .extract.command import extract_command
from .settings import DEFAULT_PORT

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class Commands(click.Group):
    """Every command's errors end as one readable line and a non-zero exit, never a traceback."""

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
              help="Address to listen on. Only loopback is accepted: your applications are private, "
                   "and 127.0.0.1 keeps every other machine out.")
@click.option("--port", type=click.IntRange(1, 65535), envvar="APPLIED_PORT", default=DEFAULT_PORT,
              show_default=True, help="Port; the extension looks here by default.")
@data_dir_option
@click.option("--no-open", is_flag=True, help="Do not open the web view in a browser.")
def serve(host, port, data_dir, no_open):
    """Run the companion: the API for the extension and the web view."""
    if host not in LOOPBACK:
        raise AppliedError(f"refusing to listen on {host}: Applied only listens on loopback (127.0.0.1 or ::1)")
    from waitress import create_server

    from .app import create_app

    app = create_app({"DATA_DIR": data_dir, "PORT": port})
    store = app.extensions["applied"]["store"]
    try:
        server = create_server(app, host="127.0.0.1" if host == "localhost" else host, port=port,
                               threads=app.config["THREADS"], ident="applied",
                               # Waitress reads a whole body before the app sees it; let it read a
                               # little past our limit so Flask can answer a readable 413, and cut
                               # the connection only for bodies far beyond it.
                               max_request_body_size=app.config["MAX_CONTENT_LENGTH"] * 4)
    except OSError as error:
        store.close()
        if error.errno != errno.EADDRINUSE:  # e.g. ::1 on a machine without IPv6
            raise AppliedError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None
        raise AppliedError(f"port {port} on {host} is already in use ({error.strerror}); "
                           f"stop whatever uses it or choose another with --port") from None
    info_path = os.path.join(data_dir, "server.json")
    with open(info_path, "w", encoding="utf-8") as handle:
        json.dump({"port": port, "pid": os.getpid()}, handle)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    click.echo(f"Applied {__version__} is running at {url}  (data: {data_dir}; Ctrl+C to stop)")
    if not no_open:
        login = f"{url}login#{app.extensions['applied']['token']}"
        threading.Timer(0.5, lambda: webbrowser.open(login)).start()
    # A service manager (or `kill`) stops us with SIGTERM: end the same way as Ctrl+C, so the
    # store folds its journal into a snapshot and the folder is released cleanly.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.close()
        store.close()
        try:
            os.remove(info_path)
        except OSError:
            pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.command()
@data_dir_option
def token(data_dir):
    """Print the API token (for scripts and the extension's manual setup)."""
    from .tokens import load_or_create_token

    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    click.echo(load_or_create_token(data_dir))


@main.command()
@data_dir_option
def reextract(data_dir):
    """Read every stored page again with the current extraction engine."""
    with connect(data_dir) as client:
        counts = call(client, "POST", "/api/reextract", {})
    click.echo(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))


for name, command in {
    "extract": extract_command, "add": add_command, "due": due_command, "export": export_command,
    "import": import_command, "pair": pair_command, "extension": extension_group,
}.items():
    main.add_command(command, name)
