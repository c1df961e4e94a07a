"""One raw message read safely into what the classifier and the matcher need, or a clear reason it cannot be.

Mail is written by strangers, so every step is bounded: a message over ``MAX_BYTES`` is not parsed
(its headers name it in the problem), a header block over ``MAX_HEADER_BYTES``, more than
``MAX_PARTS`` parts or parts nested deeper than ``MAX_DEPTH`` make it unreadable, header values
are cut before they are decoded, text is read to ``MAX_TEXT`` characters and HTML to
``MAX_HTML`` bytes (cut at 800 levels of nesting, then parsed by lexbor in linear time), and
an unknown, bogus or non-text charset falls back to UTF-8 or Windows-1252 with a note. Attachments
are never decoded. Python's ``email`` package with the compat32 policy does the MIME work: its
lenient decoders read broken base64 and quoted-printable, and their defects become notes.
"""
import codecs
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, UTC
from email import message_from_bytes, policy
from email.header import decode_header
from email.utils import parseaddr, parsedate_to_datetime
from html import unescape as html_unescape

from selectolax.lexbor import LexborHTMLParser

from ..errors import UnreadableMail
from ..sanitize import cap_depth

MAX_BYTES = 10 * 1024 * 1024  # job mail with a PDF is well under this; Gmail's own limit is 25 MB
MAX_HEADER_BYTES = 256 * 1024
MAX_PARTS = 200
MAX_DEPTH = 20
MAX_HEADER_VALUE = 2000  # characters of one header read before decoding
MAX_TEXT = 100_000  # characters of text kept from the body
MAX_HTML = 2 * 1024 * 1024
MAX_LINKS = 300
MAX_SUBJECT = 300
TEXT_TYPES = ("text/plain", "text/html")
CALENDAR_TYPES = ("text/calendar", "application/ics")
# Codecs Python has that are not text encodings, or that cost more than linear time on hostile input.
_REFUSED_CODECS = frozenset({"punycode", "idna", "unicode_escape", "raw_unicode_escape", "undefined", "uu_codec",
                             "base64_codec", "bz2_codec", "hex_codec", "quopri_codec", "rot_13", "zlib_codec"})
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,2000}")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|antw|antwort|rv|r|sv|ref|réf|wg|fw|fwd|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_HREF = re.compile(r"""href\s*=\s*["']?(https?://[^"'\s<>]{1,2000})""", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


@dataclass
class Mail:
    """What Applied reads of one message. ``text`` is the body as plain text (quoted replies included)."""

    key: str  # a stable id: a hash of the Message-ID (or of the headers when there is none)
    sender: str = ""  # the address, lower-cased
    sender_name: str = ""
    reply_to: str = ""
    subject: str = ""
    date: datetime | None = None
    text: str = ""
    links: list = field(default_factory=list)
    bulk: bool = False  # sent to a list (List-Unsubscribe, Precedence: bulk): alerts and newsletters
    is_reply: bool = False  # "Re:", or In-Reply-To
    references: list = field(default_factory=list)  # keys of the messages it answers
    calendar: dict | None = None  # {"method", "start" (YYYY-MM-DD), "summary", "organizer"} of an invitation
    notes: list = field(default_factory=list)  # what was read with a fallback

    @property
    def domain(self):
        return self.sender.rpartition("@")[2]

    @property
    def day(self):
        return self.date.date() if self.date else None

    def summary(self):
        """What may be stored of it: sender, date, subject."""
        return {"from": self.sender, "from_name": self.sender_name, "subject": self.subject,
                "date": self.date.isoformat() if self.date else None}


def message_key(message_id):
    return hashlib.sha256(message_id.strip().strip("<>").strip().lower().encode("utf-8", "replace")).hexdigest()[:32]


def read(raw, *, received=None, size=None):
    """A ``Mail`` from the raw bytes of a message, or raise ``UnreadableMail``. ``received`` (a datetime, or the
    text of an mbox separator's date, read only when needed) stands in for a missing or unreadable Date header
    (the server's arrival time, the mbox separator's date);
    ``size`` is the whole message's size when ``raw`` holds only its head (a source cut it)."""
    if not isinstance(raw, (bytes, bytearray)):
        raise TypeError("a message is read from bytes")
    end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES + 4)
    size = max(size or 0, len(raw))
    if size > MAX_BYTES:
        raise UnreadableMail(f"too big to read ({size / 1048576:.1f} MB; Applied reads messages up to "
                         f"{MAX_BYTES // 1048576} MB)", details=_header_summary(raw[:end.end() if end else MAX_HEADER_BYTES]))
    if end is None and len(raw) > MAX_HEADER_BYTES:
        raise UnreadableMail(f"its headers are longer than {MAX_HEADER_BYTES // 1024} KB")
    # Parsing cost grows with the number of parts: count them before parsing (bytes.count is C-fast).
    declared = raw.lower().count(b"content-type:")
    if declared > MAX_PARTS:
        raise UnreadableMail(f"it has more than {MAX_PARTS} parts ({declared})", details=_header_summary(raw[:end.end() if end else 0]))
    try:
        parsed = message_from_bytes(bytes(raw), policy=policy.compat32)
    except RecursionError:
        raise UnreadableMail(f"its parts are nested more than {MAX_DEPTH} deep",
                             details=_header_summary(raw[:end.end() if end else 0])) from None
    mail = Mail(key="")
    headers = _first_values(parsed)
    mail.subject = _collapse(_header(headers, "subject", mail.notes))[:MAX_SUBJECT]
    name, address = parseaddr(_header(headers, "from", mail.notes))
    mail.sender_name, mail.sender = _collapse(name)[:200], address.strip().lower()[:320]
    mail.reply_to = parseaddr(_header(headers, "reply-to", mail.notes))[1].strip().lower()[:320]
    mail.date = _date(_header(headers, "date", mail.notes), mail.notes) or (
        received_from(received) if isinstance(received, str) else received)
    message_id = _header(headers, "message-id", mail.notes)
    mail.key = message_key(message_id) if message_id.strip() else _fallback_key(raw, end)
    mail.bulk = bool(headers.get("list-unsubscribe") or headers.get("list-id")) or \
        _header(headers, "precedence", mail.notes).strip().lower() in ("bulk", "list", "junk")
    replied = _header(headers, "in-reply-to", mail.notes) + " " + _header(headers, "references", mail.notes)
    mail.references = [message_key(m) for m in re.findall(r"<([^<>\s]{1,500})>", replied)][-20:]
    mail.is_reply = bool(_REPLY_PREFIX.match(mail.subject)) or bool(headers.get("in-reply-to"))
    try:
        _read_body(parsed, mail)
    except UnreadableMail as error:
        error.details = error.details or mail.summary()
        raise
    return mail


