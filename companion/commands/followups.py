"""`applied due`: the follow-ups due today (or by a date), as a table or JSON."""
import json
import shutil
from datetime import date

import click

from ..client import call, connect
from ..errors import AppliedError
from ..pipeline import parse_day
from . import data_dir_option

ACTIONS = {"checkin": "Check in", "thank_you": "Send a thank-you", "interview_followup": "Follow up on the interview",
           "why": "Ask why you were not chosen", "feedback": "Ask for feedback"}


def _fit(text, width):
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[:max(0, width - 1)] + "…"


def _action(item):
    if item["kind"] == "catch_up":
        return f"{item['title']}: dismiss them in the web view"
    action = ACTIONS.get(item["kind"], item["kind"])
    if item.get("suggest_status"):
        action += f", and mark it {item['suggest_status']}"
    if item.get("mailto"):
        action += " (email ready)"
    return action


def table(followups, width):
    """Due date, company, role and what to do, one line each, fitted to the terminal's width."""
    rows = [("Due", "Company", "Role", "What to do")]
    for item in followups:
        application = item.get("application") or {}
        rows.append((item["due"] + (" overdue" if item["overdue"] else ""), application.get("company") or "—",
                     application.get("title") or "—", _action(item)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    widths[1], widths[2] = min(widths[1], 24), min(widths[2], 32)
    rest = max(20, width - sum(widths) - 6)
    return "\n".join(f"{_fit(a, widths[0]):<{widths[0]}}  {_fit(b, widths[1]):<{widths[1]}}  "
                     f"{_fit(c, widths[2]):<{widths[2]}}  {_fit(d, rest)}".rstrip() for a, b, c, d in rows)


@click.command("due")
@click.option("--by", "by", metavar="YYYY-MM-DD", help="Show what is due by this day instead of today.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of a table.")
@data_dir_option
def due_command(by, as_json, data_dir):
    """Follow-ups due today or overdue, with what to write; and why you were not chosen, so far."""
    day = parse_day(by, "--by") if by else date.today()
    with connect(data_dir) as client:
        page = f"/api/followups?due={day.isoformat()}&limit=500"
        found = call(client, "GET", page)
        following = found.pop("next_cursor", None)
        while following:  # every one due, a page at a time
            more = call(client, "GET", f"{page}&cursor={following}")
            found["followups"] += more["followups"]
            following = more.get("next_cursor")
        reasons = call(client, "GET", "/api/reasons")
    if as_json:
        click.echo(json.dumps({**found, "reasons": {k: reasons[k] for k in ("applications", "reasons", "summary")}},
                              indent=2, ensure_ascii=False))
        return
    if found["count"]:
        click.echo(table(found["followups"], shutil.get_terminal_size((120, 20)).columns))
        overdue = f" ({found['overdue']} overdue)" if found["overdue"] else ""
        click.echo(f"\n{found['count']} follow-up{'s' if found['count'] != 1 else ''} due{overdue}. "
                   f"The drafts are in the web view, or in `applied due --json`.")
    else:
        click.echo(f"Nothing is due {'today' if day == date.today() else 'by ' + day.isoformat()}.")
    if reasons.get("summary"):
        click.echo(reasons["summary"])


@click.command("followup")
@click.argument("action", type=click.Choice(["done", "snooze", "dismiss"]))
@click.argument("application_id", type=int)
@click.argument("key", required=False)
@click.option("--days", type=click.IntRange(1, 60), default=3, show_default=True, help="How long to snooze.")
@data_dir_option
def followup_command(action, application_id, key, days, data_dir):
    """Mark an application's follow-up done, snooze it or dismiss it (the first one due, unless KEY names one).

    APPLICATION_ID is the number `applied due --json` gives as application_id.
    """
    with connect(data_dir) as client:
        if key is None:
            found = call(client, "GET", f"/api/followups?application_id={application_id}&due=9999-12-31")["followups"]
            if not found:
                raise AppliedError(f"application {application_id} has no follow-up to act on")
            key = found[0]["key"]
        call(client, "POST", f"/api/followups/{application_id}/{key}/{action}", {"days": days} if action == "snooze" else {})
    click.echo({"done": "Done.", "snooze": f"Snoozed for {days} days.", "dismiss": "Dismissed."}[action])
