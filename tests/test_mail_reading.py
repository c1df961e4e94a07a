"""Reading mail: the classifier and the matcher on our own 75 messages, the safe reader on hostile ones, and the
local sources (mbox, Maildir). Pure functions over files: no server needed."""
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from companion.errors import UnreadableMail
from companion.mail import message, sources
from companion.mail.classify import KINDS, classify
from companion.mail.match import Applications
from companion.mail.replies import plan

HERE = Path(__file__).resolve().parent / "mail"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
LIMIT = 1.0  # seconds for one hostile message: a correctness bound, not a benchmark


def applications():
    docs = json.loads((HERE / "applications.json").read_text(encoding="utf-8"))
    return Applications(docs)


def read(name):
    return message.read((HERE / "messages" / f"{name}.eml").read_bytes())


def verdicts():
    index = applications()
    for name, expected in EXPECTED.items():
        mail = read(name)
        verdict = classify(mail)
        found = index.match(mail) if verdict.kind != "other" else None
        yield name, expected, verdict, found


def test_the_message_set_covers_what_the_issue_asks_for():
    kinds = Counter(e["kind"] for e in EXPECTED.values())
    assert len(EXPECTED) >= 60 and set(kinds) == set(KINDS), kinds
    raw = b"".join((HERE / "messages" / f"{name}.eml").read_bytes() for name in EXPECTED)
    for feature in (b"quoted-printable", b"base64", b"=?utf-8?q?", b"=?utf-8?b?", b"=?iso-8859-1?q?",
                    b"charset=\"iso-8859-1\"", b"text/calendar", b"Re: ", b"multipart/alternative", b"In-Reply-To",
                    b"List-Unsubscribe"):
        assert feature in raw, feature
    names = " ".join(EXPECTED)
    for language in ("-fr-", "-de", "-es-", "-nl-"):
        assert language in names


def test_kinds_and_matches_on_our_message_set_with_no_wrong_match(capsys):
    rows, kind_right, right, wrong, unmatched_right, missed = [], 0, 0, 0, 0, 0
    for name, expected, verdict, found in verdicts():
        got = found.application_id if found else None
        kind_right += verdict.kind == expected["kind"]
        if got is not None and got == expected["application_id"]:
            right += 1
        elif got is not None:
            wrong += 1
            rows.append(f"WRONG MATCH {name}: {got} instead of {expected['application_id']} ({found.why})")
        elif expected["application_id"] is None:
            unmatched_right += 1
        else:
            missed += 1
        if verdict.kind != expected["kind"]:
            rows.append(f"kind {name}: {verdict.kind} instead of {expected['kind']} ({verdict.why})")
    total, about = len(EXPECTED), sum(1 for e in EXPECTED.values() if e["application_id"] is not None)
    with capsys.disabled():
        print(f"\nmail set: kind {kind_right}/{total}; matches right {right}/{about}, wrong {wrong}, "
              f"left unmatched {missed}; rightly unmatched {unmatched_right}/{total - about}")
        for row in rows:
            print("  " + row)
    assert wrong == 0, rows  # a wrong match is the worst error
    assert kind_right >= 0.95 * total and right >= 0.9 * about, rows


def test_each_reason_quotes_the_words_that_decided():
    reasons = {name: verdict.why for name, _, verdict, _ in verdicts()}
    assert reasons["03-greenhouse-rejection-warm"] == "rejection: 'move forward with candidates whose'"
    assert reasons["39-fr-refus"] == "rejection: 'pas été retenue'"  # as written, accents and all
    assert reasons["13-ashby-interview-calendar"].startswith("interview: ")
    assert "calendar invitation" in reasons["20-teamtailor-interview-invite-ics"]
    assert reasons["67-friend-dinner"] == "other: nothing in it is about an application"


def test_similar_employer_names_and_two_roles_are_told_apart_by_evidence_not_by_name_pieces():
    found = {name: f for name, _, _, f in verdicts()}
    assert found["06-lever-received-northwind-health"].application_id == 3  # not Northwind Traders' Data Engineer
    assert found["63-northwind-solutions-similar-name"].application_id is None
    assert found["08-person-northwind-ambiguous"].application_id is None  # "Northwind" alone names no one
    two_roles = found["05-greenhouse-update-which-role"]
    assert two_roles.application_id is None and set(two_roles.candidates) == {1, 2}
    assert "does not say which" in two_roles.why
    assert found["02-greenhouse-received-analytics-engineer"].application_id == 2
    assert "'Analytics Engineer'" in found["02-greenhouse-received-analytics-engineer"].why


def test_an_employer_never_applied_to_is_offered_to_log_with_its_name_and_role():
    found = {name: f for name, _, _, f in verdicts()}
    initech = found["62-initech-received-never-logged"]
    assert initech.application_id is None and initech.company == "Initech"
    assert found["61-hooli-interview-never-applied"].title == "Machine Learning Engineer"


