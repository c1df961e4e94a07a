"""Pairing: an extension asks for its own token, the person approves, the extension collects it once.

The flow, for the web view and the CLI that drive it:

1. The extension sends ``POST /api/pair {"name", "requester"}`` → :func:`request_pairing` makes a
   *pending* request with a random ``id`` (the extension's only handle on it) and the first half of
   the code the extension shows (four characters). Any local program can send the same name and
   Origin, so this half is what tells the real extension's request from a look-alike: it is given
   to the requester alone, never listed. The extension makes the second half itself and sends it
   nowhere: the person carries it to Applied by typing the whole code, and the companion proves it
   was told it when it hands over the token (step 3), so a program holding Applied's port, never
   told the code, cannot complete a pairing.
2. The person sees the waiting requests (:func:`pending`: name, origin, time, no code) on the web
   view's start page or with ``applied pair --list``, and approves one by typing the code the
   extension shows (:func:`approve`, :func:`approve_code`), or denies it (:func:`deny`).
   A request nobody answers expires after ``REQUEST_TTL``. Each requester (the random
   ``requester`` id the extension keeps, else its Origin) may have ``MAX_PER_REQUESTER`` requests
   waiting (a requester id's new request replaces its oldest), and when ``MAX_PENDING`` wait in
   all, a new one replaces the oldest whose requester has not polled it lately (the extension polls
   every few seconds; a flood that only asks is dropped first): see :func:`request_pairing`.
3. The extension polls ``GET /api/pair/<id>`` → :func:`poll`, which only reads; once it says
   ``approved``, the extension collects its token with ``POST /api/pair/<id>/token`` →
   :func:`collect`, which makes the token and hands it over exactly once, with its proof
   (``tokens.pairing_proof``: an HMAC of the token keyed by the code's second half, which the
   extension checks before it keeps the token). An approval nobody
   collects within ``COLLECT_TTL`` expires. (Nothing changes on a GET: expiry is computed
   when a request is read, and old requests are swept when a new one is made.)
4. Paired extensions are listed without their secrets (:func:`tokens`) and revoked one by one
   (:func:`revoke`); a revoked token is refused from the next request on.

Why the store keeps only a digest of each token: the store's journal, snapshots, backups and
exports then hold nothing that opens the API. The token is made at the moment it is handed over
(the collection after approval) and only its SHA-256 is written, so the token itself never
touches the disk, even when the approval came from another process (``applied pair --approve``
with no companion running). It is 256 random bits, so a plain SHA-256 is as good as a slow
password hash here; presented tokens are compared by digest in constant time
(``tokens.matching``).
"""
import hmac
import re
import secrets
from datetime import datetime, timedelta

from .errors import AppliedError, Conflict, Forbidden, NotFound, ValidationError
from .tokens import Credential, digest, pairing_proof

