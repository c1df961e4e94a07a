"""`applied pair`: answer an extension's pairing request, list paired extensions, revoke one."""
import click

from ..client import call, connect
from ..errors import AppliedError
from . import data_dir_option


def _when(stamp):
    return (stamp or "never").replace("T", " ")[:16]


def _show(listing):
    if listing["requests"]:
        click.echo("Waiting for your answer. Any program on this computer can ask with the same name and origin:\n"
                   "only the code the extension shows identifies it. Approve with `applied pair --approve CODE`.")
        for item in listing["requests"]:
            click.echo(f"  {item['name']}  from {item['origin']}  asked {_when(item['requested_at'])}"
                       f"  (expires {_when(item['expires_at'])[11:]})  id {item['id']}")
    else:
        click.echo("No pairing request is waiting.")
    if listing["tokens"]:
        click.echo("Paired:")
        for item in listing["tokens"]:
            click.echo(f"  {item['name']}  from {item['origin']}  since {_when(item['paired_at'])}"
                       f"  last used {_when(item['last_used'])}  id {item['id']}")


def _pick(items, wanted, what):
    """The one item ``wanted`` names: its id, or the start of it (4+ characters)."""
    needle = wanted.strip()
    found = [item for item in items if item["id"] == needle or (len(needle) >= 4 and item["id"].startswith(needle))]
    if len(found) != 1:
        raise AppliedError(f"no single {what} matches {wanted!r}; see `applied pair --list`")
    return found[0]


@click.command("pair")
@click.option("--list", "show", is_flag=True, help="List waiting requests and paired extensions (the default).")
@click.option("--approve", "approve", is_flag=False, flag_value="", default=None, metavar="CODE",
              help="Approve the pairing request with this code: the one the extension shows (the only proof "
                   "that the request is your extension's).")
@click.option("--deny", "deny", metavar="ID", help="Deny a pairing request.")
@click.option("--revoke", "revoke", metavar="ID", help="Revoke a paired extension: its token stops working at once.")
@data_dir_option
def pair_command(show, approve, deny, revoke, data_dir):
    """Let the browser extension in (or not): it asks from its options page, you answer here or in the web view."""
    if sum(value is not None for value in (approve, deny, revoke)) > 1:
        raise AppliedError("choose one of --approve, --deny and --revoke")
    with connect(data_dir) as client:
        if approve is not None:
            if not approve.strip():
                raise AppliedError("type the code the extension shows: `applied pair --approve CODE` (it is the only "
                                   "thing that tells your extension's request from a look-alike)")
            item = call(client, "POST", "/api/pairings/approve", {"code": approve})["pairing"]
            click.echo(f"Approved {item['name']}: the extension picks up its token in a moment.")
            return
        listing = call(client, "GET", "/api/pairings")
        if deny is not None:
            item = _pick(listing["requests"], deny, "pairing request")
            call(client, "POST", f"/api/pairings/{item['id']}/deny", {})
            click.echo(f"Denied {item['name']}.")
        elif revoke is not None:
            item = _pick(listing["tokens"], revoke, "paired extension")
            call(client, "DELETE", f"/api/pairings/{item['id']}")
            click.echo(f"Revoked {item['name']}: its token no longer works.")
        else:
            _show(listing)
