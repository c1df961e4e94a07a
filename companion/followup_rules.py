"""The follow-up rules: an application and today's date in, the suggested follow-ups out.

Pure functions over plain dicts: no store, no clock, every number from the settings.
What the person did is read back from the application's history:
  {kind: "status", date, from, to}             a move in the pipeline
  {kind: "reply" | "interview", date}           logged with POST /api/applications/<id>/events
  {kind: "followup", key, action, date, until?} done / snooze / dismiss of a suggestion
  {kind: "reason", date, codes, text}           the answer to "why was I not chosen?"
An imported application (``imported_at``) is suggested nothing that fell due before it came in: such
a suggestion is a "catch up" one, due the day of the import and never overdue, to be dismissed at once
(each dismissal keeps, as ``caught_up``, the day it was due: what comes next counts from there). A
status step an import dated with its own day (``imported``) says nothing about when it happened: no
interview, and no wait for a reply, is read from it.
"""
import math
import statistics
from datetime import date, timedelta

from .drafts import draft, mailto

# Moves that mean the employer answered (or the person started again): they reset the clock.
# Moves to ghosted, withdrawn or archived are the person's own doing and reset nothing.
CLOCK_MOVES = frozenset({"applied", "screening", "interviewing", "offer", "rejected"})
ANSWERS = CLOCK_MOVES - {"applied"}  # moves the employer makes: each ends a wait for a reply
CHECKIN_STATUSES = frozenset({"applied", "screening"})
THANK_YOU_STATUSES = frozenset({"applied", "screening", "interviewing", "offer"})
WAITING_STAGES = ("applied", "screening", "interviewing")
MIN_SAMPLES = 3  # fewer replies than this say more about luck than about the person's market


def _day(value):
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _entries(application, kind):
    return [e for e in application.get("history") or [] if e.get("kind") == kind and _day(e.get("date"))]


def _weekday(day, settings, *, backwards=False):
    """Move a weekend day to Monday (or, for a closing-date deadline, to the Friday before)."""
    if not settings.get("weekdays_only", True):
        return day
    while day.weekday() >= 5:
        day += timedelta(days=-1 if backwards else 1)
    return day


def _handled(application):
    """{key: day} for every suggestion done or dismissed, and {key: day} of its latest snooze."""
    handled, snoozed = {}, {}
    for entry in _entries(application, "followup"):
        if not isinstance(entry.get("key"), str):
            continue
        if entry.get("action") in ("done", "dismiss"):
            handled[entry.get("key")] = _day(entry.get("caught_up")) or _day(entry["date"])
        elif entry.get("action") == "snooze" and _day(entry.get("until")):
            snoozed[entry.get("key")] = _day(entry["until"])
    return handled, snoozed


def last_contact(application):
    """The latest day the employer answered: applying, a reply, an interview, or a move they caused."""
    days = [_day(application.get("applied_at"))]
    days += [_day(e["date"]) for e in _entries(application, "status") if e.get("to") in CLOCK_MOVES]
    days += [_day(e["date"]) for e in _entries(application, "reply") + _entries(application, "interview")]
    return max(filter(None, days), default=None)


def interview_days(application):
    """Every day an interview took (or will take) place: logged interviews and moves to interviewing.

    A record created as "interviewing" (an import, say) says nothing about when the interview was.
    """
    days = {_day(e["date"]) for e in _entries(application, "interview")}
    days |= {_day(e["date"]) for e in _entries(application, "status")
             if e.get("to") == "interviewing" and e.get("from") and not e.get("imported")}
    return sorted(days)


def learned_days(settings, stage, source=None):
    """The person's own median days to a reply for this stage (and site), when they asked for it."""
    learned = settings.get("learned") if settings.get("use_learned_timing") else None
    if not learned:
        return None
    groups = [learned.get("by_stage", {}).get(stage)]
    if stage == "applied":
        if source:
            groups.insert(0, learned.get("by_source", {}).get(source))
        groups.append(learned.get("overall"))
    for group in groups:
        if group and group.get("samples", 0) >= MIN_SAMPLES:
            return min(60, max(1, math.ceil(group["median_days"])))
    return None


