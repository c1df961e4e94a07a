"""The web view: the person's workspace, served on loopback.

Pages are rendered here from the same service functions the API uses; everything a
page changes goes through the JSON API from static/app.js (with the session's CSRF
token), so the web view, the popup and the CLI can never disagree about a change.
"""
import html
import re
from datetime import date, datetime, timedelta
from math import ceil

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from . import __version__, contacts, current, documents, pairing, pipeline, reasons, sessions, similar, skills, tokens, trackers
from . import applications as apps
from .errors import AppliedError, Unauthorized, ValidationError
from .insights import summary as insights_summary
from .settings import SETTINGS

bp = Blueprint("web", __name__)
PAGE_SIZE = 50
HOME_FOLLOWUPS = 15  # the start page shows the most pressing; /followups has them all
FOLLOWUPS_SHOWN = 100  # each with its draft: more makes the page slow to render and to read
# /contacts: each person shown has an edit form listing the applications they may be linked
# to, so the page grows as their product: 20 people and the 50 latest applications keep it quick.
CONTACTS_SHOWN = 20
OFFERED = 50
REMINDERS_SHOWN = 30  # contact reminders listed on a page; the badge counts them all
NAV = (("web.home", "Due"), ("web.applications", "Applications"), ("web.board", "Board"), ("web.followups", "Follow-ups"),
       ("web.contacts_page", "Contacts"), ("web.skills_page", "Skills"), ("web.insights", "Insights"),
       ("web.documents_page", "Documents"), ("web.report_page", "Report"), ("web.import_page", "Import"),
       ("web.settings_page", "Settings"))
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$",
                  "NZD": "NZ$", "CHF": "CHF ", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "PLN": "PLN "}
PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
# The board's columns: where a search is still going. The closed ones are folded away behind a
# toggle (and read only when shown), as people coming from card boards expect.
BOARD_OPEN = ("saved", "applied", "screening", "interviewing", "offer")
BOARD_CLOSED = tuple(s for s in pipeline.STATUSES if s not in BOARD_OPEN)
FOLLOWUP_WORDS = {"checkin": "check-in", "thank_you": "thank-you note", "interview_followup": "interview follow-up",
                  "why": "\u201cwhy not me?\u201d note", "feedback": "request for feedback"}


def _today():
    return date.today()


def _followup_api():
    # The follow-up schedule over the store (the same functions its API routes use); imported
    # here, as this module's /followups view has the module's name.
    from . import followups
    return followups


# -- template helpers -------------------------------------------------------------------------------

def _as_date(value):
    if isinstance(value, (date, datetime)):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@bp.app_template_filter("day")
def day_filter(value, with_weekday=False):
    """ "3 Nov", or "3 Nov 2025" when it is not this year."""
    day = _as_date(value)
    if day is None:
        return ""
    text = f"{day.day} {day:%b}"
    if day.year != _today().year:
        text += f" {day.year}"
    return f"{day:%a} {text}" if with_weekday else text


@bp.app_template_filter("when")
def when_filter(value):
    """How far a day is from today, in words: "today", "in 3 days", "2 days ago"."""
    day = _as_date(value)
    if day is None:
        return ""
    delta = (day - _today()).days
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


# The address an import gives a row that had none (trackers.NO_URL, on the reserved .invalid name):
# a key for importing the file again, not a page; the web view shows such a record as logged by hand.
_STAND_IN = trackers.NO_URL.split("{", 1)[0]


@bp.app_template_filter("address")
def address_filter(url):
    """The posting's address to show and link to, or None when there is none (or only an import's stand-in)."""
    return None if not url or url.startswith(_STAND_IN) else url


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


@bp.app_context_processor
def layout_values():
    """What the layout needs on every page: the nav, and the count on its Due badge."""
    if not request.blueprint == "web" or not sessions.signed_in():
        return {"nav": NAV}
    try:
        due = _due_count()
    except AppliedError:
        # The error page for a store that cannot be read must not fail on its own badge.
        due = None
    return {"nav": NAV, "due_count": due, "version": __version__}


def _due_today():
    """How many follow-ups are due today or overdue: a count of the store's follow-up index."""
    if "due_today" not in g:
        g.due_today = _followup_api().count(current.store(), _today())[0]
    return g.due_today


