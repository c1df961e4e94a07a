"""The status pipeline: which statuses exist, which moves are allowed, and the dated history.

Pure functions over plain dicts, so the rules are tested without a server or a clock.
"""
from datetime import date, datetime

from .errors import ValidationError

STATUSES = ("saved", "applied", "screening", "interviewing", "offer",
            "accepted", "rejected", "withdrawn", "ghosted", "archived")

# Where an application can go next from each status. Two moves are always allowed
# on top of these: archiving, and going back to the status it had just before
# (so a misclick is one click to undo, and "archived" remembers where it was).
MOVES = {
    "saved": {"applied", "screening", "interviewing", "offer", "withdrawn"},  # further on: sent, then that
    "applied": {"screening", "interviewing", "offer", "rejected", "withdrawn", "ghosted"},
    "screening": {"interviewing", "offer", "rejected", "withdrawn", "ghosted"},
    "interviewing": {"offer", "rejected", "withdrawn", "ghosted"},
    "offer": {"accepted", "rejected", "withdrawn"},
    "accepted": {"withdrawn"},
    "rejected": {"screening", "interviewing", "offer"},  # they came back after all
    "withdrawn": {"applied"},                            # re-applied
    "ghosted": {"applied", "screening", "interviewing", "offer", "rejected", "withdrawn"},  # they answered
    "archived": set(),
}
# Statuses where the person is still waiting on the employer: follow-ups apply.
OPEN_STATUSES = frozenset({"applied", "screening", "interviewing", "offer", "ghosted"})


def check_status(status):
    """Return status if it is one we know, else raise a 400 that lists the valid ones."""
    if status not in STATUSES:
        raise ValidationError(
            f"unknown status {status!r}; valid statuses are: {', '.join(STATUSES)}",
            code="unknown_status", details={"valid": list(STATUSES)})
    return status


def previous_status(application):
    """The status the application had before its current one, or None."""
    changes = [entry for entry in application.get("history", []) if entry.get("kind") == "status"]
    return changes[-1].get("from") if changes else None


def status_after_event(application, kind):
    """Where a logged event takes an application, or None when it stays: an interview moves an
    application still waiting (or ghosted) to interviewing; a reply reopens a ghosted one at the
    status it had before (applied when that was not an open one)."""
    status = application["status"]
    if kind == "interview" and status in ("applied", "screening", "ghosted"):
        return "interviewing"
    if kind == "reply" and status == "ghosted":
        back = previous_status(application)
        return back if back in OPEN_STATUSES - {"ghosted"} else "applied"
    return None


def allowed_moves(application):
    """Every status the application may move to from where it is now."""
    current = application["status"]
    allowed = set(MOVES[current]) | {"archived"}
    back = previous_status(application)
    if back:
        allowed.add(back)
    allowed.discard(current)
    return sorted(allowed, key=STATUSES.index)


def move(application, new_status, *, on=None, now=None, note=None):
    """Return the history entry for moving to new_status, or raise if the move is not allowed.

    ``on`` is the day it happened (a person often logs yesterday's interview today);
    ``now`` is when it was recorded. The caller stores the entry and the new status.
    """
    check_status(new_status)
    current = application["status"]
    if new_status == current:
        raise ValidationError(f"the application is already {current}", code="same_status")
    if new_status not in allowed_moves(application):
        raise ValidationError(
            f"cannot move from {current} to {new_status}; from {current} you can go to: "
            f"{', '.join(allowed_moves(application))}",
            code="invalid_move", details={"allowed": allowed_moves(application)})
    now = now or datetime.now().replace(microsecond=0)
    entry = {"kind": "status", "at": now.isoformat(), "date": (on or now.date()).isoformat(),
             "from": current, "to": new_status}
    if note:
        entry["note"] = note
    return entry


def move_steps(application, new_status, *, on=None, now=None, note=None):
    """The history entries of a move: one, or two when a saved application goes further than applied
    (a screening call means it was sent): the step into applied first, the same day, so that the
    report, the insights and the follow-ups count it as sent."""
    if application["status"] == "saved" and new_status in ("screening", "interviewing", "offer"):
        sent = move(application, "applied", on=on, now=now)
        return [sent, move({**application, "status": "applied"}, new_status, on=on, now=now, note=note)]
    return [move(application, new_status, on=on, now=now, note=note)]


def first_entry(status, *, on, now):
    """The history entry that opens an application's record."""
    return {"kind": "status", "at": now.isoformat(), "date": on.isoformat(), "from": None, "to": status}


# A step into "applied" is an application sent when it was added as applied, applied after saving
# it, or re-applied after withdrawing; not when a ghosted one hears back or a misclick is undone.
SENT_FROM = (None, "saved", "withdrawn")


def is_sent(entry):
    """Whether a history entry records an application sent on its day: the work-search report, Insights
    and the weekly activity count these. A step an import dated with its own day (it did not say when
    the application was sent) is not one."""
    return (entry.get("kind") == "status" and entry.get("to") == "applied" and entry.get("from") in SENT_FROM
            and not entry.get("imported"))


def imported_history(status, *, applied_on=None, saved_on=None, moved_on=None, today, now):
    """(the history, the day applied or None) of a record an import brings at ``status``.

    Every dated step the file gives is kept: the day it was saved, the day it was applied to
    (the *applied* step the work-search report counts), the day it reached its stage. A step the file
    has no day for is dated ``today``, the import's day, and marked ``imported``: it says where the
    record stood when it came in, not when that happened.
    """
    at = now.isoformat()

    def step(start, to, day, imported=False):
        entry = {"kind": "status", "at": at, "date": (day or today).isoformat(), "from": start, "to": to}
        if imported or day is None:
            entry["imported"] = True
        return entry

    if status == "saved":
        return [step(None, "saved", saved_on)], None
    if status == "applied" and moved_on and (applied_on is None or moved_on >= applied_on):
        applied_on = moved_on  # the day it reached the applied stage is the day it was sent
    history = []
    if saved_on and applied_on and saved_on < applied_on:
        history.append(step(None, "saved", saved_on))
    history.append(step(history[-1]["to"] if history else None, "applied", applied_on))
    if status != "applied":
        dated = moved_on and (applied_on is None or moved_on >= applied_on)
        history.append(step("applied", status, moved_on if dated else max(today, applied_on or today),
                            imported=not dated))
    return history, applied_on or today


def parse_day(value, field):
    """Read a date a client sent (YYYY-MM-DD, or a full ISO timestamp), with a clear error naming the field."""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date written YYYY-MM-DD", code="invalid_date")
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise ValidationError(f"{field} must be a date written YYYY-MM-DD, not {text[:40]!r}",
                              code="invalid_date") from None