def _checkins(application, settings, handled, clock):
    """The next check-in while the employer is silent: (key, due, pulled_by_closing_date) or None."""
    done = sorted((day, key) for key, day in handled.items() if key and key.startswith("checkin-"))
    if len(done) >= settings["max_checkins"]:
        return None
    number = len(done) + 1
    if number == 1:
        days = learned_days(settings, application["status"], application.get("source") or "generic") \
            or settings["checkin_after_days"]
        start = clock
    else:
        days = settings["second_checkin_after_days"]
        start = max(clock, done[-1][0])
    due = start + timedelta(days=days)
    closes = _day(application.get("valid_through"))
    if application["status"] == "applied" and closes and start < closes:
        # Ask while the posting is still open: a check-in after it closes comes too late,
        # so a weekend moves this one back to the Friday, unless that is the day of applying.
        pulled = max(start + timedelta(days=1), closes - timedelta(days=settings["closing_date_lead_days"]))
        if pulled < due:
            friday = _weekday(pulled, settings, backwards=True)
            return f"checkin-{number}", friday if friday > start else pulled, True
    return f"checkin-{number}", due, False


def _plan(application, today, settings):
    """Every suggestion the rules make as of today, as (key, kind, due, extra) before snoozes and weekends."""
    return [item[:4] for item in _schedule(application, settings, today)]


def _schedule(application, settings, today=None):
    """Every suggestion the rules make, as (key, kind, due, extra, until), before snoozes and weekends.

    ``until`` is the first day it is no longer suggested (None: until it is handled). Without
    ``today``, every suggestion whatever the day, and ``due`` is None for the one that has no
    date to count from but today (the feedback request for a rejection recorded without one).
    """
    status = application.get("status")
    handled, _ = _handled(application)
    clock = last_contact(application)
    imported = _day(application.get("imported_at"))
    plan = []
    if status in THANK_YOU_STATUSES:
        for day in interview_days(application):
            # Once the follow-up for an interview is due, its thank-you has had its moment; one due
            # before an import came in had it before: it is not suggested at all (never a catch-up).
            until = day + timedelta(days=settings["interview_followup_days"])
            due = day + timedelta(days=settings["thank_you_after_days"])
            if (today is None or today < until) and not (imported and due < imported):
                plan.append((f"thank-you-{day.isoformat()}", "thank_you", due, {"interview": day}, until))
    chain_done = True  # whether the steps before a "why" have all been taken
    if status in CHECKIN_STATUSES and clock:
        checkin = _checkins(application, settings, handled, clock)
        if checkin:
            key, due, pulled = checkin
            plan.append((key, "checkin", due, {"pulled": pulled, "closes": _day(application.get("valid_through"))},
                         None))
            chain_done = False
    if status == "interviewing" and clock:
        known = interview_days(application)
        last = known[-1] if known else clock
        key = f"interview-followup-{last.isoformat()}"
        days = learned_days(settings, "interviewing") or settings["interview_followup_days"]
        if key not in handled:
            plan.append((key, "interview_followup", max(clock, last) + timedelta(days=days),
                         {"interview": last if known else None}, None))
            chain_done = False
    if status in CHECKIN_STATUSES | {"interviewing", "ghosted"} and chain_done and clock \
            and "why" not in handled and not _entries(application, "reason"):
        silent_since = max([clock] + [day for day in handled.values() if day])
        known = interview_days(application)
        plan.append(("why", "why", silent_since + timedelta(days=settings["ask_why_after_days"]),
                     {"silent_since": silent_since, "interview": known[-1] if known else None}, None))
    if status == "rejected" and "feedback" not in handled:
        rejected = max((_day(e["date"]) for e in _entries(application, "status") if e.get("to") == "rejected"),
                       default=clock or today)
        if rejected is None:
            plan.append(("feedback", "feedback", None, {"rejected": None}, None))
        elif not any(_day(e["date"]) >= rejected for e in _entries(application, "reason")):
            plan.append(("feedback", "feedback",
                         rejected + timedelta(days=settings["feedback_after_rejection_days"]),
                         {"rejected": rejected}, None))
    return [item for item in plan if item[0] not in handled]


