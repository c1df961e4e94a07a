"""/api/applications/<id>/similar and /merge: the same job seen twice, and making it one record.

The capture answer carries ``similar`` too (see ``similar_for`` in api/applications.py).
"""
from flask import jsonify

from .. import applications as apps
from .. import current, similar
from ..errors import ValidationError
from ..validate import known_fields
from . import bp, read_json


@bp.get("/applications/<int:application_id>/similar")
def similar_applications(application_id):
    """Applications of the last 90 days at the same company with a close title."""
    store = current.store()
    return jsonify({"similar": similar.find(store, apps.get(store, application_id))})


@bp.post("/applications/<int:application_id>/merge")
def merge(application_id):
    """{other_id}: fold that application into this one (both URLs, both histories); the other is deleted."""
    other_id = known_fields(read_json(), ("other_id",), "a merge").get("other_id")
    if isinstance(other_id, bool) or not isinstance(other_id, int):
        raise ValidationError("other_id must be the id of the application to merge into this one")
    return jsonify({"application": apps.public(similar.merge(current.store(), application_id, other_id))})
