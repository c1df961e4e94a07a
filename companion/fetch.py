"""Fetching a job page by URL for the person, without letting a URL reach what it must not.

"Add by URL" makes the companion itself request a page, from inside the person's machine and
network. A URL must not turn that into a way to the person's router, cloud metadata service,
or other local servers (SSRF). So :func:`fetch_page`:

* takes http and https URLs only, without user names or passwords in them;
* resolves the host once and refuses it if *any* address is not public (loopback, private,
  link-local, carrier-grade NAT, multicast, reserved, IPv4-mapped IPv6, 6to4/NAT64 wrapping a
  private IPv4...), then connects to that vetted address itself, so a DNS answer that changes
  between check and connect (rebinding) cannot win; the address the socket ends up connected
  to is checked again;
* follows at most ``MAX_REDIRECTS`` redirects by hand, each one checked the same way;
* gives up after ``CONNECT_TIMEOUT`` seconds to connect and ``TOTAL_TIMEOUT`` seconds overall,
  however slowly a server drips its answer, and after ``MAX_BYTES`` of body;
* sends no cookies, credentials or proxy settings, and accepts only HTML.
"""
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import quote, urljoin, urlsplit

from . import __version__
from .errors import FetchError

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 10.0
REDIRECTS = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = f"Mozilla/5.0 (compatible; Applied/{__version__}; personal job-application tracker)"
# IPv6 ranges that carry an IPv4 address in their last 32 bits: judge them by that address.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# Deprecated site-local IPv6 (RFC 3879): Python calls it global, but routers may still treat it as local.
SITE_LOCAL = ipaddress.ip_network("fec0::/10")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def is_public(address):
    """Whether an IP address is an ordinary public internet address that fetching may reach."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.version == 6:
        if ip.ipv4_mapped is not None or ip in SITE_LOCAL:
            return False  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket: never needed for a web page
        embedded = ip.sixtofour or next((ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
                                         for net in NAT64 if ip in net), None)
        if embedded is not None and not is_public(embedded):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified
                                 or ip.is_loopback or ip.is_link_local or ip.is_private)


def system_resolve(host, port):
    """Every address the system resolver gives for ``host`` (numeric forms like 127.1 included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


class Policy:
    """Where :func:`fetch_page` may go: how names resolve, and which addresses it may connect to.

    The default is strict (the system resolver, public addresses only, the system's certificate
    authorities). Tests pass another resolver, ``permits`` or ``tls_context`` (a function returning
    an SSLContext) to reach servers they run on loopback; nothing in production does.
    """

    def __init__(self, resolve=system_resolve, permits=is_public, tls_context=ssl.create_default_context):
        self.resolve, self.permits, self.tls_context = resolve, permits, tls_context


STRICT = Policy()


def _check_url(url):
    if not isinstance(url, str) or not url.strip():
        raise FetchError("give the address of a web page, starting with https://", code="invalid_url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError("that is not a valid web address", code="invalid_url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("only http:// and https:// addresses can be fetched", code="unsafe_url")
    if parts.username is not None or parts.password is not None:
        raise FetchError("addresses with a user name or password in them are not fetched", code="unsafe_url")
    if not parts.hostname:
        raise FetchError("that address has no host name", code="invalid_url")
    try:
        # Non-ASCII names travel as IDNA ("xn--"), in DNS, the Host header and TLS alike.
        host = parts.hostname if parts.hostname.isascii() else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError("that address has an invalid host name", code="invalid_url") from None
    return parts._replace(netloc=_netloc(host, port)), port or (443 if parts.scheme.lower() == "https" else 80)


def _netloc(host, port):
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def _resolve(host, port, policy, deadline):
    """The resolver's answer, waiting no longer than the deadline (a stuck DNS server can take minutes)."""
    answer = {}

    def lookup():
        try:
            answer["addresses"] = policy.resolve(host, port)
        except (UnicodeError, OSError) as error:
            answer["error"] = error

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise FetchError(f"looking up {host} took too long", code="timeout")
    if "error" in answer:
        raise FetchError(f"could not find the site {host}: check the address", code="unknown_host")
    return answer["addresses"]


def _vetted_addresses(host, port, policy, deadline):
    addresses = _resolve(host, port, policy, deadline)
    if not addresses:
        raise FetchError(f"could not find the site {host}: check the address", code="unknown_host")
    for address in addresses:
        if not policy.permits(ipaddress.ip_address(address.split("%", 1)[0])):
            # One private answer refuses the name: a site has no business resolving there.
            raise FetchError(f"{host} leads to a local or private network address; Applied only fetches "
                             "public web pages", code="unsafe_address")
    return addresses


class _Connection(http.client.HTTPConnection):
    """HTTP to an already vetted address, with the URL's host name in the Host header."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _TLSConnection(http.client.HTTPSConnection):
    """HTTPS to an already vetted address; SNI and certificate checks use the URL's host name."""

    def __init__(self, host, port, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _target(parts):
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + ("?" + query if query else "")


def _open(parts, port, addresses, policy, deadline, connect_timeout):
    """Connect to the first vetted address that answers; return the connection."""
    last_error = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        timeout = min(connect_timeout, remaining)
        if parts.scheme.lower() == "https":
            conn = _TLSConnection(parts.hostname, port, address, timeout, policy.tls_context())
        else:
            conn = _Connection(parts.hostname, port, address, timeout)
        try:
            conn.connect()
        except ssl.SSLError as error:
            conn.close()
            raise FetchError(f"{parts.hostname} has no valid certificate ({error.reason or error})",
                             code="tls_error") from None
        except OSError as error:
            conn.close()
            last_error = error
            continue
        peer = ipaddress.ip_address(conn.sock.getpeername()[0].split("%", 1)[0])
        if not policy.permits(peer):
            conn.close()
            raise FetchError(f"{parts.hostname} leads to a local or private network address", code="unsafe_address")
        return conn
    if isinstance(last_error, TimeoutError) or time.monotonic() >= deadline:
        raise FetchError(f"{parts.hostname} did not answer in time", code="timeout")
    reason = getattr(last_error, "strerror", None) or last_error or "no address answered"
    raise FetchError(f"could not connect to {parts.hostname} ({reason})", code="connect_failed")


def _read_body(response, max_bytes, host):
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"the page at {host} is larger than {max_bytes // (1024 * 1024)} MB", code="too_large")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"{host} sent the page in an encoding Applied cannot read ({encoding})", code="bad_encoding")
    inflate = None
    if encoding != "identity":
        inflate = zlib.decompressobj(wbits=47 if "gzip" in encoding else 15)  # 47: gzip or zlib header
    chunks, size = [], 0
    while True:
        chunk = response.read(64 * 1024)
        if not chunk:
            break
        if inflate is not None:
            # max_length: a small compressed body may not unfold into gigabytes (a zip bomb).
            chunk = inflate.decompress(chunk, max_bytes + 1 - size)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the page at {host} is larger than {max_bytes // (1024 * 1024)} MB", code="too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body, charset):
    if not charset:
        if body.startswith(b"\xef\xbb\xbf"):
            charset = "utf-8-sig"
        else:
            found = _META_CHARSET.search(body[:4096])
            charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _get(url, policy, deadline, connect_timeout, max_bytes):
    """One GET without following redirects: (status, location, text or None)."""
    parts, port = _check_url(url)
    addresses = _vetted_addresses(parts.hostname, port, policy, deadline)
    conn = _open(parts, port, addresses, policy, deadline, connect_timeout)
    timed_out = threading.Event()

    def stop():
        # The socket timeout bounds each read; this bounds them all (a server dripping a byte a second).
        timed_out.set()
        try:
            conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.sock.settimeout(max(0.01, deadline - time.monotonic()))
        conn.request("GET", _target(parts), headers={
            "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip", "Accept-Language": "en;q=0.9, *;q=0.5", "Connection": "close"})
        response = conn.getresponse()
        if timed_out.is_set():
            raise TimeoutError  # the watchdog cut the headers short: what arrived is not the answer
        if response.status in REDIRECTS:
            return response.status, response.getheader("Location"), None
        if not 200 <= response.status < 300:
            raise FetchError(f"{parts.hostname} answered {response.status} {response.reason}".rstrip(),
                             code="http_error")
        content_type = response.getheader("Content-Type")
        if content_type and response.headers.get_content_type() not in HTML_TYPES:
            raise FetchError(f"that address is not a web page (it is {response.headers.get_content_type()})",
                             code="not_html")
        body = _read_body(response, max_bytes, parts.hostname)
        if timed_out.is_set():
            raise TimeoutError  # the watchdog cut the body short
        return response.status, None, _decode(body, response.headers.get_content_charset())
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, zlib.error, EOFError) as error:
        if timed_out.is_set() or isinstance(error, TimeoutError) or time.monotonic() >= deadline:
            raise FetchError(f"{parts.hostname} took too long to send the page", code="timeout") from None
        raise FetchError(f"{parts.hostname} sent an answer Applied cannot read ({type(error).__name__})",
                         code="bad_response") from None
    finally:
        watchdog.cancel()
        conn.close()


def fetch_page(url, *, policy=STRICT, max_bytes=MAX_BYTES, connect_timeout=CONNECT_TIMEOUT,
               total_timeout=TOTAL_TIMEOUT):
    """Fetch a web page safely; return ``(final_url, html_text)`` or raise FetchError.

    ``final_url`` is the address after redirects. Every refusal and failure is a FetchError
    whose message says what happened in words a person can act on.
    """
    deadline = time.monotonic() + total_timeout
    for _ in range(MAX_REDIRECTS + 1):
        status, location, text = _get(url, policy, deadline, connect_timeout, max_bytes)
        if text is not None:
            return url, text
        if not location:
            raise FetchError(f"the site answered {status} without saying where to go", code="bad_response")
        url = urljoin(url, location.strip())
    raise FetchError(f"the address redirected more than {MAX_REDIRECTS} times", code="too_many_redirects")
