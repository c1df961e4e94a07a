"""Insights over every application, kept up to date change by change rather than recomputed per view.

The funnel (how far applications got), the reasons tally, the applications, follow-ups and
interviews per week, and the person's median days to a reply are sums over the applications:
each application adds its share. The totals are built once, then each change the store reports
(Store.changes) takes the old document's share out and puts the new one's in, so a view after a
capture costs that capture, not a pass over 50,000 histories.
"""
import threading
import weakref
from collections import Counter
from datetime import date, timedelta

from . import followup_rules, pipeline, reasons
from .applications import TABLE
from .skills import weekly_activity

FUNNEL = ("applied", "screening", "interviewing", "offer", "accepted")
_RANK = {status: index for index, status in enumerate(FUNNEL)}


class Totals:
    """The shares of every application, added up."""

    def __init__(self):
        self.applications = 0
        self.furthest = Counter()  # rank in FUNNEL -> applications that got that far and no further
        self.reasons = Counter()  # code -> applications whose latest reason names it
        self.answered = 0  # applications with a reason recorded
        self.notes = {}  # application id -> the employer's words, from its latest reason
        self.events = Counter()  # (day, "applications" | "followups_done" | "interviews") -> how many
        self.samples = Counter()  # (group, days) -> waits for a reply; group: "all", ("stage", s), ("source", s)

    def add(self, doc, sign):
        self.applications += sign
        seen = [entry.get("to") for entry in doc.get("history") or () if entry.get("kind") == "status"]
        seen.append(doc.get("status"))
        if doc.get("applied_at"):
            seen.append("applied")
        furthest = max((_RANK[s] for s in seen if s in _RANK), default=None)
        if furthest is not None:
            self.furthest[furthest] += sign
        entry = reasons.latest(doc)
        if entry:
            self.answered += sign
            for code in entry.get("codes") or ():
                if code in reasons.REASONS:
                    self.reasons[code] += sign
            if entry.get("text"):
                if sign > 0:
                    self.notes[doc.get("id")] = {"application_id": doc.get("id"), "company": doc.get("company"),
                                                 "title": doc.get("title"), "date": entry.get("date"),
                                                 "text": entry["text"]}
                else:
                    self.notes.pop(doc.get("id"), None)
        for entry in doc.get("history") or ():
            kind = entry.get("kind")
            if pipeline.is_sent(entry):
                self.events[(str(entry.get("date") or "")[:10], "applications")] += sign
            elif kind == "followup" and entry.get("action") == "done":
                self.events[(str(entry.get("date") or "")[:10], "followups_done")] += sign
            elif kind == "interview":
                self.events[(str(entry.get("date") or "")[:10], "interviews")] += sign
        for stage, days in followup_rules.reply_samples(doc):
            self.samples[("all", days)] += sign
            self.samples[(("stage", stage), days)] += sign
            if stage == "applied":
                self.samples[(("source", doc.get("source") or "generic"), days)] += sign

    # -- what the pages show ------------------------------------------------------------------
    def funnel(self):
        base = sum(n for rank, n in self.furthest.items() if rank >= 0)
        rows = []
        for index, stage in enumerate(FUNNEL):
            count = sum(n for rank, n in self.furthest.items() if rank >= index)
            rows.append({"stage": stage, "count": count, "percent": round(100 * count / base) if base else 0})
        return rows

    def tally(self):
        found = [{"code": code, "label": label, "count": self.reasons.get(code, 0)}
                 for code, label in reasons.REASONS.items()]
        found.sort(key=lambda r: -r["count"])  # stable: equal counts keep the declared order
        notes = sorted(self.notes.values(), key=lambda n: n["application_id"])
        notes.sort(key=lambda n: n["date"] or "", reverse=True)
        return {"applications": self.answered, "reasons": found, "notes": notes}

    def learned(self):
        groups = {}
        for (group, days), count in self.samples.items():
            if count > 0:
                groups.setdefault(group, Counter())[days] += count
        by_source = {g[1]: _summary(c) for g, c in groups.items() if isinstance(g, tuple) and g[0] == "source"}
        by_stage = {g[1]: c for g, c in groups.items() if isinstance(g, tuple) and g[0] == "stage"}
        return {"overall": _summary(groups.get("all")),
                "by_source": {k: by_source[k] for k in sorted(by_source)},
                "by_stage": {k: _summary(by_stage[k]) for k in followup_rules.WAITING_STAGES if k in by_stage},
                "min_samples": followup_rules.MIN_SAMPLES}

    def weekly(self, contacts, courses, today, *, weeks=12):
        """skills.weekly_activity's rows, with the applications' part from these totals."""
        rows = weekly_activity([], contacts, courses, today, weeks=weeks)
        by_week = {row["week"]: row for row in rows}
        first = date.fromisoformat(rows[0]["week"])
        for (day, field), count in self.events.items():
            try:
                when = date.fromisoformat(day)
            except ValueError:
                continue
            if count and first <= when <= today:
                week = (when - timedelta(days=when.weekday())).isoformat()
                by_week[week][field] += count
        return rows


def _summary(days):
    """followup_rules._summary of the waits counted in days ({days: how many})."""
    if not days:
        return None
    values = sorted(days.elements())
    return followup_rules._summary(values)


class _Kept:
    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.totals = None


_KEPT = weakref.WeakKeyDictionary()  # store -> _Kept
_KEPT_LOCK = threading.Lock()


def _read(store, answer):
    """answer(Totals of the store's applications as of now): built once, then kept up to date
    change by change. Called under the totals' lock, as requests may bring changes meanwhile."""
    with _KEPT_LOCK:
        kept = _KEPT.setdefault(store, _Kept())
    with kept.lock:
        version, changes = store.changes(TABLE, -1 if kept.version is None else kept.version)
        if kept.totals is None or changes is None:
            fresh, every = Totals(), []
            with store.lock:  # the documents and the version at one moment
                store.scan(TABLE, every.append)
                version = store.version(TABLE)
            for doc in every:
                fresh.add(doc, 1)
            kept.totals = fresh
        else:
            for _, old, new in changes:
                if old is not None:
                    kept.totals.add(old, -1)
                if new is not None:
                    kept.totals.add(new, 1)
        kept.version = version
        return answer(kept.totals)


def summary(store, today, contacts, courses, *, weeks=12):
    """What the insights page shows: {total, funnel, tally, weeks, learned}."""
    return _read(store, lambda t: {"total": t.applications, "funnel": t.funnel(), "tally": t.tally(),
                                   "weeks": t.weekly(contacts, courses, today, weeks=weeks), "learned": t.learned()})


def learned_timing(store):
    """followup_rules.learned_timing of every application, from the totals."""
    return _read(store, Totals.learned)


def tally(store):
    """reasons.tally of every application, from the totals."""
    return _read(store, Totals.tally)
