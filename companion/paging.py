"""Cursors for paged lists: where a page ended, as an opaque string the client sends back for the next.

A cursor is the sort key and id of the last item shown, so the next page starts right after it
whatever was added or removed meanwhile: no item is shown twice, none is skipped. Lists that also
take ``offset`` keep it (a page number of the web view); ``cursor`` is the way to walk a whole list.
"""
import base64
import binascii
import json

from .errors import ValidationError

MAX_CURSOR = 2000


_SCALARS = (str, int, float)


def encode(key, item_id):
    """The cursor after the item whose sort key (a string, a number, or a tuple of those) and id are these."""
    raw = json.dumps([list(key) if isinstance(key, tuple) else key, item_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor):
    """(key, id) from a cursor this list gave; None for none; a 400 for anything else."""
    if cursor in (None, ""):
        return None
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        key, item_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(key, list) and all(type(part) in _SCALARS for part in key):
            key = tuple(key)
        if type(key) not in (*_SCALARS, tuple) or type(item_id) is not int:
            raise ValueError("not a cursor")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad_cursor() from None
    return key, item_id


def bad_cursor():
    """The one answer to a cursor this list did not give: one that does not decode, or whose key is not of the
    list's shape (found where it is compared: store.comes_after, OrderedIndex.iterate)."""
    return ValidationError("cursor is not one this list gave: start again without it", code="bad_cursor")
