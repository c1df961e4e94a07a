"""The web view's pages for the job-search record: documents, the work-search report, importing a CSV.

Like every page, they only read: uploads, links, merges and imports go
through the JSON API from static/record.js.
"""
from datetime import date, timedelta

from flask import render_template, request

from .. import applications as apps
from .. import current, documents, report
from ..errors import ValidationError
from ..trackers import FIELD_LABELS, FIELDS
from . import bp
from .pages import cursor_arg

DOCUMENTS_SHOWN = 50  # the newest, grouped by name; "Older documents" shows the next ones


@bp.get("/documents")
def documents_page():
    store = current.store()
    total, docs, following = documents.page_documents(store, limit=DOCUMENTS_SHOWN, after=cursor_arg("after"))
    ids = {i for doc in docs for i in doc.get("application_ids") or []}
    titles = {doc["id"]: doc for doc in store.get_many(apps.TABLE, sorted(ids))}
    return render_template("documents.html", groups=documents.versions(docs), total=total, following=following,
                           paged=bool(request.args.get("after")),
                           applications={i: doc for i, doc in titles.items() if doc},
                           kinds=documents.KINDS, kind_labels=documents.KIND_LABELS,
                           max_mb=documents.MAX_BYTES // (1024 * 1024), accept=",".join(documents.TYPES))


def _range():
    """The report's range from ?from=&to=, by default the last four weeks up to today."""
    today = date.today()
    start = request.args.get("from") or (today - timedelta(days=today.weekday() + 21)).isoformat()
    end = request.args.get("to") or today.isoformat()
    return start, end


def _build(first, last):
    return report.build(current.store(), first, last, current.user_settings().get("your_name") or "")


@bp.get("/report")
def report_page():
    start, end = _range()
    try:
        first, last = report.parse_range(start, end)
    except ValidationError as error:
        return render_template("report.html", problem=error.message, start=start, end=end, data=None)
    return render_template("report.html", problem=None, start=start, end=end,
                           data=_build(first, last))


@bp.get("/report/print")
def report_print():
    """The printable page alone: no navigation, a print stylesheet, a page break between weeks."""
    first, last = report.parse_range(*_range())
    return report.printable(_build(first, last), standalone=False)


@bp.get("/import")
def import_page():
    return render_template("import.html", fields=FIELDS, field_labels=FIELD_LABELS)
