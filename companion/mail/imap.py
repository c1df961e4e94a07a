"""An IMAP mailbox read over TLS, read-only: EXAMINE (never SELECT) and BODY.PEEK (never BODY), so nothing is
marked read, moved or deleted.

The server's certificate is verified as a browser would (``ssl.create_default_context()``: the
system's trusted authorities, and the host name); there is no switch to skip it. A server with a
certificate of its own (Proton Mail Bridge, a home server) is trusted by that certificate alone,
which the person gives once (``certificate``, PEM): the host name is still checked against it. The connection
speaks TLS from the start (``security="tls"``, port 993), or asks for STARTTLS first
(``security="starttls"``, port 143) and is refused if the server cannot: no password goes in the clear. New mail
is found by UID: the mailbox's UIDVALIDITY and the last UID read are kept, so each check asks
only for what arrived since; a first look (or a mailbox whose UIDVALIDITY changed) asks for the
messages of the last N days. A message over ``message.MAX_BYTES`` is fetched as headers only.
"""
import imaplib
import re
import socket
import ssl
from datetime import date, timedelta

from ..errors import MailServerError
from .message import MAX_BYTES, received_from
from .sources import Item

TLS_PORT = 993
STARTTLS_PORT = 143
SECURITY = ("tls", "starttls")
TIMEOUT = 30
BATCH = 25  # messages per FETCH: a few MB at most in one answer
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_INTERNALDATE = re.compile(rb'\bINTERNALDATE "([^"]{1,40})"')


def trust(certificate=None):
    """The TLS context a connection checks the server with: the system's authorities, or only ``certificate``
    (PEM text) for a server that has its own."""
    return ssl.create_default_context(cadata=certificate) if certificate else ssl.create_default_context()


