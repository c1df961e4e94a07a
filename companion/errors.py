"""The one exception hierarchy: every error a person or a client can see.

Each error carries an HTTP status and a short machine-readable code; the single
handler in ``app.py`` turns it into ``{"error": {"code", "message"}}`` for the
API and a page for the web view, and the CLI prints its message on one line.
Messages are written for a person: they say what went wrong and what to do.
"""


class AppliedError(Exception):
    """Base of every error Applied raises on purpose."""

    status = 400
    code = "bad_request"

    def __init__(self, message, *, code=None, status=None, details=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details

    def to_json(self):
        body = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return {"error": body}


class BadRequest(AppliedError):
    """The request cannot be read: malformed JSON, wrong encoding, wrong shape."""


class ValidationError(AppliedError):
    """A field has a wrong type or value."""

    code = "invalid"


class Unauthorized(AppliedError):
    status = 401
    code = "unauthorized"


class Forbidden(AppliedError):
    status = 403
    code = "forbidden"


class NotFound(AppliedError):
    status = 404
    code = "not_found"


class Conflict(AppliedError):
    status = 409
    code = "conflict"


class UnsupportedMediaType(AppliedError):
    status = 415
    code = "unsupported_media_type"


class NotAPosting(AppliedError):
    """The page holds no job posting we can read."""

    status = 422
    code = "not_a_posting"


class FetchError(AppliedError):
    """Fetching a URL for the person failed or was refused (unsafe address, too big, too slow)."""

    status = 422
    code = "fetch_failed"


class StoreError(AppliedError):
    """The data folder cannot be used (locked by another process, unreadable, not writable)."""

    status = 503
    code = "store_unavailable"


class StoreLocked(StoreError):
    code = "store_locked"


class MailServerError(AppliedError):
    """A mail server could not be reached, trusted or logged in to: nothing was read from it."""

    status = 422
    code = "mail_server"


class UnreadableMail(AppliedError):
    """A message Applied will not read (too big, too many parts, nested too deep): nothing of it is stored."""

    status = 422
    code = "unreadable_mail"
