"""The `applied` command itself: starting, refusing clearly, one line per error."""
import errno
import json
import socket
import subprocess
import sys

import pytest
import waitress
from click.testing import CliRunner

from companion.cli import main
from companion.client import CompanionClient, call
from companion.errors import AppliedError
from conftest import ROOT, Companion, free_port, posting_page


def applied(*args, env=None, timeout=30):
    import os

    return subprocess.run([sys.executable, "-m", "companion", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def test_serve_creates_its_data_folder_owner_only_and_answers(tmp_path):
    data = tmp_path / "fresh" / "applied"
    server = Companion(data).start()
    try:
        assert server.get("/api/ping", token=None).json["app"] == "applied"
        assert oct(data.stat().st_mode & 0o777) == "0o700"
        assert oct((data / "token").stat().st_mode & 0o777) == "0o600"
        assert json.loads((data / "server.json").read_text())["port"] == server.port
    finally:
        server.stop()


def test_a_second_serve_on_the_same_data_folder_says_where_the_first_runs_and_leaves_it(companion, data_dir):
    # Started again at login, by the browser or by hand: one is enough, and that is not a failure
    # (a service manager would otherwise start it again and again).
    result = applied("serve", "--port", str(free_port()), "--data-dir", str(data_dir), "--no-open")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.strip().splitlines() == [
        f"Applied is already running for {data_dir} on port {companion.port}; `applied open` signs you in."]
    assert companion.get("/api/ping", token=None).status == 200  # the first one is untouched


def test_serve_on_a_busy_port_says_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = applied("serve", "--port", str(busy.getsockname()[1]), "--data-dir", str(tmp_path), "--no-open")
    assert result.returncode == 1
    assert "already in use" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_to_listen_beyond_loopback(tmp_path):
    result = applied("serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path), "--no-open")
    assert result.returncode == 1
    assert "only listens on loopback" in result.stderr


def test_a_bad_setting_in_the_environment_is_one_readable_line(tmp_path):
    result = applied("serve", "--data-dir", str(tmp_path), "--no-open", env={"APPLIED_THREADS": "many"})
    assert result.returncode == 1
    assert result.stderr.strip() == "applied: APPLIED_THREADS must be a whole number, not 'many'"


def test_commands_reach_the_data_with_or_without_a_running_companion(companion, data_dir):
    companion.post("/api/applications", {"url": "https://jobs.example.com/7", "html": posting_page()})
    running = applied("export", "--format", "json", "--data-dir", str(data_dir))
    assert running.returncode == 0, running.stderr
    companion.stop()
    stopped = applied("export", "--format", "json", "--data-dir", str(data_dir))
    assert stopped.returncode == 0, stopped.stderr
    assert json.loads(stopped.stdout)["applications"][0]["title"] == "Senior Widget Engineer"


def test_token_prints_the_install_token(companion, data_dir):
    result = applied("token", "--data-dir", str(data_dir))
    assert result.stdout.strip() == companion.token


def test_reextract_reads_stored_pages_again(companion, data_dir):
    companion.post("/api/applications", {"url": "https://jobs.example.com/8", "html": posting_page()})
    companion.stop()
    result = applied("reextract", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert "1 unchanged" in result.stdout


def test_reextract_goes_on_past_a_damaged_page_and_names_it(companion, data_dir):
    for n in (1, 2, 3):
        page = posting_page(f"Role {n}", f"Company {n}")
        assert companion.post("/api/applications", {"url": f"https://jobs.example.com/r{n}", "html": page}).status == 201
    companion.stop()
    (data_dir / "blobs" / "page" / "2.gz").write_bytes(b"not gzip at all")
    result = applied("reextract", "--data-dir", str(data_dir))
    assert result.returncode == 1 and "2 unchanged" in result.stdout and "1 failed" in result.stdout
    assert "application 2 (Role 2 at Company 2)" in result.stderr and "damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_reextract_never_flags_again_nor_overwrites_a_company_the_person_typed(data_dir):
    """Logged offline with the company typed in, on a page an older engine did not read as a posting:
    a newer reading guesses the company from the site's name, but the person's own word stands."""
    from companion import applications as apps
    from companion.store import Store

    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Widget Engineer",
            "datePosted": "2026-11-02", "description": "<p>Build widgets.</p>"}
    page = (f'<!doctype html><html><head><title>Widget Engineer</title><script type="application/ld+json">'
            f'{json.dumps(data)}</script></head><body><h1>Widget Engineer</h1></body></html>')
    with Store(data_dir) as store:
        doc, _, _ = apps.capture(store, {"url": "https://jobs.example.com/typed", "html": page, "company": "Typed Co"})
        # As an older engine left it: the page did not read as a posting, so the capture asks for a look.
        store.update("applications", doc["id"], {"review": {"needed": True, "missing": [], "guessed": [],
                                                            "looks_like_posting": False}})
    result = applied("reextract", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    with Store(data_dir) as store:
        doc = store.get("applications", doc["id"])
    assert doc["company"] == "Typed Co"
    assert (doc["review"]["needed"], doc["review"]["guessed"], doc["review"]["missing"]) == (False, [], [])


def test_serve_that_cannot_listen_for_another_reason_does_not_blame_a_busy_port(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")

    monkeypatch.setattr(waitress, "create_server", refuse)
    result = CliRunner().invoke(main, ["serve", "--host", "::1", "--port", "7531", "--data-dir", str(tmp_path),
                                       "--no-open"])
    assert result.exit_code == 1
    assert result.output.strip() == ("applied: cannot listen on 127.0.0.1 port 7531: Cannot assign requested address; "
                                     "stop whatever uses it or choose another with --port")


def test_a_companion_that_stops_answering_is_one_readable_error():
    with pytest.raises(AppliedError) as gone:
        call(CompanionClient(free_port(), "token"), "GET", "/api/applications")
    assert gone.value.message.startswith("the companion on port ")
    assert gone.value.message.endswith("stopped answering (Connection refused); try again, or restart it "
                                       "with `applied serve`")


def test_serve_stopped_by_sigterm_releases_its_folder_cleanly(data_dir):
    server = Companion(data_dir).start()
    server.post("/api/applications", {"url": "https://jobs.example.com/9", "html": posting_page()})
    server.stop()  # SIGTERM, as a service manager sends
    assert server.process.returncode == 0
    assert not (data_dir / "server.json").exists()
    assert (data_dir / "applied.journal").stat().st_size < 100  # folded into the snapshot on the way out
    again = applied("export", "--format", "json", "--data-dir", str(data_dir))
    assert json.loads(again.stdout)["applications"][0]["url"] == "https://jobs.example.com/9"
