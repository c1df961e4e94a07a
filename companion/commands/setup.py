"""`applied setup`, `applied autostart` and `applied stop`: Applied installed into this user's session."""
import json
import os
import signal
import time

import click

from .. import autostart, client, native
from ..errors import AppliedError
from ..settings import DEFAULT_PORT
from . import data_dir_option

port_option = click.option("--port", type=click.IntRange(1, 65535), envvar="APPLIED_PORT", default=DEFAULT_PORT,
                           show_default=True, help="The port the companion listens on.")


@click.command("setup")
@port_option
@data_dir_option
@click.option("--remove", is_flag=True, help="Undo it: the browsers can no longer start Applied.")
def setup_command(port, data_dir, remove):
    """Let your browsers start Applied for the extension, pair it and sign you in (once per user)."""
    data_dir = os.path.abspath(data_dir)
    if remove:
        gone = native.remove(native.plan(port=port, data_dir=data_dir, everywhere=True))
        click.echo(f"Removed for {', '.join(o.browser.name for o in gone)}." if gone
                   else "No browser had Applied registered.")
        return
    found = native.plan(port=port, data_dir=data_dir)
    registering = [o for o in found.outcomes if o.state == "register"]
    if not registering:
        for outcome in found.outcomes:
            click.echo(f"  {outcome.browser.name}: {outcome.why}")
        raise AppliedError("found no browser that can start Applied: install Chrome, Chromium, Edge, Brave, "
                           "Vivaldi or Firefox from your system's packages, then run `applied setup` again")
    native.apply(found)
    code, out = native.check_launcher(found.launcher)
    if code != 2 or out:
        raise AppliedError(f"the browser host at {found.launcher} does not start (exit {code}): "
                           "reinstall Applied, then run `applied setup` again")
    click.echo(f"Your browsers can now start Applied (port {port}, data in {data_dir}):")
    for outcome in found.outcomes:
        if outcome.state == "register":
            click.echo(f"  {outcome.browser.name}: registered ({outcome.registry_key or outcome.manifest})")
    for outcome in found.outcomes:
        if outcome.state == "sandboxed":
            click.echo(f"  {outcome.browser.name}: cannot start Applied. {outcome.why}.")
    missing = [o.browser.name for o in found.outcomes if o.state == "absent"]
    if missing:
        click.echo(f"  Not found: {', '.join(missing)} (run `applied setup` again after installing one).")
    click.echo("Now add the extension to your browser: it starts Applied, pairs and signs you in by itself.")


@click.command("autostart")
@click.argument("action", type=click.Choice(["on", "off", "status"]))
@port_option
@data_dir_option
def autostart_command(action, port, data_dir):
    """Start Applied when you log in (on), no longer (off), or say which (status)."""
    if action == "on":
        entry = autostart.turn_on(port, os.path.abspath(data_dir))
        where = entry.path or f"HKCU\\{autostart.RUN_KEY}\\{autostart.RUN_VALUE}"
        click.echo(f"Applied will start when you log in ({_how(entry.how)}: {where}).")
    elif action == "off":
        removed = autostart.turn_off()
        click.echo("Applied will no longer start when you log in." if removed
                   else "Applied was not set to start when you log in.")
    else:
        state = autostart.status()
        if state["on"]:
            click.echo(f"on ({_how(state['how'])}: {state['where']})")
        else:
            click.echo("off")


def _how(how):
    return {"systemd": "a systemd user service", "xdg": "your desktop's autostart", "launchd": "a LaunchAgent",
            "windows": "the Run key of your Windows account"}.get(how, how)


@click.command("stop")
@data_dir_option
@click.option("--timeout", type=click.FloatRange(1, 300), default=20, show_default=True,
              help="Seconds to wait for it to end.")
def stop_command(data_dir, timeout):
    """Stop the companion running for this data folder."""
    running = client.running_client(data_dir)
    if running is None:
        click.echo("Applied is not running for this data folder.")
        return
    try:
        with open(os.path.join(data_dir, "server.json"), encoding="utf-8") as handle:
            pid = int(json.load(handle)["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        raise AppliedError("Applied answers, but its server.json names no process: stop it where it was started") from None
    # It proved it is this folder's companion (client.running_client), so the pid it wrote is its own.
    # SIGTERM ends it as Ctrl+C does (the journal folded, server.json removed); on Windows it ends at once,
    # which the store's journal survives.
    os.kill(pid, signal.SIGTERM)
    info = os.path.join(data_dir, "server.json")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.running_client(data_dir) is None and (os.name == "nt" or not os.path.exists(info)):
            if os.path.exists(info):
                os.remove(info)  # Windows: it could not remove it itself
            click.echo(f"Stopped Applied (port {running.port}).")
            return
        time.sleep(0.1)
    raise AppliedError(f"Applied (process {pid}) did not stop within {timeout:g} seconds")
