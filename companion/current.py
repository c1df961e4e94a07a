"""Handles on the running app's resources, for request handlers (like flaskr's get_db)."""
from flask import current_app

from .settings import USER_DEFAULTS


def store():
    """The app's one Store."""
    return current_app.extensions["applied"]["store"]


def user_settings():
    """The person's settings: stored choices over the declared defaults."""
    saved = store().get("settings", 1) or {}
    return {**USER_DEFAULTS, **{k: v for k, v in saved.items() if k in USER_DEFAULTS}}
