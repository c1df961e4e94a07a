"""Pairing end to end over HTTP: the extension asks, the person answers, the extension gets its own token."""
import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from companion import pairing
from companion.security import EXTENSION_ID
from companion.store import Store
from conftest import ROOT, ConfiguredCompanion, proved, shown_code, web_opener

CHROME = f"chrome-extension://{EXTENSION_ID}"
FIREFOX = "moz-extension://11111111-2222-3333-4444-555555555555"


class WebView:
    """A browser signed in to the web view: a cookie jar, and the page's CSRF token."""

    def __init__(self, companion):
        self.base = companion.web_base
        self.opener = web_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = urllib.parse.urlencode({"token": companion.token}).encode()
        home = self.opener.open(urllib.request.Request(self.base + "/login", data=form), timeout=30).read().decode()
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', home).group(1)

    def api(self, method, path, payload=None, csrf=True):
        headers = {"Content-Type": "application/json", **({"X-CSRF-Token": self.csrf} if csrf else {})}
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def ask(companion, name="Chrome on Linux", origin=CHROME):
    response = companion.post("/api/pair", {"name": name}, token=None, headers={"Origin": origin} if origin else {})
    assert response.status == 201, response.text
    return response.json


def poll(companion, request_id, origin=CHROME):
    return companion.get(f"/api/pair/{request_id}", token=None, headers={"Origin": origin})


def collect(companion, request_id, origin=CHROME):
    return companion.post(f"/api/pair/{request_id}/token", {}, token=None, headers={"Origin": origin})