def test_a_reply_in_a_thread_already_matched_is_about_the_same_application():
    index = Applications([{"id": 7, "company": "Someone Else", "title": "Role", "applied_at": "2026-10-01"}])
    mail = read("58-person-thread-reschedule")
    assert index.match(mail).application_id is None
    threads = {message.message_key("<priya-002@blueyonderlabs.com>"): 7}
    assert index.match(mail, threads).application_id == 7


def test_a_message_sent_before_the_application_is_not_about_it():
    index = Applications([{"id": 1, "company": "Maison Dupont", "title": "Développeur Python",
                           "url": "https://www.maisondupont.fr/carrieres/developpeur-python", "applied_at": "2026-12-01"}])
    found = index.match(read("39-fr-refus"))  # dated 28 October
    assert found.application_id is None and "after this message" in found.why


def test_accepting_moves_only_forward_and_reopens_a_ghosted_application():
    applied = {"status": "applied", "history": []}
    assert plan(applied, "rejection")["status"] == "rejected"
    assert plan(applied, "interview")["status"] == "interviewing"
    assert plan(applied, "received")["status"] is None
    assert plan({"status": "saved", "history": []}, "received")["status"] == "applied"
    assert plan({"status": "offer", "history": []}, "interview")["status"] is None  # never backwards
    ghosted = {"status": "ghosted", "history": [{"kind": "status", "from": "screening", "to": "ghosted"}]}
    assert plan(ghosted, "recruiter") == {"status": "screening", "says": "reopen it (screening): they answered"}


# -- the safe reader ------------------------------------------------------------------------------------------

def _message(body, headers="", content_type="text/plain; charset=utf-8"):
    return (f"From: a@b.example\r\nSubject: test\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n{headers}"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n").encode() + body


def _nested(depth):
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth))
    return (b"From: a@b.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n" + opening
            + b"Content-Type: text/plain\r\n\r\nhello\r\n" + b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth))))


