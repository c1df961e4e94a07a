"""Mail passwords in the system keyring (Secret Service, macOS Keychain, Windows Credential Locker), never on disk.

The ``keyring`` library picks the system's store; its own configuration (``PYTHON_KEYRING_BACKEND``,
``keyringrc.cfg``) can name another, as the tests do. Where there is none (a server without a
Secret Service, say), nothing is kept: ``save`` says so, and the person is asked for the password
at each check instead. A keyring that fails (locked, refused) is treated the same way, with its reason.
"""
import logging

SERVICE = "applied-mail"
log = logging.getLogger("applied.mail")


def _keyring():
    import keyring  # imported when needed: it looks up its backends when first used

    return keyring


def _usable(backend):
    from keyring.backends import fail

    try:
        from keyring.backends import null
        refused = (fail.Keyring, null.Keyring)
    except ImportError:  # pragma: no cover (older keyring)
        refused = (fail.Keyring,)
    return not isinstance(backend, refused) and getattr(backend, "priority", 1) > 0


def status():
    """{"available": bool, "name": the backend's name, "reason": why not}."""
    try:
        backend = _keyring().get_keyring()
    except Exception as error:  # noqa: BLE001  (a broken keyring configuration is a reason, not a crash)
        return {"available": False, "name": None, "reason": f"the keyring cannot be loaded ({error})"}
    if not _usable(backend):
        return {"available": False, "name": None,
                "reason": "this computer has no system keyring Applied can use, so it cannot keep the password"}
    return {"available": True, "name": getattr(backend, "name", type(backend).__name__), "reason": None}


def save(account, password):
    """Keep the password for ``account`` (a "user@host" name); (kept, reason why not)."""
    state = status()
    if not state["available"]:
        return False, state["reason"]
    try:
        _keyring().set_password(SERVICE, account, password)
    except Exception as error:  # noqa: BLE001  (KeyringError and the backends' own errors)
        log.warning("the keyring refused the password of %s: %s", account, error)
        return False, f"the keyring refused it ({error})"
    return True, None


def get(account):
    """The kept password for ``account``, or None."""
    if not status()["available"]:
        return None
    try:
        return _keyring().get_password(SERVICE, account)
    except Exception as error:  # noqa: BLE001
        log.warning("the keyring could not give the password of %s: %s", account, error)
        return None


def forget(account):
    """Remove the kept password for ``account`` (nothing when there is none)."""
    if not status()["available"]:
        return
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, account)
    except keyring.errors.PasswordDeleteError:
        pass
    except Exception as error:  # noqa: BLE001
        log.warning("the keyring could not forget the password of %s: %s", account, error)
