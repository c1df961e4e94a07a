"""The status pipeline: allowed moves, undo, reopening, dated history."""
from datetime import date, datetime

import pytest

from companion import pipeline
from companion.errors import ValidationError

NOW = datetime(2026, 11, 25, 10, 30)


def application(status, *history):
    return {"status": status, "history": [{"kind": "status", "from": f, "to": t} for f, t in history]}


@pytest.mark.parametrize("start, target", [
    ("saved", "applied"), ("applied", "screening"), ("applied", "interviewing"), ("screening", "interviewing"),
    ("interviewing", "offer"), ("offer", "accepted"), ("applied", "rejected"), ("applied", "ghosted"),
    ("ghosted", "interviewing"), ("ghosted", "rejected"), ("rejected", "interviewing"), ("accepted", "archived"),
    ("withdrawn", "applied"), ("saved", "screening"), ("saved", "offer"),
])
def test_move_allows_the_natural_next_steps(start, target):
    entry = pipeline.move(application(start), target, now=NOW)
    assert entry == {"kind": "status", "at": "2026-11-25T10:30:00", "date": "2026-11-25", "from": start, "to": target}


@pytest.mark.parametrize("start, target", [
    ("saved", "rejected"), ("accepted", "screening"), ("offer", "screening"), ("archived", "applied"),
])
def test_move_refuses_a_jump_that_makes_no_sense(start, target):
    with pytest.raises(ValidationError) as caught:
        pipeline.move(application(start), target, now=NOW)
    assert caught.value.code == "invalid_move"
    assert "you can go to" in caught.value.message


def test_a_saved_application_moved_past_applied_was_sent_first_the_same_day():
    first, second = pipeline.move_steps(application("saved"), "screening", now=NOW)
    assert (first["from"], first["to"], second["from"], second["to"]) == ("saved", "applied", "applied", "screening")
    assert first["date"] == second["date"] == "2026-11-25"
    assert [e["to"] for e in pipeline.move_steps(application("saved"), "applied", now=NOW)] == ["applied"]


def test_move_back_to_the_previous_status_undoes_a_misclick():
    misclicked = application("offer", (None, "applied"), ("applied", "offer"))
    assert pipeline.move(misclicked, "applied", now=NOW)["to"] == "applied"


def test_archived_can_return_to_where_it_was():
    archived = application("archived", (None, "applied"), ("applied", "archived"))
    assert "applied" in pipeline.allowed_moves(archived)


def test_move_records_the_day_it_happened_apart_from_when_it_was_logged():
    entry = pipeline.move(application("applied"), "interviewing", on=date(2026, 11, 20), now=NOW, note="video call")
    assert entry["date"] == "2026-11-20" and entry["at"] == "2026-11-25T10:30:00" and entry["note"] == "video call"


def test_unknown_status_lists_the_valid_ones():
    with pytest.raises(ValidationError) as caught:
        pipeline.move(application("applied"), "hired", now=NOW)
    assert caught.value.code == "unknown_status"
    assert caught.value.details["valid"] == list(pipeline.STATUSES)


def test_moving_to_the_same_status_is_refused():
    with pytest.raises(ValidationError):
        pipeline.move(application("applied"), "applied", now=NOW)


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", 20261101, None, "2026-11-01T25:00:00"])
def test_parse_day_names_the_field_on_bad_input(value):
    with pytest.raises(ValidationError) as caught:
        pipeline.parse_day(value, "applied_at")
    assert "applied_at" in caught.value.message


@pytest.mark.parametrize("status, before, kind, expected", [
    ("applied", None, "interview", "interviewing"),
    ("screening", None, "interview", "interviewing"),
    ("ghosted", "applied", "interview", "interviewing"),
    ("interviewing", None, "interview", None),  # already there: a second interview moves nothing
    ("offer", None, "interview", None),
    ("ghosted", "screening", "reply", "screening"),  # they answered: back to where it was waiting
    ("ghosted", "archived", "reply", "applied"),     # never reopened to a closed status
    ("ghosted", None, "reply", "applied"),
    ("applied", None, "reply", None),                # a reply alone does not say which step comes next
    ("rejected", None, "reply", None),
])
def test_a_logged_event_moves_the_application_only_where_the_event_says(status, before, kind, expected):
    history = [{"kind": "status", "from": before, "to": status}] if before else []
    assert pipeline.status_after_event({"status": status, "history": history}, kind) == expected
