"""IMAP accounts: kept in the store (server, user, folder, where the last check stopped), their passwords in the
keyring, and checked one at a time each.

An account is added only once the server has accepted its password over TLS, so a typo is said at
once. A check reads what arrived since the last one (by UIDVALIDITY and UID), or, the first time,
the last ``days`` days; what it found and what it could not read is kept as the account's
``last_check`` for the Settings page. Two checks of one account never run at once: the second is
told to wait. Forgetting an account forgets its password too; the proposals it found stay.
"""
import re
import ssl
import threading
from datetime import datetime

from .. import validate
from ..errors import Conflict, MailServerError, NotFound, ValidationError
from ..settings import user_values
from . import passwords, replies
from .imap import SECURITY, STARTTLS_PORT, TLS_PORT, Mailbox, first_look, trust

TABLE = "mail_accounts"
DEFAULT_DAYS = 90
WAIT = 120  # seconds "Check now" waits for a periodic check of the same account to end
_HOST = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]{2,45}\]")
_RUNNING = {}  # (data folder, account id) -> Lock held while that account is checked
_RUNNING_LOCK = threading.Lock()
FIELDS = ("host", "port", "user", "password", "folder", "days", "security", "certificate")
MAX_CERTIFICATE = 64 * 1024  # a PEM certificate is a few KB; a chain a little more
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{16,}?-----END CERTIFICATE-----")


def _now():
    return datetime.now().replace(microsecond=0)


def keyring_name(account):
    """The name its password is kept under in the keyring."""
    return f"{account['user']}@{account['host']}:{account['port']}"


def public(account):
    out = {key: account.get(key) for key in ("id", "host", "port", "user", "folder", "days", "security", "added_at",
                                             "last_check")}
    out["password_kept"] = bool(account.get("password_kept"))
    out["own_certificate"] = bool(account.get("certificate"))
    return out


def list_accounts(store):
    return [public(doc) for doc in store.all(TABLE)]


def get(store, account_id):
    doc = store.get(TABLE, account_id)
    if doc is None:
        raise NotFound(f"no mail account with id {account_id}")
    return doc


def _read(payload):
    validate.known_fields(payload, FIELDS)
    host = validate.text(payload.get("host"), "host", limit=260)
    user = validate.text(payload.get("user"), "user", limit=320)
    password = payload.get("password")
    if not host or not _HOST.fullmatch(host):
        raise ValidationError("host must be a mail server's name, such as imap.gmail.com", code="invalid_host")
    if not user:
        raise ValidationError("user is the account's user name, usually its email address", code="missing_user")
    if not isinstance(password, str) or not password or len(password) > 1000:
        raise ValidationError("password must be the account's password (an app password for most providers)",
                              code="missing_password")
    port = payload.get("port", TLS_PORT)
    if type(port) is not int or not 1 <= port <= 65535:
        raise ValidationError("port must be a number from 1 to 65535 (993 for IMAP over TLS)", code="invalid_port")
    days = payload.get("days", DEFAULT_DAYS)
    if type(days) is not int or not 1 <= days <= 3650:
        raise ValidationError("days must be a number from 1 to 3650", code="invalid_days")
    folder = validate.text(payload.get("folder"), "folder", limit=200) or "INBOX"
    security = payload.get("security") or ("starttls" if port == STARTTLS_PORT else "tls")
    if security not in SECURITY:
        raise ValidationError("security must be tls (TLS from the start, port 993) or starttls (port 143)",
                              code="invalid_security")
    return {"host": host.strip("[]").lower(), "port": port, "user": user, "folder": folder, "days": days,
            "security": security, "certificate": _certificate(payload.get("certificate"))}, password


