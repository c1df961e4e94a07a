"""Skills and courses: what the saved postings ask for, what you have, and the courses that close the gap.

Skills are found in each posting's title and description with a curated vocabulary
(data/skills.txt: a display name and the ways postings write it), so "Postgres",
"postgresql" and "PostgreSQL" count once, as PostgreSQL. They are found when the posting
is stored (posting_skills, kept in the application's record with the vocabulary's
fingerprint), so counting them reads no description; the demand is kept per store version.
Records from before (or another vocabulary) are read from their descriptions until backfill()
stores their skills; skills the person lists that the vocabulary lacks are looked up in the word
index of the applications (their words in a row, in a posting's record or description).
"""
import collections
import hashlib
import re
import threading
import weakref
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from . import pipeline, validate
from .errors import NotFound, StoreError, ValidationError

# The vocabulary is data: companion/data/skills.txt, one line per skill ("Display name |
# another spelling | ..."), read once when this module is imported. Its fingerprint is kept
# with the skills stored in each application, so that a new vocabulary reads them again.
VOCABULARY_FILE = Path(__file__).with_name("data") / "skills.txt"
VOCABULARY_TEXT = VOCABULARY_FILE.read_text(encoding="utf-8")
VOCABULARY_VERSION = hashlib.sha256(VOCABULARY_TEXT.encode()).hexdigest()[:12]
_STORED_PREFIX = VOCABULARY_VERSION + ":"


COURSE_SITES = (
    ("Coursera", "https://www.coursera.org/search?query={}"),
    ("edX", "https://www.edx.org/search?q={}"),
    ("freeCodeCamp", "https://www.freecodecamp.org/news/search/?query={}"),
    ("Khan Academy", "https://www.khanacademy.org/search?page_search_query={}"),
)
COURSES = "courses"
COURSE_FIELDS = ("name", "provider", "url", "skill", "progress", "hours_logged", "started_at", "finished_at",
                 "notes")
# A token: a word with the punctuation skills are written with (C++, C#, .NET, Node.js, CI/CD, T-SQL).
_TOKEN = re.compile(r"\.?[^\W_][\w.#+/&-]*")
_MAX_WORDS = 4


def _parse(text):
    skills = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        name, spellings = parts[0], parts[1:]
        if name.startswith("!"):
            name = name[1:]
        else:
            spellings.insert(0, name)
        skills.append((name, spellings))
    return skills


VOCABULARY = _parse(VOCABULARY_TEXT)
SKILL_NAMES = [name for name, _ in VOCABULARY]


class Matcher:
    """Finds the vocabulary's skills (and the person's own) in text by looking up runs of words.

    A dictionary look-up per word and phrase length, instead of one regular expression with
    hundreds of alternatives: the regex took ~30 ms per posting, this well under 1 ms.
    """

    def __init__(self, extra=()):
        self.phrases = {}  # casefolded words joined by one space -> skill name
        self.exact = {}  # a spelling that must match its case exactly ("Go", "R", "Excel") -> skill name
        entries = [(spelling, name) for name, spellings in VOCABULARY for spelling in spellings]
        entries += [(name, name) for name in extra]
        spelled = [spelling.lstrip("=") for spelling, _ in entries]
        # Words that appear whole in some spelling ("t-sql", "ci/cd", "a/b") are never split.
        self.known = {word.casefold() for spelling in spelled for word in spelling.split()}
        for spelling, name in entries:
            if spelling.startswith("="):
                self.exact.setdefault(spelling[1:], name)
            else:
                key = " ".join(w.casefold() for w in self._words(spelling))
                self.phrases.setdefault(key, name)
        self.leads = {key.split(" ")[0] for key in self.phrases if " " in key}

    def _words(self, text):
        return [word for match in _TOKEN.finditer(text) for word in self._split(match.group())]

    def _split(self, token):
        """The words of a token: "React-based" and "TypeScript/React" are split, "T-SQL" and "CI/CD" are not."""
        token = token.rstrip(".-/&")
        if not token or token.casefold() in self.known or not any(c in token for c in "-/"):
            return [token] if token else []
        # One-letter parts are dropped ("C-level" and "R-squared" say nothing about C or R),
        # except the C and R of a list such as "C/C++".
        return [part for part in re.split(r"[-/]", token) if len(part) > 1 or (part in ("C", "R") and "/" in token)]

    def find(self, text):
        """The set of skill names mentioned in text."""
        text = text or ""
        tokens, starts = [], []
        for match in _TOKEN.finditer(text):
            token = match.group()
            for word in (token,) if token.isalnum() else self._split(token):
                tokens.append(word)
                starts.append(match.start())
        folded = [t.casefold() for t in tokens]
        phrases, leads, exact = self.phrases, self.leads, self.exact
        found, i, count = set(), 0, len(tokens)
        while i < count:
            word = folded[i]
            if word in leads:  # only a few words can open a phrase: try the longer runs for those
                for n in range(min(_MAX_WORDS, count - i), 1, -1):
                    name = phrases.get(" ".join(folded[i:i + n]))
                    if name:
                        found.add(name)
                        i += n
                        break
                else:
                    n = 0
                if n:
                    continue
            name = phrases.get(word)
            if name:
                found.add(name)
            else:
                name = exact.get(tokens[i])
                # A capitalised everyday word opening a sentence ("Go", "Excel") is not the skill.
                if name and not _starts_sentence(text, starts[i]):
                    found.add(name)
            i += 1
        return found


