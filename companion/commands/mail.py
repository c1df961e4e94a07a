"""`applied mail`: replies read from your own mailbox (an IMAP account, an mbox file, a Maildir folder), proposed for review.

Every command goes through the API (companion.client): the running companion when there is one,
else the data folder opened here. Passwords are typed at a prompt (or piped with --password-stdin),
never given on the command line, and kept in the system keyring by the companion.
"""
import base64
import json
import os
import sys

import click

from ..client import call, connect
from ..errors import AppliedError
from ..mail.accounts import MAX_CERTIFICATE
from ..mail.message import MAX_BYTES
from . import data_dir_option

password_stdin_option = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from standard input (for scripts) instead of asking; never pass it as an argument.")


@click.group("mail")
def mail_group():
    """Replies from employers, read from your mail on this computer and proposed for one-click review."""


def _password(from_stdin, user):
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise AppliedError("no password on standard input")
        return line
    return click.prompt(f"Password of {user} (for Gmail, iCloud, Yahoo or Fastmail: an app password)",
                        hide_input=True, err=True)


@mail_group.command("add")
@click.option("--host", prompt="IMAP server (for example imap.gmail.com)", help="The mail server's name.")
@click.option("--user", prompt="User name (usually your email address)", help="The account's user name.")
@click.option("--port", type=click.IntRange(1, 65535), default=993, show_default=True,
              help="The server's IMAP port: 993 for TLS from the start, 143 for STARTTLS.")
@click.option("--starttls", is_flag=True, help="Start plain and ask for TLS (STARTTLS) before logging in "
              "(the default on port 143); without TLS, Applied sends no password.")
@click.option("--folder", default="INBOX", show_default=True, help="The folder replies arrive in.")
@click.option("--days", type=click.IntRange(1, 3650), default=90, show_default=True,
              help="How far back the first check reads.")
@click.option("--certificate", type=click.File("r", encoding="utf-8", errors="replace"),
              help="Only for a server with a certificate of its own, such as Proton Mail Bridge (which exports it): "
                   "that PEM file, trusted for this account alone.")
@password_stdin_option
@data_dir_option
def add_command(host, user, port, folder, days, starttls, certificate, password_stdin, data_dir):
    """Add an IMAP account: Applied logs in over TLS to check it, then keeps the password in your system keyring."""
    password = _password(password_stdin, user)
    payload = {"host": host, "user": user, "port": port, "folder": folder, "days": days, "password": password,
               **({"security": "starttls"} if starttls else {}),
               **({"certificate": certificate.read(MAX_CERTIFICATE + 1)} if certificate else {})}
    with connect(data_dir) as client:
        body = call(client, "POST", "/api/mail/accounts", payload, ok=(201,))
    account = body["account"]
    click.echo(f"Added {account['user']} on {account['host']} (folder {account['folder']}, first check reads "
               f"{account['days']} days back).")
    if body["password_kept"]:
        click.echo("Its password is in your system keyring; the running companion checks it by itself.")
    else:
        click.echo(f"Its password was not kept: {body['keyring_problem']}. `applied mail check` will ask for it "
                   "each time.")


@mail_group.command("check")
@click.option("--account", "account_id", type=int, help="Check only this account (its number in `applied mail check`).")
@password_stdin_option
@data_dir_option
def check_command(account_id, password_stdin, data_dir):
    """Read what arrived in your accounts since the last check (read-only: nothing is marked read)."""
    with connect(data_dir) as client:
        found = call(client, "GET", "/api/mail")
        chosen = [a for a in found["accounts"] if account_id is None or a["id"] == account_id]
        if not chosen:
            raise AppliedError("no mail account yet: add one with `applied mail add`" if account_id is None
                               else f"there is no mail account {account_id}")
        for account in chosen:
            payload = {} if account["password_kept"] else {"password": _password(password_stdin, account["user"])}
            summary = call(client, "POST", f"/api/mail/accounts/{account['id']}/check", payload)
            _report(f"{account['user']} on {account['host']}", summary)
        waiting = call(client, "GET", "/api/replies/count")["open"]
    click.echo(f"{waiting} repl{'y' if waiting == 1 else 'ies'} to review: open the web view's Replies page "
               "(`applied open`)." if waiting else "Nothing to review.")


def _report(where, summary):
    click.echo(f"{where}: read {summary['read']} message{'s' if summary['read'] != 1 else ''}: "
               f"{summary['proposed']} new repl{'y' if summary['proposed'] == 1 else 'ies'} to review, "
               f"{summary['other']} not about an application, {summary['known']} seen before")
    for problem in summary["problems"]:
        about = f" ({problem['subject'] or problem['from']})" if problem.get("subject") or problem.get("from") else ""
        click.echo(f"  {problem['where']}{about}: {problem['problem']}", err=True)
    if summary.get("more_problems"):
        click.echo(f"  and {summary['more_problems']} more problems", err=True)


@mail_group.command("import")
@click.argument("path", type=click.Path(exists=True))
@data_dir_option
def import_command(path, data_dir):
    """Read an mbox file (Thunderbird, Google Takeout), a Maildir folder or one .eml into reply proposals."""
    path = os.path.abspath(path)  # the companion reads it, from wherever it was started
    total = {"read": 0, "proposed": 0, "other": 0, "known": 0, "problems": [], "more_problems": 0}
    with connect(data_dir) as client:
        start, done = 0, False
        while not done:
            step = call(client, "POST", "/api/mail/import", {"path": path, "start": start})
            for key in ("read", "proposed", "other", "known", "more_problems"):
                total[key] += step[key]
            total["problems"] += step["problems"]
            done, start = step["done"], step["position"] or 0
            if not done:
                click.echo(f"importing: {total['read']:,} messages read", err=True)
    _report(path, total)


@mail_group.command("classify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help='Print {"kind", "application_id", "company", "why"}.')
@data_dir_option
def classify_command(file, as_json, data_dir):
    """Say what one message (.eml) is and which of your applications it is about; nothing is stored."""
    size = os.path.getsize(file)
    if size > MAX_BYTES:
        raise AppliedError(f"{file} is too big to read ({size / 1048576:.1f} MB; Applied reads messages up to "
                           f"{MAX_BYTES // 1048576} MB)")
    with open(file, "rb") as handle:
        raw = handle.read()
    with connect(data_dir) as client:
        answer = call(client, "POST", "/api/mail/classify", {"message": base64.b64encode(raw).decode("ascii")})
    why = answer["why"] + (f"; {answer['match_why']}" if answer.get("match_why") else "")
    if as_json:
        click.echo(json.dumps({"kind": answer["kind"], "application_id": answer["application_id"],
                               "company": answer["company"], "why": why}, ensure_ascii=False))
        return
    about = f"application #{answer['application_id']} ({answer['company']})" if answer["application_id"] else \
        "no application of yours" + (f" (it is from {answer['company']})" if answer["company"] else "")
    click.echo(f"{answer['kind']}, about {about}: {why}")
