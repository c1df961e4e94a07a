"""`applied add URL`: fetch a posting by its address and track it, for pages captured without the extension."""
import click

from ..client import call, connect
from ..errors import AppliedError
from ..pipeline import STATUSES
from . import data_dir_option


@click.command("add")
@click.argument("url")
@click.option("--status", type=click.Choice(STATUSES), default="applied", show_default=True,
              help="Where the application stands; `saved` for a posting you mean to apply to.")
@click.option("--applied-at", metavar="YYYY-MM-DD", help="The day you applied, if not today.")
@data_dir_option
def add_command(url, status, applied_at, data_dir):
    """Fetch the job posting at URL (public http/https pages only) and track it.

    The companion fetches the page itself, safely: no local or private addresses, at most
    5 redirects, 10 seconds and 5 MB. Pages behind a login need the browser extension.
    """
    payload = {"url": url, "status": status, **({"applied_at": applied_at} if applied_at else {})}
    with connect(data_dir) as client:
        body = call(client, "POST", "/api/applications/fetch", payload, ok=(200, 201, 422))
    if "application" not in body:  # 422 without an application: the fetch itself failed
        raise AppliedError(body.get("error", {}).get("message") or "the page could not be fetched")
    application = body["application"]
    label = f"#{application['id']} {application.get('title') or application['url']}" + (
        f" at {application['company']}" if application.get("company") else "")
    if body.get("duplicate"):
        click.echo(f"Already tracked: {label} ({application['status']})")
    elif body.get("error"):
        click.echo(f"Kept {label}, but {body['error']['message']}")
    else:
        click.echo(f"Added {label} ({application['status']})")
    for other in body.get("similar") or []:
        when = f" on {other['applied_at']}" if other.get("applied_at") else ""
        where = f" ({other['source']})" if other.get("source") else ""
        click.echo(f"You applied to a similar role at {other['company']}{when}{where}: #{other['id']} {other['title']}"
                   f" ({other['status']}); merge them in the web view if they are one job")
