"""Export and import: a JSON backup that round-trips, a spreadsheet-friendly CSV, other trackers' CSVs.

A JSON export holds every application with its history and description; importing it
again restores them as they were. CSV import reads our own export and the common headers
of other trackers' exports ("Company", "Job Title", "Status", "Date Applied", "Link"...).
Rows whose posting is already stored (same canonical URL) are skipped, so importing twice is safe.
"""
import csv
import hashlib
import io
import itertools
import re
from datetime import datetime, UTC

from . import applications as apps
from . import pipeline, reasons, trackers
from .errors import AppliedError, ValidationError
from .sanitize import clean_html, html_to_text
from .urls import canonical_url

FORMAT = "applied-export"
CSV_FIELDS = ("id", "title", "company", "status", "applied_at", "url", "locations", "remote", "employment_type",
              "salary_min", "salary_max", "salary_currency", "salary_period", "date_posted", "valid_through",
              "source", "method", "updated_at", "next_followup_due", "next_followup", "notes")
# Header names (compared lower-cased, without spaces, dashes or underscores) → our field.
HEADERS = {
    "url": "url", "link": "url", "joburl": "url", "joblink": "url", "postingurl": "url", "jobposting": "url",
    "applicationlink": "url", "website": "url", "postinglink": "url", "jobpostingurl": "url",
    "company": "company", "companyname": "company", "employer": "company", "organization": "company",
    "title": "title", "jobtitle": "title", "position": "title", "role": "title", "job": "title",
    "positiontitle": "title",
    "status": "status", "stage": "status", "applicationstatus": "status",
    "appliedat": "applied_at", "dateapplied": "applied_at", "applied": "applied_at", "applieddate": "applied_at",
    "applicationdate": "applied_at", "dateofapplication": "applied_at",
    "dateadded": "saved_at", "added": "saved_at", "createdat": "saved_at", "created": "saved_at",
    "datecreated": "saved_at", "datesaved": "saved_at", "saved": "saved_at", "savedat": "saved_at",
    "lastmovedat": "moved_at", "statusdate": "moved_at", "stagedate": "moved_at", "datemoved": "moved_at",
    "statuschanged": "moved_at", "lastmoved": "moved_at",
    "salary": "salary", "pay": "salary", "compensation": "salary", "salaryrange": "salary", "wage": "salary",
    "deadline": "valid_through", "closingdate": "valid_through", "closes": "valid_through", "duedate": "valid_through",
    "applicationdeadline": "valid_through", "validthrough": "valid_through",
    "remote": "remote", "workplacetype": "remote", "workplace": "remote", "worktype": "remote", "workmode": "remote",
    "jobtype": "employment_type", "employmenttype": "employment_type", "contracttype": "employment_type",
    "contact": "contact", "contactname": "contact", "recruiter": "contact", "recruitername": "contact",
    "contactperson": "contact", "hiringmanager": "contact", "referrer": "contact",
    "contactemail": "contact_email", "recruiteremail": "contact_email", "email": "contact_email",
    "emailaddress": "contact_email",
    "notes": "notes", "note": "notes", "comments": "notes", "description": "notes",
    "location": "locations", "locations": "locations",
}
# Other trackers' words for our statuses.
STATUS_WORDS = {
    "wishlist": "saved", "bookmarked": "saved", "saved": "saved", "interested": "saved", "todo": "saved",
    "applied": "applied", "submitted": "applied", "applying": "applied",
    "screening": "screening", "phonescreen": "screening", "screen": "screening", "recruiterscreen": "screening",
    "interview": "interviewing", "interviewing": "interviewing", "interviewed": "interviewing",
    "offer": "offer", "offered": "offer", "negotiating": "offer",
    "accepted": "accepted", "hired": "accepted",
    "rejected": "rejected", "declined": "rejected", "notselected": "rejected",
    "withdrawn": "withdrawn", "withdrew": "withdrawn",
    "ghosted": "ghosted", "noresponse": "ghosted", "archived": "archived",
    "draft": "saved", "expired": "archived",  # JobSync
}
DATE_FORMATS = ("%Y-%m-%d", "%b %d %Y", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _squash(text):
    return "".join(ch for ch in text.strip().lower() if ch.isalnum())


def spreadsheet_cell(value):
    """A spreadsheet-safe cell: a leading = + - @ would run as a formula, so it gets a quote mark."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(applications, next_followups):
    """One row per application; ``next_followups`` maps an id to its next suggestion (or None)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for doc in applications:
        salary = doc.get("salary") or {}
        upcoming = next_followups.get(doc["id"]) or {}
        row = {**doc, "locations": "; ".join(doc.get("locations") or []),
               "salary_min": salary.get("min"), "salary_max": salary.get("max"),
               "salary_currency": salary.get("currency"), "salary_period": salary.get("period"),
               "next_followup_due": upcoming.get("due"), "next_followup": upcoming.get("title"),
               "notes": html_to_text(doc.get("notes") or "").strip()}
        writer.writerow([spreadsheet_cell(row.get(field)) for field in CSV_FIELDS])
    return out.getvalue()


def _csv_day(text):
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):  # a Unix timestamp, in seconds or (JavaScript) milliseconds
        stamp = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(stamp, UTC).date().isoformat()
    if len(text) > 10 and text[:4].isdigit():
        text = text[:10]  # an ISO timestamp
    elif len(text) > 15 and text[:3].isalpha() and text[3:4] == " " and text[11:15].isdigit():
        text = text[4:15]  # JavaScript's Date string: "Wed May 01 2024 10:00:00 GMT+0200"
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValidationError(f"cannot read the date {text[:40]!r}; write it YYYY-MM-DD")