def strip_reply_prefix(subject):
    """The subject without "Re:", "AW:", "Fwd:"... in front."""
    return _REPLY_PREFIX.sub("", subject or "")


# -- headers --------------------------------------------------------------------------------------

def _header(headers, name, notes):
    """A header's value as text (``headers``: {lower-case name: first value}): RFC 2047 words decoded, an unknown
    charset read with a fallback."""
    value = headers.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):  # a Header object for undecodable bytes
        value = str(value)
    value = value[:MAX_HEADER_VALUE]
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except (ValueError, LookupError, AssertionError):
        return value
    out = []
    for chunk, charset in chunks:
        out.append(_decode(chunk, charset, notes, f"the {name.title()} header") if isinstance(chunk, bytes) else chunk)
    return "".join(out)


def _first_values(parsed):
    """{lower-case header name: its first value}: one pass, where Message.get walks every header each time."""
    found = {}
    for name, value in parsed.items():
        found.setdefault(name.lower(), value)
    return found


def _collapse(text):
    return " ".join(text.split())


def _date(value, notes):
    if not value.strip():
        return None
    try:
        found = parsedate_to_datetime(value[:200])
    except (TypeError, ValueError, IndexError, OverflowError):
        notes.append(f"its Date header cannot be read ({value[:60]!r})")
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    if not 1990 <= found.year <= 2200:
        notes.append(f"its Date header is out of range ({value[:60]!r})")
        return None
    return found


def _fallback_key(raw, end):
    headers = raw[:end.start()] if end else raw[:4096]
    return "h" + hashlib.sha256(bytes(headers)).hexdigest()[:31]


def _header_summary(head):
    """Sender, subject and date of a message that is not read, so the person can find it."""
    try:
        parsed = message_from_bytes(bytes(head[:MAX_HEADER_BYTES]), policy=policy.compat32)
    except Exception:  # noqa: BLE001  (a summary of a message already refused: best effort)
        return {}
    notes, headers = [], _first_values(parsed)
    return {"from": parseaddr(_header(headers, "from", notes))[1].lower()[:320],
            "subject": _collapse(_header(headers, "subject", notes))[:MAX_SUBJECT],
            "date": _header(headers, "date", notes)[:100]}


# -- body ------------------------------------------------------------------------------------------