def suggestions(application, today, settings):
    """The follow-ups suggested for one application as of ``today``, soonest first.

    Each is {key, kind, due, overdue, title, draft {subject, body}, mailto, suggest_status,
    application_id}. ``key`` is stable (``checkin-1``, ``thank-you-2026-11-03``, ``why``...),
    so done, snooze and dismiss can name it. Nothing for saved, withdrawn, accepted or archived.
    """
    _, snoozed = _handled(application)
    imported = _day(application.get("imported_at"))
    out = []
    for key, kind, due, extra in _plan(application, today, settings):
        if key in snoozed:
            due = max(due, snoozed[key])
        due = was_due = _weekday(due, settings)
        catch_up = bool(imported and due < imported)
        if catch_up:
            due = imported
        message = draft(kind, application, settings, {**extra, "applied": _day(application.get("applied_at"))})
        out.append({
            "key": key, "kind": kind, "due": due.isoformat(), "overdue": due < today and not catch_up,
            "catch_up": catch_up, "was_due": was_due.isoformat() if catch_up else None,
            "title": message["title"], "draft": {"subject": message["subject"], "body": message["body"]},
            "mailto": mailto(application, message),
            "suggest_status": "ghosted" if kind == "why" and application.get("status") != "ghosted" else None,
            "snoozed_until": snoozed[key].isoformat() if key in snoozed else None,
            "application_id": application.get("id"),
        })
    return sorted(out, key=lambda s: (s["due"], s["key"]))


def due_dates(application, settings):
    """[(key, due, until, catch_up)] for every suggestion whatever today is: what the follow-up index keeps.

    ``due`` is the day suggestions() gives it (after snoozes and weekends; the import's day for a catch-up
    one), or None when it counts from today; ``until`` the first day it is no longer suggested, or None.
    """
    _, snoozed = _handled(application)
    imported = _day(application.get("imported_at"))
    out = []
    for key, _, due, _, until in _schedule(application, settings):
        if due is not None:
            due = _weekday(max(due, snoozed[key]) if key in snoozed else due, settings)
        catch_up = bool(imported and due is not None and due < imported)
        out.append((key, imported if catch_up else due, until, catch_up))
    return out


def catch_up_dismissals(application, today, settings):
    """The history entries that dismiss every catch-up suggestion of an imported application at once:
    each keeps the day it was due (``caught_up``), so the next one counts from there, and one that fell
    due before the import as well (a second check-in, the "why") is dismissed with it. No drafts."""
    imported = _day(application.get("imported_at"))
    if not imported:
        return []
    history, out = list(application.get("history") or []), []
    while True:  # each round dismisses for good what it finds: a chain ends
        current = {**application, "history": history}
        _, snoozed = _handled(current)
        found = []
        for key, kind, due, _, _ in _schedule(current, settings, today):
            due = _weekday(max(due, snoozed[key]) if key in snoozed else due, settings)
            if due < imported:
                found.append({"kind": "followup", "key": key, "followup_kind": kind, "action": "dismiss",
                              "date": today.isoformat(), "caught_up": due.isoformat(), "catch_up": True})
        if not found:
            return out
        history += found
        out += found


def next_followup(application, today, settings):
    """The first follow-up to come (an overdue one first), or None: the extension shows its date."""
    found = suggestions(application, today, settings)
    return found[0] if found else None


# -- learned timing ---------------------------------------------------------------------------

def reply_samples(application):
    """(stage, days) for each wait the person had for the employer's answer in this application."""
    events = [(_day(e["date"]), e) for e in application.get("history") or []
              if e.get("kind") in ("status", "reply", "interview") and _day(e.get("date")) and not e.get("imported")]
    events.sort(key=lambda pair: pair[0])  # stable: same-day entries keep their recorded order
    stage = start = None
    for day, entry in events:
        answered = entry["kind"] == "reply" or (entry["kind"] == "status" and entry.get("to") in ANSWERS)
        if answered and stage in WAITING_STAGES and start and day >= start:
            yield stage, (day - start).days
        if entry["kind"] == "status":
            stage = entry.get("to") if entry.get("to") in WAITING_STAGES else None
            start = day if stage else None
        elif stage:
            start = day  # a reply or an interview: the wait starts again from here


def _summary(days):
    return {"median_days": round(statistics.median(days), 1), "samples": len(days)} if days else None


def learned_timing(applications):
    """The person's own median days to a reply: overall, by source site (first answer) and by stage."""
    by_stage, by_source, every = {}, {}, []
    for application in applications:
        for stage, days in reply_samples(application):
            every.append(days)
            by_stage.setdefault(stage, []).append(days)
            if stage == "applied":
                by_source.setdefault(application.get("source") or "generic", []).append(days)
    return {"overall": _summary(every),
            "by_source": {k: _summary(v) for k, v in sorted(by_source.items())},
            "by_stage": {k: _summary(by_stage[k]) for k in WAITING_STAGES if k in by_stage},
            "min_samples": MIN_SAMPLES}
