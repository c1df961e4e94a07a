"""/api/sign-in: a one-time sign-in link for the web view, for `applied open` (the install token only)."""
from flask import current_app, g, jsonify

from .. import sessions
from ..errors import Forbidden
from . import bp


@bp.post("/sign-in")
def sign_in_link():
    """{"url", "code", "expires_in"}: a link (and its code) that signs one browser in, once, within a minute."""
    if g.get("credential") != "install":
        raise Forbidden("only the install token (`applied open`) can make a sign-in link", code="person_only")
    code = sessions.new_sign_in_code(current_app)
    port = current_app.config.get("PORT")
    return jsonify({"url": sessions.sign_in_url(sessions.web_host(), port, code), "code": code,
                    "expires_in": sessions.SIGN_IN_CODE_SECONDS}), 201