HOSTILE = {
    "a 20 MB message": lambda: _message(b"x" * (20 * 1024 * 1024)),
    "a deeply nested MIME tree": lambda: _nested(5000),
    "parts nested 30 deep": lambda: _nested(30),
    "ten thousand parts": lambda: _message(b"".join(b"--z\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(10000))
                                           + b"--z--\r\n", content_type='multipart/mixed; boundary="z"'),
    "an HTML bomb of nested tags": lambda: _message(b"<div>" * 200000 + b"unfortunately" + b"</div>" * 200000,
                                                    content_type="text/html; charset=utf-8"),
    "an HTML bomb of entities and links": lambda: _message(b'<a href="https://x.example/a">&amp;&lt;&#x41;</a>' * 100000,
                                                           content_type="text/html; charset=utf-8"),
    "a bogus charset": lambda: _message("Nous avons le regret de vous informer".encode("latin-1"),
                                        content_type="text/plain; charset=x-no-such-charset"),
    "a punycode charset": lambda: _message(b"a" * 500000, content_type="text/plain; charset=punycode"),
    "broken base64": lambda: _message(b"SGVsbG8gd29ybGQ=!!!not base64***\r\n" * 2000,
                                      headers="Content-Transfer-Encoding: base64\r\n"),
    "broken quoted-printable": lambda: _message(b"=ZZ=\r\n=4" * 100000, headers="Content-Transfer-Encoding: quoted-printable\r\n"),
    "a megabyte header": lambda: b"Subject: " + b"=?utf-8?q?" + b"A" * 1_000_000 + b"?=\r\nFrom: a@b\r\n\r\nbody",
    "endless headers": lambda: b"X-A: b\r\n" * 200000 + b"\r\nbody",
    "no header end": lambda: b"From: a@b\r\n" + b"X" * 2_000_000,
    "a name that never ends": lambda: _message(b"Thanks for applying to " + b"Northwind" * 30000 + b" has invited you "
                                               + b"Ab" * 100000 + b" interview"),
    "a bogus date and address": lambda: _message(b"hi", headers="Date: 99 Foo 99999 99:99\r\nReply-To: " + "<" * 5000 + "\r\n"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_mail_is_read_or_refused_within_a_second_with_a_clear_problem(case):
    raw = HOSTILE[case]()
    started = time.monotonic()
    try:
        mail = message.read(raw)
    except UnreadableMail as error:
        elapsed = time.monotonic() - started
        assert error.message and error.code == "unreadable_mail"
        assert any(word in error.message for word in ("too big", "nested", "parts", "headers")), error.message
    else:
        elapsed = time.monotonic() - started
        classify(mail)
        applications().match(mail)
        elapsed = time.monotonic() - started
        assert len(mail.text) <= message.MAX_TEXT and len(mail.links) <= message.MAX_LINKS
        assert len(mail.subject) <= message.MAX_SUBJECT
    assert elapsed < LIMIT, (case, elapsed)


def test_a_bogus_charset_is_read_with_a_fallback_and_said():
    mail = message.read(HOSTILE["a bogus charset"]())
    assert "regret" in mail.text and "x-no-such-charset" in mail.notes[0]
    assert classify(mail).kind == "rejection"


def test_a_too_big_message_is_named_by_its_headers():
    with pytest.raises(UnreadableMail) as refused:
        message.read(HOSTILE["a 20 MB message"]())
    assert refused.value.message.startswith("too big to read (20.0 MB")
    assert refused.value.details["subject"] == "test"


def test_html_is_read_as_text_without_the_quoted_earlier_message():
    raw = _message(b'<p>Hello <b>Sam</b>, thanks for checking in!</p><blockquote>We regret to inform you</blockquote>'
                   b'<a href="https://jobs.lever.co/acme/1">the job</a><script>unfortunately()</script>',
                   content_type="text/html; charset=utf-8")
    mail = message.read(raw)
    assert "Hello" in mail.text and "regret" not in mail.text and "unfortunately" not in mail.text
    assert mail.links == ["https://jobs.lever.co/acme/1"]


# -- local sources ----------------------------------------------------------------------------------------------

def test_an_mbox_is_read_one_message_at_a_time_and_from_where_a_step_ended(tmp_path):
    names = list(EXPECTED)[:5]
    mbox = tmp_path / "inbox.mbox"
    with open(mbox, "wb") as out:
        for name in names:
            raw = (HERE / "messages" / f"{name}.eml").read_bytes().replace(b"\r\n", b"\n")
            # mboxrd: a body line starting "From " is written ">From ", one starting ">From " as ">>From ".
            raw = raw.replace(b"\nThank", b"\n>From the team\n>>From here on\nThank", 1)
            out.write(b"From sender@example.com Tue Oct  6 10:10:00 2026\n" + raw + b"\n")
    kind, path = sources.open_source(mbox)
    items = list(sources.items(kind, path))
    assert kind == "mbox" and [i.where for i in items] == [f"message {n} of inbox.mbox" for n in range(1, 6)]
    assert message.read(items[0].raw).subject == read(names[0]).subject
    assert b"\nFrom the team\n>From here on\n" in items[0].raw  # unescaped as written
    rest = list(sources.items(kind, path, items[2].position))
    assert [message.read(i.raw).key for i in rest] == [message.read(i.raw).key for i in items[3:]]
    assert message.received_from(items[0].received).date() == date(2026, 10, 6)


def test_a_path_that_is_not_a_mailbox_is_said_plainly(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception) as error:
        sources.open_source(tmp_path / "empty")
    assert "neither a Maildir" in str(error.value)
    with pytest.raises(Exception) as error:
        sources.open_source(tmp_path / "nothing-here")
    assert "does not exist" in str(error.value)


def _maps(index):
    return {name: getattr(index, name) for name in ("docs", *Applications.MAPS)}


def test_the_applications_index_kept_change_by_change_is_the_one_built_from_every_application():
    """After a change the matcher's index is made from the one before (not every application read again): it
    must be the index of the applications as they are now, and the one before must stay as it was."""
    from hypothesis import given, settings, strategies as st

    urls = st.sampled_from([None, "https://boards.greenhouse.io/acme/jobs/1", "https://jobs.lever.co/globex/2",
                            "https://careers.acme.com/jobs/3", "https://www.linkedin.com/jobs/view/44", "not a url"])
    doc = st.fixed_dictionaries({"company": st.sampled_from([None, "Acme", "Acme Inc.", "Globex", "Initech"]),
                                 "title": st.sampled_from(["Engineer", "Analyst"]), "url": urls, "apply_url": urls,
                                 "urls": st.lists(urls.filter(bool), max_size=2),
                                 "source": st.sampled_from(["generic", "greenhouse"]), "status": st.just("applied")})

    @settings(max_examples=60, deadline=None)
    @given(first=st.lists(doc, max_size=6), steps=st.lists(st.tuples(st.integers(1, 8), st.none() | doc), max_size=8))
    def check(first, steps):
        docs = {n: {**d, "id": n} for n, d in enumerate(first, start=1)}
        index = before = Applications(list(docs.values()))
        kept = _maps(before)
        kept = {name: {key: set(ids) if isinstance(ids, set) else ids for key, ids in held.items()}
                for name, held in kept.items()}
        for doc_id, new in steps:
            old = docs.get(doc_id)
            if new is None:
                docs.pop(doc_id, None)
            else:
                docs[doc_id] = {**new, "id": doc_id}
            index = index.updated([(doc_id, old, docs.get(doc_id))])
        assert _maps(index) == _maps(Applications(list(docs.values())))
        assert _maps(before) == kept

    check()
