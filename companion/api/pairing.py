"""/api/pair and /api/pairings: an extension asks for a token; the person answers, lists and revokes.

``POST /api/pair``, ``GET /api/pair/<id>`` and ``POST /api/pair/<id>/token`` need no token (the extension has none yet) but are
refused to web pages: only an extension's origin, or no Origin at all (curl, scripts), may ask.
The /api/pairings routes are the person's: the install token or the web view's session. Approving
always takes the code the extension shows (any local program can copy its name and Origin);
from the web view it also takes the install token, typed again: a session cookie can be
received by any program on another loopback port, and it must not be enough to let one in.
"""
from datetime import timedelta

from flask import current_app, g, jsonify, request

from .. import current, pairing, tokens
from ..errors import Forbidden, ValidationError
from ..security import is_web_origin, require_person
from . import bp, optional_json, read_json


def _refuse_web_pages():
    # A page could only ever get a request it cannot approve, but it should not even fill the list.
    if is_web_origin(request.headers.get("Origin")):
        raise Forbidden("pairing can only be asked for by the Applied extension, not by a web page",
                        code="web_origin")


def _request_ttl():
    # Seconds; only tests change it (there is no flag or setting for it).
    seconds = current_app.config.get("PAIRING_REQUEST_SECONDS")
    return timedelta(seconds=seconds) if seconds else pairing.REQUEST_TTL


def _polls():
    return current_app.extensions["applied"].setdefault("pairing_polls", pairing.Polls())


@bp.post("/pair")
def ask():
    """Ask to pair: 201 {id, code, state: "pending", expires_at, poll}; then poll GET /api/pair/<id>."""
    _refuse_web_pages()
    if not current.user_settings()["pairing_by_code"]:
        raise Forbidden("pairing by code is turned off in Applied's Settings: let the browser start Applied "
                        "(`applied setup`), or turn pairing by code on again", code="pairing_off")
    payload = read_json()
    asked = pairing.request_pairing(current.store(), payload.get("name"), request.headers.get("Origin"),
                                    ttl=_request_ttl(), requester=payload.get("requester"), polls=_polls())
    return jsonify({**asked, "poll": f"/api/pair/{asked['id']}"}), 201


@bp.get("/pair/<request_id>")
def poll(request_id):
    """The request's state, read only: pending, approved (then collect the token), denied, expired."""
    _refuse_web_pages()
    answer = pairing.poll(current.store(), request_id)
    _polls().seen(request_id)  # in memory: which waiting requests are still wanted
    return jsonify(answer)


@bp.post("/pair/<request_id>/token")
def collect(request_id):
    """Collect the token of an approved request: {"state": "approved", "token", "proof"}, exactly once.

    Body: {"requester"}, the id the request was made with (when it was made with one)."""
    _refuse_web_pages()
    payload = optional_json()
    return jsonify(pairing.collect(current.store(), request_id, requester=payload.get("requester"),
                                   port=current_app.config.get("PORT")))


@bp.post("/pairings/browser")
def browser_grant():
    """A token for the extension a browser started our native host for: {"name", "origin"} → 201 {token, pairing}.

    The install token only (the host holds it): the browser vouched for the caller, so no code is asked.
    """
    if g.get("credential") != "install":
        raise Forbidden("only Applied's own browser host (with the install token) can do this", code="person_only")
    payload = read_json()
    return jsonify(pairing.grant(current.store(), payload.get("name"), payload.get("origin"))), 201


@bp.get("/pairings")
def listing():
    """{"requests": pending requests, "tokens": paired extensions} (no secrets in either)."""
    require_person()
    store = current.store()
    return jsonify({"requests": pairing.pending(store), "tokens": pairing.tokens(store)})


def _confirmed_code():
    """The code typed by the person; from a web view session, only with the install token typed again."""
    require_person()
    payload = read_json()
    code = payload.get("code")
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("type the code the extension shows (like K7QX-2MXA)", code="code_needed")
    if g.credential == "session":
        install = tokens.Credential.install(current_app.extensions["applied"]["token"])
        typed = payload.get("token")
        if not isinstance(typed, str) or tokens.matching(typed, [install]) is None:
            raise Forbidden("to let an extension in, type your install token too (`applied token` shows it), "
                            "or run `applied pair --approve CODE` in a terminal", code="confirm_needed")
    return code


@bp.post("/pairings/<request_id>/approve")
def approve(request_id):
    """Approve this request: {"code"} the extension shows (and, from the web view, {"token"})."""
    code = _confirmed_code()
    return jsonify({"pairing": pairing.approve(current.store(), request_id, code)})


@bp.post("/pairings/approve")
def approve_code():
    """Approve the waiting request with this code: {"code"} (and, from the web view, {"token"})."""
    code = _confirmed_code()
    return jsonify({"pairing": pairing.approve_code(current.store(), code)})


@bp.post("/pairings/<request_id>/deny")
def deny(request_id):
    require_person()
    return jsonify({"pairing": pairing.deny(current.store(), request_id)})


@bp.delete("/pairings/<request_id>")
def revoke(request_id):
    """Revoke a paired extension (its token is refused from now on), or drop a request."""
    require_person()
    pairing.revoke(current.store(), request_id)
    return "", 204
