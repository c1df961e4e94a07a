"""One application's page: the posting, its status and moves, the timeline, follow-ups, people and documents."""
from datetime import date

from flask import render_template

from .. import contacts, current, documents, pipeline, reasons, similar
from .. import applications as apps
from .. import followup_schedule as schedule
from . import bp
from .filters import describe


DOCUMENTS_OFFERED = 50  # the newest, to pick from: a list of every stored version made the page grow with them


def _review_banner(doc):
    """Whether the page shows the "check this capture" banner: None for no banner, else the fields
    still to fill in (an empty list when the capture asks for a look without naming any).

    The capture path flags a record whose page did not read as a whole posting (``review`` =
    {needed, missing, looks_like_posting}; older records carry ``not_a_posting``). The banner shows
    only while that review is needed, and goes as soon as the fields it named are filled in.
    """
    review = doc.get("review") if isinstance(doc.get("review"), dict) else None
    if review is not None:
        if not review.get("needed"):
            return None
        named = [field for field in review.get("missing") or [] if isinstance(field, str)]
        missing = [field for field in named if not doc.get(field)]
        return missing if missing or not named else None
    if not doc.get("not_a_posting"):
        return None
    return [field for field in apps.REVIEWED_FIELDS if not doc.get(field)] or None


@bp.get("/applications/<int:application_id>")
def application(application_id):
    store, today = current.store(), date.today()
    doc = apps.get(store, application_id)
    moves = pipeline.allowed_moves(doc)
    posting = apps.description(store, application_id)  # description_html is clean_html'ed on the way out
    linked = contacts.list_contacts(store, application_id=application_id)[1]
    history = [(entry, *describe(entry)) for entry in doc.get("history") or []]
    history.sort(key=lambda item: (item[0].get("date") or "", item[0].get("at") or ""), reverse=True)
    return render_template(
        "application.html", app=doc, description_html=posting["description_html"],
        moves=moves, back=pipeline.previous_status(doc),
        review_missing=_review_banner(doc), unconfirmed_import=apps.unconfirmed_import(doc), history=history,
        linked=linked,
        followups=schedule.application_followups(store, doc, today),
        reason_codes=reasons.REASONS, latest_reason=reasons.latest(doc),
        latest_reason_labels=[reasons.REASONS.get(c, c) for c in (reasons.latest(doc) or {}).get("codes") or []],
        remote_values=apps.REMOTE_VALUES, employment_types=apps.EMPLOYMENT_TYPES, send_methods=apps.SEND_METHODS,
        today=today,
        # what was sent with it, and applications that look like the same job (to merge)
        sent_documents=documents.for_application(store, doc["id"]), similar=similar.find(store, doc),
        stored_documents=[d for d in documents.list_documents(store, limit=DOCUMENTS_OFFERED)
                          if doc["id"] not in d.get("application_ids", [])],
        more_documents=store.count(documents.TABLE) > DOCUMENTS_OFFERED,
        document_kinds=documents.KINDS, document_kind_labels=documents.KIND_LABELS,
        document_accept=",".join(documents.TYPES), document_max_mb=documents.MAX_BYTES // (1024 * 1024))


