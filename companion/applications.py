"""Applications: capture a posting, find it again, change it, forget it.

The one place that knows what an application record holds. The HTTP API, the
web view and the CLI all call these functions, so a capture made from the
extension, the web view or `applied add` is the same capture.
"""
import json
import logging
from datetime import date, datetime

from . import documents, paging, pipeline, skills, validate
from .errors import AppliedError, NotAPosting, NotFound, ValidationError
from .sanitize import clean_html, html_to_text
from .store import comes_after
from .store.words import words
from .urls import canonical_url

log = logging.getLogger(__name__)

TABLE = "applications"
BLOB_KINDS = ("page", "description")  # the saved page and the description, under the application's id
POSTING_FIELDS = ("title", "company", "locations", "remote", "employment_type", "salary",
                  "date_posted", "valid_through", "apply_url", "company_logo", "source")
REMOTE_VALUES = ("remote", "hybrid", "onsite")
EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "temporary", "internship", "other")
SALARY_PERIODS = ("hour", "day", "week", "month", "year")
# How an application was sent, as a work-search report asks it: a capture of a posting was sent online;
# one logged by hand says it (or says nothing, and the report says it was not recorded).
SEND_METHODS = ("online", "email", "in person", "phone", "post")
MAX_NOTES = 100_000
MAX_CAPTURE_ID = 100
# A bulk change takes any number of ids, made this many at a time: one fsync each, and other
# requests go on between two batches.
BULK_BATCH = 500
# What a person must know to follow up: when the page does not give these, the capture asks for review.
REVIEWED_FIELDS = ("title", "company")
# What a capture may carry (POST /api/applications; add by URL takes the same, without html).
CAPTURE_FIELDS = ("url", "html", "status", "applied_at", "title", "company", "locations", "capture_id", "notes",
                  "method", "ask_first")
# The extension's token sees and sends only what the extension shows and the popup edits (extension/api.js,
# popup.js, capture.js): never the person's notes, history or anything else of the record.
EXTENSION_SEES = ("id", "url", "title", "company", "locations", "status", "applied_at", "allowed_moves", "review",
                  "not_a_posting")
EXTENSION_CAPTURES = ("url", "html", "status", "title", "company", "locations", "capture_id", "ask_first")
EXTENSION_EDITS = ("status", "title", "company", "locations")


def _now():
    return datetime.now().replace(microsecond=0)


# -- validation of what clients send ---------------------------------------------------------

def _choice(value, field, choices):
    if value is None:
        return None
    if value not in choices:
        raise ValidationError(f"{field} must be one of: {', '.join(choices)} (or null)")
    return value


def _salary(value):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError("salary must be an object {min, max, currency, period} or null")
    amounts = {}
    for key in ("min", "max"):
        amount = value.get(key)
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0):
            raise ValidationError(f"salary.{key} must be a positive number or null")
        amounts[key] = amount
    currency = value.get("currency")
    if currency is not None and (not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha()):
        raise ValidationError("salary.currency must be a three-letter ISO 4217 code such as USD")
    return {**amounts, "currency": currency.upper() if currency else None,
            "period": _choice(value.get("period"), "salary.period", SALARY_PERIODS)}