def _reminders_today():
    """The first contact reminders due today or overdue, with their drafts, once per request."""
    if "reminders_today" not in g:
        g.reminders_today = contacts.reminders_due(current.store(), _today(), limit=REMINDERS_SHOWN,
                                                   your_name=current.user_settings().get("your_name", ""))
    return g.reminders_today


def _due_count():
    store = current.store()
    return _due_today() + contacts.count_reminders(store, _today()) + len(pairing.pending(store))


# -- sign in ---------------------------------------------------------------------------------------

@bp.get("/login")
def login_page():
    return render_template("login.html")


@bp.post("/login")
def login():
    """Sign this browser in: with the one-time code of the link `applied serve` opens, or the install token."""
    code, presented = request.form.get("code", "").strip(), request.form.get("token", "").strip()
    if code:
        if not sessions.redeem_sign_in_code(code):
            raise Unauthorized("this sign-in link has expired or was used already: run `applied open` "
                               "for a new one, or sign in with your install token", code="sign_in_code")
    elif tokens.matching(presented, [tokens.Credential.install(current_app.extensions["applied"]["token"])]) is None:
        raise Unauthorized("that is not this install's token: run `applied token` to see it")
    sessions.sign_in()
    return redirect(url_for("web.home"), code=303)


@bp.post("/logout")
def logout():
    """Sign out this browser; with ``everywhere=1`` (Settings), every browser signed in to this companion."""
    sessions.sign_out(everywhere=request.form.get("everywhere") == "1")
    return redirect(url_for("web.login_page"), code=303)


# -- pages ---------------------------------------------------------------------------------------

def _status_counts(store):
    """How many applications are in each status: read from the store's status index."""
    return {**dict.fromkeys(pipeline.STATUSES, 0), **store.count_by(apps.TABLE, "status")}


def _has_route(rule, method="POST"):
    return any(r.rule == rule and method in r.methods for r in current_app.url_map.iter_rules())


@bp.get("/")
def home():
    store, today = current.store(), _today()
    total, _, due = _followup_api().due(store, today, by=today, limit=HOME_FOLLOWUPS)
    g.due_today = total
    _, recent = apps.list_applications(store, limit=6, sort="updated")
    return render_template(
        "home.html", pending=pairing.pending(store), followups=due, more_due=total - HOME_FOLLOWUPS,
        reminders=_reminders_today(),
        counts=_status_counts(store), recent=recent, can_fetch=_has_route("/api/applications/fetch"),
        statuses=pipeline.STATUSES, today=today)


