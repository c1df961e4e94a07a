"""The API's OpenAPI 3.1 description: one table of operations, joined to the app's real routes.

``describe(app)`` walks ``app.url_map`` and describes each /api route from ``OPERATIONS``;
path parameters come from the route itself. A route missing from the table is left out of the
description and named by ``undescribed(app)``, which a test keeps empty: add a route, describe it.
"""
import re

from .pipeline import STATUSES

JSON = "application/json"
DAY = {"type": "string", "format": "date", "examples": ["2026-11-02"]}
NULLABLE_DAY = {"type": ["string", "null"], "format": "date"}
TEXT = {"type": ["string", "null"], "maxLength": 500}
ID = {"type": "integer", "minimum": 1}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}}}
ANY_OBJECT = {"type": "object"}

STATUS = {"type": "string", "enum": list(STATUSES)}
SALARY = {"type": ["object", "null"], "properties": {
    "min": {"type": ["number", "null"], "minimum": 0}, "max": {"type": ["number", "null"], "minimum": 0},
    "currency": {"type": ["string", "null"], "pattern": "^[A-Za-z]{3}$"},
    "period": {"enum": ["hour", "day", "week", "month", "year", None]}}}
# What a capture could not read, carried by the application until the person confirms or corrects it.
REVIEW = {"type": ["object", "null"], "required": ["needed", "missing", "looks_like_posting"], "properties": {
    "needed": {"type": "boolean", "description": "true until the person corrects the flagged fields (PATCH) or "
                                                 "confirms them (POST .../confirm)"},
    "missing": {"type": "array", "items": {"enum": ["title", "company"]},
                "description": "fields the page did not give"},
    "guessed": {"type": "array", "items": {"type": "string"},
                "description": "fields read from weak evidence only (a company from the site's name, logo or host)"},
    "looks_like_posting": {"type": "boolean", "description": "whether the page read as a job posting"},
    "reason": {"type": "string", "description": "when it did not: why, in words a person can act on"},
    "confirmed_at": {"type": "string"}}}
APPLICATION = {"type": "object", "required": ["id", "url", "status"], "properties": {
    "id": ID, "url": {"type": ["string", "null"]}, "status": STATUS, "title": TEXT, "company": TEXT, "review": REVIEW,
    "applied_at": NULLABLE_DAY, "locations": {"type": "array", "items": {"type": "string"}},
    "notes": {"type": ["string", "null"]}, "history": {"type": "array", "items": ANY_OBJECT}}}
CAPTURE_FIELDS = {
    "url": {"type": "string", "format": "uri", "examples": ["https://boards.greenhouse.io/acme/jobs/42"]},
    "status": STATUS, "applied_at": NULLABLE_DAY, "title": TEXT, "company": TEXT,
    "capture_id": {"type": ["string", "null"], "maxLength": 100}, "notes": {"type": ["string", "null"]},
    "locations": {"type": ["array", "null"], "items": {"type": "string"},
                  "description": "where the job is, as the person typed it (kept over what the page says)"},
    "method": {"enum": ["online", "email", "in person", "phone", "post", None],
               "description": "how the application was sent (the work-search report says it)"},
}
# url, or (for an application logged by hand without one) title and company.
CAPTURE = {"type": "object", "additionalProperties": False,
           "anyOf": [{"required": ["url"]}, {"required": ["title", "company"]}],
           "properties": {**CAPTURE_FIELDS, "html": {"type": ["string", "null"]}, "ask_first": {
               "type": "boolean", "description": "true: a page that does not read as a job posting is not stored; "
                                                 "422 not_a_posting says why, so the client asks the person first"}}}
FETCH = {"type": "object", "required": ["url"], "additionalProperties": False, "properties": CAPTURE_FIELDS}
APPLICATION_CHANGES = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "status": STATUS, "status_date": NULLABLE_DAY, "status_note": {"type": ["string", "null"], "maxLength": 2000},
    "title": TEXT, "company": TEXT, "locations": {"type": ["array", "null"], "items": {"type": "string"}},
    "remote": {"enum": ["remote", "hybrid", "onsite", None]},
    "employment_type": {"enum": ["full_time", "part_time", "contract", "temporary", "internship", "other", None]},
    "salary": SALARY, "date_posted": NULLABLE_DAY, "valid_through": NULLABLE_DAY, "applied_at": NULLABLE_DAY,
    "apply_url": {"type": ["string", "null"]}, "notes": {"type": ["string", "null"], "maxLength": 100000},
    "method": {"enum": ["online", "email", "in person", "phone", "post", None]}}}