def read_csv(text, mapping=None, *, strict=True):
    """Read a CSV (ours, Huntr's, JobSync's or any spreadsheet's) without storing anything.

    ``strict``: a spreadsheet without a URL column is refused unless the person chose its columns
    (``mapping``); the preview reads it anyway, with the columns it detected.

    Returns {kind, columns, mapping, rows}: which tracker wrote it, its header row, the column
    read for each field (``mapping`` given by the person, or detected from the headers) and
    [(line number, row or AppliedError)], each row as :func:`_row` makes it.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise ValidationError(f"the CSV file's header row cannot be read ({error})", code="bad_import") from None
    if not fieldnames:
        raise ValidationError("the CSV file has no header row", code="bad_import")
    fieldnames = [name or "" for name in fieldnames]
    kind = trackers.detect(fieldnames)
    if mapping is not None:
        chosen = trackers.check_mapping(mapping, fieldnames)
    else:
        chosen = trackers.mapping_for(kind, fieldnames, HEADERS)
        if kind == "generic" and not chosen["url"] and not strict:
            mapping = chosen  # as if the person had chosen these columns: rows are keyed by their other columns
        elif kind == "generic" and not chosen["url"]:
            raise ValidationError("the CSV file needs a URL column (url, link, job url...): Applied keys each "
                                  "application by its posting's address; or choose the columns in the web "
                                  "view's Import page", code="bad_import")
    columns = {field: column for field, column in chosen.items() if column}
    # Rows without an address are kept, keyed by their other columns, unless a spreadsheet was read
    # by its URL column alone: there, a row without one is more likely a mistake, and is reported.
    keyed = kind != "generic" or mapping is not None
    rows = []
    for number in itertools.count(2):
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # A row the csv module cannot read (a cell over its 128 KB limit): report it, keep the others.
            rows.append((number, ValidationError(f"this row cannot be read ({error})")))
            continue
        values = {}
        for field, column in columns.items():
            value = (raw.get(column) or "").strip()
            if value:
                values[field] = value[1:] if value.startswith("'") and value[1:2] in FORMULA_START else value
        try:
            key = _key_for(kind, raw, values) if keyed and not values.get("url") else None
            rows.append((number, _row(kind, raw, values, key)))
        except AppliedError as error:
            rows.append((number, error))
    return {"kind": kind, "columns": fieldnames, "mapping": chosen, "rows": rows}


def _key_for(kind, raw, values):
    """A stable key for a row without an address, so that importing the file again finds it."""
    key_columns = trackers.KEY_COLUMNS.get(kind)
    parts = [raw.get(c) or "" for c in key_columns] if key_columns else \
        [values.get(f, "") for f in ("company", "title", "applied_at")]
    if not any(p.strip() for p in parts):
        raise ValidationError("no URL, and nothing else that tells this row apart")
    digest = hashlib.sha256("\x1f".join(p.strip().casefold() for p in parts).encode()).hexdigest()[:20]
    return f"{kind}/{digest}"


def _row(kind, raw, values, key):
    """One row as an import stores it: {capture, key, dates, fields, locations, description, contact}.

    ``capture`` is what apps.capture takes; ``key`` identifies a row without an address; ``dates``
    the days the file knows ({applied, saved, moved}: the history is made from them when the row is
    written, see pipeline.imported_history); ``fields`` the posting's other fields, checked.
    """
    if not values.get("url") and not key:
        raise ValidationError("no URL")
    if not values.get("url") and not (values.get("title") or values.get("company")):
        raise ValidationError("no posting address, role or company: nothing says what this row is")
    status = STATUS_WORDS.get(_squash(values.get("status", "applied")))
    if status is None:
        raise ValidationError(f"unknown status {values['status']!r}")
    dates = {name: _csv_day(values.get(field, "")) for name, field in
             (("applied", "applied_at"), ("saved", "saved_at"), ("moved", "moved_at"))}
    if status == "saved":
        dates["applied"] = None
    payload = {"url": values.get("url"), "status": status, "title": values.get("title"),
               "company": values.get("company")}
    fields = _posting_fields(kind, raw, values)
    notes = [values["notes"]] if values.get("notes") else []
    if values.get("salary") and "salary" not in fields:
        notes.append(f"Pay: {values['salary']}")  # as the file says it, when it is no amount Applied can read
    if notes:
        payload["notes"] = "".join("<p>" + n.replace("&", "&amp;").replace("<", "&lt;") + "</p>" for n in notes)
    description = None
    if values.get("description"):
        html = clean_html(values["description"])
        description = {"html": html, "text": html_to_text(html)}
    contact = None
    if values.get("contact") or values.get("contact_email"):
        contact = {"name": (values.get("contact") or values.get("contact_email"))[:200],
                   "email": values.get("contact_email")}
    return {"capture": {k: v for k, v in payload.items() if v is not None}, "key": key, "dates": dates,
            "fields": fields, "locations": values.get("locations"), "description": description, "contact": contact}


REMOTE_WORDS = {"remote": "remote", "fullyremote": "remote", "wfh": "remote", "hybrid": "hybrid",
                "onsite": "onsite", "office": "onsite", "inoffice": "onsite", "inperson": "onsite"}
EMPLOYMENT_WORDS = {"fulltime": "full_time", "ft": "full_time", "permanent": "full_time", "parttime": "part_time",
                    "pt": "part_time", "contract": "contract", "contractor": "contract", "freelance": "contract",
                    "temporary": "temporary", "temp": "temporary", "internship": "internship", "intern": "internship"}


def _posting_fields(kind, raw, values):
    """The posting's fields a row gives beyond role and company, as apps.EDITABLE takes them."""
    fields = {}
    if values.get("valid_through"):
        fields["valid_through"] = _csv_day(values["valid_through"])
    for field, words in (("remote", REMOTE_WORDS), ("employment_type", EMPLOYMENT_WORDS)):
        word = words.get(_squash(values.get(field, "")))
        if word:
            fields[field] = word
    salary = _salary_columns(raw) if kind == "applied" else parse_salary(values.get("salary", ""))
    if salary:
        fields["salary"] = salary
    if kind == "applied":  # our own export: read back what it wrote
        if (raw.get("date_posted") or "").strip():
            fields["date_posted"] = _csv_day(raw["date_posted"])
        if (raw.get("method") or "").strip() in apps.SEND_METHODS:
            fields["method"] = raw["method"].strip()
        if (raw.get("source") or "").strip():
            fields["source"] = raw["source"].strip()[:40]
    return fields


