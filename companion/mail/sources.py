"""Messages in local files: an mbox file (Thunderbird's local folders, Google Takeout), a Maildir folder, a folder
of .eml files, one .eml.

Each is read one message at a time, so memory stays flat whatever the file's size: an mbox is read
line by line from a byte offset (an import goes on where its last step ended), and a message over
``message.MAX_BYTES`` keeps only its headers (it is reported, not read). Nothing here writes to
the files.
"""
import os
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

from ..errors import ValidationError
from .message import MAX_BYTES, MAX_HEADER_BYTES


@dataclass
class Item:
    """One message as a source gives it: where it is (for the person), its bytes, its whole size.

    ``raw`` holds only the head of a message bigger than MAX_BYTES; ``position`` is where the next
    message starts (an mbox's byte offset, a Maildir's index), to go on from there."""

    where: str
    raw: bytes
    size: int
    received: datetime | str | None = None  # an mbox separator's date stays text until needed
    position: int = 0


def open_source(path):
    """("mbox" | "maildir" | "folder" | "eml", Path) for a path the person gave, or a clear error."""
    try:
        path = Path(path).expanduser()
    except RuntimeError:  # "~someone" of no user on this machine
        raise ValidationError(f"{path}: no such user's home folder on this computer", code="not_a_mailbox") from None
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            return "maildir", path
        if any(path.glob("*.eml")):
            return "folder", path
        raise ValidationError(f"{path} is a folder but neither a Maildir (no cur/ or new/ inside) nor a folder "
                              "of .eml files", code="not_a_mailbox")
    if not path.is_file():
        raise ValidationError(f"{path} does not exist", code="not_a_mailbox")
    try:
        with open(path, "rb") as handle:
            start = handle.read(5)
    except OSError as error:
        raise ValidationError(f"{path} cannot be read ({error.strerror or error})", code="not_a_mailbox") from None
    if start == b"From ":
        return "mbox", path
    if not start:
        raise ValidationError(f"{path} is empty", code="not_a_mailbox")
    return "eml", path


def items(kind, path, start=0):
    """The messages of a source, from ``start`` (an mbox's byte offset, a Maildir's index)."""
    if kind == "mbox":
        return mbox_items(path, start)
    if kind in ("maildir", "folder"):
        return maildir_items(path, start)
    return eml_items(path) if start == 0 else iter(())


def mbox_items(path, start=0):
    """Each message of an mbox file from byte offset ``start`` (which must be a separator line's)."""
    name = Path(path).name
    with open(path, "rb") as handle:
        handle.seek(start)
        offset, number = start, 0
        lines, size, received, oversized = None, 0, None, False
        previous_blank = True
        for line in handle:
            line_start, offset = offset, offset + len(line)
            if line.startswith(b"From ") and previous_blank:
                if lines is not None:
                    number += 1
                    yield _mbox_item(name, number, lines, size, received, line_start)
                lines, size, received, oversized = [], 0, _separator_date(line), False
            elif lines is not None:
                if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
                    line = line[1:]  # mboxrd: a body line that began "From " was written ">From "
                size += len(line)
                if not oversized:
                    lines.append(line)
                    if size > MAX_BYTES:  # keep its headers only, to name it
                        oversized, lines = True, _head(lines)
            previous_blank = line in (b"\n", b"\r\n")
        if lines is not None:
            number += 1
            yield _mbox_item(name, number, lines, size, received, offset)


def _head(lines):
    """The header lines of a message's lines (up to MAX_HEADER_BYTES)."""
    head, kept = [], 0
    for line in lines:
        if line in (b"\n", b"\r\n") or kept > MAX_HEADER_BYTES:
            break
        head.append(line)
        kept += len(line)
    return head + [b"\n"]


def _mbox_item(name, number, lines, size, received, end):
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the blank line before the next separator belongs to the file, not the message
    return Item(f"message {number} of {name}", b"".join(lines), size, received, end)


def _separator_date(line):
    """The date on an mbox separator line ("From sender Mon Jan  1 09:00:00 2026"), as text: read only when
    a message has no Date header of its own (see message.read)."""
    words = line.decode("ascii", "replace").split()
    return " ".join(words[-5:]) if len(words) >= 6 else None


def maildir_items(path, start=0):
    """Each message file in a Maildir's cur/ and new/ (tmp/ is still being written), or each .eml of a folder, by
    name, from index ``start``."""
    names = []
    for sub in ("cur", "new"):
        folder = Path(path) / sub
        if folder.is_dir():
            names += [(entry.name, folder / entry.name) for entry in os.scandir(folder) if entry.is_file()]
    if not names:  # a folder of .eml files (saved from a mail program)
        names = [(entry.name, Path(entry.path)) for entry in os.scandir(path) if entry.name.endswith(".eml") and entry.is_file()]
    names.sort()
    for index, (name, file) in enumerate(names[start:], start):
        yield _file_item(f"{file.parent.name}/{name}", file, index + 1)


def eml_items(path):
    yield _file_item(Path(path).name, Path(path), 1)


def _file_item(where, file, position):
    size = file.stat().st_size
    with open(file, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1 if size <= MAX_BYTES else MAX_HEADER_BYTES)
    received = datetime.fromtimestamp(file.stat().st_mtime, UTC)
    return Item(where, raw, max(size, len(raw)), received, position)
