"""Other trackers' CSV exports: which one a file is (by its headers), and which column holds each field.

Huntr keeps the stage in ``listName``, the day a card was made in ``createdAt`` and the day it reached
its list in ``lastMovedAt``; JobSync writes ``Company``, ``JobTitle``, ``Status``, ``appliedDate`` and
``createdAt``; our own export is read back as written; any other spreadsheet is read by the common header
names in ``transfer.HEADERS``, and the person can change the column chosen for each field in the
web view's import preview (a ``mapping``) before anything is stored.
"""
from .errors import ValidationError

# The fields an import fills, in the order the preview shows them.
FIELDS = ("url", "title", "company", "status", "applied_at", "saved_at", "moved_at", "locations", "salary",
          "valid_through", "remote", "employment_type", "contact", "contact_email", "notes", "description")
FIELD_LABELS = {"url": "Posting address", "title": "Role", "company": "Company", "status": "Status",
                "applied_at": "Applied on", "saved_at": "Added on", "moved_at": "At this stage since",
                "locations": "Location", "salary": "Pay", "valid_through": "Closes on", "remote": "Work (on site, remote)",
                "employment_type": "Type", "contact": "Contact", "contact_email": "Contact's email", "notes": "Notes",
                "description": "Description"}
# Huntr: createdAt is the day the card was made (the day it was saved, or applied to when it was made in
# an applied list); lastMovedAt the day it reached the list it is in; deadline the day the posting closes.
HUNTR = {"url": "url", "title": "title", "company": "companyName", "status": "listName", "applied_at": "createdAt",
         "saved_at": "createdAt", "moved_at": "lastMovedAt", "locations": "location", "salary": "salary",
         "valid_through": "deadline", "notes": "notes", "description": "htmlDescription"}
JOBSYNC = {"title": "JobTitle", "company": "Company", "status": "Status", "applied_at": "appliedDate",
           "saved_at": "createdAt", "locations": "Location", "remote": "workplaceType", "employment_type": "jobType"}
# Our own CSV export (transfer.CSV_FIELDS): read back as it was written; its pay is four columns.
APPLIED = {"url": "url", "title": "title", "company": "company", "status": "status", "applied_at": "applied_at",
           "locations": "locations", "valid_through": "valid_through", "remote": "remote",
           "employment_type": "employment_type", "notes": "notes"}
KNOWN = {"huntr": HUNTR, "jobsync": JOBSYNC, "applied": APPLIED}
# Columns that identify a row when the file has no posting address (so importing again finds it).
KEY_COLUMNS = {"huntr": ("id",), "jobsync": ("Company", "JobTitle", "createdAt"),
               "applied": ("company", "title", "applied_at")}
# A row without an address is stored without one, and keeps "{kind}/{key}" as its import_key.


def _squash(text):
    return "".join(ch for ch in (text or "").strip().lower() if ch.isalnum())


def detect(fieldnames):
    """"huntr", "jobsync", "applied" (our own export) or "generic", from a CSV's header row."""
    names = set(fieldnames)
    if {"listName", "createdAt", "companyName", "title"} <= names:
        return "huntr"
    if {"JobTitle", "Company", "Status", "appliedDate"} <= names:
        return "jobsync"
    if {"id", "title", "company", "status", "applied_at", "url", "next_followup_due"} <= names:
        return "applied"
    return "generic"


def mapping_for(kind, fieldnames, headers):
    """{field: column or None} for this file: a known tracker's own columns first, then, for the fields it
    does not name, the common header names (``headers`` maps squashed names to fields)."""
    known = {field: column for field, column in KNOWN.get(kind, {}).items() if column in fieldnames}
    taken = set(known.values())
    for name in fieldnames:
        field = headers.get(_squash(name))
        if field and field not in known and name not in taken and (kind == "generic" or field not in KNOWN[kind]):
            known[field] = name
            taken.add(name)
    return {field: known.get(field) for field in FIELDS}


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