def _starts_sentence(text, position):
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?"


_MATCHER = Matcher()
_CANONICAL = {}
for _name, _spellings in VOCABULARY:
    for _spelling in [_name] + _spellings:
        _CANONICAL.setdefault(" ".join(_spelling.lstrip("=").casefold().split()), _name)


def canonical(skill):
    """The vocabulary's name for what the person typed ("postgres" → "PostgreSQL"), else their words."""
    cleaned = " ".join(skill.split())
    return _CANONICAL.get(cleaned.casefold(), cleaned)


def find_skills(text, matcher=None):
    """The set of skill names mentioned in text."""
    return (matcher or _MATCHER).find(text)


# -- demand across postings ---------------------------------------------------------------------

def posting_skills(title, description_text):
    """What an application record keeps: the vocabulary's skills in its title and description, as
    one string "<vocabulary version>:Skill|Skill|..." (one string, not a list of them: at 50,000
    postings, 40 MB less in memory)."""
    found = sorted(find_skills((title or "") + "\n" + (description_text or "")))
    return f"{VOCABULARY_VERSION}:{'|'.join(found)}"


def stored_skills(application):
    """The skills kept in an application's record (see posting_skills), or None if it has none
    found with this vocabulary."""
    stored = application.get("skills")
    if type(stored) is str and stored.startswith(_STORED_PREFIX):
        found = stored[len(_STORED_PREFIX):]
        return found.split("|") if found else []
    return None


def _counts(store, extra, statuses):
    """(postings, {skill: how many ask for it}): the vocabulary's, built once, then kept up to date
    change by change from the skills stored in each record (Store.changes), and counted again from
    every record when a record has no stored skills; the skills the person lists that the vocabulary
    lacks, from the word index of the applications (see _extra_counts)."""
    def counted(doc):
        return not doc.get("not_a_posting") and (statuses is None or doc.get("status") in statuses)

    name = None if statuses is None else tuple(sorted(statuses))
    with _CACHES_LOCK:
        kept = _KEPT_COUNTS.setdefault(store, {}).setdefault(name, {"lock": threading.Lock(), "version": None})
    with kept["lock"]:
        version, changes = store.changes("applications", -1 if kept["version"] is None else kept["version"])
        if changes is not None:
            total, counts = kept["total"], kept["counts"]
            for _, old, new in changes:
                for doc, sign in ((old, -1), (new, 1)):
                    if doc is None or not counted(doc):
                        continue
                    found = stored_skills(doc)
                    if found is None:
                        break  # a record without stored skills: count them all again
                    total += sign
                    counts.update(dict.fromkeys(found, sign))
                else:
                    continue
                changes = None
                break
        if changes is None:
            docs = []
            with store.lock:
                store.scan("applications", docs.append)  # references, only read: see Store.scan
                version = store.version("applications")
            counts, total = collections.Counter(), 0
            for doc in docs:
                if counted(doc):
                    total += 1
                    found = stored_skills(doc)
                    counts.update(_read_skills(store, doc) if found is None else found)
        kept.update(version=version, total=total, counts=counts)
        counts = {skill: n for skill, n in counts.items() if n > 0}
    if extra:
        counts.update({skill: n for skill, n in _extra_counts(store, extra, counted, name).items() if n > 0})
    return total, counts


def _read_skills(store, doc):
    """The vocabulary's skills of a record kept before skills were stored with it (backfill() stores
    them after a start): read from its description."""
    return find_skills((doc.get("title") or "") + "\n" + _description(store, doc["id"]))