def applied(data_dir, *args):
    return subprocess.run([sys.executable, "-m", "companion", *args, "--data-dir", str(data_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def paired_token(companion, name="Chrome on Linux", origin=CHROME):
    asked = ask(companion, name, origin)
    assert companion.post(f"/api/pairings/{asked['id']}/approve", {"code": shown_code(asked)}).status == 200
    collected = collect(companion, asked["id"], origin).json
    # (the proof itself is checked by the tests of pairing below; here a token is what the caller needs)
    assert "proof" not in collected or proved(collected, asked["id"], companion.port)
    return asked["id"], collected["token"]


# -- the whole flow ------------------------------------------------------------------------------

def test_extension_gets_its_token_once_after_the_person_approves_in_the_web_view(companion):
    asked = ask(companion)
    assert asked["state"] == "pending" and re.fullmatch(r"[A-Z0-9]{4}", asked["code"])
    assert poll(companion, asked["id"]).json["state"] == "pending"

    web = WebView(companion)
    status, listing = web.api("GET", "/api/pairings")
    assert status == 200
    [waiting] = listing["requests"]
    assert (waiting["name"], waiting["origin"]) == ("Chrome on Linux", CHROME)
    assert "code" not in waiting  # only the extension shows it: the person types it to approve
    confirmed = {"code": shown_code(asked).lower(), "token": companion.token}
    assert web.api("POST", f"/api/pairings/{asked['id']}/approve", confirmed)[0] == 200

    assert poll(companion, asked["id"]).json == {"state": "approved", "collected": False,
                                                 "expires_at": asked["expires_at"]}
    first = collect(companion, asked["id"]).json
    assert first["state"] == "approved" and len(first["token"]) >= 40
    assert proved(first, asked["id"], companion.port)  # the extension keeps the token only with this proof
    again = collect(companion, asked["id"])
    assert again.status == 409 and again.json["error"]["code"] == "pairing_collected"
    assert first["token"] not in again.text
    assert poll(companion, asked["id"]).json == {"state": "approved", "collected": True,
                                                 "expires_at": asked["expires_at"]}

    works = companion.get("/api/applications", token=first["token"], headers={"Origin": CHROME})
    assert works.status == 200
    sent = companion.post("/api/applications", {"url": "https://jobs.example.com/9"}, token=first["token"],
                          headers={"Origin": CHROME})
    assert sent.status == 201
    [paired] = web.api("GET", "/api/pairings")[1]["tokens"]
    assert paired["name"] == "Chrome on Linux" and paired["last_used"] == datetime.now().date().isoformat()
    assert first["token"] not in json.dumps(paired)


def test_the_web_view_cannot_approve_without_its_csrf_token(companion):
    asked = ask(companion)
    web = WebView(companion)
    status, body = web.api("POST", f"/api/pairings/{asked['id']}/approve",
                           {"code": shown_code(asked), "token": companion.token}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    assert poll(companion, asked["id"]).json["state"] == "pending"


def test_the_web_view_approving_with_a_token_that_is_not_text_is_refused_not_a_crash(companion):
    asked = ask(companion)
    web = WebView(companion)
    for typed in (12345, None, ["x"], {"token": companion.token}):
        status, body = web.api("POST", "/api/pairings/approve", {"code": shown_code(asked), "token": typed})
        assert status == 403 and body["error"]["code"] == "confirm_needed", (typed, body)
    assert poll(companion, asked["id"]).json["state"] == "pending"


def test_applied_pair_approve_takes_the_code_the_extension_shows_while_the_server_runs(companion):
    asked = ask(companion, "Firefox on Linux", FIREFOX)
    listed = applied(companion.data_dir, "pair", "--list")
    assert listed.returncode == 0 and "Firefox on Linux" in listed.stdout and asked["code"] not in listed.stdout
    assert "only the code the extension shows identifies it" in listed.stdout
    result = applied(companion.data_dir, "pair", "--approve", shown_code(asked))
    assert result.returncode == 0, result.stderr
    assert "Approved Firefox on Linux" in result.stdout
    token = collect(companion, asked["id"], FIREFOX).json["token"]
    assert companion.get("/api/applications", token=token).status == 200


def test_applied_pair_approves_only_by_code_and_denies_by_id(companion):
    first, second = ask(companion, "Chrome at work"), ask(companion, "Chrome at home")
    no_code = applied(companion.data_dir, "pair", "--approve")
    assert no_code.returncode == 1 and "type the code the extension shows" in no_code.stderr
    wrong = applied(companion.data_dir, "pair", "--approve", "XXXX-XXXX")
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "no waiting pairing request has this code" in wrong.stderr
    denied = applied(companion.data_dir, "pair", "--deny", second["id"][:8])
    assert denied.returncode == 0, denied.stderr
    assert poll(companion, second["id"]).json["state"] == "denied"
    assert poll(companion, first["id"]).json["state"] == "pending"


def test_approving_from_the_terminal_works_with_no_companion_running(companion):
    asked = ask(companion)
    companion.stop()
    result = applied(companion.data_dir, "pair", "--approve", shown_code(asked))
    assert result.returncode == 0, result.stderr
    companion.start()
    token = collect(companion, asked["id"]).json["token"]
    assert companion.get("/api/applications", token=token).status == 200


def test_revoked_token_is_refused_from_the_next_request_on(companion):
    request_id, token = paired_token(companion)
    assert companion.get("/api/applications", token=token).status == 200
    assert companion.delete(f"/api/pairings/{request_id}").status == 204
    refused = companion.get("/api/applications", token=token)
    assert refused.status == 401 and refused.json["error"]["code"] == "unauthorized"
    assert companion.get("/api/pairings").json["tokens"] == []


def test_applied_pair_revoke_from_the_terminal(companion):
    request_id, token = paired_token(companion)
    result = applied(companion.data_dir, "pair", "--revoke", request_id)
    assert result.returncode == 0, result.stderr
    assert companion.get("/api/applications", token=token).status == 401


def test_a_paired_extension_cannot_approve_another_one(companion):
    _, token = paired_token(companion)
    other = ask(companion, "Unknown extension", FIREFOX)
    refused = companion.post(f"/api/pairings/{other['id']}/approve", {"code": shown_code(other)}, token=token)
    assert refused.status == 403 and refused.json["error"]["code"] == "out_of_scope"
    assert companion.get("/api/pairings", token=token).status == 403
    assert poll(companion, other["id"], FIREFOX).json["state"] == "pending"


def test_denied_request_never_yields_a_token(companion):
    asked = ask(companion)
    assert companion.post(f"/api/pairings/{asked['id']}/deny", {}).status == 200
    assert poll(companion, asked["id"]).json == {"state": "denied", "expires_at": asked["expires_at"]}
    late = companion.post(f"/api/pairings/{asked['id']}/approve", {"code": shown_code(asked)})
    assert late.status == 409 and late.json["error"]["code"] == "pairing_denied"


def test_unknown_request_id_is_not_found(companion):
    response = poll(companion, "not-a-real-request-id")
    assert response.status == 404 and "ask again" in response.json["error"]["message"]


def test_a_flood_of_requests_from_one_requester_is_capped(companion):
    for number in range(pairing.MAX_PER_REQUESTER):
        ask(companion, f"extension {number}")
    refused = companion.post("/api/pair", {"name": "one too many"}, token=None, headers={"Origin": CHROME})
    assert refused.status == 429 and refused.json["error"]["code"] == "too_many_requests"
    assert len(companion.get("/api/pairings").json["requests"]) == pairing.MAX_PER_REQUESTER


# -- issue 19: pairing proves both sides, and a flood cannot keep the extension out ---------------------------

def test_the_token_comes_with_a_proof_only_a_server_told_the_whole_code_can_give(companion):
    """The extension's half of the code reaches Applied only by the person typing it: the token's proof is keyed by it."""
    asked = ask(companion)
    half = shown_code(asked).split("-")[1]
    assert half not in json.dumps(asked)  # the request carried nothing of it
    only_ours = companion.post("/api/pairings/approve", {"code": asked["code"]})  # half a code approves nothing
    assert only_ours.status == 400 and only_ours.json["error"]["code"] == "code_incomplete"
    assert poll(companion, asked["id"]).json["state"] == "pending"
    assert companion.post("/api/pairings/approve", {"code": shown_code(asked, half="ACDE")}).status == 200  # mistyped
    collected = collect(companion, asked["id"]).json
    assert not proved(collected, asked["id"], companion.port)  # the extension keeps nothing
    assert proved(collected, asked["id"], companion.port, half="ACDE")
    assert not proved(collected, asked["id"], companion.port + 1, half="ACDE")  # relayed from another port


def test_a_proof_is_keyed_by_the_code_and_bound_to_the_request_and_port():
    from companion.tokens import pairing_proof

    proof = pairing_proof("K7QX", 7531, "a" * 32, "token")
    assert proof == pairing_proof("K7QX", 7531, "a" * 32, "token")
    others = {pairing_proof(*args) for args in (("K7QY", 7531, "a" * 32, "token"), ("K7QX", 7532, "a" * 32, "token"),
                                                ("K7QX", 7531, "b" * 32, "token"), ("K7QX", 7531, "a" * 32, "other"))}
    assert proof not in others and len(others) == 4


def test_asking_again_replaces_the_extensions_own_oldest_request(companion):
    requester = "real-extension-" + "r" * 20
    asked = [companion.post("/api/pair", {"name": "Chrome on Linux", "requester": requester}, token=None,
                            headers={"Origin": CHROME}).json for _ in range(pairing.MAX_PER_REQUESTER + 2)]
    waiting = [item["id"] for item in companion.get("/api/pairings").json["requests"]]
    assert waiting == [item["id"] for item in asked[-pairing.MAX_PER_REQUESTER:]]  # never a 429 for asking again


def test_the_real_extension_pairs_while_a_flood_of_requests_runs(companion):
    """Requests with a new requester id each time (any program can make them) once filled every place for minutes."""
    from test_security_local import FAKE_REQUESTS

    flood = subprocess.Popen([sys.executable, "-c", FAKE_REQUESTS, str(companion.port), CHROME,
                              str(3 * pairing.MAX_PENDING), "fresh"])  # a new requester id each time
    try:
        requester = "real-extension-" + "e" * 20
        real = companion.post("/api/pair", {"name": "Chrome on Linux", "requester": requester}, token=None,
                              headers={"Origin": CHROME})
        assert real.status == 201, real.text
        asked = real.json
        while flood.poll() is None:  # the extension polls its request every 2 s while the person types the code
            assert poll(companion, asked["id"]).json["state"] == "pending"
            time.sleep(0.2)
        assert flood.returncode == 0
        assert len(companion.get("/api/pairings").json["requests"]) == pairing.MAX_PENDING  # the flood filled it
        # ... and the real extension asks again (a new request, as the Pair button sends) and still gets in
        again = companion.post("/api/pair", {"name": "Chrome on Linux", "requester": requester}, token=None,
                               headers={"Origin": CHROME})
        assert again.status == 201, again.text
    finally:
        flood.kill()
        flood.wait()
    assert poll(companion, asked["id"]).json["state"] == "pending"  # still there: polled, so kept
    assert companion.post("/api/pairings/approve", {"code": shown_code(asked)}).status == 200
    collected = companion.post(f"/api/pair/{asked['id']}/token", {"requester": requester}, token=None,
                               headers={"Origin": CHROME}).json
    assert proved(collected, asked["id"], companion.port)
    assert companion.get("/api/applications", token=collected["token"]).status == 200


def test_the_name_shown_to_the_person_cannot_hide_or_reorder_text(companion):
    asked = ask(companion, "Chrome\u202e on\x00 Linux\n\n")
    assert asked["name"] == "Chrome on Linux"
    too_long = companion.post("/api/pair", {"name": "x" * 200}, token=None, headers={"Origin": CHROME})
    assert too_long.status == 400


def test_the_paired_token_is_never_written_to_the_data_folder(companion):
    request_id, token = paired_token(companion)
    companion.stop()  # folds the journal into a snapshot and a backup
    companion.start()
    assert companion.get("/api/applications", token=token).status == 200
    for path in Path(companion.data_dir).rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


# -- expiry -------------------------------------------------------------------------------------



@pytest.fixture
def quick_expiry(data_dir):
    """A real companion whose pairing requests expire after one second."""
    server = ConfiguredCompanion(data_dir, {"PAIRING_REQUEST_SECONDS": 1}).start()
    yield server
    server.stop()


def test_an_unanswered_request_expires_and_cannot_be_approved_late(quick_expiry):
    asked = ask(quick_expiry, "slow person")
    deadline = datetime.fromisoformat(asked["expires_at"]) + timedelta(seconds=1)
    while datetime.now() < deadline:
        time.sleep(0.1)
    assert poll(quick_expiry, asked["id"]).json["state"] == "expired"
    late = quick_expiry.post(f"/api/pairings/{asked['id']}/approve", {"code": shown_code(asked)})
    assert late.status == 409 and late.json["error"]["code"] == "pairing_expired"
    assert quick_expiry.get("/api/pairings").json["requests"] == []


def test_requests_expire_after_five_minutes_and_approvals_nobody_collects_too(tmp_path):
    start = datetime(2026, 11, 2, 9, 0, 0)
    with Store(tmp_path) as store:
        late = pairing.request_pairing(store, "Chrome", CHROME, start)
        uncollected = pairing.request_pairing(store, "Firefox", FIREFOX, start)
        pairing.approve(store, uncollected["id"], shown_code(uncollected), start + timedelta(minutes=1))
        assert [r["id"] for r in pairing.pending(store, start + timedelta(minutes=4, seconds=59))] == [late["id"]]
        assert pairing.pending(store, start + timedelta(minutes=5)) == []
        assert pairing.poll(store, late["id"], start + timedelta(minutes=5))["state"] == "expired"
        answer = pairing.poll(store, uncollected["id"], start + timedelta(minutes=6, seconds=1))
        assert answer["state"] == "expired" and "token" not in answer
        assert pairing.verifiers(store) == []
        # An hour after, the answers are forgotten.
        with pytest.raises(pairing.NotFound):
            pairing.poll(store, late["id"], start + timedelta(hours=1, minutes=5))


def test_the_request_id_the_web_view_lists_is_not_enough_to_take_the_token(companion):
    """Whoever holds the web view's session sees the waiting requests' ids (the start page, /pulse.json):
    once the person approves their extension, that id alone must not collect its token."""
    requester = "real-extension-" + "r" * 20
    asked = companion.post("/api/pair", {"name": "Chrome on Linux", "requester": requester}, token=None,
                           headers={"Origin": CHROME}).json
    thief = WebView(companion)  # a cookie received by another program on loopback
    status, pulse = thief.api("GET", "/pulse.json")
    assert status == 200 and asked["id"] in pulse["pairing_requests"]
    assert companion.post("/api/pairings/approve", {"code": shown_code(asked)}).status == 200
    for body in ({}, {"requester": "someone-else-" + "x" * 20}):
        taken = companion.post(f"/api/pair/{asked['id']}/token", body, token=None)
        assert taken.status == 403 and taken.json["error"]["code"] == "wrong_requester", taken.text
    collected = companion.post(f"/api/pair/{asked['id']}/token", {"requester": requester}, token=None,
                               headers={"Origin": CHROME})
    assert collected.status == 200, collected.text
    assert companion.get("/api/applications", token=collected.json["token"]).status == 200
