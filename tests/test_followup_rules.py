"""The follow-up rules, table by table: application + today → suggested follow-ups (no server, no clock)."""
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from companion.errors import ValidationError
from companion.followup_rules import learned_timing, next_followup, suggestions
from companion.pipeline import STATUSES
from companion.reasons import REASONS, check, summary_line, tally
from companion.settings import USER_DEFAULTS

# 2026-11-02 is a Monday; 11-07/08, 11-14/15, 11-21/22 are weekends.
APPLIED = "2026-11-02"
TODAY = date(2026, 11, 2)


def make(status="applied", applied=APPLIED, moves=(), replies=(), interviews=(), followups=(), reasons=(),
         **fields):
    """An application as the store keeps it, with its history built from dated events."""
    history = [{"kind": "status", "date": applied, "from": None, "to": "applied"}] if applied else \
        [{"kind": "status", "date": "2026-11-01", "from": None, "to": "saved"}]
    previous = history[0]["to"]
    events = []
    for day, to in moves:
        events.append({"kind": "status", "date": day, "from": previous, "to": to})
        previous = to
    events += [{"kind": "reply", "date": day} for day in replies]
    events += [{"kind": "interview", "date": day} for day in interviews]
    for key, action, day, *until in followups:
        events.append({"kind": "followup", "key": key, "action": action, "date": day,
                       **({"until": until[0]} if until else {})})
    events += [{"kind": "reason", "date": day, "codes": codes, "text": ""} for day, codes in reasons]
    history += sorted(events, key=lambda e: e["date"])
    return {"id": 7, "status": status, "applied_at": applied, "title": "Senior Widget Engineer",
            "company": "Acme Robotics", "valid_through": None, "source": "generic", "history": history, **fields}


def due(application, today=TODAY, **settings):
    """[(key, due)] for the application, soonest first."""
    return [(s["key"], s["due"]) for s in suggestions(application, today, {**USER_DEFAULTS, **settings})]


# -- every status ------------------------------------------------------------------------------

STATUS_TABLE = [
    # status, moves after applying on Mon 11-02, expected suggestions
    ("saved", None, []),
    ("applied", [], [("checkin-1", "2026-11-12")]),
    ("screening", [("2026-11-04", "screening")], [("checkin-1", "2026-11-16")]),  # 11-14 is a Saturday
    ("interviewing", [("2026-11-04", "interviewing")],
     [("thank-you-2026-11-04", "2026-11-05"), ("interview-followup-2026-11-04", "2026-11-18")]),
    ("offer", [("2026-11-04", "offer")], []),
    ("accepted", [("2026-11-04", "offer"), ("2026-11-06", "accepted")], []),
    ("rejected", [("2026-11-04", "rejected")], [("feedback", "2026-11-06")]),
    ("withdrawn", [("2026-11-04", "withdrawn")], []),
    ("ghosted", [("2026-11-04", "ghosted")], [("why", "2026-12-02")]),  # moving to ghosted resets nothing
    ("archived", [("2026-11-04", "archived")], []),
]


@pytest.mark.parametrize("status, moves, expected", STATUS_TABLE, ids=[row[0] for row in STATUS_TABLE])
def test_suggestions_for_each_status(status, moves, expected):
    application = make(status, applied=None, moves=[]) if moves is None else make(status, moves=moves)
    assert due(application) == expected


def test_nothing_for_closed_statuses_even_with_pending_history():
    for status in ("withdrawn", "accepted", "archived"):
        busy = make(status, moves=[("2026-11-04", "interviewing"), ("2026-11-05", status)],
                    interviews=["2026-11-04"], followups=[("checkin-1", "snooze", "2026-11-03", "2026-11-20")])
        assert due(busy, today=date(2026, 11, 6)) == []


# -- weekends ---------------------------------------------------------------------------------

@pytest.mark.parametrize("applied, weekdays_only, expected", [
    ("2026-11-02", True, "2026-11-12"),   # Mon + 10 = Thu
    ("2026-11-05", True, "2026-11-16"),   # Thu + 10 = Sun → Mon
    ("2026-11-04", True, "2026-11-16"),   # Wed + 10 = Sat → Mon
    ("2026-11-05", False, "2026-11-15"),  # the person is fine with weekends
])
def test_weekend_moves_to_monday(applied, weekdays_only, expected):
    assert due(make(applied=applied), weekdays_only=weekdays_only) == [("checkin-1", expected)]


