"""The web view's pages: sign-in, what is due, the lists, the board, people, skills, insights, settings."""
from datetime import date, timedelta
from math import ceil
from typing import NamedTuple

from flask import current_app, g, jsonify, redirect, render_template, request, url_for

from .. import __version__, autostart, calendar, contacts, current, paging, pairing, pipeline, report, sessions, skills, tokens
from .. import applications as apps
from .. import followup_schedule as schedule
from ..errors import AppliedError, Unauthorized, ValidationError
from ..insights import summary as insights_summary
from ..settings import SETTINGS
from . import bp
from .filters import as_date, day_filter, when_filter

PAGE_SIZE = 50
BOARD_PAGE = 50  # cards a board column shows, and each "Show more" adds: one board stays well under 500 KB
HOME_FOLLOWUPS = 15  # the start page shows the most pressing; /followups has them all
FOLLOWUPS_SHOWN = 50  # each with its draft, a page at a time: more makes the page slow to render and to read
# /contacts: each person shown has an edit form listing the applications they may be linked
# to, so the page grows as their product: ten people a page and the 50 latest applications keep it quick.
CONTACTS_SHOWN = 10
OFFERED = 50
REMINDERS_SHOWN = 30  # contact reminders listed on a page; the badge counts them all
NAV = (("web.home", "Due"), ("web.replies_page", "Replies"), ("web.applications", "Applications"), ("web.board", "Board"),
       ("web.followups", "Follow-ups"),
       ("web.contacts_page", "Contacts"), ("web.skills_page", "Skills"), ("web.insights", "Insights"),
       ("web.documents_page", "Documents"), ("web.report_page", "Report"), ("web.import_page", "Import"),
       ("web.settings_page", "Settings"))
# The board's columns: where a search is still going. The closed ones are folded away behind a
# toggle (and read only when shown), as people coming from card boards expect.
BOARD_OPEN = ("saved", "applied", "screening", "interviewing", "offer")
BOARD_CLOSED = tuple(s for s in pipeline.STATUSES if s not in BOARD_OPEN)

@bp.app_context_processor
def layout_values():
    """What the layout needs on every page: the nav, and the count on its Due badge."""
    if request.blueprint != "web" or not sessions.signed_in():
        return {"nav": NAV}
    try:
        # Right after a start, the count waits for the follow-up indexes (a second at 50,000 applications):
        # the page does not; its badge says "…" and asks /pulse.json at once (static/app.js).
        due = _due_count() if "due_today" in g or schedule.counted(current.store()) else COUNTING
    except AppliedError:
        # The error page for a store that cannot be read must not fail on its own badge.
        due = None
    return {"nav": NAV, "due_count": due, "version": __version__}


COUNTING = "…"


def _duetoday():
    """How many follow-ups are due today or overdue: a count of the store's follow-up index."""
    if "due_today" not in g:
        g.due_today = schedule.count(current.store(), date.today())[0]
    return g.due_today


def _reminderstoday():
    """The first contact reminders due today or overdue, with their drafts, once per request."""
    if "reminders_today" not in g:
        g.reminders_today = contacts.reminders_due(current.store(), date.today(), limit=REMINDERS_SHOWN,
                                                   your_name=current.user_settings().get("your_name", ""))
    return g.reminders_today


def _due_count():
    store = current.store()
    return _duetoday() + contacts.count_reminders(store, date.today()) + len(pairing.pending(store))


# -- sign in ---------------------------------------------------------------------------------------

