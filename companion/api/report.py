"""GET /api/report: the work-search report over ?from=&to=, as JSON, CSV or printable HTML.

Scope: a bulk export of the person's search, so theirs alone (``require_person``).
"""
from flask import Response, jsonify, render_template, request

from .. import contacts, current, report, skills
from .. import applications as apps
from ..errors import ValidationError
from ..security import require_person
from . import bp

FORMATS = ("json", "csv", "html")


def build(store, first, last):
    """What the report page, the printable HTML and the CSV show: {person, from, to, rows, weeks}."""
    rows = report.activities(store.all(apps.TABLE), store.all(contacts.TABLE), store.all(skills.COURSES), first, last)
    return {"person": current.user_settings().get("your_name") or "", "from": first.isoformat(),
            "to": last.isoformat(), "rows": rows, "weeks": report.weeks(rows), "columns": report.COLUMNS}


def _stylesheet():
    from importlib.resources import files

    return files("companion").joinpath("static/report.css").read_text(encoding="utf-8")


def printable(data, *, standalone):
    """The report as one HTML page made for printing; ``standalone`` inlines its stylesheet (for a saved file)."""
    return render_template("report_print.html", **data, css=_stylesheet() if standalone else None)


@bp.get("/report")
def work_search_report():
    require_person()
    kind = request.args.get("format", "json")
    if kind not in FORMATS:
        raise ValidationError(f"format must be one of: {', '.join(FORMATS)}")
    first, last = report.parse_range(request.args.get("from"), request.args.get("to"))
    data = build(current.store(), first, last)
    name = f"work-search-{data['from']}-to-{data['to']}"
    if kind == "csv":
        return Response(report.to_csv(data["rows"]), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    if kind == "html":
        return Response(printable(data, standalone=True), mimetype="text/html",
                        headers={"Content-Disposition": f"attachment; filename={name}.html"})
    data.pop("columns")
    return jsonify(data)