def test_a_thank_you_after_a_friday_interview_waits_for_monday():
    application = make("interviewing", moves=[("2026-11-06", "interviewing")])
    assert ("thank-you-2026-11-06", "2026-11-09") in due(application, today=date(2026, 11, 6))


# -- closing dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("applied, closes, expected", [
    ("2026-11-02", "2026-11-09", "2026-11-06"),  # closes Mon 11-09: check in 3 days ahead, Fri
    ("2026-11-02", "2026-11-11", "2026-11-06"),  # 3 days ahead is Sun: back to Fri, still before it closes
    ("2026-11-02", "2026-11-30", "2026-11-12"),  # closes after the usual check-in: no change
    ("2026-11-02", "2026-11-01", "2026-11-12"),  # closed before applying: no change
    ("2026-11-02", "2026-11-03", "2026-11-03"),  # closes tomorrow: check in tomorrow
    ("2026-11-06", "2026-11-09", "2026-11-09"),  # applied Fri, closes Mon: never the day of applying, so Mon
])
def test_closing_date_pulls_the_checkin_earlier(applied, closes, expected):
    assert due(make(applied=applied, valid_through=closes)) == [("checkin-1", expected)]


def test_the_pulled_checkin_says_why_it_comes_early():
    found = suggestions(make(valid_through="2026-11-09"), TODAY, USER_DEFAULTS)[0]
    assert "closes on 9 November" in found["draft"]["body"]


def test_closing_date_lead_is_a_setting():
    assert due(make(valid_through="2026-11-11"), closing_date_lead_days=1) == [("checkin-1", "2026-11-10")]


# -- caps: two check-ins, one "why" -----------------------------------------------------------

def test_second_checkin_follows_the_first():
    application = make(followups=[("checkin-1", "done", "2026-11-12")])
    assert due(application, today=date(2026, 11, 12)) == [("checkin-2", "2026-11-23")]  # Sun 11-22 → Mon


def test_after_two_checkins_a_why_with_a_ghosted_suggestion():
    application = make(followups=[("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23")])
    [why] = suggestions(application, date(2026, 11, 23), USER_DEFAULTS)
    assert (why["key"], why["due"], why["suggest_status"]) == ("why", "2026-12-23", "ghosted")
    assert "why I was not chosen" in why["draft"]["body"]


@pytest.mark.parametrize("max_checkins, followups, expected", [
    (2, [("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23"), ("why", "done", "2026-12-23")],
     []),
    (2, [("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23"),
         ("why", "dismiss", "2026-12-23")], []),
    (2, [("checkin-1", "dismiss", "2026-11-12")], [("checkin-2", "2026-11-23")]),
    (1, [("checkin-1", "done", "2026-11-12")], [("why", "2026-12-14")]),  # Sat 12-12 → Mon
    (0, [], [("why", "2026-12-02")]),
    (3, [("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23")], [("checkin-3", "2026-12-03")]),
])
def test_caps_on_checkins_and_one_why(max_checkins, followups, expected):
    assert due(make(followups=followups), today=date(2026, 12, 1), max_checkins=max_checkins) == expected


def test_no_why_once_a_reason_is_recorded():
    application = make("ghosted", moves=[("2026-11-20", "ghosted")], reasons=[("2026-11-25", ["salary"])])
    assert due(application) == []


# -- replies reset the clock --------------------------------------------------------------------

@pytest.mark.parametrize("application, expected", [
    (make(replies=["2026-11-09"]), [("checkin-1", "2026-11-19")]),
    (make("screening", moves=[("2026-11-09", "screening")]), [("checkin-1", "2026-11-19")]),
    (make(replies=["2026-11-16"], followups=[("checkin-1", "done", "2026-11-12")]), [("checkin-2", "2026-11-26")]),
    (make(replies=["2026-11-30"], followups=[("checkin-1", "done", "2026-11-12"),
                                             ("checkin-2", "done", "2026-11-23")]), [("why", "2026-12-30")]),
    (make("interviewing", moves=[("2026-11-04", "interviewing")], replies=["2026-11-20"]),
     [("interview-followup-2026-11-04", "2026-12-04")]),
], ids=["reply", "status-change", "reply-after-first-checkin", "reply-after-both-checkins", "reply-after-interview"])
def test_a_reply_resets_the_clock(application, expected):
    assert due(application, today=date(2026, 11, 25)) == expected