def _extra_counts(store, extra, counted, key):
    """{skill: postings that name it} for skills the vocabulary lacks: each one's words, in a row, in a
    posting's record or description, found by the word index (kept per store version)."""
    from . import applications  # which imports this module

    def compute():
        applications.install_indexes(store)
        docs = []
        store.scan("applications", lambda doc: counted(doc) and docs.append(doc))
        ids = {doc["id"] for doc in docs}
        found = {}
        for skill in extra:
            matched = store.match_words("applications", applications.SEARCH, skill, phrase=True)
            if matched is None:  # the index is being built (the first start after an upgrade): read them
                matched = {doc["id"] for doc in docs if _names(store, doc, skill)}
            found[skill] = len(matched & ids)
        return found

    return store.cached(f"skills-extra:{sorted(extra)}:{key}", ("applications",), compute)


def _names(store, doc, skill):
    from . import applications

    return skill in find_skills(applications.search_text(doc) + "\n" + _description(store, doc["id"]), Matcher((skill,)))


def _description(store, application_id):
    """The posting's stored plain text ('' when it is missing or damaged: the title still counts)."""
    from . import applications

    try:
        return applications.description_text(store.get_blob("description", application_id))
    except (StoreError, ValueError):
        return ""


_CACHES_LOCK = threading.Lock()
_KEPT_COUNTS = weakref.WeakKeyDictionary()  # store -> {(extra, statuses): what _counts keeps}


def backfill(store, *, batch=500):
    """Store posting_skills in the applications that lack them (recorded before they were kept, or
    with another vocabulary): run once after start, in a thread, and never on a request. Returns
    how many were written."""
    written = 0
    while True:
        missing = []

        def note_missing(doc, missing=missing):
            if stored_skills(doc) is None and len(missing) < batch:
                missing.append((doc["id"], doc.get("updated_at"), doc.get("title")))

        store.scan("applications", note_missing)
        if not missing:
            return written
        found = {doc_id: (updated, title, posting_skills(title, _description(store, doc_id)))
                 for doc_id, updated, title in missing}
        with store.lock:  # a record changed meanwhile keeps its own (newer) skills, or is read again
            now = {doc["id"]: doc for doc in store.get_many("applications", list(found))}
            changes = {doc_id: {"skills": skills} for doc_id, (updated, title, skills) in found.items()
                       if doc_id in now and (now[doc_id].get("updated_at"), now[doc_id].get("title")) == (updated, title)}
            written += store.update_many("applications", changes)
        if not changes:
            return written


def demand(store, my_skills=(), *, statuses=None):
    """What the stored postings ask for, ranked, against the person's own skills.

    Returns {postings, ranked: [{skill, count, share, mine}], mine: [{skill, count}],
    gaps: [{skill, count, share, courses}]}. A gap is a skill at least one posting asks
    for that is not among the person's skills; gaps come most-asked first.
    """
    mine = []
    for skill in my_skills:
        name = canonical(skill)
        if name and name.casefold() not in {m.casefold() for m in mine}:
            mine.append(name)
    extra = [m for m in mine if m not in SKILL_NAMES]
    total, counts = _counts(store, extra, statuses)
    have = {m.casefold() for m in mine}
    ranked = [{"skill": skill, "count": count, "share": round(count / total, 3) if total else 0,
               "mine": skill.casefold() in have}
              for skill, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]
    gaps = [{**row, "courses": course_links(row["skill"])} for row in ranked if not row["mine"]]
    return {"postings": total, "ranked": ranked, "gaps": gaps,
            "mine": [{"skill": m, "count": counts.get(m, 0)} for m in mine]}


def course_links(skill):
    """Search links on a few course sites for a skill (links to look at, not recommendations)."""
    return [{"site": site, "url": template.format(quote_plus(skill))} for site, template in COURSE_SITES]


# -- courses ---------------------------------------------------------------------------------

def _now():
    return datetime.now().replace(microsecond=0)


def _url(value):
    url = validate.text(value, "url", limit=2000)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise ValidationError("url must be a web address starting with http:// or https://")
    return url


def _progress(value):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise ValidationError("progress must be a number from 0 to 100 (percent)")
    return round(value)


def _hours(value, field="hours_logged"):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10_000:
        raise ValidationError(f"{field} must be a number of hours from 0 to 10000")
    return round(float(value), 2)


def _day(value, field):
    return None if value in (None, "") else pipeline.parse_day(value, field).isoformat()


