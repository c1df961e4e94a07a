"""Documents as the store hands them out and takes them in: names, checks, copies, JSON equality."""
import json
import re

from companion.errors import ValidationError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # tables, blob kinds and keys: safe file names
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
_CONTAINERS = (dict, list)
_MISSING = object()


def _matches(value, wanted):
    """The one equality rule of find(), the same whether a field is indexed or scanned."""
    return value == wanted or (type(value) is list and wanted in value)


def _same_json(doc, stored):
    # == alone would take True for 1; the JSON tells them apart.
    try:
        return doc == stored and _ENCODER.encode(doc) == _ENCODER.encode(stored)
    except (TypeError, ValueError):
        return False


def _copy(doc):
    """A plain-dict copy of a stored document (or a TinyDB Document), or None."""
    if doc is None:
        return None
    return {k: _clone(v) if type(v) in _CONTAINERS else v for k, v in doc.items()}


def _clone(value):
    """A copy of a JSON structure; cheaper than copy.deepcopy, which must track cycles."""
    if type(value) is dict:
        return {k: _clone(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if type(value) is list:
        return [_clone(v) if type(v) in _CONTAINERS else v for v in value]
    return value


def _check_page(offset, limit):
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError("offset and limit must not be negative")


def _is_id(doc_id):
    # TinyDB looks documents up by str(doc_id): without this, get(table, "3") would find id 3.
    return type(doc_id) is int


def _check_doc(doc):
    if not isinstance(doc, dict):
        raise ValidationError(f"a record must be an object, not {type(doc).__name__}")


def _check_name(name, what):
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationError(f"invalid {what} {name!r}: use letters, digits, '.', '_' and '-'")
    return name
