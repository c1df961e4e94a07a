"""A real IMAP server for the tests: Debian's Dovecot, started in a temporary folder with its own configuration,
TLS with a certificate made here, one user with a static password (see ../shared/tools/README.md).

The companion trusts that certificate the standard way: SSL_CERT_FILE names it in the companion's
environment, which ``ssl.create_default_context()`` reads; nothing in Applied skips verification.
"""
import imaplib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
USER, PASSWORD = "sam", "app-password-1234"
NOBODY = 65534

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = required
ssl_cert = <{base}/cert.pem
ssl_key = <{base}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={base}/mail/%u
}}
first_valid_uid = {uid}
first_valid_gid = {uid}
mail_location = maildir:~/Maildir
default_login_user = dovenull
default_internal_user = dovecot
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {starttls_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1 and localhost (its own authority), and its key."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"), "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return folder / "cert.pem"


class Dovecot:
    """Dovecot in a folder of its own under the system's temporary folder: pytest's are private to their owner,
    and the mail processes, which run as nobody, must reach their mail."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="applied-dovecot-"))
        self.port, self.starttls_port = _free_port(), _free_port()
        self.cert = None

    def start(self):
        for sub in ("run", "state", "mail"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        self.cert = make_certificate(self.base)
        os.chown(self.base / "mail", NOBODY, NOBODY)
        self.base.chmod(0o755)
        config = self.base / "dovecot.conf"
        config.write_text(CONFIG.format(base=self.base, password=PASSWORD, uid=NOBODY, port=self.port,
                                        starttls_port=self.starttls_port))
        # It daemonizes: its output goes to a file (a pipe would stay open, held by the daemon, and block us).
        with open(self.base / "start.log", "wb") as log:
            started = subprocess.run([DOVECOT, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT, check=False)
        if started.returncode:
            raise RuntimeError("dovecot did not start: " + (self.base / "start.log").read_text(errors="replace"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not listen: " + (self.base / "dovecot.log").read_text(errors="replace"))

    def stop(self):
        pid_file = self.base / "run" / "master.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        shutil.rmtree(self.base, ignore_errors=True)

    def client(self):
        """A test's own IMAP connection (trusting the test certificate)."""
        context = ssl.create_default_context(cafile=str(self.cert))
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        imap.login(USER, PASSWORD)
        return imap

    def deliver(self, messages, folder="INBOX"):
        """Append each raw message, unread, as a mail server's delivery would leave it."""
        with self.client() as imap:
            for raw in messages:
                status, _ = imap.append(folder, "", imaplib.Time2Internaldate(time.time()), raw)
                assert status == "OK"

    def unseen_and_total(self, folder="INBOX"):
        """(unread, all) messages in the folder, read without changing anything."""
        with self.client() as imap:
            imap.select(folder, readonly=True)
            unseen = imap.search(None, "UNSEEN")[1][0].split()
            every = imap.search(None, "ALL")[1][0].split()
            return len(unseen), len(every)