SIMILAR = {"type": "array", "items": {"type": "object", "required": ["id", "title", "company", "status", "applied_at",
                                                                     "source"], "properties": {
    "id": ID, "title": TEXT, "company": TEXT, "status": STATUS, "applied_at": NULLABLE_DAY,
    "source": {"type": ["string", "null"]}}}}
CAPTURED = {"type": "object", "required": ["application", "duplicate"], "properties": {
    "application": APPLICATION, "duplicate": {"type": "boolean"}, "next_followup": {"type": ["object", "null"]},
    "similar": SIMILAR, "review": REVIEW, "error": ERROR["properties"]["error"]}}
DOCUMENT = {"type": "object", "properties": {
    "id": ID, "name": {"type": "string"}, "kind": {"enum": ["resume", "cover_letter", "other"]},
    "size": {"type": "integer"}, "type": {"type": "string"}, "sha256": {"type": "string"},
    "uploaded_at": {"type": "string"}, "application_ids": {"type": "array", "items": ID}}}
DOCUMENT_ANSWER = {"type": "object", "required": ["document"], "properties": {"document": DOCUMENT}}
NEXT_CURSOR = {"type": ["string", "null"]}
DOCUMENTS = {"type": "object", "required": ["documents"], "properties": {
    "documents": {"type": "array", "items": DOCUMENT}, "total": {"type": "integer"}, "next_cursor": NEXT_CURSOR}}
CSV_SOURCE = {"type": "object", "required": ["text"], "additionalProperties": False, "properties": {
    "format": {"const": "csv"}, "text": {"type": "string"},
    "mapping": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}}}
IDS = {"type": "array", "items": ID, "minItems": 1}  # any number: made 500 at a time
BULK_CHANGE = {"type": "object", "required": ["ids", "action"], "additionalProperties": False, "properties": {
    "ids": IDS, "action": {"enum": ["move", "delete"]}, "status": STATUS, "status_date": NULLABLE_DAY,
    "status_note": {"type": ["string", "null"], "maxLength": 2000}}}
BULK_FOLLOWUPS = {"type": "object", "required": ["items", "action"], "additionalProperties": False, "properties": {
    "items": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["application_id", "key"], "additionalProperties": False,
        "properties": {"application_id": ID, "key": {"type": "string", "pattern": "^[a-z0-9-]{1,60}$"}}}},
    "action": {"enum": ["done", "snooze", "dismiss"]}, "days": {"enum": [1, 3, 7]}}}
SKIPPED = {"type": "array", "items": {"type": "object", "properties": {
    "id": ID, "application_id": ID, "key": {"type": "string"}, "code": {"type": "string"},
    "message": {"type": "string"}}}}
CONTACT_FIELDS = {"type": "object", "additionalProperties": False, "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 200}, "email": {"type": ["string", "null"], "format": "email"},
    "role": TEXT, "company": TEXT,
    "kind": {"enum": ["admired", "hiring_manager", "recruiter", "referral", "other", None]},
    "application_ids": {"type": ["array", "null"], "items": ID}, "asked_at": NULLABLE_DAY,
    "answered_at": NULLABLE_DAY, "notes": {"type": ["string", "null"], "maxLength": 20000},
    "thank_by": NULLABLE_DAY, "thanked_at": NULLABLE_DAY,
    "keep_in_touch_every_days": {"type": ["integer", "null"], "minimum": 0, "maximum": 730},
    "last_contact_at": NULLABLE_DAY}}
COURSE_FIELDS = {"type": "object", "additionalProperties": False, "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 200}, "provider": TEXT,
    "url": {"type": ["string", "null"], "format": "uri"}, "skill": TEXT,
    "progress": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
    "hours_logged": {"type": ["number", "null"], "minimum": 0, "maximum": 10000},
    "started_at": NULLABLE_DAY, "finished_at": NULLABLE_DAY, "notes": {"type": ["string", "null"], "maxLength": 5000}}}
PAIRING_REQUEST = {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}, "origin": {"type": "string"},
    "code": {"type": "string", "examples": ["K7Q-2MX"]}, "state": {"enum": ["pending", "approved", "denied", "expired"]},
    "requested_at": {"type": "string"}, "expires_at": {"type": "string"}}}
AUTOSTART = {"type": "object", "properties": {
    "on": {"type": "boolean"}, "how": {"type": "string", "description": "systemd, xdg, launchd or windows"},
    "where": {"type": "string", "description": "the file or registry value that starts it"}}}