def _walk(parsed):
    """(part, depth) of every part, depth first, attachments' inner messages left out."""
    stack = [(parsed, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnreadableMail(f"its parts are nested more than {MAX_DEPTH} deep")
        yield part, depth
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend((child, depth + 1) for child in reversed(children))


def _read_body(parsed, mail):
    plain, html = [], []
    used = 0
    for part, _ in _walk(parsed):
        kind = part.get_content_type()
        if part.is_multipart() or part.get_filename() and kind not in CALENDAR_TYPES:
            continue
        if kind in CALENDAR_TYPES and mail.calendar is None:
            mail.calendar = _calendar(_part_text(part, mail.notes, 200_000))
        elif kind in TEXT_TYPES and used < MAX_TEXT:
            disposition = (part.get("content-disposition") or "").lower()
            if disposition.startswith("attachment"):
                continue
            if kind == "text/plain":
                text = _part_text(part, mail.notes, MAX_TEXT * 4)
                plain.append(text)
            else:
                text = _part_text(part, mail.notes, MAX_HTML)
                html.append(text)
                mail.links.extend(_links(text))
            used += len(text)
    # Most job mail is multipart/alternative: the plain part says it all (the HTML one adds its links), and the
    # HTML is parsed into text only when there is no plain part.
    text = "\n\n".join(plain) if any(p.strip() for p in plain) else "\n\n".join(_html_text(h) for h in html)
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text))[:MAX_TEXT]
    mail.text = text
    links = list(dict.fromkeys(mail.links + _URL.findall(text)))
    mail.links = [link.rstrip(".,;:!?") for link in links[:MAX_LINKS]]


def _part_text(part, notes, limit):
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    if getattr(part, "defects", None):
        for defect in part.defects[:3]:
            notes.append(f"a {part.get_content_type()} part is damaged ({type(defect).__name__}); read what could be")
    return _decode(payload[:limit], part.get_content_charset() or part.get_param("charset") or "", notes,
                   f"a {part.get_content_type()} part")


def _decode(data, charset, notes, where):
    """Bytes to text in their charset; an unknown, refused or wrong one falls back to UTF-8, then Windows-1252."""
    name = (charset or "").strip().strip('"').lower()[:40] if isinstance(charset, str) else ""
    if name in ("", "unknown-8bit", "x-unknown"):
        name = "us-ascii"
    try:
        codec = codecs.lookup(name)
        if codec.name in _REFUSED_CODECS or not getattr(codec, "_is_text_encoding", True):
            raise LookupError(name)
    except LookupError:
        notes.append(f"{where} names a charset Applied does not read ({name!r}); read as UTF-8 or Windows-1252")
        return _fallback(data)
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError:
        if codec.name != "ascii":
            notes.append(f"{where} is not valid {name}; read as UTF-8 or Windows-1252")
        return _fallback(data)
    except Exception:  # noqa: BLE001  (a codec failing otherwise on hostile bytes)
        notes.append(f"{where} cannot be decoded as {name}; read as UTF-8 or Windows-1252")
        return _fallback(data)


def _fallback(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _links(html):
    """The http(s) links of an HTML part, read by one linear pattern (the first MAX_LINKS)."""
    return [html_unescape(m.group(1)) for m in itertools.islice(_HREF.finditer(html, 0, MAX_HTML), MAX_LINKS)]


def _html_text(html):
    """The text of an HTML part: nesting capped, parsed once by lexbor, scripts, styles and quotations dropped."""
    html = cap_depth(html[:MAX_HTML].replace("\x00", ""))
    tree = LexborHTMLParser(html)
    # Quoted earlier messages (a reply's "On ... wrote:") speak for someone else: only this message's words count.
    for node in tree.css("script, style, head, template, blockquote, .gmail_quote, .moz-cite-prefix, #appendonsend"):
        node.decompose()
    root = tree.body or tree.root
    return root.text(separator=" ") if root is not None else ""


# -- calendar invitations ---------------------------------------------------------------------------

def _calendar(text):
    """METHOD, DTSTART, SUMMARY and ORGANIZER of an iCalendar invitation, read line by line (no recursion)."""
    text = re.sub(r"\r?\n[ \t]", "", text[:200_000])  # unfold continued lines
    found, in_event = {}, False
    for line in text.splitlines():
        name, _, value = line.partition(":")
        key = name.split(";", 1)[0].strip().upper()
        if key == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif key == "METHOD":
            found.setdefault("method", value.strip().upper()[:20])
        elif in_event and key == "DTSTART" and "start" not in found:
            digits = re.match(r"\s*(\d{4})(\d{2})(\d{2})", value)
            if digits:
                try:
                    found["start"] = date(*map(int, digits.groups())).isoformat()
                except ValueError:
                    pass
        elif in_event and key == "SUMMARY":
            found.setdefault("summary", value.strip().replace("\\,", ",").replace("\\;", ";")[:200])
        elif in_event and key == "ORGANIZER":
            found.setdefault("organizer", value.strip().lower().removeprefix("mailto:")[:320])
    return found or None


def received_from(value):
    """A datetime from an mbox separator's or an IMAP INTERNALDATE's date, or None."""
    for layout in ("%a %b %d %H:%M:%S %Y", "%d-%b-%Y %H:%M:%S %z"):
        try:
            found = datetime.strptime(value.strip(), layout)
        except ValueError:
            continue
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None
