"""Every setting Applied has, declared once: name, default, type and why it exists.

Two kinds live in the one table:
* ``server`` settings are fixed when the companion starts (command-line flag or
  environment variable, then the default);
* ``user`` settings are the person's own choices (follow-up timing, notifications,
  their skills), stored in the data folder and changed in the web view or API.

The README's settings table is generated from this table and a test keeps the two in step.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    kind: str = "user"  # "server" or "user"
    env_name: str | None = None  # only where it differs from APPLIED_<NAME>
    minimum: int | None = None
    maximum: int | None = None
    label: str = ""  # how the Settings page names it, in words a person uses
    group: str = ""  # the part of the Settings page it sits in

    @property
    def env(self):
        """Server settings are read from this environment variable when no flag sets them."""
        return (self.env_name or f"APPLIED_{self.name.upper()}") if self.kind == "server" else None


DEFAULT_PORT = 7531

SETTINGS = (
    # -- server: fixed at start ------------------------------------------------------------
    Setting("port", DEFAULT_PORT, "TCP port on 127.0.0.1. Fixed so the extension finds the companion without setup.",
            kind="server", minimum=1, maximum=65535),
    Setting("data_dir", None, "Folder holding the store, captured pages, backups and the token. "
            "Default: the platform's user data folder.", kind="server", env_name="APPLIED_HOME"),
    Setting("max_body_mb", 10, "Largest request body accepted, in MB. A rendered posting is well under 5 MB; "
            "anything bigger is refused with 413 before it is read.", kind="server", minimum=1, maximum=100),
    Setting("backups", 5, "How many rotating snapshots of the store to keep for recovery.", kind="server",
            minimum=1, maximum=50),
    Setting("threads", 16, "Worker threads of the WSGI server. Pages are read two at a time whatever this says, so "
            "the others stay free for quick requests.", kind="server", minimum=1, maximum=64),
    Setting("extension_ids", "", "Extra Chrome extension ids allowed as CORS origins, comma separated "
            "(the id of the published extension is always allowed).", kind="server"),
    # -- user: follow-up coach ---------------------------------------------------------------
    Setting("checkin_after_days", 10, "Days after applying before the first check-in is suggested.",
            minimum=1, maximum=60,
            label="First check-in, days after applying", group="Follow-up timing"),
    Setting("second_checkin_after_days", 10, "Days after the first check-in before a second one is suggested.",
            minimum=1, maximum=60,
            label="Second check-in, days after the first", group="Follow-up timing"),
    Setting("max_checkins", 2, "Most check-ins suggested for one application.", minimum=0, maximum=5,
            label="Check-ins per application, at most", group="Follow-up timing"),
    Setting("thank_you_after_days", 1, "Days after an interview before the thank-you note is due.",
            minimum=0, maximum=7,
            label="Thank-you note, days after an interview", group="Follow-up timing"),
    Setting("interview_followup_days", 14, "Days after the last interview before a follow-up is suggested.",
            minimum=1, maximum=60,
            label="Follow-up, days after the last interview", group="Follow-up timing"),
    Setting("ask_why_after_days", 30, "Days of silence after the last follow-up before suggesting to ask why "
            "you were not chosen, and to mark the application ghosted.", minimum=7, maximum=120,
            label="Ask why, after this many days of silence", group="Follow-up timing"),
    Setting("feedback_after_rejection_days", 2, "Days after a rejection to ask for feedback.", minimum=0, maximum=14,
            label="Ask for feedback, days after a rejection", group="Follow-up timing"),
    Setting("closing_date_lead_days", 3, "A check-in is pulled this many days ahead of the posting's closing date.",
            minimum=0, maximum=30,
            label="Check in this many days before a posting closes", group="Follow-up timing"),
    Setting("weekdays_only", True, "Move suggestions that fall on a weekend to the Monday after.",
            label="Suggest weekdays only", group="Follow-up timing"),
    Setting("use_learned_timing", False, "Schedule by your own median days to a reply, once there is enough history.",
            label="Schedule by my own reply times", group="Follow-up timing"),
    # -- user: replies read from the person's mail -----------------------------------------------
    Setting("mail_check_minutes", 30, "How often the running companion reads your mail accounts for replies, in "
            "minutes (0: only when you ask). Nothing is read until you add an account.", minimum=0, maximum=1440,
            label="Check my mail for replies every (minutes; 0: only when I ask)", group="Replies in your mail"),
    Setting("mail_keep_text", False, "Keep the text of each reply with its proposal. Off: only its sender, date, "
            "subject, what it is and why are kept.", label="Keep the text of replies", group="Replies in your mail"),
    # -- user: extension and profile ------------------------------------------------------------
    Setting("notifications", True, "Let the extension show a notification when follow-ups fall due (once a day).",
            label="Notify me in the browser when follow-ups fall due", group="The extension"),
    Setting("pairing_by_code", True, "Let an extension pair by showing a code you type into Applied. Where the "
            "browser can start Applied (after applied setup), the extension pairs by itself, and this can be off.",
            label="Let extensions pair by code (where the browser cannot start Applied itself)", group="The extension"),
    Setting("your_name", "", "Your name, used to sign the message drafts.",
            label="Your name", group="About you"),
    Setting("my_skills", [], "Skills you have, compared with what captured postings ask for.",
            label="Your skills", group="About you"),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}
USER_DEFAULTS = {s.name: s.default for s in SETTINGS if s.kind == "user"}
USER_TABLE = "settings"  # the person's choices: one document, id 1


def user_values(store):
    """The person's settings: stored choices over the declared defaults."""
    saved = store.get(USER_TABLE, 1) or {}
    return {**USER_DEFAULTS, **{k: v for k, v in saved.items() if k in USER_DEFAULTS}}


