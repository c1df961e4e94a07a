"""`applied extract PAGE.html|- [--url URL] [--captured-at YYYY-MM-DD]`: print a page's posting as JSON.

Exit 0 with the posting; 1 with one line on stderr when the page holds no posting;
2 for bad input (missing file, bad date, no usable URL).
"""
import datetime as _dt
import json
import sys

import click

from ..errors import AppliedError, NotAPosting
from .engine import extract
from .page import Page


def _read(page_arg):
    if page_arg == "-":
        return sys.stdin.buffer.read()
    try:
        with open(page_arg, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise click.UsageError(f"cannot read {page_arg}: {error.strerror or error}") from None


def _date(value):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD",
                                 param_hint="--captured-at") from None


@click.command("extract")
@click.argument("page", metavar="PAGE.html|-")
@click.option("--url", help="The page's address. Default: the page's canonical link or og:url.")
@click.option("--captured-at", "captured_at", metavar="YYYY-MM-DD",
              help="The day the page was captured; relative dates (\"3 days ago\") count back from it. Default: today.")
def extract_command(page, url, captured_at):
    """Print the job posting on PAGE.html (or stdin with -) as JSON."""
    when = _date(captured_at)
    html = _read(page)
    if not url:
        parsed = Page(html)
        url = parsed.canonical or parsed.meta.get("og:url")
        if not url or not url.startswith(("http://", "https://")):
            raise click.UsageError("no --url given and the page names no canonical URL: pass --url URL")
    try:
        posting = extract(html, url, captured_at=when)
    except NotAPosting as error:
        click.echo(f"not a posting: {error.message}", err=True)
        sys.exit(1)
    except AppliedError as error:
        raise click.UsageError(error.message) from None
    click.echo(json.dumps(posting, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    extract_command.main(prog_name="applied extract")