def _salary_columns(raw):
    """Our own export's pay: salary_min, salary_max, salary_currency and salary_period."""
    try:
        amounts = {k: float(raw.get(f"salary_{k}") or "nan") for k in ("min", "max")}
    except ValueError:
        return None
    amounts = {k: (int(v) if v.is_integer() else v) if v == v else None for k, v in amounts.items()}
    if amounts["min"] is None and amounts["max"] is None:
        return None
    return apps.EDITABLE["salary"]({**amounts, "currency": (raw.get("salary_currency") or "").strip() or None,
                                    "period": (raw.get("salary_period") or "").strip() or None})


CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
PERIOD_WORDS = (("hour", "hour"), ("/hr", "hour"), ("/h", "hour"), ("day", "day"), ("week", "week"),
                ("month", "month"), ("/mo", "month"), ("year", "year"), ("annual", "year"), ("/yr", "year"),
                ("p.a", "year"), ("/y", "year"))
_AMOUNT = re.compile(r"(\d[\d,.' ]*\d|\d)\s*([kK])?")


def parse_salary(text):
    """Pay written as people write it ("$100,000 - $120,000", "90k-110k EUR", "55.000 €/year", "42/hr")
    as {min, max, currency, period}; None when no amount can be read."""
    text = (text or "").strip()
    if not text:
        return None
    amounts = []
    for number, thousands in _AMOUNT.findall(text):
        digits = number.replace(" ", "").replace("'", "")
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
            digits = re.sub(r"[.,]", "", digits)  # 100,000 or 55.000: thousands
        else:
            digits = digits.replace(",", ".")
        try:
            amount = float(digits)
        except ValueError:
            continue
        amounts.append(amount * (1000 if thousands else 1))
    if not amounts:
        return None
    low, high = min(amounts[:2]), max(amounts[:2])
    lowered = text.casefold()
    code = next((c for c in re.findall(r"[A-Za-z]{3}", text) if c.upper() in ISO_CURRENCIES), None)
    currency = code.upper() if code else next((CURRENCY_SIGNS[sign] for sign in CURRENCY_SIGNS if sign in text), None)
    period = next((p for word, p in PERIOD_WORDS if word in lowered), None)
    as_number = lambda v: int(v) if float(v).is_integer() else round(v, 2)  # noqa: E731
    return {"min": as_number(low), "max": as_number(high), "currency": currency, "period": period}