class Mailbox:
    """One IMAP connection, as a context manager: ``with Mailbox(host, port, user, password) as box:``."""

    def __init__(self, host, port, user, password, *, security="tls", certificate=None, timeout=TIMEOUT):
        self.host, self.port, self.user, self.password, self.timeout = host, port, user, password, timeout
        self.security, self.certificate = security, certificate
        self.imap = None

    def __enter__(self):
        context = trust(self.certificate)
        where = f"{self.host}:{self.port}"
        try:
            if self.security == "tls":
                self.imap = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=self.timeout)
            else:
                self.imap = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
                if "STARTTLS" not in self.imap.capabilities:
                    raise MailServerError(f"{where} offers no STARTTLS: Applied sends no password in the clear; "
                                          f"use the server's TLS port (usually {TLS_PORT})")
                self.imap.starttls(ssl_context=context)
        except ssl.SSLCertVerificationError as error:
            self._close()
            raise MailServerError(f"the certificate of {where} cannot be trusted ({error.verify_message}): "
                                  "nothing was sent to it", code="mail_untrusted") from None
        except ssl.SSLError as error:
            self._close()
            raise MailServerError(f"no secure connection with {where} ({error.reason or error}); is it the TLS port?") from None
        except socket.gaierror:
            raise MailServerError(f"there is no mail server called {self.host} (check the name, and the network)") from None
        except (OSError, imaplib.IMAP4.error) as error:
            self._close()
            raise MailServerError(f"cannot reach {where} ({getattr(error, 'strerror', None) or error})") from None
        try:
            self.imap.login(self.user, self.password)
        except imaplib.IMAP4.error as error:
            self._close()
            raise MailServerError(f"{self.host} refused the user name or password ({_said(error)}); many providers "
                                  "(Gmail, iCloud, Yahoo, Fastmail) want an app password here, not your usual one",
                                  code="mail_login") from None
        except OSError as error:
            self._close()
            raise MailServerError(f"{where} closed the connection ({error})") from None
        return self

    def __exit__(self, *exc):
        if self.imap is not None:
            try:
                self.imap.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
        self._close()

    def _close(self):
        if self.imap is not None:
            try:
                self.imap.shutdown()
            except (OSError, imaplib.IMAP4.error, AttributeError):
                pass
            self.imap = None

    def examine(self, folder):
        """Open ``folder`` read-only (EXAMINE); its UIDVALIDITY."""
        status, data = self._call("select", _quoted(folder), readonly=True)
        if status != "OK":
            raise MailServerError(f"{self.host} has no folder {folder!r} ({_said(data)})", code="mail_folder")
        validity = self.imap.untagged_responses.get("UIDVALIDITY", [b"0"])[-1]
        return int(validity) if validity and validity.isdigit() else 0

    def uids(self, *, after=None, since=None):
        """UIDs of the messages with a UID above ``after``, or (without one) arrived on or after ``since``."""
        if after is not None:
            criteria = ("UID", f"{after + 1}:*")
        else:
            criteria = ("SINCE", _imap_day(since or date.today()))
        status, data = self._call("uid", "SEARCH", *criteria)
        if status != "OK":
            raise MailServerError(f"{self.host} did not answer the search ({_said(data)})")
        found = sorted({int(n) for n in b" ".join(d for d in data if d).split() if n.isdigit()})
        # "n:*" always includes the newest message, even when its UID is below n.
        return [uid for uid in found if after is None or uid > after]

    def fetch(self, uids):
        """An ``Item`` per UID (``where`` names its UID; ``position`` is the UID), BATCH at a time, never marking them read."""
        for start in range(0, len(uids), BATCH):
            batch = uids[start:start + BATCH]
            sizes = self._sizes(batch)
            small = [uid for uid in batch if sizes.get(uid, 0) <= MAX_BYTES]
            fetched = self._bodies(small, "BODY.PEEK[]") if small else {}
            large = [uid for uid in batch if uid not in small]
            fetched.update(self._bodies(large, "BODY.PEEK[HEADER]") if large else {})
            for uid in batch:
                raw, received = fetched.get(uid, (b"", None))
                yield Item(f"UID {uid}", raw, max(sizes.get(uid, 0), len(raw)), received, uid)

    def _sizes(self, uids):
        status, data = self._call("uid", "FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)")
        if status != "OK":
            raise MailServerError(f"{self.host} did not give the messages' sizes ({_said(data)})")
        sizes = {}
        for line in data:
            text = line[0] if isinstance(line, tuple) else line
            uid, size = _UID.search(text or b""), _SIZE.search(text or b"")
            if uid and size:
                sizes[int(uid.group(1))] = int(size.group(1))
        return sizes

    def _bodies(self, uids, section):
        status, data = self._call("uid", "FETCH", ",".join(map(str, uids)), f"(UID INTERNALDATE {section})")
        if status != "OK":
            raise MailServerError(f"{self.host} did not give the messages ({_said(data)})")
        found = {}
        for part in data:
            if not isinstance(part, tuple) or len(part) < 2:
                continue
            uid = _UID.search(part[0])
            if uid:
                when = _INTERNALDATE.search(part[0])
                found[int(uid.group(1))] = (part[1], received_from(when.group(1).decode("ascii", "replace")) if when else None)
        return found

    def _call(self, name, *args, **kwargs):
        try:
            return getattr(self.imap, name)(*args, **kwargs)
        except imaplib.IMAP4.abort as error:
            raise MailServerError(f"{self.host} dropped the connection ({error})") from None
        except imaplib.IMAP4.error as error:
            raise MailServerError(f"{self.host} refused a request ({_said(error)})") from None
        except OSError as error:
            raise MailServerError(f"the connection to {self.host} failed ({getattr(error, 'strerror', None) or error})") from None


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _imap_day(day):
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"


def _said(answer):
    """What the server said, as one short line."""
    if isinstance(answer, Exception):
        answer = answer.args[0] if answer.args else str(answer)
    if isinstance(answer, (list, tuple)):
        answer = b" ".join(a for a in answer if isinstance(a, bytes))
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join(text.split())[:160] or "no reason given"


def first_look(days, today):
    """The first day a first look reads from."""
    return today - timedelta(days=days)
