"""The same job seen twice: applications of the last 90 days at the same company with a close title, and merging two.

A posting shows up on LinkedIn, on Indeed and on the employer's own board, each with its own
URL, so canonical URLs cannot tell it is one job. Company names are compared normalized
("Acme Inc." = "ACME"), titles by rapidfuzz's token-sort ratio (word order and case do not count).
"""
import re
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, utils

from . import applications as apps
from .contacts import TABLE as CONTACTS
from .errors import ValidationError
from .urls import host_of

WINDOW_DAYS = 90
TITLE_SCORE = 85  # token-sort ratio out of 100: "Senior Widget Engineer (Remote)" ~ "Senior Widget Engineer"
# Legal forms and filler words that do not tell two employers apart.
COMPANY_NOISE = frozenset({
    "inc", "incorporated", "llc", "llp", "ltd", "limited", "corp", "corporation", "co", "company", "plc",
    "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "ab", "as", "oy", "spa", "srl", "pty", "kg", "se", "the",
})
_WORD = re.compile(r"[^\W_]+")
SUMMARY = ("id", "title", "company", "status", "applied_at", "source")
INDEX = "company-day"  # see _company_days


def company_key(name):
    """"Acme Inc." → "acme": lower case, punctuation and legal forms dropped ('' when nothing is left)."""
    words = [w for w in _WORD.findall((name or "").casefold()) if w not in COMPANY_NOISE]
    return " ".join(words)


def titles_match(one, other):
    return fuzz.token_sort_ratio(one or "", other or "", processor=utils.default_process) >= TITLE_SCORE


def _day_of(doc):
    return doc.get("applied_at") or (doc.get("created_at") or "")[:10]


def summary(doc):
    """What a capture answer and the popup show of a similar application."""
    out = {key: doc.get(key) for key in SUMMARY}
    out["source"] = doc.get("source") or host_of(doc.get("url") or "") or None
    return out


def _company_days(doc, _value):
    """The ordered index behind find(): (company key, day) for each application with a company."""
    key = company_key(doc.get("company"))
    return ((key, _day_of(doc)),) if key else ()


def find(store, doc, *, today=None, days=WINDOW_DAYS):
    """Other applications of the last ``days`` days that look like the same job as ``doc``, newest first.

    Read from an index by (company, day), so a capture or an application's page looks only at the
    same employer's recent applications, not at every record stored."""
    key = company_key(doc.get("company"))
    if not key or not doc.get("title"):
        return []
    since = ((today or date.today()) - timedelta(days=days)).isoformat()
    urls = ({doc.get("url")} | set(doc.get("urls") or [])) - {None}  # None: logged without an address
    if not store.has_index(apps.TABLE, INDEX):
        store.add_index(apps.TABLE, INDEX, _company_days)
    _, entries = store.index(apps.TABLE, INDEX, lo=(key, since), hi=(key, "\uffff"), reverse=True)
    found = [other for other in store.get_many(apps.TABLE, [doc_id for _, doc_id in entries if doc_id != doc["id"]])
             if other.get("url") not in urls and titles_match(doc["title"], other.get("title"))]
    return [summary(other) for other in found[:10]]


def _merged_history(keep, other, now):
    entries = [*(keep.get("history") or []), *(other.get("history") or [])]
    entries.sort(key=lambda e: (e.get("date") or "", e.get("at") or ""))
    return entries + [{"kind": "merged", "at": now.isoformat(), "date": now.date().isoformat(),
                       "note": f"Merged with #{other['id']} ({other.get('url') or 'logged without an address'})"}]


def merge(store, keep_id, other_id, *, now=None):
    """Fold application ``other_id`` into ``keep_id``: both URLs, both histories, one record; return it.

    Fields the kept record lacks are filled from the other; notes are joined; contacts and
    documents linked to the other are linked to the kept one; then the other is deleted.
    """
    from . import documents  # documents links applications by id

    if keep_id == other_id:
        raise ValidationError("choose two different applications to merge")
    now = now or datetime.now().replace(microsecond=0)
    with store.lock:
        keep, other = apps.get(store, keep_id), apps.get(store, other_id)
        changes = {field: other[field] for field in apps.POSTING_FIELDS
                   if keep.get(field) in (None, [], "") and other.get(field) not in (None, [], "")}
        if apps._review_needed(keep):
            # A field the kept record's review flags, filled from the other's reading (one not
            # flagged there too), is settled, as a correction is (see applications.update).
            flagged = {f for key in ("missing", "guessed") for f in (other.get("review") or {}).get(key) or []}
            settled = {f for f in changes if f not in flagged}
            if settled:
                changes["review"] = apps._reviewed(keep["review"], settled)
        if not keep.get("url") and other.get("url"):
            # Logged by hand, then captured: the capture's address becomes the record's own (its page,
            # copied below, is read again from it by re-extraction).
            changes.update(url=other["url"], source_url=other.get("source_url"))
        url = changes.get("url", keep.get("url"))
        urls = [u for u in [*(keep.get("urls") or []), other.get("url"), *(other.get("urls") or [])]
                if u and u != url]  # an application logged without an address has none to keep
        notes = [n for n in (keep.get("notes"), other.get("notes")) if n]
        changes.update({
            "urls": list(dict.fromkeys(urls)), "history": _merged_history(keep, other, now),
            "capture_ids": list(dict.fromkeys([*(keep.get("capture_ids") or []), *(other.get("capture_ids") or [])])),
            "notes": "".join(notes) or None, "updated_at": now.isoformat(),
            "applied_at": min(filter(None, (keep.get("applied_at"), other.get("applied_at"))), default=None),
        })
        if not keep.get("has_page") and other.get("has_page") and store.has_blob("page", other_id):
            store.put_blob("page", keep_id, store.get_blob("page", other_id))
            changes["has_page"] = True
        if not store.has_blob("description", keep_id) and store.has_blob("description", other_id):
            apps.copy_description(store, other_id, keep_id)
        # The skills skills.demand counts: of the title and description the merged record now has.
        changes["skills"] = apps.stored_skills_of(store, keep_id, changes.get("title", keep.get("title")))
        merged = store.update(apps.TABLE, keep_id, changes)
        _, linked = store.search(CONTACTS, lambda c: other_id in (c.get("application_ids") or []))
        for contact in linked:
            ids = [keep_id if i == other_id else i for i in contact["application_ids"]]
            store.update(CONTACTS, contact["id"], {"application_ids": list(dict.fromkeys(ids))})
        documents.relink(store, other_id, keep_id)
        apps.delete(store, other_id)
    return merged