# The currencies pay is written in most often, by their ISO 4217 codes.
ISO_CURRENCIES = frozenset({"USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "JPY", "INR",
                            "BRL", "MXN", "SGD", "HKD", "ZAR", "CZK", "HUF", "RON", "ILS", "AED", "CNY", "KRW"})


def rows_from_csv(text):
    """Capture payloads from a CSV (ours or another tracker's); [(line number, row or error)]."""
    return read_csv(text)["rows"]


def _plain(entry, field):
    value = entry.get(field)
    return value if isinstance(value, str) else None


def _entry(entry):
    """One history entry from a backup, rebuilt from the fields its kind has; None when it is not one."""
    if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
        return None
    kind = entry["kind"][:40]
    day = entry.get("date")
    if day is not None:
        day = pipeline.parse_day(day, "a history entry's date").isoformat()
    clean = {"kind": kind, "at": (_plain(entry, "at") or "")[:40] or None, "date": day}
    if kind == "status":
        if entry.get("to") not in pipeline.STATUSES or entry.get("from") not in (None, *pipeline.STATUSES):
            return None
        clean.update({"from": entry.get("from"), "to": entry["to"]})
        if entry.get("imported") is True:
            clean["imported"] = True  # dated the day it was imported: the file did not say when
    elif kind == "followup":
        if not isinstance(entry.get("key"), str) or entry.get("action") not in ("done", "snooze", "dismiss"):
            return None
        clean.update({"key": entry["key"][:60], "action": entry["action"],
                      "followup_kind": (_plain(entry, "followup_kind") or "")[:40] or None})
        if entry.get("catch_up") is True:
            clean["catch_up"] = True
        if entry.get("caught_up") is not None:  # a catch-up's day: what comes next counts from it
            clean["caught_up"] = pipeline.parse_day(entry["caught_up"], "a catch-up's day").isoformat()
        if entry.get("until") is not None:
            clean["until"] = pipeline.parse_day(entry["until"], "a snooze's until").isoformat()
    elif kind == "reason":
        codes = entry.get("codes") if isinstance(entry.get("codes"), list) else []
        clean.update({"codes": [c for c in codes if isinstance(c, str) and c in reasons.REASONS],
                      "text": (_plain(entry, "text") or "")[:2000]})
    else:
        # Kinds this version does not know (or other features' entries): keep their plain values only.
        clean.update({k[:40]: v for k, v in entry.items() if k not in clean and isinstance(k, str)
                      and (v is None or isinstance(v, (bool, int, float)) or isinstance(v, str) and len(v) <= 2000)})
    if _plain(entry, "note"):
        clean["note"] = entry["note"][:2000]
    return {k: v for k, v in clean.items() if v is not None or k in ("from", "date")}


def _history(entries):
    if not isinstance(entries, list):
        raise ValidationError("history must be a list")
    return [kept for kept in map(_entry, entries[:5000]) if kept]