# -- a reopened ghosted application ------------------------------------------------------------------

def test_reopened_ghosted_application_checks_in_again_from_the_reopening():
    application = make("applied", moves=[("2026-11-30", "ghosted"), ("2026-12-07", "applied")],
                       followups=[("checkin-1", "done", "2026-11-12")])
    assert due(application, today=date(2026, 12, 7)) == [("checkin-2", "2026-12-17")]


def test_reopened_after_every_step_only_the_new_interview_counts():
    application = make("interviewing", moves=[("2026-12-24", "ghosted"), ("2026-12-28", "interviewing")],
                       followups=[("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23"),
                                  ("why", "done", "2026-12-23")])
    assert due(application, today=date(2026, 12, 28)) == [
        ("thank-you-2026-12-28", "2026-12-29"), ("interview-followup-2026-12-28", "2027-01-11")]


def test_ghosted_keeps_its_pending_why_without_suggesting_ghosted_again():
    application = make("ghosted", moves=[("2026-12-01", "ghosted")],
                       followups=[("checkin-1", "done", "2026-11-12"), ("checkin-2", "done", "2026-11-23")])
    [why] = suggestions(application, date(2026, 12, 1), USER_DEFAULTS)
    assert (why["due"], why["suggest_status"]) == ("2026-12-23", None)
    assert "mark it ghosted" not in why["title"]


# -- interviews ---------------------------------------------------------------------------------

def test_each_interview_gets_a_thank_you_and_the_last_one_a_follow_up():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")], interviews=["2026-11-10"])
    assert due(application, today=date(2026, 11, 10)) == [
        ("thank-you-2026-11-04", "2026-11-05"), ("thank-you-2026-11-10", "2026-11-11"),
        ("interview-followup-2026-11-10", "2026-11-24")]


def test_an_old_thank_you_gives_way_to_the_follow_up():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")], interviews=["2026-11-10"])
    assert [key for key, _ in due(application, today=date(2026, 11, 20))] == [
        "thank-you-2026-11-10", "interview-followup-2026-11-10"]


def test_a_future_interview_schedules_its_thank_you():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")], interviews=["2026-11-20"],
                       followups=[("thank-you-2026-11-04", "done", "2026-11-05")])
    assert due(application, today=date(2026, 11, 10))[0] == ("thank-you-2026-11-20", "2026-11-23")


def test_after_the_interview_follow_up_a_month_of_silence_brings_the_why():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")],
                       followups=[("thank-you-2026-11-04", "done", "2026-11-05"),
                                  ("interview-followup-2026-11-04", "done", "2026-11-18")])
    assert due(application, today=date(2026, 11, 18)) == [("why", "2026-12-18")]


def test_thank_you_delay_is_a_setting():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")])
    assert due(application, thank_you_after_days=0)[0] == ("thank-you-2026-11-04", "2026-11-04")


# -- rejection ------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, expected", [
    ({}, [("feedback", "2026-11-09")]),  # rejected Thu 11-05 + 2 = Sat → Mon
    ({"followups": [("feedback", "done", "2026-11-09")]}, []),
    ({"followups": [("feedback", "dismiss", "2026-11-06")]}, []),
    ({"reasons": [("2026-11-06", ["experience_level"])]}, []),  # they already said why
])
def test_feedback_after_a_rejection(extra, expected):
    application = make("rejected", moves=[("2026-11-05", "rejected")], **extra)
    assert due(application, today=date(2026, 11, 6)) == expected


# -- done, snooze, dismiss ----------------------------------------------------------------------------

