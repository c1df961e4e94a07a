"""companion/insights.py: totals kept change by change agree with the summaries computed from every record."""
import random
from datetime import date, timedelta

from companion import followup_rules, insights, reasons, skills
from companion.store import Store

TODAY = date.today()


def day(n):
    return (TODAY - timedelta(days=n)).isoformat()


def application(rng):
    applied = rng.randint(0, 120)
    history = [{"kind": "status", "date": day(applied), "from": rng.choice([None, "saved"]), "to": "applied"}]
    for _ in range(rng.randint(0, 3)):
        history.append(rng.choice([
            {"kind": "reply", "date": day(rng.randint(0, applied))},
            {"kind": "interview", "date": day(rng.randint(0, applied))},
            {"kind": "followup", "key": "checkin-1", "action": "done", "date": day(rng.randint(0, applied))},
            {"kind": "status", "date": day(rng.randint(0, applied)), "from": "applied",
             "to": rng.choice(["screening", "interviewing", "rejected", "offer"])},
            {"kind": "reason", "date": day(rng.randint(0, applied)), "codes": rng.sample(sorted(reasons.REASONS), 2),
             "text": rng.choice(["", "they wanted someone local"])}]))
    return {"status": rng.choice(["applied", "screening", "interviewing", "offer", "rejected", "ghosted"]),
            "applied_at": day(applied), "company": rng.choice(["Acme", "Initech"]), "title": "Engineer",
            "source": rng.choice(["lever", "greenhouse", None]), "history": history}


def from_every_record(store):
    every = store.all("applications")
    return {"total": len(every), "funnel": funnel(every), "tally": reasons.tally(every),
            "weeks": skills.weekly_activity(every, [], [], TODAY, weeks=12), "learned": followup_rules.learned_timing(every)}


def funnel(every):
    """The funnel as the insights page always counted it: the furthest stage in each history."""
    rank = {status: index for index, status in enumerate(insights.FUNNEL)}
    reached = dict.fromkeys(insights.FUNNEL, 0)
    for doc in every:
        seen = [e.get("to") for e in doc.get("history") or [] if e.get("kind") == "status"] + [doc.get("status")]
        if doc.get("applied_at"):
            seen.append("applied")
        furthest = max((rank[s] for s in seen if s in rank), default=None)
        for status in insights.FUNNEL[:(furthest + 1) if furthest is not None else 0]:
            reached[status] += 1
    base = reached["applied"]
    return [{"stage": s, "count": reached[s], "percent": round(100 * reached[s] / base) if base else 0}
            for s in insights.FUNNEL]


def test_totals_follow_every_change_and_agree_with_a_full_count(tmp_path):
    rng = random.Random(13)
    with Store(tmp_path / "data") as store:
        store.insert_many("applications", [application(rng) for _ in range(300)])
        for step in range(400):  # more changes than the store remembers: some reads start again
            doc_id = rng.randint(1, 300)
            doc = store.get("applications", doc_id)
            if doc is None:
                store.insert("applications", application(rng))
            elif rng.random() < 0.1:
                store.delete("applications", doc_id)
            else:
                store.update("applications", doc_id, {**application(rng), "history": doc["history"]
                                                      + application(rng)["history"][-1:]})
            if step % 23 == 0 or step == 399:
                assert insights.summary(store, TODAY, [], []) == from_every_record(store)
            if step == 200:
                for _ in range(300):  # the store's log of changes no longer reaches the last read
                    store.update("applications", 1 + rng.randint(0, 5), {"notes": str(rng.random())})