def _locations(value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("locations must be a list of strings")
    return [item.strip()[:200] for item in value if item.strip()][:50]


def _day_or_none(value, field):
    return None if value is None else pipeline.parse_day(value, field).isoformat()


def _url_or_none(value, field):
    return None if value in (None, "") else canonical_url(validate.text(value, field, limit=4000))


# Each editable field and the function that checks a client's value for it.
EDITABLE = {
    "title": lambda v: validate.text(v, "title", limit=500),
    "company": lambda v: validate.text(v, "company", limit=500),
    "locations": _locations,
    "remote": lambda v: _choice(v, "remote", REMOTE_VALUES),
    "employment_type": lambda v: _choice(v, "employment_type", EMPLOYMENT_TYPES),
    "salary": _salary,
    "date_posted": lambda v: _day_or_none(v, "date_posted"),
    "valid_through": lambda v: _day_or_none(v, "valid_through"),
    "applied_at": lambda v: _day_or_none(v, "applied_at"),
    "apply_url": lambda v: _url_or_none(v, "apply_url"),
    "method": lambda v: _choice(v, "method", SEND_METHODS),
    "notes": lambda v: clean_html(validate.text(v, "notes", limit=MAX_NOTES) or ""),
}


# -- reading --------------------------------------------------------------------------------

def public(doc, *, with_description=False, store=None):
    """The application as clients see it (big fields only when asked for)."""
    out = dict(doc)
    out.pop("capture_ids", None)
    out.pop("skills", None)  # what skills.demand counts; the API shows them there
    out["allowed_moves"] = pipeline.allowed_moves(doc)
    if with_description and store is not None:
        out.update(description(store, doc["id"]))
    return out


def as_extension_sees(application):
    """A public application cut to what the extension shows (its token's answers carry no more)."""
    return {key: application[key] for key in EXTENSION_SEES if key in application}


def _stored_description(store, application_id):
    """The description blob as stored: {"html", "text"} (empty when there is none); its plain text is
    description_text's."""
    raw = store.get_blob("description", application_id)
    return json.loads(raw) if raw else {}


def description(store, application_id):
    stored = _stored_description(store, application_id)
    html = stored.get("html") or ""
    # Sanitize again on the way out: the allow-list may have tightened since it was stored.
    return {"description_html": clean_html(html), "description_text": stored.get("text") or html_to_text(html)}


def get(store, application_id):
    doc = store.get(TABLE, application_id)
    if doc is None:
        raise NotFound(f"no application with id {application_id}")
    return doc


def lookup(store, url):
    """The application for a page URL (compared canonically), or None. An import the person has not confirmed is
    not taken for the posting at its address (see :func:`unconfirmed_import`)."""
    doc = _by_url(store, canonical_url(url))
    return None if doc and unconfirmed_import(doc) else doc


def unconfirmed_import(doc):
    """True for an application an import made that the person has not confirmed as theirs.

    Such a record only claims its address: a backup from anywhere can hold any address. The person's capture of
    that posting is recorded as their own (the import's claim is let go, see :func:`_let_go`), and the popup and
    the page's button do not show it, until the person confirms it (:func:`confirm`, or an import they say is
    their own backup)."""
    return bool(doc.get("import_unconfirmed"))


def _by_url(store, url):
    """The application at this canonical URL: its own, or one of the other addresses a merge kept."""
    return store.find(TABLE, url=url) or store.find(TABLE, urls=url)


def _text(value):
    return value if type(value) is str else ""


# The orders a list can take: (index name, its key, newest or highest first).
SORTS = {
    "updated": (lambda doc: _text(doc.get("updated_at")), True),
    "applied": (lambda doc: _text(doc.get("applied_at")), True),
    "company": (lambda doc: _text(doc.get("company")).casefold(), False),
}


def search_text(doc):
    """What a search looks for in an application's own record: title, company, address, notes, places
    (its description is searched too, from the blob: see description_text)."""
    notes = doc.get("notes")
    return "\n".join([_text(doc.get("title")), _text(doc.get("company")), _text(doc.get("url")),
                      html_to_text(notes, cleaned=True) if type(notes) is str and notes else "",
                      *(place for place in doc.get("locations") or () if type(place) is str)])


def description_text(raw):
    """The plain text of a stored description blob (bytes or str): the one way every reader gets it."""
    stored = json.loads(raw) if raw else {}
    return stored.get("text") or html_to_text(stored.get("html") or "")


def _install(store, sorts=("updated",)):
    """Declare the indexes: of the orders, those asked for (the others take 8 MB each at 50,000 applications,
    and most people never sort by them)."""
    for name in sorts:
        if not store.has_index(TABLE, name):
            store.add_index(TABLE, name, lambda doc, _value, key=SORTS[name][0]: (key(doc),))
    if not store.has_index(TABLE, BY_STATUS):
        store.add_index(TABLE, BY_STATUS, lambda doc, _value: ((_text(doc.get("status")), SORTS["updated"][0](doc)),))
    if not store.has_word_index(TABLE, SEARCH):
        # The version names what search_text and description_text give: change it when they change.
        store.add_word_index(TABLE, SEARCH, search_text, blob_kind="description", blob_text=description_text,
                             version="1")


SEARCH = "words"  # the word index of the applications and their descriptions
# (status, updated_at): the applications of one status, most recently changed first, are a range of it
# (a board's column and its "Show more", the list filtered by one status), read without walking the others.
BY_STATUS = "status-updated"


def install_indexes(store):
    """Declare the applications' indexes (the app does it at start; a script seeding a store, before)."""
    _install(store)


def matches(query, doc, description):
    """Whether an application matches a search: each word of ``query`` begins a word of its record or of
    its description's text. What the word index answers, read the slow way (the index's own check)."""
    wanted = words(query)
    found = set(words(search_text(doc))) | set(words(description))
    return all(any(word.startswith(part) for word in found) for part in wanted)


def sort_key(doc, sort):
    """An application's key in the order ``sort`` (what a cursor holds: see paging.py)."""
    return SORTS[sort][0](doc)


def cursor_of(doc, sort):
    """The cursor of the page that starts after ``doc`` in the order ``sort``."""
    return paging.encode(sort_key(doc, sort), doc["id"])


def list_applications(store, *, status=None, q=None, offset=0, limit=50, sort="updated", after=None):
    """(how many match, the page [offset:offset+limit]) of the applications in a status (or any of
    a comma-separated list), matching the search ``q`` (see :func:`matches`).

    Read from the store's indexes (by status, by words, and ordered by each sort), so that only the
    page is copied; ``after``, a decoded cursor (paging.py), starts the page after that application.
    Until the word index is built (the first start after an upgrade), a search reads every record
    and description instead.
    """
    statuses = None
    if status:
        statuses = {pipeline.check_status(s.strip()) for s in status.split(",") if s.strip()}
    query = " ".join(words(q or ""))
    if sort not in SORTS:
        raise ValidationError(f"sort must be one of: {', '.join(SORTS)}")
    _install(store, (sort,))
    if statuses and len(statuses) == 1 and not query and sort == "updated":
        return _of_status(store, next(iter(statuses)), offset, limit, after)
    found = store.match_words(TABLE, SEARCH, query) if query else None
    with store.lock:  # the status index and the ordered one read at the same moment
        where = set(store.ids(TABLE, "status", statuses)) if statuses else None
        if query and found is None:
            return _scan(store, query, where, sort, offset, limit, after)
        if query:
            where = found if where is None else where & found
        return store.index_docs(TABLE, sort, reverse=SORTS[sort][1], where=where, offset=offset, limit=limit,
                                after=after)


def _of_status(store, status, offset, limit, after):
    """(how many have ``status``, the page) most recently changed first: a range of the BY_STATUS index."""
    after = None if after is None else ((status, after[0]), after[1])
    with store.lock:
        total, entries = store.index(TABLE, BY_STATUS, lo=(status,), hi=(status + "\x00",), reverse=True,
                                     offset=offset, limit=limit, after=after)
        return total, store.get_many(TABLE, [doc_id for _, doc_id in entries])


def _scan(store, query, where, sort, offset, limit, after):
    """A search without the word index: every record, and its description, read."""
    def hit(doc):
        if where is not None and doc["id"] not in where:
            return False
        if after is not None and not comes_after((sort_key(doc, sort), doc["id"]), after, SORTS[sort][1]):
            return False
        return matches(query, doc, "") or matches(query, doc, description_text(
            store.get_blob("description", doc["id"])))

    key, reverse = SORTS[sort]
    return store.search(TABLE, hit, sort_key=key, reverse=reverse, offset=offset, limit=limit)


# -- capture ----------------------------------------------------------------------------------

def _read_capture(payload, today, *, key=None):
    validate.known_fields(payload, CAPTURE_FIELDS)
    without_url = payload.get("url") is None or payload.get("url") == ""
    if without_url:
        # Logged by hand (an email, a referral, a career fair): a role and a company are enough; an
        # imported row, known by its key, needs one of them.
        title = validate.text(payload.get("title"), "title", limit=500)
        company = validate.text(payload.get("company"), "company", limit=500)
        if not ((title or company) if key else (title and company)):
            raise ValidationError("send the posting's url, or a title and a company for an application "
                                  "without one", code="missing_url")
        if payload.get("html"):
            raise ValidationError("html needs the url of the page it came from", code="missing_url")
    url = None if without_url else canonical_url(payload["url"])
    html = payload.get("html")
    if html is not None and not isinstance(html, str):
        raise ValidationError("html must be a string")
    status = pipeline.check_status(payload.get("status") or "applied")
    applied_at = _day_or_none(payload.get("applied_at"), "applied_at")
    if applied_at is None and status != "saved":
        applied_at = today.isoformat()
    capture_id = validate.text(payload.get("capture_id"), "capture_id", limit=MAX_CAPTURE_ID)
    ask_first = payload.get("ask_first", False)
    if not isinstance(ask_first, bool):
        raise ValidationError("ask_first must be true or false")
    return {
        "source_url": None if without_url else payload["url"].strip(), "url": url, "html": html, "status": status,
        "applied_at": applied_at, "capture_id": capture_id,
        "title": EDITABLE["title"](payload.get("title")), "company": EDITABLE["company"](payload.get("company")),
        "notes": EDITABLE["notes"](payload.get("notes")), "method": EDITABLE["method"](payload.get("method")),
        "locations": EDITABLE["locations"](payload.get("locations")),
        "key": key,
        "ask_first": ask_first and bool(html),
    }


def _known(store, request, now, imported=False):
    """The application this capture is a second one of, with the capture recorded on it; or None.

    Found and changed under the lock, so a change made meanwhile (a status the person just set,
    another retry's capture_id) is neither overwritten nor lost. A person's capture never lands on
    an import they have not confirmed: that record lets go of the address, and the capture is a new one.
    """
    with store.lock:
        existing = None
        if request["capture_id"]:
            existing = store.find(TABLE, capture_ids=request["capture_id"])
        if request["url"]:
            existing = existing or _by_url(store, request["url"])
            if existing and not imported and unconfirmed_import(existing):
                existing = _let_go(store, existing, request["url"], now)
        else:
            if request["key"]:
                existing = existing or store.find(TABLE, import_key=request["key"])
            existing = existing or _same_role(store, request["company"], request["title"])
        return existing and _remember_duplicate(store, existing, request, now)


def _let_go(store, doc, url, now):
    """An unconfirmed import's claim on ``url`` goes (it keeps the address as ``claimed_url``, to show); None."""
    changes = {"urls": [u for u in doc.get("urls") or [] if u != url], "updated_at": now.isoformat()}
    if doc.get("url") == url:
        changes.update(url=None, source_url=None, claimed_url=url)  # no address, as one logged by hand
    store.update(TABLE, doc["id"], changes)
    return None


def _same_role(store, company, title):
    """An application for the same role at the same company (how one logged without a url is known again)."""
    if not (company and title):
        return None
    wanted = (company.casefold(), title.casefold())
    _, found = store.search(TABLE, lambda d: ((d.get("company") or "").casefold(),
                                              (d.get("title") or "").casefold()) == wanted, limit=1)
    return found[0] if found else None


def _read_page(request, today):
    """(posting fields, description html, description text, review) for the captured page.

    The page is read, never judged: a person's "I applied" is recorded whatever the page holds, and
    what could not be read is said in the review (see :func:`review_of`).
    """
    # without a page (an import, a script) there is nothing to judge: only missing fields ask for review
    posting, looks, guessed, reason = {}, True, (), None
    if request["html"]:
        from .extract import Reading, read  # here: the engine is a third of a start, and no page needs it

        try:
            reading = read(request["html"], request["url"], today)
        except ValidationError:
            raise
        except Exception:  # noqa: BLE001 - a bug in reading one page must never cost the person's capture
            log.exception("capture: reading %s failed; recorded for review", request["url"])
            reading = Reading({}, False, "Applied could not read this page; check its details", ())
        posting, looks, guessed, reason = reading.posting, reading.looks_like_posting, reading.guessed, reading.reason
    review = review_of(posting, looks, guessed, given=request)
    if reason:
        review["reason"] = reason  # why the page did not read as a posting, in words a person can act on
    return posting, posting.pop("description_html", None), posting.pop("description_text", None), review


def preview(url, html, *, today=None):
    """What a capture of this page would store and ask, by the same reading (one verdict for both):
    {looks_like_posting, reason, title, company, locations, missing, guessed}."""
    request = {"url": canonical_url(url), "html": html, "title": None, "company": None}
    posting, _, _, review = _read_page(request, today or date.today())
    if not posting.get("title") and html:
        from .extract import page_title

        posting["title"] = page_title(html)  # what the tab calls the page, for the person to correct
    return {"looks_like_posting": review["looks_like_posting"], "reason": review.get("reason"),
            "title": posting.get("title"), "company": posting.get("company"),
            "locations": posting.get("locations") or [], "missing": review["missing"], "guessed": review["guessed"]}


def review_of(posting, looks_like_posting, guessed=(), given=None):
    """The review flag an application carries until the person confirms or corrects it.

    ``missing``: fields of REVIEWED_FIELDS the page did not give; ``guessed``: fields read from weak
    evidence (a company taken from the site's name or logo, a headline on a page that is no posting);
    ``looks_like_posting``: the engine's verdict, kept for the record. A review is needed only when a
    field is missing or guessed: a capture whose fields were read from the posting asks nothing, and the
    person says what to check. A field the person typed in themselves (``given``) is neither.
    """
    given = given or {}
    missing = [f for f in REVIEWED_FIELDS if not posting.get(f) and not given.get(f)]
    guessed = sorted({f for f in guessed if not given.get(f) and f not in missing}, key=_field_order)
    return {"needed": bool(missing or guessed), "missing": missing,
            "guessed": guessed, "looks_like_posting": bool(looks_like_posting)}


def _field_order(field):
    """Fields to check in the order the popup and the web view show them: the role, then the company."""
    return (POSTING_FIELDS.index(field) if field in POSTING_FIELDS else len(POSTING_FIELDS), field)


def _reviewed(review, fields):
    """The review once the person has set ``fields`` themselves: those are settled; it is needed no more
    when nothing flagged is left."""
    if not review:
        return review
    missing = [f for f in review.get("missing", []) if f not in fields]
    guessed = [f for f in review.get("guessed", []) if f not in fields]
    return {**review, "missing": missing, "guessed": guessed, "needed": bool(missing or guessed)}


def _narrowed(review, before):
    """A page read again, judged no harder than before: a field the capture did not flag (the person
    typed it in, or the first reading had it) is not flagged now. Reading again settles flags; it
    never raises new ones."""
    before = before or {}
    flagged = set(before.get("missing") or []) | set(before.get("guessed") or [])
    missing = [f for f in review.get("missing", []) if f in (before.get("missing") or [])]
    guessed = [f for f in review.get("guessed", []) if f in flagged]
    return {**review, "missing": missing, "guessed": guessed,
            "needed": bool(missing or guessed or not review.get("looks_like_posting", True))}


def _put_page(store, application_id, html, description_html, description_text):
    # The description first, the page last: a stored page means the capture was stored whole.
    if description_html or description_text:
        _put_description(store, application_id, description_html, description_text)
    store.put_blob("page", application_id, html)


def recapture(store, payload, *, today=None, now=None):
    """If the posting in ``payload`` is known already, record this capture on it as :func:`capture`
    does (remember its capture_id, move saved → applied) and return it; else None. Stores nothing new."""
    now = now or _now()
    return _known(store, _read_capture(payload, today or now.date()), now)


def capture(store, payload, *, today=None, now=None, key=None, imported=None, import_mine=None):
    """Store a capture; return (application, duplicate, problem).

    ``key``: an imported row without an address is known again by it (``import_key``).
    ``imported``: what an import brings beside the capture (see imports.py): {"history": its dated
    history (pipeline.imported_history), "fields": EDITABLE values}. The record keeps the day it was
    imported (``imported_at``: the follow-up rules count from it).
    ``import_mine``: None for the person's own capture; for an import's record, whether the person said the
    file is their own backup, else the record only claims its address until they confirm it (see
    :func:`unconfirmed_import`).

    A capture is never refused for what the page lacks: what could not be read is in the
    application's ``review`` (see :func:`review_of`). ``problem`` is kept for callers that
    refuse a page without a posting (add by URL): a NotAPosting error, or None. With
    ``ask_first`` (the extension, before the person has said "log it anyway"), a page that does
    not read as a posting raises that NotAPosting instead and nothing is stored.
    A retry with the same capture_id, or the same posting captured again, returns
    the existing application with duplicate=True; its page is read only when the first
    capture's could not be used (see :func:`_read_again`).
    """
    now = now or _now()
    today = today or now.date()
    request = _read_capture(payload, today, key=key)
    known = _known(store, request, now, import_mine is not None)
    if known:
        return _read_again(store, known, request, today, now), True, None

    posting, description_html, description_text, review = _read_page(request, today)
    problem = None if review["looks_like_posting"] else NotAPosting(review.get("reason") or "no job posting found")
    if problem is not None and request["ask_first"]:
        raise problem  # the client asks the person before anything is stored ("Log it anyway?")
    doc = {field: posting.get(field) for field in POSTING_FIELDS}
    doc["locations"] = doc["locations"] or []
    doc["title"] = request["title"] or doc["title"]
    doc["company"] = request["company"] or doc["company"]
    doc["locations"] = request["locations"] or doc["locations"]
    # What the person typed in (the popup's checked fields, a hand-logged or imported record) is theirs:
    # reading the page again never overwrites it, nor flags it for review.
    typed = [field for field in (*REVIEWED_FIELDS, "locations") if request[field]]
    if typed:
        doc["edited"] = typed
    doc["skills"] = skills.posting_skills(doc["title"], _text_of(description_html, description_text))
    doc.update({
        "url": request["url"], "source_url": request["source_url"], "status": request["status"],
        "applied_at": request["applied_at"], "notes": request["notes"],
        "capture_ids": [request["capture_id"]] if request["capture_id"] else [],
        "captured_at": now.isoformat(), "created_at": now.isoformat(), "updated_at": now.isoformat(),
        "has_page": bool(request["html"]), "not_a_posting": problem is not None, "review": review,
        "history": [pipeline.first_entry(request["status"], on=date.fromisoformat(request["applied_at"])
                                         if request["applied_at"] else today, now=now)],
    })
    if request["method"]:
        doc["method"] = request["method"]
    if key:
        doc["import_key"] = key
    if imported:
        doc.update(_imported(imported, today))
    if import_mine is False:
        doc["import_unconfirmed"] = today.isoformat()
    with store.lock:
        # Another request may have stored the same posting while we were extracting.
        known = _known(store, request, now, import_mine is not None)
        if known:
            return known, True, None
        doc = store.insert(TABLE, doc)
        if request["html"]:
            _put_page(store, doc["id"], request["html"], description_html, description_text)
    return doc, False, problem


def _imported(imported, today):
    """The fields of a record an import makes: its history and fields from the file, the day it came in,
    and the day it was first saved or applied to as the day it was "captured"."""
    history = imported["history"]
    first = min(entry["date"] for entry in history)
    return {**imported.get("fields", {}), "history": history, "imported_at": today.isoformat(),
            "created_at": f"{first}T00:00:00", "captured_at": f"{first}T00:00:00"}


def _read_again(store, known, request, today, now):
    """A second capture of a known posting, whose page is needed when the first one's is not usable:

    * it held no posting (often a page captured before it finished rendering): this one may;
    * it was never stored (Applied stopped between the record and its page): the retry brings it.
    """
    lost_page = known.get("has_page") and not store.has_blob("page", known["id"])
    if not request["html"] or not (known.get("not_a_posting") or _review_needed(known) or lost_page):
        return known
    posting, description_html, description_text, review = _read_page(request, today)
    with store.lock:
        doc = store.get(TABLE, known["id"])
        if doc is None:  # deleted meanwhile
            return known
        if review["looks_like_posting"]:
            changes = _posting_changes(doc, posting)
            review = _narrowed(_reviewed(review, set(doc.get("edited", []))), doc.get("review"))
            if _review_needed(doc):  # what this better page settles; a confirmed review stays confirmed
                changes["review"] = review
            title = changes.get("title", doc.get("title"))
            doc = store.update(TABLE, doc["id"], {
                **changes, "skills": skills.posting_skills(title, _text_of(description_html, description_text)),
                "captured_at": now.isoformat(), "updated_at": now.isoformat()})
        elif store.has_blob("page", doc["id"]):
            return doc  # still no posting: the first page is as good
        _put_page(store, doc["id"], request["html"], description_html, description_text)
    return doc


def _review_needed(doc):
    return bool((doc.get("review") or {}).get("needed"))


def _posting_changes(doc, posting):
    """What a newly read posting changes in the record: fields the person typed in themselves win."""
    edited = set(doc.get("edited", []))
    changes = {f: posting.get(f) for f in POSTING_FIELDS
               if f not in edited and posting.get(f) not in (None, []) and posting.get(f) != doc.get(f)}
    if doc.get("not_a_posting"):
        changes["not_a_posting"] = False
    return changes


def _text_of(html, text):
    return text or html_to_text(html or "")


def _put_description(store, application_id, html, text):
    _write_description(store, application_id, json.dumps({"html": html or "", "text": text or ""}))


def copy_description(store, from_id, to_id):
    """Give application ``to_id`` the stored description of ``from_id`` (a merge keeps the one there is)."""
    _write_description(store, to_id, store.get_blob("description", from_id))


def _write_description(store, application_id, data):
    """Every description is written here: the word index hears of it, even before the warm-up declared it
    (a start's first request)."""
    _install(store)
    store.put_blob("description", application_id, data)


def put_description(store, application_id, html, text):
    """Store a description for an application made without one (an import, a restore), and the
    skills its record keeps from it: skills.demand counts those, never the description itself."""
    with store.lock:
        doc = get(store, application_id)
        _put_description(store, application_id, html, text)
        found = skills.posting_skills(doc.get("title"), _text_of(html, text))
        return store.update(TABLE, application_id, {"skills": found})


def stored_skills_of(store, application_id, title):
    """What the record should keep as its skills: those of ``title`` and its stored description."""
    stored = _stored_description(store, application_id)
    return skills.posting_skills(title, _text_of(stored.get("html"), stored.get("text")))


def _remember_duplicate(store, existing, request, now):
    """A second capture of a known posting: remember its id, and move saved → applied."""
    changes = {}
    if request["capture_id"] and request["capture_id"] not in existing.get("capture_ids", []):
        changes["capture_ids"] = existing.get("capture_ids", []) + [request["capture_id"]]
    if existing["status"] == "saved" and request["status"] == "applied":
        entry = pipeline.move(existing, "applied", on=date.fromisoformat(request["applied_at"]), now=now)
        changes.update(status="applied", applied_at=request["applied_at"],
                       history=existing.get("history", []) + [entry])
    if not changes:
        return existing
    changes["updated_at"] = now.isoformat()
    return store.update(TABLE, existing["id"], changes)


# -- change -----------------------------------------------------------------------------------

def update(store, application_id, payload, *, now=None):
    """Apply a client's changes: status (with optional status_date and status_note) and fields."""
    validate.known_fields(payload, (*EDITABLE, "status", "status_date", "status_note"))
    now = now or _now()
    changes = {field: EDITABLE[field](payload[field]) for field in EDITABLE if field in payload}
    if "locations" in changes and changes["locations"] is None:
        changes["locations"] = []
    with store.lock:
        doc = get(store, application_id)
        if "status" in payload:
            on = pipeline.parse_day(payload["status_date"], "status_date") if payload.get("status_date") else None
            note = validate.text(payload.get("status_note"), "status_note", limit=2000)
            entries = pipeline.move_steps(doc, payload["status"], on=on, now=now, note=note)
            changes["status"] = payload["status"]
            changes["history"] = doc.get("history", []) + entries
            if entries[0]["to"] == "applied" and not doc.get("applied_at") and "applied_at" not in changes:
                changes["applied_at"] = entries[0]["date"]
        if not changes:
            raise ValidationError("nothing to change: send status or one of " + ", ".join(EDITABLE))
        if changes.get("applied_at") and "status" not in payload:
            # A corrected "applied on" date moves the dated step in the history too: the
            # follow-up schedule and the timeline both count from that step.
            changes["history"] = _redate_applied(doc.get("history", []), changes["applied_at"])
        if "title" in changes and changes["title"] != doc.get("title"):
            # Skills are found in the title too (and the description, read only now).
            stored = _stored_description(store, application_id)
            changes["skills"] = skills.posting_skills(changes["title"], _text_of(stored.get("html"), stored.get("text")))
        edited = set(POSTING_FIELDS) & set(changes)
        if edited and _review_needed(doc):
            changes["review"] = _reviewed(doc["review"], edited)  # the person corrected what we flagged
        if edited - set(doc.get("edited", [])):
            # Remember what the person corrected, so re-extraction never overwrites it.
            changes["edited"] = sorted(edited | set(doc.get("edited", [])))
        changes["updated_at"] = now.isoformat()
        return store.update(TABLE, application_id, changes)


def _bulk_ids(ids):
    if not isinstance(ids, list) or not ids or not all(type(i) is int and i > 0 for i in ids):
        raise ValidationError("ids must be a list of one or more application ids", code="invalid_ids")
    return list(dict.fromkeys(ids))


def in_batches(store, items, change):
    """Call change(item) for each item, BULK_BATCH at a time, each batch under the lock with one fsync
    (store.batch): a bulk change of any size, that other requests need not wait for to the end."""
    for start in range(0, len(items), BULK_BATCH):
        with store.lock, store.batch():
            for item in items[start:start + BULK_BATCH]:
                change(item)


def bulk(store, payload, *, now=None):
    """One change to several applications: {ids, action: "move", status, status_date?, status_note?} or
    {ids, action: "delete"}. Each application is changed as :func:`update` or :func:`delete` would
    (a move is one dated history entry each); those it cannot apply to are listed, not fatal.
    Returns {"changed": [ids], "skipped": [{"id", "code", "message"}]}.
    """
    validate.known_fields(payload, ("ids", "action", "status", "status_date", "status_note"))
    ids = _bulk_ids(payload.get("ids"))
    action = payload.get("action")
    if action == "move":
        change = {key: payload[key] for key in ("status", "status_date", "status_note") if key in payload}
        # Checked once here, so that a bad date or note is a 400, not a "skipped" for every id.
        pipeline.check_status(change.get("status"))
        if change.get("status_date"):
            pipeline.parse_day(change["status_date"], "status_date")
        validate.text(change.get("status_note"), "status_note", limit=2000)
    elif action == "delete":
        if set(payload) - {"ids", "action"}:
            raise ValidationError("a bulk delete takes only ids")
    else:
        raise ValidationError("action must be move or delete", code="invalid_action")
    now = now or _now()
    changed, skipped = [], []

    def one(application_id):
        try:
            if action == "move":
                update(store, application_id, change, now=now)
            else:
                delete(store, application_id)
        except (ValidationError, NotFound) as error:
            skipped.append({"id": application_id, "code": error.code, "message": error.message})
        else:
            changed.append(application_id)

    in_batches(store, ids, one)
    return {"changed": changed, "skipped": skipped}
def confirm(store, application_id, *, now=None):
    """The person says the application's details are right as they are: its review is needed no more, and an
    import's record is theirs (a capture of its posting lands on it from then on)."""
    now = now or _now()
    with store.lock:
        doc = get(store, application_id)
        review = {**review_of(doc, True), **(doc.get("review") or {}), "needed": False, "confirmed_at": now.isoformat()}
        changes = {"review": review, "updated_at": now.isoformat()}
        if unconfirmed_import(doc):
            changes["import_unconfirmed"] = None
        return store.update(TABLE, application_id, changes)


def take_back(store, application_id, entry, *, now=None):
    """Undo the move ``entry`` records (a cancelled import's saved → applied), unless something happened
    to the application since: back to the status it came from, the entry gone. Returns the application or None."""
    now = now or _now()
    with store.lock:
        doc = store.get(TABLE, application_id)
        if doc is None or not doc.get("history") or doc["history"][-1] != entry:
            return None
        changes = {"status": entry["from"], "history": doc["history"][:-1], "updated_at": now.isoformat()}
        if entry["from"] == "saved":
            changes["applied_at"] = None
        return store.update(TABLE, application_id, changes)


def _redate_applied(history, day):
    """The history with its latest step into "applied" dated ``day`` (unchanged when there is none)."""
    history = list(history)
    for index in range(len(history) - 1, -1, -1):
        if history[index].get("kind") == "status" and history[index].get("to") == "applied":
            history[index] = {**history[index], "date": day}
            history[index].pop("imported", None)  # the person says when: it is dated now
            break
    return history


def add_history(store, application_id, entry, *, now=None, changes=None):
    """Append a dated entry (follow-up action, reply, interview, reason...) to an application."""
    now = now or _now()
    with store.lock:
        doc = get(store, application_id)
        entry = {"at": now.isoformat(), **entry}
        return store.update(TABLE, application_id, {
            **(changes or {}), "history": doc.get("history", []) + [entry], "updated_at": now.isoformat()})


def delete(store, application_id):
    with store.lock:
        get(store, application_id)
        store.delete(TABLE, application_id)
        _install(store)  # (as in _put_description)
        store.delete_blobs(application_id, BLOB_KINDS)
        documents.forget_application(store, application_id)


def batches(store, step=500):
    """Copies of every application by id, a few hundred at a time: for whole-store work (an export,
    re-extraction) that must never hold every record at once."""
    ids = []
    store.scan(TABLE, lambda doc: ids.append(doc["id"]))
    ids.sort()
    for start in range(0, len(ids), step):
        yield store.get_many(TABLE, ids[start:start + step])


def _every(store):
    for batch in batches(store):
        yield from batch


def reextract(store, *, today=None):
    """Re-run extraction over every stored page; return counts of (updated, unchanged, not_a_posting,
    without_page, failed) and the problems: a page that cannot be read is reported, and the others
    are read all the same."""
    from .extract import read  # here: the engine is a third of a start, and no page needs it

    counts = {"updated": 0, "unchanged": 0, "not_a_posting": 0, "without_page": 0, "failed": 0}
    problems = []
    for doc in _every(store):
        try:
            outcome = _reextract_one(store, doc, today, read)
        except Exception as error:  # noqa: BLE001 - one damaged page must not stop the others
            # A damaged file is said in one line; anything else is a bug, with its traceback for the log.
            log.warning("reextract: application %s: %s", doc["id"], error, exc_info=not isinstance(error, AppliedError))
            counts["failed"] += 1
            problems.append({"id": doc["id"], "title": doc.get("title"), "company": doc.get("company"),
                             "message": getattr(error, "message", None) or str(error) or type(error).__name__})
            continue
        counts[outcome] += 1
    return {**counts, "problems": problems}


def _reextract_one(store, doc, today, read):
    """Read one application's stored page again (with ``read``, the engine's); return which count it adds to."""
    raw = store.get_blob("page", doc["id"])
    if raw is None:
        return "without_page"
    captured = date.fromisoformat(doc.get("captured_at", "")[:10]) if doc.get("captured_at") else today
    reading = read(raw, doc["url"], captured)
    if not reading.looks_like_posting:
        return "not_a_posting"
    posting = reading.posting
    html, text = posting.pop("description_html", None), posting.pop("description_text", None)
    with store.lock:
        # Read again: the person may have corrected a field while the page was being read.
        doc = store.get(TABLE, doc["id"])
        if doc is None:
            return "unchanged"
        changes = _posting_changes(doc, posting)
        if _review_needed(doc):  # a better engine may settle what the first reading could not
            review = _reviewed(review_of(posting, True, reading.guessed), set(doc.get("edited", [])))
            review = _narrowed(review, doc.get("review"))
            if review != doc.get("review"):
                changes["review"] = review
        described = _stored_description(store, doc["id"]) != {"html": html or "", "text": text or ""}
        if described:
            _put_description(store, doc["id"], html, text)
        if changes or described:
            title = changes.get("title", doc.get("title"))
            store.update(TABLE, doc["id"], {**changes, "skills": skills.posting_skills(title, _text_of(html, text)),
                                            "updated_at": _now().isoformat()})
    return "updated" if changes or described else "unchanged"