@bp.get("/login")
def login_page():
    """Sign in; ``?ended=1`` when a request came with a session that had ended (says so first), and
    ``?signed_out=everywhere`` after signing out everywhere (the calendar feed has a new address)."""
    return render_template("login.html", ended=request.args.get("ended") == "1",
                           everywhere=request.args.get("signed_out") == "everywhere",
                           idle_hours=int(sessions.IDLE.total_seconds() // 3600))


@bp.post("/login")
def login():
    """Sign this browser in: with the one-time code of the link `applied serve` opens, or the install token."""
    code, presented = request.form.get("code", "").strip(), request.form.get("token", "").strip()
    if code:
        if not sessions.redeem_sign_in_code(code):
            raise Unauthorized("this sign-in link was used already, or is more than a minute old: open Applied "
                               "from the extension (or with `applied open`) for a new one", code="sign_in_code")
    elif tokens.matching(presented, [tokens.Credential.install(current_app.extensions["applied"]["token"])]) is None:
        raise Unauthorized("that is not this install's token: run `applied token` to see it")
    if not sessions.on_web_host():
        # Signed in on 127.0.0.1 (an old link, the token typed in): the session lives on the web view's own
        # name only, which this proof of the person may learn. A new one-time code carries the sign-in there.
        where = sessions.request_sign_in_url()
        if request.accept_mimetypes.best == "application/json":
            return jsonify({"next": where})
        return redirect(where, code=303)
    sessions.sign_in()
    return redirect(url_for("web.home"), code=303)


@bp.post("/logout")
def logout():
    """Sign out this browser; with ``everywhere=1`` (Settings), every browser signed in to this companion, and the
    calendar feed gets a new address: a stolen session may have read the old one, which then stops answering."""
    everywhere = request.form.get("everywhere") == "1"
    sessions.sign_out(everywhere=everywhere)
    if everywhere:
        calendar.rotate_secret(current_app.config["DATA_DIR"])
        return redirect(url_for("web.login_page", signed_out="everywhere"), code=303)
    return redirect(url_for("web.login_page"), code=303)


# -- pages ---------------------------------------------------------------------------------------

def _status_counts(store):
    """How many applications are in each status: read from the store's status index."""
    return {**dict.fromkeys(pipeline.STATUSES, 0), **store.count_by(apps.TABLE, "status")}


def _has_route(rule, method="POST"):
    return any(r.rule == rule and method in r.methods for r in current_app.url_map.iter_rules())


@bp.get("/")
def home():
    store, today = current.store(), date.today()
    total, _, due = schedule.due(store, today, by=today, limit=HOME_FOLLOWUPS)
    g.due_today = total
    _, recent = apps.list_applications(store, limit=6, sort="updated")
    return render_template(
        "home.html", pending=pairing.pending(store), followups=due, more_due=total - HOME_FOLLOWUPS,
        reminders=_reminderstoday(),
        counts=_status_counts(store), recent=recent, can_fetch=_has_route("/api/applications/fetch"),
        statuses=pipeline.STATUSES, today=today, send_methods=apps.SEND_METHODS,
        your_name=current.user_settings().get("your_name") or "")


@bp.get("/applications")
def applications():
    store, today = current.store(), date.today()
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
    upcoming = schedule.next_followups(store, docs, today)
    chosen = set((status or "").split(",")) - {""}
    return render_template(
        "applications.html", applications=docs, total=total, page=page, pages=max(1, ceil(total / PAGE_SIZE)),
        status=status, chosen=chosen, q=q, sort=sort, counts=_status_counts(store), statuses=pipeline.STATUSES,
        upcoming=upcoming, problem=problem)


def _last_change(doc):
    """The day of the application's latest status change (or when it was saved)."""
    moves = [e.get("date") for e in doc.get("history") or [] if e.get("kind") == "status" and e.get("date")]
    return as_date(max(moves) if moves else doc.get("created_at"))


@bp.get("/board")
def board():
    """The columns by status, each with its count and its BOARD_PAGE most recently changed cards; a
    column's "Show more" is this page for that column alone, after its last card (?status=&after=).
    The closed columns are folded: their counts show, their cards load when one is opened."""
    store, today = current.store(), date.today()
    q = (request.args.get("q") or "").strip()
    closed = request.args.get("closed") == "1"
    # The list's status filter, when the person came from a filtered list: those columns only.
    chosen = [st for st in pipeline.STATUSES if st in (request.args.get("status") or "").split(",")]
    shown = tuple(chosen) or BOARD_OPEN + (BOARD_CLOSED if closed else ())
    after = cursor_arg("after") if len(shown) == 1 else None
    columns, docs = {}, []
    for status in shown:
        try:
            total, cards = apps.list_applications(store, status=status, q=q, sort="updated", limit=BOARD_PAGE + 1,
                                                  after=after)
        except ValidationError:  # a cursor of another list's shape, edited by hand: the column from its start
            after = None
            total, cards = apps.list_applications(store, status=status, q=q, sort="updated", limit=BOARD_PAGE + 1)
        more = len(cards) > BOARD_PAGE
        cards = cards[:BOARD_PAGE]
        docs += cards
        columns[status] = {"total": total, "cards": cards,
                           "more": apps.cursor_of(cards[-1], "updated") if more else None}
    folded = {}
    if not chosen and not closed:  # counted (by the status index, or the search), read when opened
        counts = _status_counts(store)
        folded = {status: apps.list_applications(store, status=status, q=q, limit=0)[0] if q else counts[status]
                  for status in BOARD_CLOSED}
    upcoming = schedule.next_followups(store, docs, today)
    href = url_for("web.application", application_id=0)[:-1]  # + the id: one url_for, not one a card
    for column in columns.values():
        column["cards"] = [_card(doc, upcoming.get(doc["id"]), href, today) for doc in column["cards"]]
    return render_template("board.html", columns=columns, folded=folded, q=q, closed=closed,
                           status=",".join(chosen) or None, after=after, closed_statuses=BOARD_CLOSED,
                           statuses=pipeline.STATUSES, today=today)


class Card(NamedTuple):
    """What one board card shows, worked out here: a board renders hundreds, and the template only reads
    these attributes (a template's lookups in dicts, its filters and url_for were most of a board's time)."""

    id: int
    title: str
    company: str
    href: str
    moves: str  # the statuses it may move to, space-separated (the Move menu and drag read them)
    age: str  # how long since its last change, in words
    next_step: str  # its next follow-up's day and title, or ""
    overdue: bool


def _card(doc, upcoming, href, today):
    days = _days_since(_last_change(doc), today)
    age = "" if days is None else "Changed today" if days == 0 else "1 day since the last change" if days == 1 \
        else f"{days} days since the last change"
    next_step = f"{day_filter(upcoming['due'])} ({when_filter(upcoming['due'])}) · {upcoming['title']}" if upcoming else ""
    return Card(doc["id"], doc.get("title") or "Untitled posting", doc.get("company") or "", f"{href}{doc['id']}",
                " ".join(pipeline.allowed_moves(doc)), age, next_step, bool(upcoming and upcoming["overdue"]))


def _days_since(day, today):
    return (today - day).days if day else None


@bp.get("/pulse.json")
def pulse():
    """What pages that change elsewhere poll for (cheap: the badge's own count and the waiting requests)."""
    return {"due_count": _due_count(), "pairing_requests": [p["id"] for p in pairing.pending(current.store())]}


@bp.get("/followups")
def followups():
    store, today = current.store(), date.today()
    total, _, shown, following = schedule.due_page(store, today, limit=FOLLOWUPS_SHOWN, after=cursor_arg("after"))
    groups = {}
    for suggestion in shown:
        day = max(suggestion["due"], today.isoformat())  # overdue ones are listed under today
        groups.setdefault(day, []).append(suggestion)
    _, upcoming, more_people = contacts.reminders_page(
        store, today, by=today + timedelta(days=30), limit=REMINDERS_SHOWN, after=cursor_arg("people_after"),
        your_name=current.user_settings().get("your_name", ""))
    return render_template("followups.html", groups=sorted(groups.items()), total=total, following=following,
                           paged=bool(request.args.get("after")), reminders=upcoming, more_people=more_people,
                           today=today)


def cursor_arg(name):
    """The decoded cursor in ?name= (None when there is none, or it is not one a page gave)."""
    try:
        return paging.decode(request.args.get(name))
    except ValidationError:
        return None  # an address edited by hand: the list from its start


@bp.get("/contacts")
def contacts_page():
    store, today = current.store(), date.today()
    kind = request.args.get("kind") or None
    if kind not in contacts.KINDS:
        kind = None
    q = (request.args.get("q") or "").strip()
    total, docs = contacts.list_contacts(store, q=q, kind=kind, limit=CONTACTS_SHOWN + 1, after=cursor_arg("after"))
    following = paging.encode(contacts.sort_key(docs[-2]), docs[-2]["id"]) if len(docs) > CONTACTS_SHOWN else None
    docs = docs[:CONTACTS_SHOWN]
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
        "contacts.html", people=people, total=total, first=first, following=following, paged=bool(request.args.get("after")),
        kinds=contacts.KINDS, kind_labels=contacts.KIND_LABELS,
        kind=kind, q=q, applications=titles, preselect=preselect,
        reminders=_reminderstoday(), today=today,
        default_every=contacts.DEFAULT_KEEP_IN_TOUCH_DAYS)


@bp.get("/skills")
def skills_page():
    store = current.store()
    mine = current.user_settings()["my_skills"]
    return render_template("skills.html", demand=skills.demand(store, mine), my_skills=mine,
                           courses=skills.list_courses(store), vocabulary=skills.SKILL_NAMES, today=date.today())


def _bar_class(value, top):
    """A height class in 5% steps (the CSP forbids inline styles)."""
    return f"h-{round(20 * value / top) * 5 if top else 0}"


@bp.get("/insights")
def insights():
    store, today = current.store(), date.today()
    # The people and courses of the weeks shown (the applications' part is kept in the insights' totals).
    people, courses = report.records_between(store, today - timedelta(days=today.weekday(), weeks=11), today,
                                             tables=(contacts.TABLE, skills.COURSES))
    summary = insights_summary(store, today, people, courses)
    weeks = summary["weeks"]
    top = max((week["applications"] for week in weeks), default=0)
    for week in weeks:
        week["bar"] = _bar_class(week["applications"], top)
    tally = summary["tally"]
    return render_template(
        "insights.html", total=summary["total"], funnel=summary["funnel"], weeks=weeks, tally=tally,
        tally_top=max((r["count"] for r in tally["reasons"]), default=0),
        timing=schedule.timing(store, summary["learned"]), today=today)


@bp.get("/settings")
def settings_page():
    store = current.store()
    values = current.user_settings()
    groups = {}
    for s in SETTINGS:
        if s.kind == "user":
            groups.setdefault(s.group or "Other", []).append((s, type(s.default).__name__))
    # About you first: the name that signs the drafts is what a new person sets first.
    order = ("About you", "Follow-up timing", "The extension")
    groups = sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    try:
        feed = calendar.feed_urls(calendar.loopback_url(current_app.config.get("PORT")),
                                  calendar.load_or_create_secret(current_app.config["DATA_DIR"]))
    except OSError:
        feed = None
    return render_template(
        "settings.html", pending=pairing.pending(store), paired=pairing.tokens(store), groups=groups,
        values=values, feed=feed, meta=store.meta(), port=current_app.config.get("PORT"), autostart=autostart.status(),
        version=__version__, idle_hours=int(sessions.IDLE.total_seconds() // 3600))
