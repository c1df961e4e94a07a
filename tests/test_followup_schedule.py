"""companion/followup_schedule.py: what is due, read from the store's index, agrees with the rules run on every record."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from companion import followup_rules, followup_schedule
from companion.settings import USER_DEFAULTS
from companion.store import Store

TODAY = date(2026, 11, 18)  # a Wednesday
STATUSES = ("saved", "applied", "screening", "interviewing", "offer", "rejected", "ghosted", "withdrawn")


def day(n):
    return (TODAY + timedelta(days=n)).isoformat()


@st.composite
def applications(draw):
    status = draw(st.sampled_from(STATUSES))
    applied = draw(st.integers(-90, 0))
    history = []
    if draw(st.booleans()) or status != "rejected":  # sometimes a rejection with no dated step at all
        history.append({"kind": "status", "date": day(applied), "from": None, "to": "applied"})
        if status not in ("saved", "applied"):
            history.append({"kind": "status", "date": day(applied + draw(st.integers(0, 30))), "from": "applied",
                            "to": status})
    for _ in range(draw(st.integers(0, 2))):
        interview = day(draw(st.integers(-40, 10)))
        history.append({"kind": "interview", "date": interview})
        if draw(st.booleans()):  # a thank-you snoozed, maybe past the day it stops being suggested
            history.append({"kind": "followup", "key": f"thank-you-{interview}", "action": "snooze",
                            "date": day(-5), "until": day(draw(st.integers(-10, 40)))})
    if draw(st.booleans()):
        history.append({"kind": "followup", "key": draw(st.sampled_from(["checkin-1", "why", "feedback"])),
                        "action": draw(st.sampled_from(["done", "dismiss", "snooze"])), "date": day(-5),
                        "until": day(draw(st.integers(-3, 10)))})
    return {"status": status, "title": "Engineer", "company": draw(st.sampled_from(["Acme", "acme", "Initech", None])),
            "applied_at": day(applied) if history else None, "history": history,
            "valid_through": draw(st.sampled_from([None, day(5), day(-5)]))}


def expected(docs, today, by):
    found = []
    for doc in docs:
        found += [s for s in followup_rules.suggestions(doc, today, USER_DEFAULTS) if by is None or s["due"] <= by.isoformat()]
    return sorted(found, key=lambda s: (s["due"], (s.get("application_id") and
                                                     (docs_by_id[s["application_id"]]["company"] or "").casefold()), s["key"],
                                        s["application_id"]))


docs_by_id = {}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(docs=st.lists(applications(), max_size=12), shift=st.integers(-20, 40), ahead=st.one_of(st.none(), st.integers(-3, 20)),
       offset=st.integers(0, 3), limit=st.one_of(st.none(), st.integers(0, 4)))
def test_due_and_count_agree_with_the_rules_on_every_record(tmp_path_factory, docs, shift, ahead, offset, limit):
    with Store(tmp_path_factory.mktemp("data")) as store:
        stored = [store.insert("applications", doc) for doc in docs]
        store.insert("settings", {})
        docs_by_id.clear()
        docs_by_id.update({doc["id"]: doc for doc in stored})
        today = TODAY + timedelta(days=shift)
        by = None if ahead is None else today + timedelta(days=ahead)
        want = expected(stored, today, by)
        total, overdue, page = followup_schedule.due(store, today, by=by, offset=offset, limit=limit)
        assert total == len(want)
        assert overdue == sum(1 for s in want if s["overdue"])
        end = None if limit is None else offset + limit
        assert [(s["application_id"], s["key"], s["due"]) for s in page] == \
            [(s["application_id"], s["key"], s["due"]) for s in want[offset:end]]
        if by is not None:
            assert followup_schedule.count(store, today, by=by) == (total, overdue)


def test_a_change_moves_its_followups_in_the_index(tmp_path):
    with Store(tmp_path / "data") as store:
        doc = store.insert("applications", {"status": "applied", "applied_at": day(-20), "company": "Acme",
                                            "history": [{"kind": "status", "date": day(-20), "to": "applied"}]})
        assert followup_schedule.count(store, TODAY) == (1, 1)
        store.update("applications", doc["id"], {"status": "withdrawn"})
        assert followup_schedule.count(store, TODAY) == (0, 0)
        store.insert("settings", {"checkin_after_days": 30})
        store.update("applications", doc["id"], {"status": "applied"})
        assert followup_schedule.count(store, TODAY) == (0, 0)  # now due in 10 days
        assert followup_schedule.count(store, TODAY, by=TODAY + timedelta(days=12))[0] == 1