def _clean_course(payload, *, partial):
    validate.known_fields(payload, COURSE_FIELDS, "a course")
    checks = {
        "name": lambda v: validate.text(v, "name", required=True),
        "provider": lambda v: validate.text(v, "provider"),
        "url": _url, "skill": lambda v: canonical(v) if validate.text(v, "skill") else None,
        "progress": _progress, "hours_logged": _hours,
        "started_at": lambda v: _day(v, "started_at"), "finished_at": lambda v: _day(v, "finished_at"),
        "notes": lambda v: validate.text(v, "notes", limit=5000),
    }
    fields = [f for f in COURSE_FIELDS if f in payload] if partial else COURSE_FIELDS
    return {field: checks[field](payload.get(field)) for field in fields}


def get_course(store, course_id):
    doc = store.get(COURSES, course_id)
    if doc is None:
        raise NotFound(f"no course with id {course_id}")
    return doc


def list_courses(store):
    """Unfinished courses first, then by name."""
    _, docs = store.search(COURSES, sort_key=lambda d: (bool(d.get("finished_at")), (d.get("name") or "").casefold()))
    return docs


def create_course(store, payload, today, *, now=None):
    now = now or _now()
    doc = _clean_course(payload, partial=False)
    doc["started_at"] = doc["started_at"] or today.isoformat()
    hours = doc.pop("hours_logged")
    # Hours live in a dated log so the weekly activity can count them in the week they were spent.
    doc["log"] = [{"date": doc["started_at"], "hours": hours}] if hours else []
    doc["hours_logged"] = hours
    if doc["progress"] == 100 and not doc["finished_at"]:
        doc["finished_at"] = today.isoformat()
    doc.update(created_at=now.isoformat(), updated_at=now.isoformat())
    with store.lock:
        return store.insert(COURSES, doc)


def update_course(store, course_id, payload, today, *, now=None):
    now = now or _now()
    changes = _clean_course(payload, partial=True)
    if not changes:
        raise ValidationError("nothing to change: send one of " + ", ".join(COURSE_FIELDS))
    with store.lock:
        doc = get_course(store, course_id)
        if "hours_logged" in changes:
            # A new total is logged today as the difference, so earlier weeks keep their hours.
            difference = round(changes["hours_logged"] - (doc.get("hours_logged") or 0), 2)
            if difference:
                changes["log"] = doc.get("log", []) + [{"date": today.isoformat(), "hours": difference}]
        if changes.get("progress") == 100 and not doc.get("finished_at") and "finished_at" not in changes:
            changes["finished_at"] = today.isoformat()
        return store.update(COURSES, course_id, {**changes, "updated_at": now.isoformat()})


def log_hours(store, course_id, hours, on, *, now=None):
    """Add time spent on a course on a given day."""
    hours = _hours(hours, "hours")
    if not hours:
        raise ValidationError("hours must be more than 0")
    now = now or _now()
    with store.lock:
        doc = get_course(store, course_id)
        return store.update(COURSES, course_id, {
            "log": doc.get("log", []) + [{"date": on.isoformat(), "hours": hours}],
            "hours_logged": round((doc.get("hours_logged") or 0) + hours, 2), "updated_at": now.isoformat()})


def delete_course(store, course_id):
    with store.lock:
        get_course(store, course_id)
        store.delete(COURSES, course_id)


# -- the work that counts ------------------------------------------------------------------------



def _week_start(day):
    return day - timedelta(days=day.weekday())


def _as_day(value):
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def weekly_activity(applications, contacts, courses, today, *, weeks=8):
    """Job-search work per week (Monday first), newest week last: course hours count too.

    Pure: takes the documents and today's date. Each week is {week, applications,
    followups_done, interviews, contacts_asked, course_hours}.
    """
    first = _week_start(today) - timedelta(weeks=weeks - 1)
    rows = {first + timedelta(weeks=i): {"applications": 0, "followups_done": 0, "interviews": 0,
                                         "contacts_asked": 0, "course_hours": 0.0} for i in range(weeks)}

    def add(day, field, amount=1):
        day = _as_day(day)
        if day and first <= day <= today:
            rows[_week_start(day)][field] += amount

    for application in applications:
        for entry in application.get("history") or []:
            if pipeline.is_sent(entry):
                add(entry.get("date"), "applications")
            elif entry.get("kind") == "followup" and entry.get("action") == "done":
                add(entry.get("date"), "followups_done")
            elif entry.get("kind") == "interview":
                add(entry.get("date"), "interviews")
    for contact in contacts:
        add(contact.get("asked_at"), "contacts_asked")
    for course in courses:
        for entry in course.get("log") or []:
            add(entry.get("date"), "course_hours", entry.get("hours") or 0)
    return [{"week": week.isoformat(), **{k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}}
            for week, row in sorted(rows.items())]