@pytest.mark.parametrize("followups, expected", [
    ([("checkin-1", "snooze", "2026-11-12", "2026-11-13")], [("checkin-1", "2026-11-13")]),
    ([("checkin-1", "snooze", "2026-11-12", "2026-11-15")], [("checkin-1", "2026-11-16")]),  # Sun → Mon
    ([("checkin-1", "snooze", "2026-11-03", "2026-11-05")], [("checkin-1", "2026-11-12")]),  # never earlier
    ([("checkin-1", "snooze", "2026-11-12", "2026-11-13"), ("checkin-1", "snooze", "2026-11-13", "2026-11-20")],
     [("checkin-1", "2026-11-20")]),
    ([("checkin-1", "done", "2026-11-12")], [("checkin-2", "2026-11-23")]),
    ([("other-key", "done", "2026-11-12")], [("checkin-1", "2026-11-12")]),
])
def test_actions_change_what_is_suggested(followups, expected):
    assert due(make(followups=followups), today=date(2026, 11, 12)) == expected


def test_snoozed_suggestion_says_until_when():
    [found] = suggestions(make(followups=[("checkin-1", "snooze", "2026-11-12", "2026-11-13")]),
                          date(2026, 11, 12), USER_DEFAULTS)
    assert found["snoozed_until"] == "2026-11-13"


# -- overdue, next follow-up, the drafts --------------------------------------------------------------

@pytest.mark.parametrize("today, overdue", [(date(2026, 11, 11), False), (date(2026, 11, 12), False),
                                            (date(2026, 11, 13), True)])
def test_overdue_means_the_due_day_has_passed(today, overdue):
    assert suggestions(make(), today, USER_DEFAULTS)[0]["overdue"] is overdue


def test_next_followup_is_the_soonest():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")])
    assert next_followup(application, TODAY, USER_DEFAULTS)["key"] == "thank-you-2026-11-04"
    assert next_followup(make("withdrawn", moves=[("2026-11-04", "withdrawn")]), TODAY, USER_DEFAULTS) is None


def test_settings_change_every_number():
    assert due(make(), checkin_after_days=5) == [("checkin-1", "2026-11-09")]  # Sat 11-07 → Mon
    assert due(make("rejected", moves=[("2026-11-04", "rejected")]), feedback_after_rejection_days=0) == [
        ("feedback", "2026-11-04")]
    assert due(make("ghosted", moves=[("2026-11-04", "ghosted")]), ask_why_after_days=14) == [("why", "2026-11-16")]


def test_a_draft_without_a_name_set_ends_with_a_blank_to_sign():
    [found] = suggestions(make(), TODAY, {**USER_DEFAULTS, "your_name": ""})
    assert found["draft"]["body"].endswith("Thank you for your time,\n[Your name]")


def test_draft_is_addressed_and_signed():
    application = make(contacts=[{"name": "Priya Raman", "email": "priya@acme.test", "role": "Recruiter"}])
    [found] = suggestions(application, TODAY, {**USER_DEFAULTS, "your_name": "Sam Lee"})
    body = found["draft"]["body"]
    assert body.startswith("Hi Priya,") and body.endswith("Sam Lee")
    assert "Senior Widget Engineer" in body and "Acme Robotics" in body and "2 November" in body
    link = urlsplit(found["mailto"])
    assert link.scheme == "mailto" and link.path == "priya@acme.test"
    query = parse_qs(link.query)
    assert query["subject"] == [found["draft"]["subject"]]
    assert query["body"] == [body.replace("\n", "\r\n")]


def test_draft_without_contact_title_or_company_still_reads_well():
    [found] = suggestions(make(title=None, company=None, applied_at=None), TODAY, USER_DEFAULTS)
    assert found["mailto"] is None
    assert found["draft"]["body"].startswith("Hello,\n\nI applied for the open role at your company and wanted")
    assert "None" not in found["draft"]["body"] + found["draft"]["subject"] + found["title"]


@pytest.mark.parametrize("status, moves, kind", [
    ("applied", [], "checkin"), ("interviewing", [("2026-11-04", "interviewing")], "thank_you"),
    ("rejected", [("2026-11-04", "rejected")], "feedback"), ("ghosted", [("2026-11-04", "ghosted")], "why"),
])
def test_every_kind_has_a_subject_body_and_title(status, moves, kind):
    found = [s for s in suggestions(make(status, moves=moves), TODAY, USER_DEFAULTS) if s["kind"] == kind]
    assert found and all(s["draft"]["subject"] and s["draft"]["body"] and s["title"] for s in found)


# -- learned timing -------------------------------------------------------------------------------

