"""How values read on a page: dates in words, pay, places, addresses, and history entries in plain words."""
import html
import re
from datetime import date, datetime

from markupsafe import Markup, escape

from .. import reasons
from . import bp

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$",
                  "NZD": "NZ$", "CHF": "CHF ", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "PLN": "PLN "}
PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
METHOD_WORDS = {"online": "Online (a job site or the employer's site)", "email": "By email", "in person": "In person",
                "phone": "By phone", "post": "By post"}
FOLLOWUP_WORDS = {"checkin": "check-in", "thank_you": "thank-you note", "interview_followup": "interview follow-up",
                  "why": "\u201cwhy not me?\u201d note", "feedback": "request for feedback"}


def as_date(value):
    if isinstance(value, (date, datetime)):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@bp.app_template_filter("day")
def day_filter(value, with_weekday=False):
    """ "3 Nov", or "3 Nov 2025" when it is not this year."""
    day = as_date(value)
    if day is None:
        return ""
    text = f"{day.day} {day:%b}"
    if day.year != date.today().year:
        text += f" {day.year}"
    return f"{day:%a} {text}" if with_weekday else text


@bp.app_template_filter("when")
def when_filter(value):
    """How far a day is from today, in words: "today", "in 3 days", "2 days ago"."""
    day = as_date(value)
    if day is None:
        return ""
    delta = (day - date.today()).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


@bp.app_template_filter("words")
def words_filter(value):
    return str(value or "").replace("_", " ").capitalize()


@bp.app_template_filter("sent_by")
def sent_by_filter(method):
    """How an application was sent, in words: "By email"."""
    return METHOD_WORDS.get(method, method or "")


@bp.app_template_filter("salary")
def salary_filter(salary):
    """{min, max, currency, period} → "$120,000–$150,000 a year"."""
    if not salary or (salary.get("min") is None and salary.get("max") is None):
        return ""
    currency = salary.get("currency") or ""
    sign = CURRENCY_SIGNS.get(currency, f"{currency} " if currency else "")

    def amount(value):
        return f"{sign}{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{sign}{value:,.2f}"

    low, high = salary.get("min"), salary.get("max")
    if low is not None and high is not None and low != high:
        text = f"{amount(low)}–{amount(high)}"
    elif low is not None and high is not None:
        text = amount(low)
    elif low is not None:
        text = f"from {amount(low)}"
    else:
        text = f"up to {amount(high)}"
    period = PERIOD_WORDS.get(salary.get("period"))
    return f"{text} {period}" if period else text


@bp.app_template_filter("place")
def place_filter(app, limit=2):
    """Where the job is, in one line: "Toronto, ON; Berlin · Hybrid" (never "Remote · remote")."""
    text = "; ".join(list(app.get("locations") or [])[:limit])
    remote = app.get("remote")
    if remote and remote.casefold() not in text.casefold():
        text = f"{text} · {words_filter(remote)}" if text else words_filter(remote)
    return text


@bp.app_template_filter("address")
def address_filter(url):
    """The posting's address to show and link to, or None when there is none (logged by hand, or
    imported from a row without one)."""
    return url or None


_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>", re.I)
_TAG = re.compile(r"<[^>]+>")


@bp.app_template_filter("notes_text")
def notes_text_filter(notes):
    """Stored (sanitized HTML) notes back to the plain text the person typed, for the editor."""
    text = _BREAK.sub("\n", notes or "")
    return html.unescape(_TAG.sub("", text))


def describe(entry):
    """One history entry in plain words: (what happened, extra detail or None)."""
    kind = entry.get("kind")
    if kind == "status":
        if not entry.get("from"):
            first = {"saved": "Saved for later", "applied": "Applied"}.get(entry.get("to"))
            return first or f"Added as {entry.get('to')}", entry.get("note")
        return f"Moved from {entry.get('from')} to {entry.get('to')}", entry.get("note")
    if kind == "followup":
        what = FOLLOWUP_WORDS.get(entry.get("followup_kind"), "follow-up")
        action = entry.get("action")
        if action == "done":
            text = f"Sent the {what}"
        elif action == "snooze":
            text = f"Snoozed the {what} until {day_filter(entry.get('until'))}"
        else:
            text = f"Skipped the {what}"
        return text, entry.get("note")
    if kind == "reply":
        return "They replied", entry.get("note")
    if kind == "interview":
        return "Interview", entry.get("note")
    if kind == "reason":
        labels = [reasons.REASONS.get(code, code) for code in entry.get("codes") or []]
        headline = "Why I was not chosen" + (f": {', '.join(labels)}" if labels else "")
        return headline, entry.get("text") or None
    return words_filter(kind), entry.get("note")




@bp.app_template_filter("table_rows")
def table_rows_filter(rows, columns, classes=None):
    """The <tr> of each row (a dict), a <td> for each of ``columns`` ((key, label) pairs), escaped; ``classes``:
    {column key: its cells' class}, or a format string for every cell's ("col-{key}").

    A report has thousands of rows: escaping each cell on its own (as a template loop does) took most of
    its time. So the cells are joined with control characters no record holds (one for each column, one
    between rows), escaped in one call, and the tags put in their place; should a cell hold one of them,
    each cell is escaped on its own."""
    keys = [key for key, _ in columns]
    if isinstance(classes, str):
        classes = {key: classes.format(key=key) for key in keys}
    opens = [f'<td class="{escape(classes[key])}">' if classes and classes.get(key) else "<td>" for key in keys]
    if not rows or not keys:
        return Markup("")
    if len(keys) <= len(_CELLS):
        cells = _CELLS[:len(keys) - 1]
        text = _ROW.join("".join(f"{cell}{row[key]}" for cell, key in zip(("", *cells), keys)) for row in rows)
        if all(text.count(cell) == len(rows) for cell in cells) and text.count(_ROW) == len(rows) - 1:
            html = str(escape(text)).replace(_ROW, f"</td></tr>\n<tr>{opens[0]}")
            for cell, opening in zip(cells, opens[1:]):
                html = html.replace(cell, f"</td>{opening}")
            return Markup(f"<tr>{opens[0]}{html}</td></tr>")
    return Markup("\n".join("<tr>" + "".join(f"{opening}{escape(row[key])}</td>" for opening, key in zip(opens, keys))
                             + "</tr>" for row in rows))


_CELLS = tuple(map(chr, range(0x10, 0x1e)))  # before each column but the first (data link escapes and the like)
_ROW = "\x1e"  # between rows: the record separator
