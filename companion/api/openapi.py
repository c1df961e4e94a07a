"""GET /api/openapi.json: the API's OpenAPI 3.1 description (the table lives in companion/openapi.py)."""
from flask import current_app, jsonify, request

from .. import openapi
from . import bp


@bp.get("/openapi.json")
def description():
    """For tools (schemathesis, code generators); needs the token like the rest of the API."""
    return jsonify(openapi.describe(current_app, server_url=request.host_url.rstrip("/")))