APPROVAL = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "string", "examples": ["K7Q-2MX"]},
    "token": {"type": "string", "description": "the install token: needed when a web view session approves"}}}

REPLY = {"type": "object", "required": ["id", "status", "kind", "why"], "properties": {
    "id": ID, "status": {"enum": ["open", "accepted", "dismissed", "not_job"]},
    "kind": {"enum": ["received", "rejection", "interview", "assessment", "offer", "recruiter"]},
    "why": {"type": "string"}, "from": {"type": ["string", "null"]}, "subject": {"type": ["string", "null"]},
    "date": {"type": ["string", "null"]}, "match_why": {"type": ["string", "null"]},
    "application": {"type": ["object", "null"]}, "candidates": {"type": "array", "items": ANY_OBJECT},
    "plan": {"type": ["object", "null"]}}}
REPLY_ANSWER = {"type": "object", "required": ["reply"], "properties": {
    "reply": REPLY, "application": {"type": "object"}, "followups": {"type": "array", "items": ANY_OBJECT}}}
MAIL_SUMMARY = {"type": "object", "required": ["read", "proposed", "problems"], "properties": {
    "read": {"type": "integer"}, "proposed": {"type": "integer"}, "known": {"type": "integer"},
    "other": {"type": "integer"}, "problems": {"type": "array", "items": ANY_OBJECT},
    "position": {"type": ["integer", "null"]}, "done": {"type": "boolean"}}}


