"""Job pages served at their real addresses: a local HTTPS server the browser reaches through its host mapping.

Chromium: ``--host-resolver-rules=MAP * 127.0.0.1:PORT`` with ``--ignore-certificate-errors``.
Firefox: an HTTP proxy on loopback (``proxy_port``) whose CONNECT tunnels end at the same server,
with the test profile accepting its certificate. The companion on 127.0.0.1 is untouched.
Every page a test serves is named by its full URL; unknown addresses answer 404.
"""
import json
import select
import socket
import ssl
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "extract"

# One posting per supported site, from the extraction golden files (each names the address it was captured at).
SITE_PAGES = {
    "ashby": "posting", "bamboohr": "careers-detail", "eightfold": "rendered-position", "careerbeacon": "moncton-fr",
    "glassdoor": "glassdoor-est",
    "google": "results-detail", "greenhouse": "board-old", "icims": "portal-outer", "indeed": "viewjob",
    "lever": "posting", "linkedin": "guest", "monster": "job-openings", "seek": "job",
    "smartrecruiters": "job-ad", "welcometothejungle": "cdi-paris", "wellfound": "remote-us",
    "workable": "hybrid-lisbon", "workday": "server-rendered", "ziprecruiter": "company-job",
}


def golden(site, name=None):
    """(url, html, the fields extraction reads there) of a golden page."""
    name = name or SITE_PAGES[site]
    expected = json.loads((GOLDEN / site / f"{name}.json").read_text(encoding="utf-8"))
    return expected["url"], (GOLDEN / site / f"{name}.html").read_text(encoding="utf-8"), expected["expected"]


def every_site_posting():
    """[(match pattern, url, html)]: for each site pattern of the built manifest, a posting served at one of its hosts.

    The page is a golden page of the site module that reads that host (its chosen one in SITE_PAGES first), at
    its own address when that matches the pattern, else at the pattern's host ("*.indeed.de" → www.indeed.de)
    with the golden page's path.
    """
    from urllib.parse import urlsplit, urlunsplit

    from companion.extract.registry import match_patterns, site_for

    pages = {}
    for case in sorted(GOLDEN.glob("*/*.json")):
        expected = json.loads(case.read_text(encoding="utf-8"))
        if "expected" in expected and expected["url"].startswith("https://"):
            pages.setdefault(case.parent.name, []).append(case.stem)
    out = []
    for pattern in match_patterns():
        host_pattern, _, path_pattern = pattern.removeprefix("https://").partition("/")
        host = host_pattern.replace("*.", "www.")
        key = site_for(f"https://{host}/{path_pattern.rstrip('*')}").key
        names = [SITE_PAGES[key]] if key in SITE_PAGES else pages[key]
        url, html, _ = golden(key, names[0])
        parts = urlsplit(url)
        if not _matches(host_pattern, parts.hostname):
            url = urlunsplit(parts._replace(netloc=host))
        out.append((pattern, url, html))
    return out


def _matches(host_pattern, host):
    return host == host_pattern or (host_pattern.startswith("*.") and
                                    (host == host_pattern[2:] or host.endswith(host_pattern[1:])))


def self_signed(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost"],
                   check=True, capture_output=True)
    return cert, key


class RealHosts:
    """An HTTPS server answering for any host, and a CONNECT proxy in front of it (for Firefox)."""

    def __init__(self, folder):
        from flask import Flask, request
        from werkzeug.serving import make_server

        self.pages = {}  # "https://host/path?query" (or without the query) -> html
        app = Flask("real-hosts")

        @app.route("/", defaults={"path": ""})
        @app.route("/<path:path>")
        def page(path):
            # the address as the browser sent it (percent-escapes kept), as the golden pages name it
            raw = request.environ.get("RAW_URI") or request.full_path
            url = f"https://{request.host.split(':')[0]}{raw.rstrip('?')}"
            html = self.pages.get(url) or self.pages.get(url.split("?")[0])
            if html is None:
                return "not here", 404
            return html, 200, {"Content-Type": "text/html; charset=utf-8"}

        cert, key = self_signed(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=context)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.proxy = socket.create_server(("127.0.0.1", 0))
        self.proxy_port = self.proxy.getsockname()[1]
        threading.Thread(target=self._proxy_loop, daemon=True).start()

    def add(self, url, html):
        self.pages[url] = html
        return url

    def add_golden(self, site, name=None):
        url, html, expected = golden(site, name)
        self.add(url, html)
        return url, expected

    def chromium_args(self):
        return [f"--host-resolver-rules=MAP * 127.0.0.1:{self.port}, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                "--ignore-certificate-errors"]

    def firefox_preferences(self):
        return {"network.proxy.type": 1, "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": self.proxy_port,
                "network.proxy.http": "127.0.0.1", "network.proxy.http_port": self.proxy_port,
                "network.proxy.no_proxies_on": "localhost, 127.0.0.1", "network.proxy.allow_hijacking_localhost": False}

    def _proxy_loop(self):
        while True:
            try:
                client, _ = self.proxy.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client):
        """CONNECT host:443 → a tunnel to the HTTPS server, whatever the host."""
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            if not head.startswith(b"CONNECT "):
                client.sendall(b"HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n")
                return
            upstream = socket.create_connection(("127.0.0.1", self.port))
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            sockets = [client, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            client.close()

    def stop(self):
        self.server.shutdown()
        self.proxy.close()


def host_of(url):
    return urlsplit(url).hostname
