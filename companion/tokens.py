"""API tokens: the install token, paired extensions' tokens, what each may do, and the server's proof.

The one owner of tokens: ``pairing`` stores paired tokens' digests through it and ``security``
checks presented tokens with it; neither imports the other.

* The install token (the ``token`` file, owner-only) has every right: it is the person's.
* A paired extension's token is scoped to what the extension does (``EXTENSION_SCOPE``):
  capture, look up, change statuses, act on follow-ups, read the person's settings, find a stored
  document by name and link it to an application. Not
  export everything, import, manage pairings, read the calendar feed's secret or anything else.
* A client proves the server before it sends its token (:func:`proof`): it sends a nonce, the
  server answers an HMAC of it keyed by the digest of the client's token (which the server keeps
  and the client can compute), bound to the port it answers on. A program of another user that
  took the port while the companion was down holds no digest, so it cannot answer; relaying the
  nonce to a real companion on another port fails too, since the port is part of the message.
"""
import hashlib
import hmac
import os
import re
import secrets

TOKEN_FILE = "token"
# The routes a paired extension may reach, as (method, URL rule): everything else is refused.
EXTENSION_SCOPE = frozenset({
    ("GET", "/api/ping"), ("GET", "/api/openapi.json"),
    ("POST", "/api/applications"), ("GET", "/api/applications"),  # capture, look up by URL
    ("GET", "/api/applications/<int:application_id>"), ("PATCH", "/api/applications/<int:application_id>"),  # status
    ("GET", "/api/followups"), ("POST", "/api/followups/<int:application_id>/<key>/<action>"),
    ("POST", "/api/followups/catch-up/dismiss"),  # what fell due before an import, dismissed at once
    ("GET", "/api/settings"),  # whether to notify
    # The badge's cheap "has anything changed?" and the popup's preview of what a capture would read:
    ("GET", "/api/changes"), ("POST", "/api/preview"),
    # People to thank count in the badge, and the popup can mark one done:
    ("GET", "/api/contacts/reminders"), ("POST", "/api/contacts/<int:contact_id>/done/<key>"),
    # The popup offers the stored document of a file name picked in an application form, and links it
    # (finding by name and linking only: uploading, downloading, renaming, deleting stay the person's):
    ("GET", "/api/documents"), ("POST", "/api/applications/<int:application_id>/documents"),
    # "N replies to review": the count of replies read from the person's mail (their senders and subjects stay theirs):
    ("GET", "/api/replies/count"),
})
NONCE = re.compile(r"[0-9a-f]{32,128}")
KEY_ID = re.compile(r"[0-9a-f]{16}")


# -- files in the data folder ------------------------------------------------------------------

def write_owner_only(path, data):
    """Create ``path`` readable by its owner alone (mode set at creation: no window where it is not)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # O_CREAT's mode does not apply to a file that already existed


def read_secret(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)  # copied in by hand, or restored from a backup with loose modes
    return data


def token_path(data_dir):
    return os.path.join(data_dir, TOKEN_FILE)


def load_or_create_token(data_dir):
    """The install's API token: made once with the secrets module, kept owner-only."""
    path = token_path(data_dir)
    token = (read_secret(path) or b"").decode("ascii", "replace").strip()
    if len(token) >= 32:
        return token
    token = secrets.token_urlsafe(32)
    write_owner_only(path, (token + "\n").encode("ascii"))
    return token


# -- credentials ---------------------------------------------------------------------------------

def digest(token):
    """What the server keeps of a token: its SHA-256 (hex).

    The token is 256 random bits, so a plain hash cannot be reversed or guessed; a copy of
    the store (a backup, an export) then holds nothing that opens the API.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Credential:
    """A token as the server knows it: its digest, its scope, and the pairing it belongs to (if any)."""

    __slots__ = ("digest", "scope", "pairing_id")

    def __init__(self, token_digest, scope, pairing_id=None):
        self.digest, self.scope, self.pairing_id = token_digest, scope, pairing_id

    @classmethod
    def install(cls, token):
        return cls(digest(token), "install")

    @classmethod
    def paired(cls, pairing_id, token_digest):
        return cls(token_digest, "extension", pairing_id)

    def allows(self, method, rule):
        """Whether this credential may send ``method`` to the route ``rule`` (a Flask URL rule)."""
        method = "GET" if method == "HEAD" else method
        return self.scope == "install" or (method, rule) in EXTENSION_SCOPE


def matching(presented, credentials):
    """The credential ``presented`` opens, or None.

    Digests of equal length are compared, every one of them, so neither the length of a
    token nor which entry matched shows in the time the check takes.
    """
    if not presented:
        return None
    presented_digest = digest(presented).encode()
    match = None
    for credential in credentials:
        if hmac.compare_digest(presented_digest, credential.digest.encode()) and match is None:
            match = credential
    return match


# -- the server's proof ------------------------------------------------------------------------------

def key_id(token_digest):
    """Names a credential without revealing it: lets the server pick which digest keys its proof."""
    return hashlib.sha256(b"applied-key-id:" + token_digest.encode()).hexdigest()[:16]


def proof(token_digest, nonce, port):
    """HMAC-SHA256 of the client's nonce and the port, keyed by the token's digest (hex)."""
    message = f"applied-proof:{port}:{nonce}".encode()
    return hmac.new(token_digest.encode(), message, hashlib.sha256).hexdigest()


def prove(nonce, wanted_key_id, port, credentials):
    """The proof for a client holding the credential named ``wanted_key_id``, or None when none is."""
    if not (NONCE.fullmatch(nonce or "") and KEY_ID.fullmatch(wanted_key_id or "")):
        return None
    for credential in credentials:
        if hmac.compare_digest(key_id(credential.digest), wanted_key_id):
            return proof(credential.digest, nonce, port)
    return None


def proves(answer, token, nonce, port):
    """Client side: whether ``answer`` is the proof only a server knowing ``token``'s digest can give."""
    return isinstance(answer, str) and hmac.compare_digest(answer, proof(digest(token), nonce, port))