def query(name, schema, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def op(summary, *, body=None, body_required=True, params=(), ok=200, answer=ANY_OBJECT, open_=False,
       answer_type=JSON, errors=(400, 401, 404)):
    """One operation: what it does, what it takes, what it answers (and which errors a client may meet)."""
    spec = {"summary": summary, "parameters": list(params), "responses": {
        str(ok): {"description": "success", **({"content": {answer_type: {"schema": answer}}} if ok != 204 else {})},
        **{str(code): {"description": "refused; the message says why", "content": {JSON: {"schema": ERROR}}}
           for code in errors},
    }}
    if body is not None:
        spec["requestBody"] = {"required": body_required, "content": {JSON: {"schema": body}}}
    if open_:
        spec["security"] = []
    return spec


# A list's page: ?limit=, and ?cursor= (the answer's next_cursor, null on the last page); ?offset= where it was before.
CURSOR = query("cursor", {"type": "string"})
LIST_PAGE = (query("offset", {"type": "integer", "minimum": 0}), query("limit", {"type": "integer", "minimum": 1}), CURSOR)
PAGE_LIMIT = query("limit", {"type": "integer", "minimum": 0, "maximum": 500})

OPERATIONS = {
    # -- the companion itself ------------------------------------------------------------------
    "GET /api/ping": op(
        "Is the companion running? (no token needed). With ?nonce=&key=, the companion proves it knows the digest of "
        "the client's token before the client sends it: proof = HMAC-SHA256(key=sha256(token) hex, "
        "\"applied-proof:<port>:<nonce>\") in hex, where key = the first 16 hex digits of "
        "sha256(\"applied-key-id:\" + sha256(token) hex)", open_=True, errors=(), params=(
            query("nonce", {"type": "string", "pattern": "^[0-9a-f]{32,128}$"}, "a fresh random value, in hex"),
            query("key", {"type": "string", "pattern": "^[0-9a-f]{16}$"}, "names the client's token")),
        answer={"type": "object", "required": ["app", "api"], "properties": {
            "app": {"const": "applied"}, "version": {"type": "string"}, "api": {"type": "integer"},
            "proof": {"type": ["string", "null"], "description": "with ?nonce=&key=; null when no token has this key"}}}),
    "GET /api/openapi.json": op("This description", errors=(401,)),
    "POST /api/sign-in": op("A one-time link that signs a browser in to the web view within a minute (install token "
                            "only: `applied open`)", ok=201, body=ANY_OBJECT, body_required=False, errors=(401, 403),
                            answer={"type": "object", "properties": {"url": {"type": "string"},
                                                                     "expires_in": {"type": "integer"}}}),
    "GET /api/autostart": op("Whether Applied starts when you log in, and how (yours only)", errors=(401, 403),
                             answer=AUTOSTART),
    "PUT /api/autostart": op("Start Applied when you log in, or stop doing so (yours only)", errors=(400, 401, 403),
                             body={"type": "object", "required": ["on"], "properties": {"on": {"type": "boolean"}}},
                             answer=AUTOSTART),
    # -- pairing -----------------------------------------------------------------------------------
    "POST /api/pair": op("An extension asks to pair (no token; refused to web pages)", open_=True, ok=201,
                         body={"type": "object", "properties": {"name": {"type": "string", "maxLength": 80},
                                                                "requester": {"type": "string",
                                                                              "pattern": "^[A-Za-z0-9_-]{16,64}$"}}},
                         answer=PAIRING_REQUEST, errors=(400, 403, 429)),
    "GET /api/pair/{request_id}": op("Poll a pairing request (read only)", open_=True, errors=(403, 404),
                                     answer={"type": "object", "properties": {
                                         "state": PAIRING_REQUEST["properties"]["state"],
                                         "collected": {"type": "boolean"}}}),
    "POST /api/pair/{request_id}/token": op("Collect the token of an approved request, exactly once", open_=True,
                                            body={"type": "object", "properties": {"requester": {
                                                "type": "string", "description": "the requester id the request "
                                                "was made with: needed when it was made with one"}}},
                                            body_required=False, errors=(403, 404, 409), answer={"type": "object", "properties": {
                                                "state": {"type": "string"}, "token": {"type": "string"}}}),
    "GET /api/pairings": op("Pending pairing requests (without their codes) and paired extensions (never their "
                            "tokens)", errors=(401, 403)),
    "POST /api/pairings/{request_id}/approve": op(
        "Approve a pending pairing request, given the code its extension shows (and, from the web view, the "
        "install token typed again)", body=APPROVAL, errors=(400, 401, 403, 404, 409)),
    "POST /api/pairings/approve": op("Approve the pending pairing request with this code", body=APPROVAL,
                                     errors=(400, 401, 403, 404, 409)),
    "POST /api/pairings/browser": op(
        "A token for the extension a browser started Applied's native host for (install token only: the host; "
        "one per origin, a new one replaces the last)", ok=201, errors=(400, 401, 403),
        body={"type": "object", "properties": {"name": {"type": "string"}, "origin": {"type": "string"}}},
        answer={"type": "object", "properties": {"token": {"type": "string"}, "pairing": ANY_OBJECT}}),
    "POST /api/pairings/{request_id}/deny": op("Deny a pending pairing request", errors=(401, 403, 404, 409)),
    "DELETE /api/pairings/{request_id}": op("Revoke a paired extension's token", ok=204, errors=(401, 403, 404)),
    # -- applications ------------------------------------------------------------------------------
    "POST /api/applications": op("Capture a posting (from the extension: url and the rendered html). A person's "
                                 "capture is never refused for what the page lacks: 201 (200 with duplicate: true "
                                 "for a known posting) with the best fields the page gives, and `review` saying "
                                 "what could not be read; 4xx only for a bad request (and 422 when ask_first "
                                 "is set and the page is no posting)", ok=201,
                                 body=CAPTURE, answer=CAPTURED, errors=(400, 401, 413, 422)),
    "GET /api/applications": op("Look up one by ?url=, or list (filtered by status and q)", params=(
        query("url", {"type": "string"}), query("status", {"type": "string"}), query("q", {"type": "string"}),
        query("sort", {"enum": ["updated", "applied", "company"]}), *LIST_PAGE), errors=(400, 401)),
    "POST /api/applications/fetch": op("Add by URL: the companion fetches the page safely, then captures it",
                                       ok=201, body=FETCH, answer=CAPTURED, errors=(400, 401, 422)),
    "POST /api/applications/bulk": op(
        "One change to several applications in one request: move them all to a status (one dated history "
        "entry each) or delete them; those it cannot apply to are listed under skipped", body=BULK_CHANGE,
        answer={"type": "object", "required": ["changed", "skipped"], "properties": {
            "changed": {"type": "array", "items": ID}, "skipped": SKIPPED}}, errors=(400, 401)),
    "GET /api/applications/{application_id}": op("One application, with its description"),
    "PATCH /api/applications/{application_id}": op("Change status (dated) or fields", body=APPLICATION_CHANGES),
    "POST /api/applications/{application_id}/confirm": op(
        "The person checked the details a capture flagged for review: they are right as they are "
        "(review.needed becomes false; correcting a flagged field with PATCH settles it too)",
        body=ANY_OBJECT, body_required=False, answer={"type": "object", "properties": {"application": APPLICATION}},
        errors=(401, 404)),
    "DELETE /api/applications/{application_id}": op("Delete an application and its pages", ok=204),
    "GET /api/applications/{application_id}/history": op("The dated history of an application"),
    "GET /api/applications/{application_id}/page": op("The captured page, as text to download",
                                                      answer={"type": "string"}, answer_type="text/plain"),
    "POST /api/reextract": op("Read every stored page again with the current extraction engine: counts, and the "
                              "problems of pages that could not be read (the others are read all the same)",
                              body=ANY_OBJECT, body_required=False, errors=(401,)),
    # -- follow-ups, events, reasons -----------------------------------------------------------------
    "GET /api/followups": op("Follow-ups due by ?due= (default today), overdue first, a page at a time "
                             "(next_cursor; count is of all of them)", params=(
        query("due", DAY), query("application_id", ID), query("offset", {"type": "integer", "minimum": 0}), PAGE_LIMIT,
        CURSOR), errors=(400, 401)),
    "POST /api/followups/{application_id}/{key}/{action}": op(
        "Mark a suggested follow-up done, snooze it ({days: 1|3|7}) or dismiss it", body_required=False,
        body={"type": "object", "additionalProperties": False, "properties": {
            "days": {"enum": [1, 3, 7]}, "note": {"type": "string"}, "date": DAY}}),
    "POST /api/followups/catch-up/dismiss": op("Dismiss at once every suggestion that fell due before an import "
                                               "(the catch-up entry)", body=ANY_OBJECT, body_required=False,
                                               errors=(401,)),
    "POST /api/followups/bulk": op(
        "Mark several follow-ups done, snooze them ({days: 1|3|7}) or dismiss them in one request",
        body=BULK_FOLLOWUPS, answer={"type": "object", "required": ["changed", "skipped"], "properties": {
            "action": {"type": "string"}, "changed": {"type": "array", "items": ANY_OBJECT}, "skipped": SKIPPED}},
        errors=(400, 401)),
    "POST /api/applications/{application_id}/events": op("Log a reply or an interview (a reply cannot be dated "
                                                         "before the application was sent)", ok=201, body={
        "type": "object", "required": ["kind"], "additionalProperties": False, "properties": {
            "kind": {"enum": ["reply", "interview"]}, "date": DAY, "note": {"type": "string"}}}),
    "POST /api/applications/{application_id}/reasons": op("Record why you were not chosen", ok=201, body={
        "type": "object", "additionalProperties": False, "properties": {
            "codes": {"type": "array", "items": {"type": "string"}}, "text": {"type": "string", "maxLength": 2000},
            "date": DAY}}),
    "GET /api/reasons": op("The tally of reasons across applications", errors=(401,)),
    "GET /api/insights/timing": op("Your own median days to a reply, and the schedule they suggest", errors=(401,)),
    "GET /api/calendar": op("The calendar feed's address (it carries its own read-only secret)", errors=(401,)),
    "POST /api/calendar/rotate": op("A new calendar feed address; the old one stops working",
                                    body=ANY_OBJECT, body_required=False, errors=(401,)),
    # -- contacts ------------------------------------------------------------------------------------
    "GET /api/contacts": op("Contacts, filtered by ?q, ?kind and ?application_id", params=(
        query("q", {"type": "string"}), query("kind", {"type": "string"}), query("application_id", ID),
        *LIST_PAGE), errors=(400, 401)),
    "POST /api/contacts": op("Add a contact", ok=201, body={**CONTACT_FIELDS, "required": ["name"]}),
    "GET /api/contacts/reminders": op("Thank-you and keep-in-touch reminders due by ?due=, a page at a time "
                                      "(count, overdue, next_cursor; drafts for the page only)",
                                      params=(query("due", DAY), PAGE_LIMIT, CURSOR),
                                      errors=(400, 401)),
    "GET /api/contacts/{contact_id}": op("One contact"),
    "PATCH /api/contacts/{contact_id}": op("Change a contact", body={**CONTACT_FIELDS, "minProperties": 1}),
    "DELETE /api/contacts/{contact_id}": op("Delete a contact", ok=204),
    "POST /api/contacts/{contact_id}/done/{key}": op("You thanked them or got in touch: the reminder moves on",
                                                     body=ANY_OBJECT, body_required=False),
    # -- skills, courses, activity, settings --------------------------------------------------------------
    "GET /api/skills": op("Skills saved postings ask for, against yours",
                          params=(query("status", {"type": "string"}),), errors=(400, 401)),
    "GET /api/skills/vocabulary": op("Every skill name Applied recognises", errors=(401,)),
    "GET /api/courses": op("Your courses", errors=(401,)),
    "POST /api/courses": op("Add a course", ok=201, body={**COURSE_FIELDS, "required": ["name"]}),
    "GET /api/courses/{course_id}": op("One course"),
    "PATCH /api/courses/{course_id}": op("Change a course", body={**COURSE_FIELDS, "minProperties": 1}),
    "DELETE /api/courses/{course_id}": op("Delete a course", ok=204),
    "POST /api/courses/{course_id}/hours": op("Log hours spent on a course", body={
        "type": "object", "required": ["hours"], "additionalProperties": False,
        "properties": {"hours": {"type": "number", "minimum": 0}, "date": DAY}}),
    "GET /api/activity": op("Job-search work per week", params=(
        query("weeks", {"type": "integer", "minimum": 1, "maximum": 104}),), errors=(400, 401)),
    "GET /api/settings": op("Your settings and what each one means", errors=(401,)),
    "PATCH /api/settings": op("Change settings (all checked first: a bad one changes nothing)",
                              body={"type": "object", "minProperties": 1}, errors=(400, 401)),
    "PUT /api/settings/{name}": op("Set one setting", body={"type": "object", "required": ["value"],
                                                            "properties": {"value": {}}}, errors=(400, 401)),
    # -- export, import ---------------------------------------------------------------------------------
    "GET /api/export": op("Everything, as json, csv or ics", params=(
        query("format", {"enum": ["json", "csv", "ics"]}),), errors=(400, 401)),
    "POST /api/import": op("Import an export ({format: json, data: {applications, documents}, ids?}: answers ids, "
                           "the export's application ids to this store's) or another tracker's CSV ({format: csv, "
                           "text})",
                           body={"type": "object", "required": ["format"], "properties": {
                               "format": {"enum": ["json", "csv"]}, "data": {}, "text": {"type": "string"},
                               "ids": {"type": "object", "additionalProperties": {"type": "integer"}}}},
                           errors=(400, 401, 413)),
    # -- the job-search record: documents, report, the same job twice, imports (issue 15) ---------------
    "GET /api/documents": op("Documents, newest first; ?name= finds a file name as a form's file input reports it",
                             params=(query("name", {"type": "string"}), query("application_id", ID),
                                     query("limit", {"type": "integer", "minimum": 1, "maximum": 500}), CURSOR),
                             answer=DOCUMENTS, errors=(400, 401)),
    "POST /api/documents": op("Upload a document (person only): {name, kind, content_base64, application_id?}; 200 "
                              "when the same file is stored already", ok=201, body={
                                  "type": "object", "required": ["name", "content_base64"],
                                  "additionalProperties": False, "properties": {
                                      "name": {"type": "string", "maxLength": 200},
                                      "kind": {"enum": ["resume", "cover_letter", "other", None]},
                                      "content_base64": {"type": "string", "contentEncoding": "base64"},
                                      "application_id": ID}},
                              answer=DOCUMENT_ANSWER, errors=(400, 401, 403, 404, 413)),
    "GET /api/documents/{document_id}": op("One document", answer=DOCUMENT_ANSWER),
    "GET /api/documents/{document_id}/file": op("Download the file (person only; always an attachment)",
                                                answer={"type": "string"}, answer_type="application/octet-stream",
                                                errors=(401, 403, 404)),
    "PATCH /api/documents/{document_id}": op("Rename a document or change its kind (person only)", body={
        "type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
            "name": {"type": "string", "maxLength": 200}, "kind": {"enum": ["resume", "cover_letter", "other", None]}}},
        answer=DOCUMENT_ANSWER, errors=(400, 401, 403, 404)),
    "DELETE /api/documents/{document_id}": op("Delete a document and its file (person only)", ok=204,
                                              errors=(401, 403, 404)),
    "GET /api/applications/{application_id}/documents": op("The documents sent with an application",
                                                           answer=DOCUMENTS),
    "POST /api/applications/{application_id}/documents": op("Link a stored document to an application", body={
        "type": "object", "required": ["document_id"], "additionalProperties": False,
        "properties": {"document_id": ID}}, answer=DOCUMENT_ANSWER),
    "DELETE /api/applications/{application_id}/documents/{document_id}": op(
        "Unlink a document from an application (the file stays)", ok=204),
    "GET /api/applications/{application_id}/similar": op(
        "Applications of the last 90 days at the same company with a close title",
        answer={"type": "object", "properties": {"similar": SIMILAR}}),
    "POST /api/applications/{application_id}/merge": op(
        "Merge another application into this one (both URLs, both histories); the other is deleted", body={
            "type": "object", "required": ["other_id"], "additionalProperties": False, "properties": {"other_id": ID}}),
    "GET /api/report": op("The work-search report over ?from=&to= (person only), as json, csv or printable html",
                          params=(query("from", DAY), query("to", DAY), query("format", {"enum": ["json", "csv", "html"]})),
                          errors=(400, 401, 403)),
    "POST /api/import/preview": op("What importing a CSV would store (person only; nothing is written)",
                                   body=CSV_SOURCE, errors=(400, 401, 403, 413)),
    "POST /api/imports": op("Read and check a whole CSV and stage it for writing (person only)", ok=201,
                            body=CSV_SOURCE, errors=(400, 401, 403, 413)),
    "POST /api/imports/{import_id}/commit": op("Write the next ?limit rows of a staged import; a failure undoes "
                                               "the whole import (person only)", body={
                                                   "type": "object", "additionalProperties": False, "properties": {
                                                       "limit": {"type": "integer", "minimum": 1,
                                                                 "maximum": 100000}}},
                                               errors=(400, 401, 403, 404)),
    "DELETE /api/imports/{import_id}": op("Cancel a staged import, removing what it wrote (person only)",
                                          errors=(401, 403, 404)),
    # -- replies read from the person's mail (issue 23) -------------------------------------------------------
    "GET /api/replies": op("Reply proposals read from your mail, newest first (?status=open|accepted|dismissed|not_job)",
                           params=(query("status", {"enum": ["open", "accepted", "dismissed", "not_job"]}), *LIST_PAGE),
                           answer={"type": "object", "required": ["count", "replies"], "properties": {
                               "count": {"type": "integer"}, "counts": ANY_OBJECT,
                               "replies": {"type": "array", "items": REPLY}}}),
    "GET /api/replies/count": op("How many replies wait for review (the extension's popup)", errors=(401,),
                                 answer={"type": "object", "required": ["open"],
                                         "properties": {"open": {"type": "integer", "minimum": 0}}}),
    "GET /api/replies/{reply_id}": op("One reply proposal", answer=REPLY_ANSWER),
    "POST /api/replies/{reply_id}/accept": op(
        "Accept a proposal: a dated history entry with the mail as evidence, and the status move it names",
        body={"type": "object", "additionalProperties": False, "properties": {
            "application_id": ID, "interview_date": NULLABLE_DAY}}, body_required=False, answer=REPLY_ANSWER,
        errors=(400, 401, 404, 409)),
    "POST /api/replies/{reply_id}/dismiss": op(
        "Set a proposal aside ({not_job: true}: not about my search); remembered for that message only",
        body={"type": "object", "additionalProperties": False, "properties": {"not_job": {"type": "boolean"}}},
        body_required=False, answer=REPLY_ANSWER, errors=(400, 401, 404, 409)),
    "POST /api/replies/{reply_id}/reopen": op("Undo a dismissal", answer=REPLY_ANSWER, errors=(401, 404, 409)),
    "POST /api/replies/{reply_id}/log": op(
        "About an application you did not log: record it (company, role), then accept the proposal for it", ok=201,
        body={"type": "object", "required": ["company", "title"], "additionalProperties": False, "properties": {
            "company": {"type": "string", "minLength": 1, "maxLength": 500},
            "title": {"type": "string", "minLength": 1, "maxLength": 500}, "interview_date": NULLABLE_DAY}},
        answer=REPLY_ANSWER, errors=(400, 401, 404, 409)),
    "GET /api/mail": op("Mail accounts, whether a keyring keeps passwords, and how many replies wait"),
    "POST /api/mail/accounts": op(
        "Add an IMAP account (over TLS; checked with the server first); the password goes to the system keyring",
        ok=201, body={"type": "object", "required": ["host", "user", "password"], "additionalProperties": False,
                      "properties": {"host": {"type": "string", "examples": ["imap.gmail.com"]},
                                     "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                                     "user": {"type": "string"}, "password": {"type": "string"},
                                     "folder": {"type": "string"}, "days": {"type": "integer", "minimum": 1,
                                                                            "maximum": 3650},
                                     "security": {"enum": ["tls", "starttls"]},
                                     "certificate": {"type": "string", "maxLength": 65536}}},
        errors=(400, 401, 422)),
    "DELETE /api/mail/accounts/{account_id}": op("Forget an account and its kept password", errors=(401, 404)),
    "POST /api/mail/accounts/{account_id}/check": op(
        "Read what arrived since the last check (read-only); {password} when the keyring keeps none, used once",
        body={"type": "object", "additionalProperties": False, "properties": {"password": {"type": "string"}}},
        body_required=False, answer=MAIL_SUMMARY, errors=(400, 401, 404, 409, 422)),
    "POST /api/mail/import": op(
        "Read an mbox file, a Maildir folder or an .eml on this computer into proposals, 2,000 messages a step "
        "(send the answer's position as start until done)",
        body={"type": "object", "required": ["path"], "additionalProperties": False, "properties": {
            "path": {"type": "string", "minLength": 1}, "start": {"type": "integer", "minimum": 0}}},
        answer=MAIL_SUMMARY),
    "POST /api/mail/classify": op(
        "What a message is and which application it is about; nothing is stored",
        body={"type": "object", "required": ["message"], "additionalProperties": False, "properties": {
            "message": {"type": "string", "contentEncoding": "base64"}}},
        answer={"type": "object", "required": ["kind", "application_id", "company", "why"], "properties": {
            "kind": {"enum": ["received", "rejection", "interview", "assessment", "offer", "recruiter", "other"]},
            "application_id": {"type": ["integer", "null"]}, "company": {"type": ["string", "null"]},
            "why": {"type": "string"}}}, errors=(400, 401, 413, 422)),
    # -- the extension's cheap questions -------------------------------------------------------------------
    "GET /api/changes": op("A counter every change moves: {version, changed} (changed is false when ?since= is current)",
                           params=(query("since", {"type": "string"}),), errors=(400, 401), answer={
                               "type": "object", "required": ["version", "changed"], "properties": {
                                   "version": {"type": "string"}, "changed": {"type": "boolean"}}}),
    "POST /api/preview": op("What a capture of {url, html} would read and flag, by the capture's own reading "
                            "(one verdict for both); nothing is stored",
                            body={"type": "object", "required": ["url"], "properties": {
                                "url": {"type": "string"}, "html": {"type": "string"}}}, errors=(400, 401, 413),
                            answer={"type": "object", "properties": {
                                "looks_like_posting": {"type": "boolean"}, "reason": {"type": ["string", "null"]},
                                "title": {"type": ["string", "null"]}, "company": {"type": ["string", "null"]},
                                "locations": {"type": "array", "items": {"type": "string"}},
                                "missing": {"type": "array", "items": {"type": "string"}},
                                "guessed": {"type": "array", "items": {"type": "string"}}}}),
}


