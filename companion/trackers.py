"""Other trackers' CSV exports: which one a file is (by its headers), and which column holds each field.

Huntr keeps the stage in ``listName`` and the date in ``createdAt``; JobSync writes ``Company``,
``JobTitle``, ``Status`` and ``appliedDate``; any other spreadsheet is read by the common header
names in ``transfer.HEADERS``, and the person can change the column chosen for each field in the
web view's import preview (a ``mapping``) before anything is stored.
"""
from .errors import ValidationError

# The fields an import fills, in the order the preview shows them.
FIELDS = ("url", "title", "company", "status", "applied_at", "locations", "notes", "description")
FIELD_LABELS = {"url": "Posting address", "title": "Role", "company": "Company", "status": "Status",
                "applied_at": "Applied on", "locations": "Location", "notes": "Notes", "description": "Description"}
HUNTR = {"url": "url", "title": "title", "company": "companyName", "status": "listName", "applied_at": "createdAt",
         "locations": "location", "description": "htmlDescription"}
JOBSYNC = {"title": "JobTitle", "company": "Company", "status": "Status", "applied_at": "appliedDate",
           "locations": "Location"}
# Columns that identify a row when the file has no posting address (so importing again finds it).
KEY_COLUMNS = {"huntr": ("id",), "jobsync": ("Company", "JobTitle", "createdAt")}
# The address given to a row without one: .invalid is reserved (RFC 2606), so it never leads anywhere.
NO_URL = "https://import.invalid/{kind}/{key}"


def _squash(text):
    return "".join(ch for ch in (text or "").strip().lower() if ch.isalnum())


def detect(fieldnames):
    """"huntr", "jobsync" or "generic", from a CSV's header row."""
    names = set(fieldnames)
    if {"listName", "createdAt", "companyName", "title"} <= names:
        return "huntr"
    if {"JobTitle", "Company", "Status", "appliedDate"} <= names:
        return "jobsync"
    return "generic"


def mapping_for(kind, fieldnames, headers):
    """{field: column or None} for this file; ``headers`` maps squashed header names to fields (generic files)."""
    if kind == "huntr":
        known = HUNTR
    elif kind == "jobsync":
        known = JOBSYNC
    else:
        known = {}
        for name in fieldnames:
            field = headers.get(_squash(name))
            if field and field not in known:
                known[field] = name
    return {field: known.get(field) if known.get(field) in fieldnames else None for field in FIELDS}


def check_mapping(mapping, fieldnames):
    """A mapping the person chose in the preview: each field names one of the file's columns, or null."""
    if not isinstance(mapping, dict):
        raise ValidationError("mapping must be an object {field: column name or null}", code="bad_import")
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValidationError(f"mapping has unknown field(s) {', '.join(sorted(unknown))}; fields are: "
                              f"{', '.join(FIELDS)}", code="bad_import")
    for field, column in mapping.items():
        if column is not None and column not in fieldnames:
            raise ValidationError(f"the file has no column {str(column)[:80]!r} (for {field})", code="bad_import")
    return {field: mapping.get(field) for field in FIELDS}
