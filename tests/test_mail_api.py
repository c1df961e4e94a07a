"""Replies through the real companion: importing local mailboxes, what each click does to the record, hostile
mail while the companion keeps answering, the CLI's classify and import, and a computer without a keyring."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, Companion, posting_page

MAIL = ROOT / "tests" / "mail"
MESSAGES = MAIL / "messages"


def seed(companion):
    ids = {}
    for application in json.loads((MAIL / "applications.json").read_text(encoding="utf-8")):
        payload = {key: application[key] for key in ("title", "company", "status", "applied_at")}
        if application["url"]:
            payload["url"] = application["url"]
        response = companion.post("/api/applications", payload)
        assert response.status == 201, response.text
        ids[application["id"]] = response.json["application"]["id"]
    return ids


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    companion = Companion(tmp_path_factory.mktemp("mail-api")).start()
    companion.ids = seed(companion)
    yield companion
    companion.stop()


def maildir(tmp_path, names):
    folder = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    for number, name in enumerate(names):
        shutil.copy(MESSAGES / f"{name}.eml", folder / "cur" / f"{number:04d}.{name}:2,")
    return folder


def reply_about(server, subject):
    found = server.get("/api/replies?status=open&limit=500").json["replies"]
    return next(r for r in found if r["subject"] == subject)


def test_importing_a_maildir_proposes_each_reply_once_and_keeps_no_text(server, tmp_path):
    folder = maildir(tmp_path, ["01-greenhouse-received-data-engineer", "30-linkedin-job-alert", "39-fr-refus",
                                "62-initech-received-never-logged", "57-person-call-calendly"])
    first = server.post("/api/mail/import", {"path": str(folder)}).json
    assert (first["read"], first["proposed"], first["other"], first["done"]) == (5, 4, 1, True)
    again = server.post("/api/mail/import", {"path": str(folder)}).json
    assert (again["proposed"], again["known"]) == (0, 4)
    refusal = reply_about(server, "Votre candidature chez Maison Dupont")
    assert refusal["application"]["id"] == server.ids[13] and refusal["text"] is None
    stored = (server.data_dir / "applied.journal").read_text(encoding="utf-8", errors="replace")
    assert "Votre candidature chez Maison Dupont" in stored and "pas été retenue pour le poste" not in stored
    assert not (server.data_dir / "blobs" / "mail").exists()


def test_accepting_a_rejection_writes_the_mail_as_evidence_and_drafts_the_ask_why_note(server):
    refusal = reply_about(server, "Votre candidature chez Maison Dupont")
    assert refusal["plan"] == {"status": "rejected", "says": "mark it rejected and draft the ask-why note"}
    answer = server.post(f"/api/replies/{refusal['id']}/accept", {}).json
    application = answer["application"]
    assert application["status"] == "rejected"
    entry = application["history"][-1]
    assert (entry["kind"], entry["date"]) == ("reply", "2026-10-28")
    assert entry["mail"] == {"from": "recrutement@maisondupont.fr", "from_name": "Maison Dupont - Recrutement",
                             "subject": "Votre candidature chez Maison Dupont", "date": "2026-10-28T17:00:00+01:00",
                             "kind": "rejection", "why": "rejection: 'pas été retenue'"}
    assert [f["kind"] for f in answer["followups"]] == ["feedback"]
    assert server.post(f"/api/replies/{refusal['id']}/accept", {}).status == 409  # once


def test_an_interview_moves_to_interviewing_on_the_day_the_person_gives(server):
    invite = reply_about(server, "Data Scientist - next steps")
    answer = server.post(f"/api/replies/{invite['id']}/accept", {"interview_date": "2026-10-30"}).json
    application = answer["application"]
    assert application["status"] == "interviewing"
    assert application["history"][-1]["kind"] == "interview" and application["history"][-1]["date"] == "2026-10-30"
    # The coach schedules from the interview's day (its thank-you, a day later, is long past by now).
    assert "interview-followup-2026-10-30" in [f["key"] for f in answer["followups"]]


def test_an_unlogged_employer_is_logged_with_one_click_and_nothing_else_changes_unasked(server):
    before = server.get("/api/applications?limit=200").json["total"]
    initech = reply_about(server, "Thank you for applying to Initech")
    assert initech["application"] is None and initech["suggested"]["company"] == "Initech"
    answer = server.post(f"/api/replies/{initech['id']}/log", {"company": "Initech", "title": "Software Developer"})
    assert answer.status == 201
    logged = answer.json["application"]
    assert (logged["company"], logged["title"], logged["status"], logged["applied_at"]) == \
        ("Initech", "Software Developer", "applied", "2026-10-27")
    assert logged["history"][-1]["kind"] == "acknowledged"
    assert server.get("/api/applications?limit=200").json["total"] == before + 1


def test_dismissed_and_not_about_my_search_are_remembered_for_that_message_only(server, tmp_path):
    welcome = reply_about(server, "Thank you for applying to Northwind Traders")
    application = server.get(f"/api/applications/{welcome['application']['id']}").json["application"]
    assert server.post(f"/api/replies/{welcome['id']}/dismiss", {"not_job": True}).json["reply"]["status"] == "not_job"
    unchanged = server.get(f"/api/applications/{application['id']}").json["application"]
    assert unchanged["history"] == application["history"]
    folder = maildir(tmp_path, ["01-greenhouse-received-data-engineer", "02-greenhouse-received-analytics-engineer"])
    again = server.post("/api/mail/import", {"path": str(folder)}).json
    assert (again["known"], again["proposed"]) == (1, 1)  # the dismissed one stays dismissed; its sibling is new
    assert server.post(f"/api/replies/{welcome['id']}/reopen", {}).json["reply"]["status"] == "open"
    assert server.get("/api/replies/count").json["open"] == server.get("/api/replies").json["count"]


def test_the_text_is_kept_only_when_the_person_asks_and_goes_when_set_aside(server, tmp_path):
    assert server.patch("/api/settings", {"mail_keep_text": True}).status == 200
    try:
        imported = server.post("/api/mail/import", {"path": str(MESSAGES / "47-es-rechazo.eml")}).json
        assert imported["proposed"] == 1
        rejection = reply_about(server, "Tu candidatura en Aurora Datos")
        assert "Lamentamos comunicarte" in rejection["text"]
        assert server.post(f"/api/replies/{rejection['id']}/dismiss", {}).json["reply"]["text"] is None
        assert not list((server.data_dir / "blobs" / "mail").glob("*.gz"))
    finally:
        server.patch("/api/settings", {"mail_keep_text": False})


def test_setting_a_reply_aside_leaves_the_application_of_the_same_number_whole(tmp_path):
    companion = Companion(tmp_path / "data").start()  # its own numbers: application 1 and proposal 1
    try:
        assert companion.patch("/api/settings", {"mail_keep_text": True}).status == 200
        first = companion.post("/api/applications", {"url": "https://jobs.example.com/aurora/1", "html": posting_page(
            "Data Analyst", "Aurora Datos")}).json
        assert companion.post("/api/mail/import", {"path": str(MESSAGES / "47-es-rechazo.eml")}).json["proposed"] == 1
        [reply] = companion.get("/api/replies?status=open").json["replies"]
        assert reply["id"] == first["application"]["id"] == 1 and reply["text"]
        assert companion.post(f"/api/replies/{reply['id']}/dismiss", {}).json["reply"]["text"] is None
        kept = companion.get("/api/applications/1").json["application"]
        assert "Build widgets that delight." in kept["description_text"]
    finally:
        companion.stop()


def test_bad_requests_get_a_clear_4xx(server, tmp_path):
    assert server.post("/api/mail/import", {"path": str(tmp_path / "missing.mbox")}).json["error"]["code"] == "not_a_mailbox"
    assert server.post("/api/mail/import", {"path": str(tmp_path)}).status == 400
    assert server.post("/api/mail/import", {"path": "~nobody-here-\u0088/mail"}).json["error"]["code"] == "not_a_mailbox"
    unreadable = tmp_path / "locked.mbox"
    unreadable.mkdir()
    (unreadable / "new").write_text("a file where a Maildir's folder goes")
    assert server.post("/api/mail/import", {"path": str(unreadable)}).status == 400
    assert server.post("/api/replies/99999/accept", {}).status == 404
    assert server.post("/api/mail/classify", {"message": "not base64!"}).status == 400
    assert server.post("/api/mail/accounts", {"host": "bad host", "user": "x", "password": "y"}).json["error"]["code"] \
        == "invalid_host"
    assert server.post("/api/mail/accounts/1/check", {}).status == 404


# -- hostile mail through the companion ------------------------------------------------------------------------

def test_a_mailbox_of_hostile_mail_is_read_message_by_message_while_the_companion_answers(server, tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from test_adversarial import timed
    from test_mail_reading import HOSTILE

    mbox = tmp_path / "hostile.mbox"
    with open(mbox, "wb") as out:
        for build in HOSTILE.values():
            out.write(b"From x@example.com Mon Nov  2 10:00:00 2026\n" + build().replace(b"\nFrom ", b"\n>From ") + b"\n\n")
        out.write(b"From x@example.com Mon Nov  2 10:00:00 2026\n" + (MESSAGES / "44-es-candidatura-recibida.eml").read_bytes())
    before = server.get("/api/replies?status=open&limit=500").json["count"]
    answer, elapsed, slowest_ping = timed(server, lambda: server.post("/api/mail/import", {"path": str(mbox)}))
    summary = answer.json
    assert answer.status == 200 and summary["read"] == len(HOSTILE) + 1
    refused = [p for p in summary["problems"] if not p["kept"]]
    assert {p["where"] for p in refused} >= {"message 1 of hostile.mbox", "message 2 of hostile.mbox"}
    assert any("too big to read (20.0 MB" in p["problem"] for p in refused)
    assert any("nested more than 20 deep" in p["problem"] for p in refused)
    assert any("charset Applied does not read ('x-no-such-charset')" in p["problem"] for p in summary["problems"])
    after = server.get("/api/replies?status=open&limit=500").json
    new = after["count"] - before
    assert new == summary["proposed"] and new <= 3  # the Spanish acknowledgement, and what the readable ones say
    assert any(r["subject"] == "Hemos recibido tu candidatura" for r in after["replies"])
    assert elapsed < len(HOSTILE) * 1.0 and slowest_ping < 1.0, (elapsed, slowest_ping)


# -- the command line -------------------------------------------------------------------------------------------

def applied(*args, data_dir):
    return subprocess.run([sys.executable, "-m", "companion", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_classify_prints_the_kind_the_application_and_why(server):
    done = applied("mail", "classify", str(MESSAGES / "07-lever-rejection-northwind-health.eml"), "--json",
                   data_dir=server.data_dir)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert set(answer) == {"kind", "application_id", "company", "why"}
    assert (answer["kind"], answer["application_id"], answer["company"]) == ("rejection", server.ids[3], "Northwind Health")
    assert answer["why"].startswith("rejection: 'not be moving forward with your'")


def test_classify_and_import_say_what_went_wrong_in_one_line(server, tmp_path):
    big = tmp_path / "big.eml"
    big.write_bytes(b"Subject: x\r\n\r\n" + b"x" * (11 * 1024 * 1024))
    done = applied("mail", "classify", str(big), data_dir=server.data_dir)
    assert done.returncode == 1 and done.stderr.strip().endswith("too big to read (11.0 MB; Applied reads messages up to 10 MB)")
    (tmp_path / "folder").mkdir()
    done = applied("mail", "import", str(tmp_path / "folder"), data_dir=server.data_dir)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "neither a Maildir" in done.stderr


def test_import_reads_a_big_mbox_in_steps(tmp_path, monkeypatch):  # in-process: the step size is the test's
    from companion.api import mail as mail_api
    from companion.app import create_app

    monkeypatch.setattr(mail_api, "IMPORT_STEP", 20)  # steps of 20 messages, to see them on a small mbox
    mbox = tmp_path / "Takeout.mbox"
    with open(mbox, "wb") as out:
        for path in sorted(MESSAGES.glob("*.eml")):
            raw = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
            out.write(b"From 1234@xxx Mon Nov  2 10:00:00 +0000 2026\n" + raw + b"\n")
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    client, headers = app.test_client(), {"Authorization": f"Bearer {app.extensions['applied']['token']}", "Host": "127.0.0.1"}
    steps, start, read, proposed = 0, 0, 0, 0
    while True:
        step = client.post("/api/mail/import", json={"path": str(mbox), "start": start}, headers=headers).json
        steps, read, proposed, start = steps + 1, read + step["read"], proposed + step["proposed"], step["position"]
        if step["done"]:
            break
    app.extensions["applied"]["store"].close()
    assert (steps, read, proposed) == (4, 75, 63)


# -- no keyring ---------------------------------------------------------------------------------------------------

def test_without_a_keyring_the_person_is_told_and_the_password_is_asked_each_time(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    from companion.mail import passwords

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # keyring's own switch: a computer without any keyring
    try:
        state = passwords.status()
        assert not state["available"] and "no system keyring" in state["reason"]
        assert passwords.save("sam@imap.example.com:993", "secret") == (False, state["reason"])
        assert passwords.get("sam@imap.example.com:993") is None
    finally:
        keyring.set_keyring(previous)


def test_the_extension_token_reaches_the_count_and_nothing_else_of_mail(server):
    from companion import tokens

    assert ("GET", "/api/replies/count") in tokens.EXTENSION_SCOPE
    assert not {rule for method, rule in tokens.EXTENSION_SCOPE if "/mail" in rule or rule.startswith("/api/replies/<")}