TABLE = "pairings"
REQUEST_TTL = timedelta(minutes=5)  # an unanswered request
COLLECT_TTL = timedelta(minutes=5)  # an approved token nobody came to collect
KEEP_ANSWERS = timedelta(hours=1)  # how long a denied or expired request still answers its poll
MAX_PER_REQUESTER = 3  # waiting requests per requester: a flood from one program locks out only itself
MAX_PENDING = 100  # in all: the store must not grow without end
POLLED_LATELY = timedelta(seconds=20)  # the extension polls every 2 s while its popup or options page is open
MAX_NAME = 80
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes
HALF = 4  # characters in each half of the code: the companion's (which request) and the extension's (the proof)
REQUESTER = re.compile(r"[A-Za-z0-9_-]{16,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class TooManyRequests(AppliedError):
    status = 429
    code = "too_many_requests"


def _now():
    return datetime.now().replace(microsecond=0)


def _at(value):
    return datetime.fromisoformat(value)


def _clean_name(name):
    if name is None:
        return "Browser extension"
    if not isinstance(name, str):
        raise ValidationError("name must be a string, such as \"Chrome on Linux\"")
    # Control and bidi characters could make the approval page show something it is not.
    name = " ".join(_CONTROL.sub("", name).split())
    if not name:
        return "Browser extension"
    if len(name) > MAX_NAME:
        raise ValidationError(f"name is longer than {MAX_NAME} characters")
    return name


def _code(taken=()):
    """The companion's half of a code: four characters no other waiting request has."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(HALF))
        if code not in taken:
            return code


def _settle(doc, now):
    """The request as it stands at ``now`` (expired when it waited too long), or None once forgotten.

    Pure: reading a request never writes, so a GET changes nothing. :func:`_sweep` stores the
    outcome later, when something is written anyway.
    """
    if doc["state"] == "pending" and now >= _at(doc["expires_at"]):
        doc = {**doc, "state": "expired"}
    elif doc["state"] == "approved" and not doc.get("token_hash") and now >= _at(doc["collect_by"]):
        doc = {**doc, "state": "expired"}  # approved, but nobody came for it
    if doc["state"] in ("denied", "expired") and now >= _at(doc["expires_at"]) + KEEP_ANSWERS:
        return None
    return doc


def _settled(store, now):
    return [doc for doc in (_settle(d, now) for d in store.all(TABLE)) if doc is not None]


def _sweep(store, now):
    """Forget requests long answered or expired (called from the write paths, under the lock)."""
    for doc in store.all(TABLE):
        settled = _settle(doc, now)
        if settled is None:
            store.delete(TABLE, doc["id"])
        elif settled["state"] != doc["state"]:
            store.update(TABLE, doc["id"], {"state": settled["state"]})


def _find(store, request_id, now):
    if not isinstance(request_id, str) or not request_id:
        raise NotFound("no such pairing request")
    doc = store.find(TABLE, key=request_id)
    doc = doc and _settle(doc, now)
    if doc is None:
        raise NotFound("no such pairing request (it may have expired): ask again from the extension")
    return doc


def _normal_code(code):
    return "".join(str(code or "").split()).replace("-", "").upper()


def _halves(code):
    """(the companion's half, the extension's half) of a code the person typed; ValidationError unless whole."""
    typed = _normal_code(code)
    if len(typed) != 2 * HALF or any(c not in CODE_ALPHABET for c in typed[HALF:]):
        raise ValidationError("type the whole code the extension shows: eight letters and digits, like K7QX-2MXA",
                              code="code_incomplete")
    return typed[:HALF], typed[HALF:]


class Polls:
    """When each pairing request was last polled, in this process's memory (a poll is a GET: it writes nothing).

    Only used to choose which waiting request makes room for a new one: one its requester stopped
    asking about (or never asked about: a flood) before one the real extension keeps polling."""

    def __init__(self):
        self._seen = {}

    def seen(self, request_id, now=None):
        now = now or _now()
        if len(self._seen) >= 4 * MAX_PENDING:  # ids of requests long gone
            self._seen = {k: t for k, t in self._seen.items() if now - t < REQUEST_TTL}
        self._seen[request_id] = now

    def lately(self, request_id, now):
        seen = self._seen.get(request_id)
        return seen is not None and now - seen < POLLED_LATELY


def public_request(doc, *, with_code=False):
    """A pairing request as the approval page sees it (never a token; the code only for its requester)."""
    shown = {"id": doc["key"], "name": doc["name"], "origin": doc["origin"],
             "state": doc["state"], "requested_at": doc["requested_at"], "expires_at": doc["expires_at"]}
    return {**shown, "code": doc["code"]} if with_code else shown


def public_token(doc):
    """A paired extension as the settings page lists it: who, since when, last used (never the token)."""
    return {"id": doc["key"], "name": doc["name"], "origin": doc["origin"], "code": doc["code"],
            "paired_at": doc["approved_at"], "last_used": doc.get("last_used"),
            "collected": bool(doc.get("token_hash")), "via": doc.get("via", "code")}


def request_pairing(store, name, origin, now=None, *, ttl=REQUEST_TTL, requester=None, polls=None):
    """Record an extension's request to pair; return it with its half of the code, for the requester alone.

    ``origin`` is the request's Origin header (e.g. ``chrome-extension://<id>``), or None for a
    client that sends none (curl, a script); it is shown to the person, who must not trust it:
    any local program can send it. ``requester`` is a random id the extension keeps (16-64
    letters, digits, - or _): its new request replaces its oldest once ``MAX_PER_REQUESTER`` wait.
    Without one, 429 while ``MAX_PER_REQUESTER`` requests of the same Origin wait.

    When ``MAX_PENDING`` requests wait in all, the new one replaces the oldest that nobody polled
    lately (``polls``, a :class:`Polls`), so a flood that asks without polling, or with a new requester
    id each time, never keeps the real extension out; 429 only while every waiting request is polled.
    """
    now = now or _now()
    name = _clean_name(name)
    if requester is not None and not (isinstance(requester, str) and REQUESTER.fullmatch(requester)):
        raise ValidationError("requester must be 16 to 64 letters, digits, - or _")
    bucket = f"id:{requester}" if requester else f"origin:{origin or ''}"
    with store.lock:
        _sweep(store, now)  # after it, the stored states are the settled ones
        waiting = store.search(TABLE, lambda doc: doc["state"] == "pending", sort_key=lambda doc: doc["requested_at"])[1]
        own = [doc for doc in waiting if doc.get("requester") == bucket]
        if len(own) >= MAX_PER_REQUESTER:
            if not requester:
                raise TooManyRequests(f"this extension already has {MAX_PER_REQUESTER} pairing requests waiting: "
                                      "wait a few minutes and ask again")
            _drop(store, own[0], waiting)  # the extension asked again: its newest request is the one it shows
        if len(waiting) >= MAX_PENDING:
            idle = [doc for doc in waiting if not (polls and polls.lately(doc["key"], now))]
            if not idle:
                raise TooManyRequests(f"{MAX_PENDING} pairing requests are waiting: wait a few minutes, "
                                      "or deny them in Applied")
            _drop(store, idle[0], waiting)
        # 128 random bits in hex: the id is the requester's only credential until approval, and
        # (unlike url-safe base64) never starts with "-", which a terminal would read as an option.
        doc = store.insert(TABLE, {
            "key": secrets.token_hex(16), "name": name, "origin": origin or "none (a script or the command line)",
            "code": _code({doc["code"] for doc in waiting}), "requester": bucket, "state": "pending",
            "requested_at": now.isoformat(), "expires_at": (now + ttl).isoformat(),
        })
    return public_request(doc, with_code=True)


def _drop(store, doc, waiting):
    store.delete(TABLE, doc["id"])
    waiting.remove(doc)


def poll(store, request_id, now=None):
    """The requester's view of its request: ``{"state", "expires_at"}`` (and, once approved, ``collected``).

    States: ``pending`` (waiting for the person), ``approved`` (collect the token with
    :func:`collect`), ``denied``, ``expired`` (nobody answered, or nobody collected the approval,
    in time). Only reads. Raises NotFound for an unknown id (or one forgotten an hour after it
    was answered or revoked).
    """
    doc = _find(store, request_id, now or _now())
    answer = {"state": doc["state"], "expires_at": doc["expires_at"]}
    if doc["state"] == "approved":
        answer["collected"] = bool(doc.get("token_hash"))
    return answer


def collect(store, request_id, now=None, *, requester=None, port=None):
    """Hand an approved request its token, exactly once: ``{"state": "approved", "token", "proof"}``.

    ``proof`` is ``tokens.pairing_proof`` of the token, keyed by the extension's half of the code the
    person typed (and bound to ``port``, where the companion answers): the extension keeps the token
    only when the proof holds, so only a server that was told the code can pair it.

    Conflict while the request is pending, denied or expired, and when its token was collected
    already (a second collector gets nothing: the first one holds the only copy). A request made
    with a ``requester`` id hands its token only to a collector sending the same one: the request's
    id is listed to the person (the start page, /pulse.json, /api/pairings), so whoever holds the web
    view's session cookie knows it, and must not be able to take the token the person approved
    for their extension.
    """
    now = now or _now()
    with store.lock:
        doc = _find(store, request_id, now)
        bucket = doc.get("requester") or ""
        if bucket.startswith("id:") and not (
                isinstance(requester, str) and hmac.compare_digest(f"id:{requester}".encode(), bucket.encode())):
            raise Forbidden("only the extension that asked to pair can collect its token (send its requester id)",
                            code="wrong_requester")
        if doc["state"] != "approved":
            raise Conflict(f"this pairing request is {doc['state']}, so there is no token to collect",
                           code=f"pairing_{doc['state']}")
        if doc.get("token_hash"):
            raise Conflict("this token was collected already: ask to pair again", code="pairing_collected")
        token = secrets.token_urlsafe(32)
        proof = pairing_proof(doc.get("proof_key", ""), port, doc["key"], token)
        # The key has done its work: it is dropped with the token's handing over.
        store.update(TABLE, doc["id"], {"token_hash": digest(token), "collected_at": now.isoformat(), "proof_key": ""})
    return {"state": "approved", "token": token, "proof": proof}


def pending(store, now=None):
    """Requests waiting for the person's answer, oldest first (see :func:`public_request`)."""
    now = now or _now()
    return [public_request(doc) for doc in _settled(store, now) if doc["state"] == "pending"]


def approve(store, request_id, code, now=None):
    """Approve a pending request, given the whole code its extension shows: its next poll gets its token.

    The first half names the request; the second, which only the extension and the person know,
    keys the proof handed over with the token (see :func:`collect`). Raises ValidationError for
    half a code, NotFound for an unknown id, Forbidden when ``code`` is not this request's (a
    look-alike request, or a typo), and Conflict when it is no longer pending.
    """
    now = now or _now()
    ours, theirs = _halves(code)
    with store.lock:
        doc = _find(store, request_id, now)
        if not hmac.compare_digest(ours.encode(), _normal_code(doc["code"]).encode()):
            raise Forbidden("that is not the code this extension shows: check the code in the extension's "
                            "options; a request whose code you did not see may come from another program",
                            code="wrong_code")
        if doc["state"] != "pending":
            raise Conflict(f"this pairing request is {doc['state']}; ask again from the extension",
                           code=f"pairing_{doc['state']}")
        doc = store.update(TABLE, doc["id"], {
            "state": "approved", "approved_at": now.isoformat(), "collect_by": (now + COLLECT_TTL).isoformat(),
            "proof_key": theirs})
    return public_request(doc)


def approve_code(store, code, now=None):
    """Approve the one pending request with this code (the code the extension shows). NotFound when none has it."""
    now = now or _now()
    wanted = _halves(code)[0].encode()
    with store.lock:
        found = [doc for doc in _settled(store, now) if doc["state"] == "pending"
                 and hmac.compare_digest(wanted, _normal_code(doc["code"]).encode())]
        if len(found) != 1:
            raise NotFound("no waiting pairing request has this code: check the code the extension shows "
                           "(a request expires after five minutes)", code="wrong_code")
        return approve(store, found[0]["key"], code, now)


def grant(store, name, origin, now=None):
    """A token for an extension its browser vouched for (the native host): ``{"token", "pairing"}``.

    No code and no approval: the browser started our host only because the host manifest names
    this extension's id. One such pairing per origin: a new one (a reinstalled extension, a
    cleared profile) replaces the one before, so the list in Settings does not grow.
    """
    now = now or _now()
    name = _clean_name(name)
    origin = str(origin or "")[:200]
    token = secrets.token_urlsafe(32)
    with store.lock:
        for doc in store.all(TABLE):
            if doc.get("via") == "browser" and doc.get("origin") == origin:
                store.delete(TABLE, doc["id"])
        doc = store.insert(TABLE, {
            "key": secrets.token_hex(16), "name": name, "origin": origin, "code": "", "requester": "browser",
            "state": "approved", "via": "browser", "requested_at": now.isoformat(), "expires_at": now.isoformat(),
            "approved_at": now.isoformat(), "token_hash": digest(token), "collected_at": now.isoformat(),
        })
    return {"token": token, "pairing": public_token(doc)}


def deny(store, request_id, now=None):
    """Deny a pending request; its poll then answers ``denied``. Conflict when it is not pending."""
    now = now or _now()
    with store.lock:
        doc = _find(store, request_id, now)
        if doc["state"] != "pending":
            raise Conflict(f"this pairing request is {doc['state']} already", code=f"pairing_{doc['state']}")
        doc = store.update(TABLE, doc["id"], {"state": "denied", "denied_at": now.isoformat()})
    return public_request(doc)


def tokens(store, now=None):
    """Paired extensions, oldest first, without secrets (see :func:`public_token`).

    An approval the extension has not collected yet is listed with ``collected: false``.
    """
    now = now or _now()
    return [public_token(doc) for doc in _settled(store, now) if doc["state"] == "approved"]


def revoke(store, request_id):
    """Forget a pairing (or a request): its token stops working at once. NotFound when unknown."""
    with store.lock:
        doc = store.find(TABLE, key=request_id) if isinstance(request_id, str) and request_id else None
        if doc is None:
            raise NotFound("no such paired extension")
        store.delete(TABLE, doc["id"])
    return public_token(doc) if doc["state"] == "approved" else public_request(doc)


def verifiers(store):
    """What the security check compares a presented token against: one scoped Credential per live pairing."""
    return [Credential.paired(doc["id"], doc["token_hash"]) for doc in store.all(TABLE)
            if doc["state"] == "approved" and doc.get("token_hash")]


def touch(store, doc_id, today):
    """Remember the day a paired token last sent a change (one write a day at most)."""
    with store.lock:
        doc = store.get(TABLE, doc_id)
        if doc is not None and doc.get("last_used") != today.isoformat():
            store.update(TABLE, doc_id, {"last_used": today.isoformat()})