def _restored(doc):
    """The record's own bookkeeping from a backup: timestamps, flags and which fields the person edited."""
    out = {}
    for field in ("created_at", "updated_at", "captured_at"):
        value = doc.get(field)
        if isinstance(value, str):
            try:
                out[field] = datetime.fromisoformat(value).isoformat()
            except ValueError:
                raise ValidationError(f"{field} must be an ISO date and time, not {value[:40]!r}") from None
    if isinstance(doc.get("not_a_posting"), bool):
        out["not_a_posting"] = doc["not_a_posting"]  # the raw page is not exported, so has_page stays False
    if isinstance(doc.get("edited"), list):
        out["edited"] = sorted({f for f in doc["edited"] if f in apps.POSTING_FIELDS})
    if isinstance(doc.get("source"), str):
        out["source"] = doc["source"][:40]
    if isinstance(doc.get("import_key"), str) and doc["import_key"].strip():
        out["import_key"] = doc["import_key"][:100]  # a row imported without an address: a second import finds it
    if doc.get("imported_at") is not None:
        out["imported_at"] = pipeline.parse_day(doc["imported_at"], "imported_at").isoformat()
    if isinstance(doc.get("urls"), list):  # the other addresses of a merged application
        out["urls"] = [canonical_url(u) for u in doc["urls"][:50] if isinstance(u, str) and u.strip()]
    review = _review(doc.get("review"))
    if review:
        out["review"] = review  # still to check, or confirmed: as it was, not as a page-less capture judges it
    return out


def _review(review):
    """A capture's review flag from a backup (see applications.review_of), rebuilt from what it may hold."""
    if not isinstance(review, dict) or not isinstance(review.get("needed"), bool):
        return None
    out = {"needed": review["needed"],
           "missing": [f for f in review.get("missing") or [] if f in apps.REVIEWED_FIELDS]
           if isinstance(review.get("missing"), list) else [],
           "guessed": [f for f in review.get("guessed") or [] if f in apps.POSTING_FIELDS]
           if isinstance(review.get("guessed"), list) else [],
           "looks_like_posting": review.get("looks_like_posting") is not False}
    if isinstance(review.get("reason"), str) and review["reason"].strip():
        out["reason"] = review["reason"][:500]
    if isinstance(review.get("confirmed_at"), str):
        try:
            out["confirmed_at"] = datetime.fromisoformat(review["confirmed_at"]).isoformat()
        except ValueError:
            raise ValidationError("review.confirmed_at must be an ISO date and time") from None
    return out


def _description(doc):
    html, text = doc.get("description_html"), doc.get("description_text")
    if not isinstance(html, str) and not isinstance(text, str):
        return None
    html = clean_html(html) if isinstance(html, str) else ""
    return html, text if isinstance(text, str) else html_to_text(html)


def restore(store, doc, today):
    """Import one application from a JSON export; return (application, created).

    Everything is checked before anything is stored, so a bad item leaves no half-made record.
    """
    if not isinstance(doc, dict):
        raise ValidationError("each application must be an object")
    pipeline.check_status(doc.get("status"))
    payload = {"url": doc.get("url") or doc.get("source_url"), "status": doc["status"],
               "title": doc.get("title"), "company": doc.get("company"), "applied_at": doc.get("applied_at")}
    changes = {field: apps.EDITABLE[field](doc[field]) for field in apps.EDITABLE if field in doc}
    changes.update(_restored(doc))
    if "history" in doc:
        changes["history"] = _history(doc["history"])
    if changes.get("locations") is None:
        changes.pop("locations", None)
    description = _description(doc)
    with store.lock:
        key = changes.pop("import_key", None)
        created, duplicate, _ = apps.capture(store, {k: v for k, v in payload.items() if v is not None},
                                             today=today, key=key)
        if duplicate:
            return created, False
        try:
            restored = store.update(apps.TABLE, created["id"], changes)
        except AppliedError:
            apps.delete(store, created["id"])  # e.g. a number JSON cannot hold: leave no half-made record
            raise
        if description:
            restored = apps.put_description(store, created["id"], *description)
    return restored, True


def export_document(applications, now=None, documents=None):
    """A JSON backup: the applications with their history, and the documents sent with them (their files
    in base64, linked by the applications' ids in this backup; see documents.exported)."""
    return {"format": FORMAT, "version": 1, "exported_at": (now or datetime.now()).replace(microsecond=0).isoformat(),
            "applications": applications, "documents": [] if documents is None else documents}

