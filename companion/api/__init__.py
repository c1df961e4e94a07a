"""The JSON API under /api: one blueprint, one module per resource."""
import json

from flask import Blueprint, current_app, jsonify, request

from .. import __version__, tokens
from ..errors import BadRequest, ValidationError

bp = Blueprint("api", __name__, url_prefix="/api")
API_VERSION = 1
# Lists come in pages: ?limit= (at most MAX_PAGE) and ?cursor= (the next_cursor of the page before).
PAGE, MAX_PAGE = 100, 500


def read_json():
    """The request body as a JSON object, or a clear 400 (never a 500) when it is not one."""
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8", code="bad_encoding") from None
    if not text.strip():
        raise BadRequest("the request body is empty; send a JSON object", code="empty_body")
    try:
        payload = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:
        raise BadRequest(f"the request body is not valid JSON: {error}", code="malformed_json") from None
    except RecursionError:  # "[[[[..." a hundred thousand deep: Python's parser gives up
        raise BadRequest("the request body is nested too deeply to be read", code="malformed_json") from None
    if not isinstance(payload, dict):
        raise ValidationError("the request body must be a JSON object")
    return payload


def optional_json():
    """The body of a request that needs none (done, dismiss, check...): {} when empty, else a JSON object."""
    return read_json() if request.get_data(cache=True).strip() else {}


def _refuse_constant(name):
    # NaN and Infinity are not JSON (RFC 8259), and no field of ours can hold them.
    raise ValueError(f"{name} is not a valid JSON value")


# Offsets and ids past this are no record's (and a number past the machine's word breaks slices and islice).
LARGEST = 2**31 - 1


def query_int(name, default, *, minimum=0, maximum=LARGEST):
    value = request.args.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(f"{name} must be a whole number") from None
    if maximum == LARGEST and not minimum <= number <= maximum:
        raise ValidationError(f"{name} must be {minimum} or more" if number < minimum else f"{name} is past every record")
    if not minimum <= number <= maximum:
        raise ValidationError(f"{name} must be between {minimum} and {maximum}")
    return number


@bp.get("/ping")
def ping():
    """Lets the extension tell "not running" from "not paired" without a token, and lets a client check,
    before it sends its token, that this is the companion that knows it (``tokens.prove``)."""
    answer = {"app": "applied", "version": __version__, "api": API_VERSION, "port": current_app.config.get("PORT")}
    if "nonce" in request.args:
        answer["proof"] = tokens.prove(request.args.get("nonce"), request.args.get("key"), current_app.config.get("PORT"),
                                       current_app.extensions["applied_credentials"]())
    return jsonify(answer)


def init_app(app):
    """Give the app the API: one module per resource, each adding its routes to ``bp``."""
    from . import applications, changes, contacts, documents, fetch, followups, imports  # noqa: F401
    from . import autostart, openapi, pairing, report, sessions, similar, skills, transfer  # noqa: F401
    from . import mail  # noqa: F401  (replies read from the person's mail: issue 23)

    app.register_blueprint(bp)
