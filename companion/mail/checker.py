"""The running companion's periodic mail check: a thread of its own, off until an account is added.

It wakes every ``TICK`` seconds (or at once when an account is added or the setting changes), and
checks each account whose last check is older than ``mail_check_minutes`` (0: never) and whose
password the keyring holds. A check runs in this thread only: requests never wait for a mail server
(the store's lock is taken just to write what was found). Only ``applied serve`` starts it; a
command that opens the data folder itself does not.
"""
import logging
import threading
from datetime import datetime

from ..errors import AppliedError, StoreError
from ..settings import user_values
from . import accounts

TICK = 60
log = logging.getLogger("applied.mail")


class Checker:
    def __init__(self, store):
        self.store = store
        self.wake = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self.run, name="applied-mail-check", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping = True
        self.wake.set()

    def poke(self):
        """Check soon: an account was added, or the interval changed."""
        self.wake.set()

    def run(self):
        while not self.stopping:
            try:
                self.check_due()
            except StoreError:  # the store closed: the companion is stopping
                return
            except Exception:  # noqa: BLE001  (a bug of ours must not end the checks for good)
                log.exception("the periodic mail check failed; it will try again")
            self.wake.wait(TICK)
            self.wake.clear()

    def check_due(self):
        minutes = user_values(self.store).get("mail_check_minutes") or 0
        if minutes <= 0:
            return
        for account in accounts.due(self.store, datetime.now().replace(microsecond=0), minutes):
            if self.stopping:
                return
            try:
                found = accounts.check(self.store, account["id"], wait=0)
                if found["proposed"]:
                    log.info("mail: %d new replies to review from %s", found["proposed"], account["user"])
            except StoreError:
                raise
            except AppliedError as error:  # unreachable, refused, busy: kept as the account's last check
                log.info("mail: %s not checked: %s", account["user"], error.message)


def start(app):
    """Start the periodic check for this app (``applied serve`` asks for it with MAIL_CHECKS)."""
    checker = Checker(app.extensions["applied"]["store"]).start()
    app.extensions["applied_mail_checker"] = checker
    return checker


def poke(app):
    checker = app.extensions.get("applied_mail_checker")
    if checker is not None:
        checker.poke()
