"""Handles on the running app's resources, for request handlers (like flaskr's get_db)."""
from flask import current_app

from .settings import user_values


def store():
    """The app's one Store."""
    return current_app.extensions["applied"]["store"]


def user_settings():
    """The person's settings: stored choices over the declared defaults."""
    return user_values(store())