def declared_user_settings():
    """Each user setting with its help text, type and range, in the order SETTINGS declares them."""
    return [{"name": s.name, "default": s.default, "help": s.help, "type": type(s.default).__name__,
             "minimum": s.minimum, "maximum": s.maximum} for s in SETTINGS if s.kind == "user"]


def save_user_values(store, changes):
    """Check every value with :func:`coerce`, then store them all (or none) in the settings document."""
    from .errors import ValidationError

    if not changes:
        raise ValidationError("send at least one setting to change, e.g. {\"my_skills\": [\"Python\"]}")
    cleaned = {name: coerce(name, value) for name, value in changes.items()}
    with store.lock:
        if store.get(USER_TABLE, 1) is None:
            doc = store.insert(USER_TABLE, cleaned)
            if doc["id"] != 1:  # the settings document is always id 1; keep a stray insert from hiding it
                store.delete(USER_TABLE, doc["id"])
                raise ValidationError("the settings record is missing; restore a backup or reset the data folder")
        else:
            store.update(USER_TABLE, 1, cleaned)


def coerce(name, value):
    """Check one user setting's new value against its declared type and range; return it cleaned."""
    from .errors import ValidationError

    setting = BY_NAME.get(name)
    if setting is None or setting.kind != "user":
        raise ValidationError(f"unknown setting {name!r}", code="unknown_setting")
    expected = type(setting.default)
    if expected is bool:
        if not isinstance(value, bool):
            raise ValidationError(f"{name} must be true or false")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{name} must be a whole number")
        if setting.minimum is not None and value < setting.minimum or \
                setting.maximum is not None and value > setting.maximum:
            raise ValidationError(f"{name} must be between {setting.minimum} and {setting.maximum}")
        return value
    if expected is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(f"{name} must be a list of strings")
        return [v.strip()[:100] for v in value if v.strip()][:500]
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string")
    return value.strip()[:200]


def default_data_dir():
    """APPLIED_HOME, else the platform's user data folder (e.g. ~/.local/share/applied)."""
    import os

    from platformdirs import user_data_dir

    return os.environ.get("APPLIED_HOME") or user_data_dir("applied", appauthor=False)


def server_settings(environ=None):
    """The server settings in force: environment variable, else the declared default."""
    import os

    from .errors import ValidationError

    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        if setting.kind != "server":
            continue
        raw = environ.get(setting.env)
        if raw is None or setting.name == "data_dir":
            values[setting.name] = default_data_dir() if setting.name == "data_dir" else setting.default
            continue
        if isinstance(setting.default, int):
            try:
                number = int(raw)
            except ValueError:
                raise ValidationError(f"{setting.env} must be a whole number, not {raw!r}") from None
            if not setting.minimum <= number <= setting.maximum:
                raise ValidationError(f"{setting.env} must be between {setting.minimum} and {setting.maximum}")
            values[setting.name] = number
        else:
            values[setting.name] = raw
    return values
