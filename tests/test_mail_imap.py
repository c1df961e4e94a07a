"""End to end with a real IMAP server: mail delivered to Dovecot over TLS, `applied mail add` and `applied mail check`
against the running companion, a proposal accepted in Chromium, and the mail still unread on the server.

The companion's environment holds what a person's system would: SSL_CERT_FILE trusting the test's certificate
(read by ``ssl.create_default_context()``), and a keyring backend named through keyring's own configuration.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, Companion
from dovecot import DOVECOT, PASSWORD, USER, Dovecot

MAIL = ROOT / "tests" / "mail"
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.skipif(DOVECOT is None, reason="dovecot is not installed (Debian's dovecot-imapd)"),
              pytest.mark.skipif(os.geteuid() != 0, reason="Dovecot's test server runs its mail processes as nobody: "
                                                           "it must be started as root")]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail-env")
    server = Dovecot().start()
    env = {**os.environ, "SSL_CERT_FILE": str(server.cert), "PYTHON_KEYRING_BACKEND": "mail_keyring.FileKeyring",
           "APPLIED_TEST_KEYRING": str(folder / "keyring.json"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "tests"), os.environ.get("PYTHONPATH")]))}
    yield server, env, folder
    server.stop()


class MailCompanion(Companion):
    def __init__(self, data_dir, env):
        super().__init__(data_dir)
        self.env = env

    def start(self, timeout=15):
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)  # Companion.start passes os.environ to the process
        try:
            return super().start(timeout)
        finally:
            os.environ.clear()
            os.environ.update(saved)


@pytest.fixture(scope="module")
def companion(environment, tmp_path_factory):
    _, env, _ = environment
    server = MailCompanion(tmp_path_factory.mktemp("mail-data"), env).start()
    for application in json.loads((MAIL / "applications.json").read_text(encoding="utf-8")):
        payload = {key: application[key] for key in ("title", "company", "status", "applied_at")}
        if application["url"]:
            payload["url"] = application["url"]
        assert server.post("/api/applications", payload).status == 201
    yield server
    server.stop()


def applied(env, companion, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "companion", *args, "--data-dir", str(companion.data_dir)],
                          input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def messages():
    return [path.read_bytes() for path in sorted((MAIL / "messages").glob("*.eml"))]


def test_replies_delivered_to_an_imap_account_are_proposed_and_one_is_accepted_in_the_browser(environment, companion):
    server, env, folder = environment
    server.deliver(messages())
    # The periodic check would read the account as soon as it is added: off, so that `applied mail check` does.
    assert companion.patch("/api/settings", {"mail_check_minutes": 0}).status == 200
    added = applied(env, companion, "mail", "add", "--host", "127.0.0.1", "--port", str(server.port), "--user", USER,
                    "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "Its password is in your system keyring" in added.stdout
    assert PASSWORD in (folder / "keyring.json").read_text()  # the keyring has it...
    assert PASSWORD not in "".join(p.read_text(errors="replace") for p in companion.data_dir.rglob("*") if p.is_file())
    checked = applied(env, companion, "mail", "check")
    assert checked.returncode == 0, checked.stderr
    assert "read 75 messages: 63 new replies to review, 12 not about an application, 0 seen before" in checked.stdout
    replies = companion.get("/api/replies?limit=500").json
    assert replies["count"] == 63  # 75 delivered, 12 job alerts, newsletters and the like left out
    assert companion.get("/api/replies/count").json == {"open": 63}

    rejection = next(r for r in replies["replies"] if r["subject"] == "Your application to Northwind Health")
    assert rejection["kind"] == "rejection" and rejection["application"]["company"] == "Northwind Health"
    assert rejection["plan"]["status"] == "rejected"

    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        tab = browser.new_page()
        tab.goto(f"{companion.base}/login#{companion.token}")
        tab.wait_for_url(f"{companion.base}/")
        assert tab.locator("#replies-badge").inner_text() == "63"
        tab.goto(f"{companion.base}/replies")
        card = tab.locator(f"[data-reply='{rejection['id']}']")
        assert "Northwind Health replied · rejection · “Your application to Northwind Health”" in card.inner_text()
        assert "mark it rejected and draft the ask-why note?" in card.inner_text()
        with tab.expect_navigation():
            card.get_by_role("button", name="Accept").click()
        assert tab.locator(f"[data-reply='{rejection['id']}']").count() == 0
        tab.goto(f"{companion.base}/settings")  # the accounts, how often, and "forget"
        account = tab.locator("[data-account]").first
        assert f"{USER} on 127.0.0.1:{server.port}, folder INBOX" in account.inner_text()
        assert " · checked " in account.inner_text() and "75 read, 63 to review" in account.inner_text()
        assert account.get_by_role("button", name="Forget this account").count() == 1
        assert tab.locator("#v-mail_check_minutes").input_value() == "0"
        with tab.expect_navigation():
            account.get_by_role("button", name="Check now").click()  # the keyring has the password: no field
        assert "0 read, 0 to review" in tab.locator("[data-account]").first.inner_text()
        browser.close()

    application = companion.get(f"/api/applications/{rejection['application']['id']}").json["application"]
    assert application["status"] == "rejected"
    entry = application["history"][-1]
    assert entry["kind"] == "reply" and entry["date"] == "2026-10-24"
    assert entry["mail"]["from"] == "no-reply@hire.lever.co" and entry["mail"]["subject"] == rejection["subject"]
    moved = application["history"][-2]
    assert (moved["kind"], moved["to"], moved["date"]) == ("status", "rejected", "2026-10-24")
    followups = companion.get(f"/api/followups?application_id={application['id']}&due=2027-12-31").json["followups"]
    assert [f["kind"] for f in followups] == ["feedback"]  # the ask-why note, drafted

    unread, total = server.unseen_and_total()
    assert (unread, total) == (75, 75)  # read-only: nothing marked read, moved or deleted


def test_a_second_check_reads_only_what_arrived_since(environment, companion):
    server, env, _ = environment
    server.deliver([(MAIL / "messages" / "13-ashby-interview-calendar.eml").read_bytes()
                    .replace(b"<13-ashby-interview-calendar@", b"<13-ashby-interview-calendar-again@")])
    checked = applied(env, companion, "mail", "check")
    assert checked.returncode == 0, checked.stderr
    assert "read 1 message: 1 new reply to review" in checked.stdout
    assert server.unseen_and_total() == (76, 76)


def test_forgetting_the_account_forgets_its_password(environment, companion):
    _, _, folder = environment
    account = companion.get("/api/mail").json["accounts"][0]
    assert companion.delete(f"/api/mail/accounts/{account['id']}").status == 200
    assert PASSWORD not in (folder / "keyring.json").read_text()
    assert companion.get("/api/mail").json["accounts"] == []
    assert companion.get("/api/replies/count").json["open"] == 63  # what it found stays for review


def test_a_wrong_password_or_an_untrusted_server_is_refused_with_a_clear_line(environment, companion):
    server, env, _ = environment
    wrong = applied(env, companion, "mail", "add", "--host", "127.0.0.1", "--port", str(server.port), "--user", USER,
                    "--password-stdin", stdin="not-it\n")
    assert wrong.returncode == 1 and "refused the user name or password" in wrong.stderr
    untrusting = {key: value for key, value in env.items() if key != "SSL_CERT_FILE"}
    # The CLI runs in-process when no companion answers; here it asks the running one, which trusts the test CA,
    # so ask a companion-less data folder to see the certificate refused.
    lonely = subprocess.run([sys.executable, "-m", "companion", "mail", "add", "--host", "127.0.0.1", "--port",
                             str(server.port), "--user", USER, "--password-stdin", "--data-dir",
                             str(companion.data_dir.parent / "lonely")],
                            input=PASSWORD + "\n", capture_output=True, text=True, env=untrusting, cwd=ROOT, timeout=60)
    assert lonely.returncode == 1 and "cannot be trusted" in lonely.stderr, lonely.stderr
    assert len(lonely.stderr.strip().splitlines()) == 1


def test_without_a_keyring_the_password_is_asked_at_each_check_and_never_kept(environment, tmp_path):
    server, env, _ = environment
    no_keyring = {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    companion = MailCompanion(tmp_path / "data", no_keyring).start()
    try:
        added = applied(no_keyring, companion, "mail", "add", "--host", "127.0.0.1", "--port", str(server.port),
                        "--user", USER, "--password-stdin", stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        assert "Its password was not kept: this computer has no system keyring" in added.stdout
        account = companion.get("/api/mail").json["accounts"][0]
        assert account["password_kept"] is False
        refused = companion.post(f"/api/mail/accounts/{account['id']}/check", {})
        assert refused.status == 400 and refused.json["error"]["code"] == "password_needed"
        checked = applied(no_keyring, companion, "mail", "check", "--password-stdin", stdin=PASSWORD + "\n")
        assert checked.returncode == 0 and "read 76 messages" in checked.stdout, checked.stdout + checked.stderr
        stored = "".join(p.read_text(errors="replace") for p in companion.data_dir.rglob("*") if p.is_file())
        assert PASSWORD not in stored
        settings = companion.get("/settings", headers={"Accept": "text/html"})  # the web view asks for it too
        assert settings.status in (200, 303)
    finally:
        companion.stop()


def test_the_running_companion_checks_an_added_account_by_itself(environment, tmp_path):
    server, env, _ = environment
    companion = MailCompanion(tmp_path / "data", env).start()
    try:
        added = applied(env, companion, "mail", "add", "--host", "127.0.0.1", "--port", str(server.port),
                        "--user", USER, "--password-stdin", stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        deadline = time.monotonic() + 60
        while companion.get("/api/replies/count").json["open"] < 64 and time.monotonic() < deadline:
            time.sleep(0.2)  # no `applied mail check`: the companion's own periodic check, woken by the new account
        assert companion.get("/api/replies/count").json["open"] == 64
        assert companion.get("/api/mail").json["accounts"][0]["last_check"]["read"] == 76
    finally:
        companion.stop()


def test_a_server_with_a_certificate_of_its_own_is_trusted_by_that_certificate_alone(environment, tmp_path):
    """Proton Mail Bridge's way: the system does not vouch for the server; the person gives its certificate once."""
    server, env, _ = environment
    untrusting = {key: value for key, value in env.items() if key != "SSL_CERT_FILE"}
    companion = MailCompanion(tmp_path / "data", untrusting).start()
    try:
        server.deliver(messages()[:3])  # whatever ran before, the mailbox holds something to read
        assert companion.patch("/api/settings", {"mail_check_minutes": 0}).status == 200  # `mail check` reads it
        account = {"host": "127.0.0.1", "port": server.port, "user": USER, "password": PASSWORD}
        refused = companion.post("/api/mail/accounts", account)
        assert refused.status == 422 and refused.json["error"]["code"] == "mail_untrusted"
        bogus = companion.post("/api/mail/accounts", {**account, "certificate": "-----BEGIN CERTIFICATE-----\n"
                                                      "bm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n"})
        assert bogus.status == 400 and bogus.json["error"]["code"] == "invalid_certificate"
        added = applied(untrusting, companion, "mail", "add", "--host", "127.0.0.1", "--port", str(server.port),
                        "--user", USER, "--days", "3650", "--certificate", str(server.cert), "--password-stdin",
                        stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        listed = companion.get("/api/mail").json["accounts"][0]
        assert listed["own_certificate"] is True
        checked = applied(untrusting, companion, "mail", "check")
        assert checked.returncode == 0, checked.stderr
        assert int(re.search(r"read (\d+) messages", checked.stdout).group(1)) >= 3, checked.stdout
    finally:
        companion.stop()
