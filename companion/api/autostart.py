"""/api/autostart: whether Applied starts when the person logs in (the Settings switch); theirs only."""
from flask import current_app, jsonify

from .. import autostart
from ..errors import ValidationError
from ..security import require_person
from . import bp, read_json


def _state():
    state = autostart.status()
    return {"on": state["on"], "how": state["how"], "where": state["where"]}


@bp.get("/autostart")
def autostart_status():
    require_person()
    return jsonify(_state())


@bp.put("/autostart")
def autostart_change():
    """{"on": true|false}: start this companion (its port and data folder) at login, or no longer."""
    require_person()
    on = read_json().get("on")
    if not isinstance(on, bool):
        raise ValidationError("on must be true or false")
    if on:
        autostart.turn_on(current_app.config["PORT"], current_app.config["DATA_DIR"])
    else:
        autostart.turn_off()
    return jsonify(_state())
