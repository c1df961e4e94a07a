"""GET /api/report: the work-search report over ?from=&to=, as JSON, CSV or printable HTML.

Scope: a bulk export of the person's search, so theirs alone (``require_person``).
"""
from flask import Response, jsonify, request

from .. import current, report
from ..errors import ValidationError
from ..security import require_person
from . import bp

FORMATS = ("json", "csv", "html")


@bp.get("/report")
def work_search_report():
    require_person()
    kind = request.args.get("format", "json")
    if kind not in FORMATS:
        raise ValidationError(f"format must be one of: {', '.join(FORMATS)}")
    first, last = report.parse_range(request.args.get("from"), request.args.get("to"))
    data = report.build(current.store(), first, last, current.user_settings().get("your_name") or "")
    name = f"work-search-{data['from']}-to-{data['to']}"
    if kind == "csv":
        return Response(report.to_csv(data["rows"]), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    if kind == "html":
        return Response(report.printable(data, standalone=True), mimetype="text/html",
                        headers={"Content-Disposition": f"attachment; filename={name}.html"})
    data.pop("columns")
    return jsonify(data)
