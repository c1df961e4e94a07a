"""/api/replies and /api/mail: reply proposals read from the person's mail, their accounts, imports and checks.

The HTTP face of ``companion/mail``. A paired extension's token reaches only
``GET /api/replies/count`` (the popup's "N replies to review"); everything else is the person's.
Nothing here changes an application but accept and "log it", which the person clicks.
"""
import base64
import binascii
from datetime import date

from flask import current_app, jsonify, request

from .. import applications as apps
from .. import current, validate
from ..errors import ValidationError
from ..followup_schedule import collect
from ..mail import accounts, checker, message, passwords, replies, sources
from ..mail.classify import classify
from . import bp, optional_json, query_int, read_json

IMPORT_STEP = 2000  # messages read per import request: a big mbox is read in steps, each a few seconds at most


def _answer(doc, application=None):
    store, today = current.store(), date.today()
    body = {"reply": replies.public(store, doc)}
    if application is not None:
        body["application"] = apps.public(application)
        body["followups"] = collect(store, today, application_id=application["id"])
    return jsonify(body)


# -- proposals ----------------------------------------------------------------------------------------

@bp.get("/replies")
def list_replies():
    """?status=open|accepted|dismissed|not_job (default open), newest mail first, paged."""
    store = current.store()
    total, page = replies.list_replies(store, status=request.args.get("status", replies.OPEN),
                                       offset=query_int("offset", 0), limit=query_int("limit", 50, minimum=1, maximum=500))
    return jsonify({"count": total, "counts": replies.counts(store), "replies": page})


@bp.get("/replies/count")
def count_replies():
    """The popup's count: how many replies wait for review (an index read)."""
    return jsonify({"open": replies.count_open(current.store())})


@bp.get("/replies/<int:reply_id>")
def read_reply(reply_id):
    return _answer(replies.get(current.store(), reply_id))


@bp.post("/replies/<int:reply_id>/accept")
def accept_reply(reply_id):
    """{application_id?, interview_date?}: the history entry, and the move the proposal named."""
    payload = optional_json()
    doc, application = replies.accept(current.store(), reply_id, payload)
    return _answer(doc, application)


@bp.post("/replies/<int:reply_id>/dismiss")
def dismiss_reply(reply_id):
    """{not_job?: true} for "not about my search"; remembered for this message only."""
    payload = optional_json()
    validate.known_fields(payload, ("not_job",))
    not_job = payload.get("not_job", False)
    if not isinstance(not_job, bool):
        raise ValidationError("not_job must be true or false")
    return _answer(replies.dismiss(current.store(), reply_id, not_job=not_job))


@bp.post("/replies/<int:reply_id>/reopen")
def reopen_reply(reply_id):
    return _answer(replies.reopen(current.store(), reply_id))


@bp.post("/replies/<int:reply_id>/log")
def log_reply(reply_id):
    """{company, title, interview_date?}: "about an application you did not log?" → record it, then accept."""
    doc, application = replies.log_application(current.store(), reply_id, read_json())
    return _answer(doc, application), 201


# -- accounts, checks, imports ----------------------------------------------------------------------------------

@bp.get("/mail")
def mail_status():
    """The accounts, whether a keyring keeps passwords, and how many replies wait."""
    store = current.store()
    return jsonify({"keyring": passwords.status(), "accounts": accounts.list_accounts(store),
                    "open": replies.count_open(store), "check_minutes": current.user_settings()["mail_check_minutes"]})


@bp.post("/mail/accounts")
def add_account():
    """{host, user, password, port?, folder?, days?}: checked with the server before it is kept."""
    doc, kept, reason = accounts.add(current.store(), read_json())
    checker.poke(current_app)
    return jsonify({"account": accounts.public(doc), "password_kept": kept, "keyring_problem": reason}), 201


@bp.delete("/mail/accounts/<int:account_id>")
def forget_account(account_id):
    accounts.forget(current.store(), account_id)
    return jsonify({"forgotten": account_id})


@bp.post("/mail/accounts/<int:account_id>/check")
def check_account(account_id):
    """{password?}: read what arrived since the last check. The password, when given, is used once and not kept."""
    payload = optional_json()
    validate.known_fields(payload, ("password",))
    password = payload.get("password")
    if password is not None and (not isinstance(password, str) or not password or len(password) > 1000):
        raise ValidationError("password must be the account's password")
    return jsonify(accounts.check(current.store(), account_id, password=password))


@bp.post("/mail/import")
def import_mail():
    """{path, start?}: an mbox file, a Maildir folder or one .eml on this computer, read IMPORT_STEP messages at a
    time from ``start`` (what the previous step answered as ``position``) until ``done``."""
    payload = read_json()
    validate.known_fields(payload, ("path", "start"))
    path = validate.text(payload.get("path"), "path", limit=4000, required=True)
    start = payload.get("start", 0)
    if type(start) is not int or start < 0:
        raise ValidationError("start must be the position a previous step answered")
    kind, found = sources.open_source(path)
    store = current.store()
    keep_text = bool(current.user_settings().get("mail_keep_text"))
    try:
        items = sources.items(kind, found, start)
        summary = replies.ingest(store, items, source=f"file:{found.name}", keep_text=keep_text, limit=IMPORT_STEP)
    except OSError as error:
        raise ValidationError(f"{found} cannot be read ({error.strerror or error})", code="not_a_mailbox") from None
    return jsonify({**summary, "kind": kind, "path": str(found)})


@bp.post("/mail/classify")
def classify_message():
    """{message: the raw message, base64}: what it is and which application it is about, storing nothing."""
    payload = read_json()
    validate.known_fields(payload, ("message",))
    encoded = payload.get("message")
    if not isinstance(encoded, str) or not encoded:
        raise ValidationError("message must be the raw message, base64-encoded", code="missing_message")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("message is not valid base64", code="bad_encoding") from None
    mail = message.read(raw)  # UnreadableMail is a 422 with its reason
    verdict = classify(mail)
    found = replies.application_index(current.store()).match(mail) if verdict.kind != "other" else None
    return jsonify({"kind": verdict.kind, "application_id": found.application_id if found else None,
                    "company": found.company if found else None, "why": verdict.why,
                    "match_why": found.why if found else None, "candidates": list(found.candidates) if found else [],
                    "problems": mail.notes})