def _answered(days_later, source="linkedin", to="screening"):
    return make(to, moves=[(date.fromordinal(TODAY.toordinal() + days_later).isoformat(), to)], source=source)


def test_learned_timing_medians_by_source_and_stage():
    history = [_answered(4), _answered(6), _answered(9), _answered(20, source="indeed", to="rejected"),
               make("ghosted", moves=[("2026-12-01", "ghosted")])]  # silence teaches nothing about reply time
    learned = learned_timing(history)
    assert learned["by_source"]["linkedin"] == {"median_days": 6, "samples": 3}
    assert learned["by_source"]["indeed"] == {"median_days": 20, "samples": 1}
    assert learned["by_stage"]["applied"] == {"median_days": 7.5, "samples": 4}
    assert learned["overall"]["samples"] == 4


def test_learned_timing_counts_replies_in_later_stages():
    application = make("interviewing", moves=[("2026-11-04", "screening"), ("2026-11-11", "interviewing")],
                       replies=["2026-11-20"])
    learned = learned_timing([application])
    assert learned["by_stage"]["applied"]["median_days"] == 2
    assert learned["by_stage"]["screening"]["median_days"] == 7
    assert learned["by_stage"]["interviewing"]["median_days"] == 9


def test_learned_timing_becomes_the_schedule_when_asked():
    learned = learned_timing([_answered(4), _answered(6), _answered(9)])
    mine = make(source="linkedin")
    assert due(mine, use_learned_timing=True, learned=learned) == [("checkin-1", "2026-11-09")]  # 2 + 6 = Sun 8
    assert due(mine, use_learned_timing=False, learned=learned) == [("checkin-1", "2026-11-12")]
    thin = learned_timing([_answered(4), _answered(6)])
    assert due(mine, use_learned_timing=True, learned=thin) == [("checkin-1", "2026-11-12")]


def test_learned_timing_of_nothing_is_empty():
    assert learned_timing([]) == {"overall": None, "by_source": {}, "by_stage": {}, "min_samples": 3}


# -- reasons --------------------------------------------------------------------------------

def test_reasons_add_up_across_applications():
    applications = [make(reasons=[("2026-11-20", ["skills_gap", "salary"])]),
                    make(reasons=[("2026-11-21", ["skills_gap"])]),
                    make(reasons=[("2026-11-19", ["salary"]), ("2026-11-22", ["internal_candidate"])]),  # corrected
                    make()]
    result = tally(applications)
    counts = {r["code"]: r["count"] for r in result["reasons"]}
    assert result["applications"] == 3
    assert counts == {"skills_gap": 2, "internal_candidate": 1, "salary": 1, "experience_level": 0,
                      "position_filled": 0, "other": 0}
    assert result["reasons"][0]["code"] == "skills_gap"
    assert summary_line(result).endswith("(3 answers): skills gap 2, internal candidate 1, salary 1")
    assert summary_line(tally([make()])) is None


@pytest.mark.parametrize("payload, message", [
    ({}, "at least one reason"),
    ({"codes": ["too_tall"]}, "unknown reason code"),
    ({"codes": "salary"}, "must be a list"),
    ({"codes": [], "text": 5}, "text must be a string"),
    ({"codes": ["salary"], "why": "x"}, "unknown field"),
    ({"text": "x" * 2001}, "longer than"),
])
def test_bad_reasons_are_refused_with_a_clear_message(payload, message):
    with pytest.raises(ValidationError, match=message):
        check(payload)


def test_every_reason_code_has_a_label():
    assert set(REASONS) == {"experience_level", "skills_gap", "internal_candidate", "salary", "position_filled",
                            "other"}
    assert check({"codes": ["salary", "salary"], "text": " too high "}) == (["salary"], "too high")


def test_created_as_interviewing_has_no_interview_day_to_thank_for():
    imported = make("interviewing", history=[{"kind": "status", "date": APPLIED, "from": None, "to": "interviewing"}])
    assert due(imported) == [("interview-followup-2026-11-02", "2026-11-16")]
    [found] = suggestions(imported, TODAY, USER_DEFAULTS)
    assert found["title"] == "Follow up on the interview at Acme Robotics"
    assert "since we spoke about the Senior Widget Engineer role" in found["draft"]["body"]


