"""The web view's Replies page (proposals read from the person's mail) and the Settings page's mail accounts.

Like every page, it only reads: accepting, dismissing, logging, checking and adding accounts go
through the JSON API (/api/replies, /api/mail) from static/app.js's data-api forms.
"""
from flask import render_template, request

from .. import current
from ..errors import ValidationError
from ..mail import accounts, passwords, replies
from . import bp

KIND_LABELS = {"received": "acknowledgement", "rejection": "rejection", "interview": "interview",
               "assessment": "assessment", "offer": "offer", "recruiter": "message"}
TABS = (("open", "To review"), ("accepted", "Accepted"), ("dismissed", "Dismissed"), ("not_job", "Not about my search"))


@bp.get("/replies")
def replies_page():
    store = current.store()
    status = request.args.get("status", replies.OPEN)
    if status not in replies.STATES:
        raise ValidationError(f"status must be one of: {', '.join(replies.STATES)}")
    total, page = replies.list_replies(store, status=status, limit=200)
    return render_template("replies.html", replies=page, total=total, status=status, tabs=TABS,
                           counts=replies.counts(store), kinds=KIND_LABELS, has_accounts=bool(store.count(accounts.TABLE)))


@bp.app_template_global()
def mail_accounts():
    """The Settings page's mail section: the accounts and whether the keyring keeps their passwords."""
    return {"accounts": accounts.list_accounts(current.store()), "keyring": passwords.status()}


@bp.app_template_global()
def replies_waiting():
    """How many replies wait for review: the nav's count."""
    return replies.count_open(current.store())