@bp.get("/applications")
def applications():
    store, today = current.store(), _today()
    status = request.args.get("status") or None
    q = (request.args.get("q") or "").strip()
    sort = request.args.get("sort") or "updated"
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    try:
        total, docs = apps.list_applications(store, status=status, q=q, sort=sort,
                                             offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    except ValidationError as error:
        # A hand-edited address should show the list with the problem, not an error page.
        total, docs, status, sort = 0, [], None, "updated"
        problem = error.message
    else:
        problem = None
    upcoming = _followup_api().next_followups(store, docs, today)
    chosen = set((status or "").split(",")) - {""}
    return render_template(
        "applications.html", applications=docs, total=total, page=page, pages=max(1, ceil(total / PAGE_SIZE)),
        status=status, chosen=chosen, q=q, sort=sort, counts=_status_counts(store), statuses=pipeline.STATUSES,
        upcoming=upcoming, problem=problem)


def _last_change(doc):
    """The day of the application's latest status change (or when it was saved)."""
    moves = [e.get("date") for e in doc.get("history") or [] if e.get("kind") == "status" and e.get("date")]
    return _as_date(max(moves) if moves else doc.get("created_at"))


@bp.get("/board")
def board():
    store, today = current.store(), _today()
    q = (request.args.get("q") or "").strip()
    closed = request.args.get("closed") == "1"
    # The list's status filter, when the person came from a filtered list: those columns only.
    chosen = [st for st in pipeline.STATUSES if st in (request.args.get("status") or "").split(",")]
    shown = tuple(chosen) or BOARD_OPEN + (BOARD_CLOSED if closed else ())
    # Only the shown statuses are copied out of the store: the closed ones can be most of them.
    _, docs = apps.list_applications(store, status=",".join(shown), q=q, sort="updated", limit=None)
    upcoming = _followup_api().next_followups(store, docs, today)
    columns = {status: [] for status in shown}
    for doc in docs:
        changed = _last_change(doc)
        columns[doc["status"]].append({
            "app": doc, "moves": pipeline.allowed_moves(doc), "next": upcoming.get(doc["id"]),
            "days": (today - changed).days if changed else None})
    return render_template("board.html", columns=columns, q=q, closed=closed, status=",".join(chosen) or None,
                           counts=_status_counts(store),
                           closed_statuses=BOARD_CLOSED, statuses=pipeline.STATUSES, today=today)


@bp.get("/pulse.json")
def pulse():
    """What pages that change elsewhere poll for (cheap: the badge's own count and the waiting requests)."""
    return {"due_count": _due_count(), "pairing_requests": [p["id"] for p in pairing.pending(current.store())]}


def _forward_move(doc, moves):
    """The status form's preset: the next step forward, never a step back (one careless click must not
    undo progress); None when there is no step forward, and the person chooses."""
    here = pipeline.STATUSES.index(doc["status"])
    ahead = [m for m in moves if pipeline.STATUSES.index(m) > here and m in BOARD_OPEN + ("accepted",)]
    return ahead[0] if ahead else None


REVIEWED_FIELDS = ("title", "company")


def _review_banner(doc):
    """Whether the page shows the "check this capture" banner: None for no banner, else the fields
    still to fill in (an empty list when the capture asks for a look without naming any).

    The capture path flags a record whose page did not read as a whole posting (``review`` =
    {needed, missing, looks_like_posting}; older records carry ``not_a_posting``). The banner shows
    only while that review is needed, and goes as soon as the fields it named are filled in.
    """
    review = doc.get("review") if isinstance(doc.get("review"), dict) else None
    if review is not None:
        if not review.get("needed"):
            return None
        named = [field for field in review.get("missing") or [] if isinstance(field, str)]
        missing = [field for field in named if not doc.get(field)]
        return missing if missing or not named else None
    if not doc.get("not_a_posting"):
        return None
    return [field for field in REVIEWED_FIELDS if not doc.get(field)] or None


@bp.get("/applications/<int:application_id>")
def application(application_id):
    store, today = current.store(), _today()
    doc = apps.get(store, application_id)
    moves = pipeline.allowed_moves(doc)
    posting = apps.description(store, application_id)  # description_html is clean_html'ed on the way out
    linked = contacts.list_contacts(store, application_id=application_id)[1]
    history = [(entry, *describe(entry)) for entry in doc.get("history") or []]
    history.sort(key=lambda item: (item[0].get("date") or "", item[0].get("at") or ""), reverse=True)
    fapi = _followup_api()
    return render_template(
        "application.html", app=doc, description_html=posting["description_html"],
        moves=moves, default_move=_forward_move(doc, moves), back=pipeline.previous_status(doc),
        review_missing=_review_banner(doc), history=history, linked=linked,
        followups=fapi.application_followups(store, doc, today, fapi.schedule_settings(store)),
        reason_codes=reasons.REASONS, latest_reason=reasons.latest(doc),
        latest_reason_labels=[reasons.REASONS.get(c, c) for c in (reasons.latest(doc) or {}).get("codes") or []],
        remote_values=apps.REMOTE_VALUES, employment_types=apps.EMPLOYMENT_TYPES, today=today,
        # what was sent with it, and applications that look like the same job (to merge)
        sent_documents=documents.for_application(store, doc["id"]), similar=similar.find(store, doc),
        document_kinds=documents.KINDS, document_kind_labels=documents.KIND_LABELS,
        document_accept=",".join(documents.TYPES), document_max_mb=documents.MAX_BYTES // (1024 * 1024))


@bp.get("/followups")
def followups():
    store, today = current.store(), _today()
    total, _, shown = _followup_api().due(store, today, limit=FOLLOWUPS_SHOWN)
    groups = {}
    for suggestion in shown:
        day = max(suggestion["due"], today.isoformat())  # overdue ones are listed under today
        groups.setdefault(day, []).append(suggestion)
    upcoming = contacts.reminders_due(store, today, by=today + timedelta(days=30), limit=REMINDERS_SHOWN,
                                      your_name=current.user_settings().get("your_name", ""))
    return render_template("followups.html", groups=sorted(groups.items()), total=total,
                           hidden=max(0, total - FOLLOWUPS_SHOWN),
                           reminders=upcoming, today=today)


@bp.get("/contacts")
def contacts_page():
    store, today = current.store(), _today()
    kind = request.args.get("kind") or None
    if kind not in contacts.KINDS:
        kind = None
    q = (request.args.get("q") or "").strip()
    total, docs = contacts.list_contacts(store, q=q, kind=kind, limit=CONTACTS_SHOWN)
    first = len(docs)
    # A link to one person (a reminder, an application's people) names them: shown even when they
    # are not among the first CONTACTS_SHOWN by name, so the link's #contact-<id> has somewhere to go.
    try:
        linked_to = int(request.args.get("contact", ""))
    except ValueError:
        linked_to = None
    if linked_to is not None and all(doc["id"] != linked_to for doc in docs):
        docs = [*store.get_many(contacts.TABLE, [linked_to]), *docs]
    your_name = current.user_settings().get("your_name", "")
    people = [contacts.public(doc, today, your_name=your_name) for doc in docs]
    try:
        preselect = int(request.args.get("application", ""))
    except ValueError:
        preselect = None
    # The forms offer the OFFERED latest applications, plus any a person is linked to and the one
    # whose "Add a person" opened this page (it may be older than those).
    _, recent = apps.list_applications(store, limit=OFFERED, sort="updated")
    titles = {doc["id"]: doc for doc in recent}
    wanted = {i for person in people for i in person.get("application_ids") or []} | {preselect}
    for linked in store.get_many(apps.TABLE, sorted(wanted - set(titles) - {None})):
        titles[linked["id"]] = linked
    return render_template(
        "contacts.html", people=people, total=total, first=first, kinds=contacts.KINDS, kind_labels=contacts.KIND_LABELS,
        kind=kind, q=q, applications=titles, preselect=preselect,
        reminders=_reminders_today(), today=today,
        default_every=contacts.DEFAULT_KEEP_IN_TOUCH_DAYS)


@bp.get("/skills")
def skills_page():
    store = current.store()
    mine = current.user_settings()["my_skills"]
    return render_template("skills.html", demand=skills.demand(store, mine), my_skills=mine,
                           courses=skills.list_courses(store), vocabulary=skills.SKILL_NAMES, today=_today())


def _bar_class(value, top):
    """A height class in 5% steps (the CSP forbids inline styles)."""
    return f"h-{round(20 * value / top) * 5 if top else 0}"


@bp.get("/insights")
def insights():
    store, today = current.store(), _today()
    people, courses = [], []  # the stored records, only read (see Store.scan): no copies
    store.scan(contacts.TABLE, people.append)
    store.scan(skills.COURSES, courses.append)
    summary = insights_summary(store, today, people, courses)
    weeks = summary["weeks"]
    top = max((week["applications"] for week in weeks), default=0)
    for week in weeks:
        week["bar"] = _bar_class(week["applications"], top)
    tally = summary["tally"]
    return render_template(
        "insights.html", total=summary["total"], funnel=summary["funnel"], weeks=weeks, tally=tally,
        tally_top=max((r["count"] for r in tally["reasons"]), default=0),
        timing=_followup_api().timing(store, summary["learned"]), today=today)


@bp.get("/settings")
def settings_page():
    store = current.store()
    from . import calendar
    values = current.user_settings()
    groups = {}
    for s in SETTINGS:
        if s.kind == "user":
            groups.setdefault(s.group or "Other", []).append((s, type(s.default).__name__))
    # About you first: the name that signs the drafts is what a new person sets first.
    order = ("About you", "Follow-up timing", "The extension")
    groups = sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    try:
        feed = calendar.feed_urls(request.host_url, calendar.load_or_create_secret(current_app.config["DATA_DIR"]))
    except OSError:
        feed = None
    return render_template(
        "settings.html", pending=pairing.pending(store), paired=pairing.tokens(store), groups=groups,
        values=values, feed=feed, meta=store.meta(), port=current_app.config.get("PORT"),
        version=__version__, idle_hours=int(sessions.IDLE.total_seconds() // 3600))
