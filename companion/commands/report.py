"""`applied report`: the work-search record over a range of days, as printable HTML or a CSV."""
import click

from ..client import call, connect
from ..pipeline import parse_day
from . import data_dir_option
from .transfer import _write


@click.command("report")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="First day of the report.")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Last day of the report (included).")
@click.option("--format", "kind", type=click.Choice(["html", "csv"]), default="html", show_default=True,
              help="html: a page made for printing, a page per week; csv: one row per activity, for a spreadsheet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@data_dir_option
def report_command(start, end, kind, output, data_dir):
    """Every application, follow-up, interview, informational interview and course in a range, week by week.

    The proof of a work search that benefit programs ask for (date, employer, position, contact,
    method, result), with your name from Settings.
    """
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    with connect(data_dir) as client:
        body = call(client, "GET", f"/api/report?from={first.isoformat()}&to={last.isoformat()}&format={kind}")
    _write(body, output)