def _converter_schema(rule, name):
    converter = rule._converters.get(name)
    kind = type(converter).__name__
    if kind == "IntegerConverter":
        return {"type": "integer", "minimum": 0}
    if kind == "FloatConverter":
        return {"type": "number"}
    return {"type": "string", "pattern": "^[^/]+$"}


_PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _openapi_path(rule):
    """Flask's /a/<int:x> as OpenAPI's /a/{x}, with the parameter's schema from its converter."""
    params = [{"name": name, "in": "path", "required": True, "schema": _converter_schema(rule, name)}
              for name in _PLACEHOLDER.findall(rule.rule)]
    return _PLACEHOLDER.sub(r"{\1}", rule.rule), params


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path, params = _openapi_path(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {path}", path, method.lower(), params


def undescribed(app):
    """Routes of the app that OPERATIONS does not describe (a test keeps this empty)."""
    return sorted(key for key, *_ in _api_routes(app) if key not in OPERATIONS)


def stale(app):
    """Operations described in OPERATIONS that the app no longer has."""
    present = {key for key, *_ in _api_routes(app)}
    return sorted(set(OPERATIONS) - present)


def describe(app, server_url=None):
    """The OpenAPI 3.1 document for ``app``'s /api routes."""
    paths = {}
    for key, path, method, params in _api_routes(app):
        spec = OPERATIONS.get(key)
        if spec is None:
            continue
        operation = {**spec, "operationId": key.replace(" /api/", "_").replace("/", "_").replace("{", "")
                     .replace("}", "").replace(".", "_").replace("-", "_"),
                     "parameters": params + spec["parameters"]}
        paths.setdefault(path, {})[method] = operation
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Applied companion API", "version": str(app.config.get("VERSION") or "1"),
                 "description": "JSON over HTTP on 127.0.0.1. Every route but ping and pairing needs "
                                "`Authorization: Bearer <token>`; errors are {\"error\": {\"code\", \"message\"}}."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document