def _certificate(value):
    """The server's own certificate (PEM), for a server the system does not vouch for, or None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_CERTIFICATE:
        raise ValidationError("certificate must be the server's certificate as text (PEM), a few KB",
                              code="invalid_certificate")
    pems = _PEM.findall(value)
    if not pems:
        raise ValidationError("certificate must be a PEM certificate: text between -----BEGIN CERTIFICATE----- "
                              "and -----END CERTIFICATE-----", code="invalid_certificate")
    certificate = "\n".join(pems) + "\n"
    try:
        trust(certificate)
    except (ssl.SSLError, ValueError):
        raise ValidationError("that certificate cannot be read: export it again from the mail server (Proton Mail "
                              "Bridge exports its TLS certificate from its settings)", code="invalid_certificate") from None
    return certificate


def add(store, payload, *, now=None):
    """Add an account (or change the password of one already added): (account, kept, why not kept).

    The server is asked first: a wrong name, port, password or certificate is refused here."""
    account, password = _read(payload)
    with _mailbox(account, password) as box:
        box.examine(account["folder"])
    kept, reason = passwords.save(keyring_name(account), password)
    now = now or _now()
    with store.lock:
        _, same = store.search(TABLE, lambda d: (d["host"], d["port"], d["user"], d["folder"]) ==
                               (account["host"], account["port"], account["user"], account["folder"]), limit=1)
        if same:
            doc = store.update(TABLE, same[0]["id"], {"days": account["days"], "password_kept": kept,
                                                     "security": account["security"],
                                                     "certificate": account["certificate"]})
        else:
            doc = store.insert(TABLE, {**account, "password_kept": kept, "added_at": now.isoformat(),
                                       "uidvalidity": None, "last_uid": None, "last_check": None})
    return doc, kept, reason


def forget(store, account_id):
    """Remove an account and its kept password; the proposals it found stay."""
    with store.lock:
        doc = get(store, account_id)
        store.delete(TABLE, account_id)
    passwords.forget(keyring_name(doc))
    return doc


def _claim(store, account_id, wait):
    key = (str(store.data_dir), account_id)
    with _RUNNING_LOCK:
        lock = _RUNNING.setdefault(key, threading.Lock())
    if not lock.acquire(timeout=wait) if wait else not lock.acquire(blocking=False):
        raise Conflict("this account is being checked right now; its replies will show when it is done",
                       code="check_running")
    return lock


def check(store, account_id, *, password=None, today=None, now=None, wait=WAIT):
    """Read the account's new mail into proposals; the summary (see replies.ingest), also kept as its last_check.

    A check asked for while another runs waits ``wait`` seconds for it to end (the periodic check waits for none)."""
    lock = _claim(store, account_id, wait)
    now = now or _now()
    today = today or now.date()
    try:
        account = get(store, account_id)
        password = password or passwords.get(keyring_name(account))
        if not password:
            reason = passwords.status()["reason"] or "its password is not in the keyring"
            raise ValidationError(f"Applied needs the password of {account['user']} to check it ({reason}): "
                                  "type it to check now", code="password_needed")
        try:
            summary = _read_new(store, account, password, today, now)
        except MailServerError as error:
            _remember(store, account_id, {"at": now.isoformat(), "ok": False, "error": error.message})
            raise
        _remember(store, account_id, {"at": now.isoformat(), "ok": True, **{k: summary[k] for k in (
            "read", "proposed", "known", "other", "problems", "more_problems")}})
        return summary
    finally:
        lock.release()


def _read_new(store, account, password, today, now):
    keep_text = bool(user_values(store).get("mail_keep_text"))
    with _mailbox(account, password) as box:
        validity = box.examine(account["folder"])
        same = account.get("uidvalidity") == validity and account.get("last_uid") is not None
        uids = box.uids(after=account["last_uid"]) if same else box.uids(since=first_look(account["days"], today))
        summary = replies.ingest(store, box.fetch(uids), source=f"imap:{account['id']}", keep_text=keep_text, now=now)
    last = max(uids) if uids else (account.get("last_uid") if same else 0)
    store.update(TABLE, account["id"], {"uidvalidity": validity, "last_uid": last})
    return summary


def _mailbox(account, password):
    return Mailbox(account["host"], account["port"], account["user"], password,
                   security=account.get("security") or "tls", certificate=account.get("certificate"))


def _remember(store, account_id, last_check):
    with store.lock:
        if store.get(TABLE, account_id) is not None:  # forgotten meanwhile: nothing to remember it on
            store.update(TABLE, account_id, {"last_check": last_check})


def due(store, now, minutes):
    """The accounts a periodic check should read now: password kept, last check older than ``minutes``."""
    found = []
    for doc in store.all(TABLE):
        last = (doc.get("last_check") or {}).get("at")
        if doc.get("password_kept") and (not last or (now - datetime.fromisoformat(last)).total_seconds() >= minutes * 60):
            found.append(doc)
    return found
