"""The web view's own address: an unguessable host name under .localhost, made once per install.

Browsers send a cookie to every port of the host it was set for. On 127.0.0.1, the web view's
session cookie would go with a link to any other program listening on loopback, which could then
use it (read everything, export it). So the web view lives at ``http://applied-<random>.localhost:<port>``:
Chromium and Firefox resolve every ``*.localhost`` name to loopback themselves (no DNS is asked),
and a cookie set there goes to that name only, which nobody else knows. The API keeps answering
on 127.0.0.1 (the extension and the CLI send a token, never a cookie), and ``/calendar.ics`` too
(calendar apps resolve no ``.localhost`` names, and the feed's address must not carry this one).

The name is a secret of the data folder (owner-only, like the token): it is given only to the
person's own tools (the install token's ``applied open``, the paired extension's settings answer),
and appears in no answer a stranger can get.
"""
import os
import re
import secrets

from .tokens import read_secret, write_owner_only

FILE = "web_host"
SUFFIX = ".localhost"
_NAME = re.compile(r"applied-[0-9a-f]{24}\.localhost")


def load_or_create(data_dir):
    """The install's web host name (``applied-<96 random bits in hex>.localhost``), made once."""
    path = os.path.join(data_dir, FILE)
    name = (read_secret(path) or b"").decode("ascii", "replace").strip()
    if _NAME.fullmatch(name):
        return name
    name = f"applied-{secrets.token_hex(12)}{SUFFIX}"
    write_owner_only(path, (name + "\n").encode("ascii"))
    return name


def origin(name, port):
    """The web view's origin, the one way every link to it is made (the CLI, sign-in links, the extension)."""
    return f"http://{name}:{port}" if port else f"http://{name}"


def names_it(host_header, name):
    """Whether a Host header names the web host (with any port: the server checks where it listens)."""
    header = host_header or ""
    host, _, port = header.rpartition(":") if header.count(":") == 1 else (header, "", "")
    return bool(name) and host.lower() == name and (not port or (port.isdigit() and 0 < int(port) <= 65535))
