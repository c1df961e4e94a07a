"""A keyring backend for the tests, plugged in through keyring's own configuration (PYTHON_KEYRING_BACKEND=
mail_keyring.FileKeyring, with tests/ on PYTHONPATH): passwords in the JSON file APPLIED_TEST_KEYRING names, so
that `applied mail add` in one process and the companion in another share them as a system keyring would."""
import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    def _load(self):
        try:
            with open(os.environ["APPLIED_TEST_KEYRING"], encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {}

    def _save(self, data):
        with open(os.environ["APPLIED_TEST_KEYRING"], "w", encoding="utf-8") as handle:
            json.dump(data, handle)

    def get_password(self, service, username):
        return self._load().get(f"{service} {username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service} {username}"] = password
        self._save(data)

    def delete_password(self, service, username):
        data = self._load()
        if data.pop(f"{service} {username}", None) is None:
            raise PasswordDeleteError("no such password")
        self._save(data)