def test_the_why_after_an_interview_speaks_of_the_interview():
    application = make("interviewing", moves=[("2026-11-04", "interviewing")],
                       followups=[("interview-followup-2026-11-04", "done", "2026-11-18")])
    [why] = suggestions(application, date(2026, 12, 20), USER_DEFAULTS)
    assert why["draft"]["body"].startswith("Hello,\n\nWe spoke on 4 November about the Senior Widget Engineer role")


# -- whatever the history, the promises hold ----------------------------------------------------

DAYS = st.integers(min_value=0, max_value=120).map(lambda n: date.fromordinal(TODAY.toordinal() + n).isoformat())
KEYS = st.sampled_from(["checkin-1", "checkin-2", "why", "feedback", "thank-you-2026-11-04"])
EVENT = st.one_of(
    st.tuples(st.just("move"), DAYS, st.sampled_from(STATUSES)),
    st.tuples(st.just("reply"), DAYS), st.tuples(st.just("interview"), DAYS),
    st.tuples(st.just("followup"), DAYS, KEYS, st.sampled_from(["done", "dismiss", "snooze"]), DAYS),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(status=st.sampled_from(STATUSES), events=st.lists(EVENT, max_size=8), today=DAYS.map(date.fromisoformat),
       max_checkins=st.integers(0, 5), closes=st.one_of(st.none(), DAYS))
def test_rules_keep_their_promises_for_any_history(status, events, today, max_checkins, closes):
    application = make(status, valid_through=closes,
                       moves=[(e[1], e[2]) for e in events if e[0] == "move"],
                       replies=[e[1] for e in events if e[0] == "reply"],
                       interviews=[e[1] for e in events if e[0] == "interview"],
                       followups=[(e[2], e[3], e[1], e[4]) for e in events if e[0] == "followup"])
    found = suggestions(application, today, {**USER_DEFAULTS, "max_checkins": max_checkins})
    handled = {e[2] for e in events if e[0] == "followup" and e[3] != "snooze"}
    if status in ("saved", "withdrawn", "accepted", "archived"):
        assert found == []
    assert len({s["key"] for s in found}) == len(found)  # one suggestion per key
    for suggestion in found:
        day = date.fromisoformat(suggestion["due"])
        assert day.weekday() < 5
        assert suggestion["overdue"] == (day < today)
        assert suggestion["key"] not in handled  # done and dismissed stay done
        if suggestion["kind"] == "checkin":
            assert int(suggestion["key"].split("-")[1]) <= max_checkins
        assert suggestion["draft"]["subject"] and "None" not in suggestion["draft"]["body"]


# -- an import: what fell due before it is one catch-up, not a list of overdue ones ----------------

def test_suggestions_that_fell_due_before_an_import_are_catch_ups_due_that_day_and_never_overdue():
    from companion.followup_rules import catch_up_dismissals

    settings = {**USER_DEFAULTS, "weekdays_only": False}
    imported, later = "2026-12-21", date(2027, 1, 4)
    old = make(applied="2026-09-01", imported_at=imported)  # its check-ins and its "why" fell due before
    found = suggestions(old, later, settings)
    assert [(s["key"], s["due"], s["catch_up"], s["overdue"]) for s in found] == [
        ("checkin-1", imported, True, False)]
    assert found[0]["was_due"] == "2026-09-11"
    entries = catch_up_dismissals(old, later, settings)
    assert [(e["key"], e["caught_up"]) for e in entries] == [
        ("checkin-1", "2026-09-11"), ("checkin-2", "2026-09-21"), ("why", "2026-10-21")]
    assert suggestions({**old, "history": old["history"] + entries}, later, settings) == []
    recent = make(applied="2026-12-15", imported_at=imported)  # its first check-in falls due after the import
    assert [(s["key"], s["catch_up"]) for s in suggestions(recent, later, settings)] == [("checkin-1", False)]
    assert catch_up_dismissals(recent, later, settings) == []


def test_a_stage_an_import_could_not_date_has_no_interview_to_thank_for():
    imported = make(status="interviewing", applied="2026-10-01", imported_at="2026-11-02")
    imported["history"].append({"kind": "status", "date": "2026-11-02", "from": "applied", "to": "interviewing",
                                "imported": True})
    assert [key for key, _ in due(imported)] == ["interview-followup-2026-11-02"]
