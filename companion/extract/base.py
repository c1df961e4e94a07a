"""The documented base every source of posting fields implements, and the one site modules extend.

A *source* answers field questions about one page: ``title()``, ``company()``... Each
method returns the raw value as the page has it (a string, a list, a number, a dict)
or ``None`` when this source does not know. The engine asks the sources of a page in
the fill order

    site module  →  schema.org (JSON-LD, microdata)  →  OpenGraph/meta  →  page heuristics

and keeps, field by field, the first answer that normalizes to a value. So a site module
overrides only the fields its page shows differently; schema.org and the rest fill the
others. Normalizing (dates, salary text, "Full-time" → "full_time", HTML sanitizing,
absolute URLs) is the engine's job, never the site module's.

A site module is one small class::

    class Lever(JobSite):
        key = "lever"                              # the posting's `source`
        hosts = ("jobs.lever.co", "jobs.eu.lever.co")  # as a browser's match patterns write them
        marker = ".posting-headline"               # found only where the page shows one posting

        def locations(self):
            return self.page.texts_of(".posting-categories .location")

See companion/extract/README.md for the whole recipe.
"""
import functools
import re
from functools import cached_property

from . import geo

FIELDS = ("title", "company", "locations", "remote", "employment_type", "salary",
          "date_posted", "valid_through", "description", "apply_url", "company_logo")


class Source:
    """One way of reading posting fields off a page. Every field method may return None."""

    def __init__(self, page, captured_at=None):
        self.page = page
        self.captured_at = captured_at

    def title(self):
        """The job title (a location or company suffix is trimmed by the engine)."""
        return None

    def company(self):
        """The hiring organisation's name as the page gives it (an agency advertiser if unnamed)."""
        return None

    def locations(self):
        """A list of location strings ("Camberwell, VIC, AU"), or one string."""
        return None

    def remote(self):
        """The work arrangement as the site states it: a flag such as "TELECOMMUTE", "REMOTE_HYBRID",
        "On-site", or a short label ("Hybrid work"). Not free description text."""
        return None

    def employment_type(self):
        """"FULL_TIME", "Full-time", "CDI", a list of those..."""
        return None

    def salary(self):
        """The employer's pay: a dict ``{min, max, currency, period}`` (currency and period
        may be missing or raw, e.g. "YEAR"), a schema.org MonetaryAmount, or a text such as
        "$120K – $150K a year". Never an estimate or another job's pay."""
        return None

    def date_posted(self):
        """An ISO date/datetime, a written date, a relative one ("3 days ago") or epoch seconds/ms."""
        return None

    def valid_through(self):
        """The closing date, in any of the forms ``date_posted`` accepts."""
        return None

    def description(self):
        """The posting body as HTML (or plain text): the engine sanitizes it and derives the text."""
        return None

    def apply_url(self):
        """Where a person applies (relative URLs are resolved; known redirect wrappers unwrapped)."""
        return None

    def company_logo(self):
        """URL of the employer's logo."""
        return None


class JobSite(Source):
    """Base of every site module (``companion/extract/sites/<key>.py``).

    Class attributes:
      ``key``     the ``source`` value of postings read by this module;
      ``hosts``   the site's host names as a browser extension's match patterns write them:
                  "jobs.lever.co", or "*.bamboohr.com" for the domain and every subdomain;
                  "*.linkedin.com/jobs/*" when its postings live under one path only. The
                  one list of the site's addresses: `applied extension build` writes the
                  manifest's host lists from it, so the button runs wherever the module reads;
      ``marker``  a CSS selector found only where the site shows one posting, as the browser
                  renders it (a single-page site's rendered title): the button's evidence
                  (the build gives it to the content script) and ``is_posting()``'s;
      ``marker_script`` words that all stand in one inline script of a posting's page (the
                  data a site renders its posting from), the button's other evidence;
      ``embeds``  CSS selectors proving that a page on another host embeds this board
                  (a company careers page with a Greenhouse ``#grnhse_app`` form);
      ``final``   fields for which this module's ``None`` is the page's answer, so no
                  later source may fill them (a board that shows no salary when there is
                  none, with other jobs' pay elsewhere on the page). It holds only while
                  ``knows_layout()`` is true.

    Besides the field methods of ``Source``, a module may override:
      ``is_posting()``  True/False when the site can tell whether the page is one posting
                        (False raises NotAPosting), None to let the engine judge;
      ``country()``     ISO alpha-2 code of the site's country, for a bare "$";
      ``canonical()``   the posting's own URL when the page was captured elsewhere (a
                        search page with the job open beside the results);
      ``knows_layout()`` whether the page is in a layout this module was written for
                        (default True): on an older or redesigned page of the same host,
                        the module's ``None`` proves nothing, so ``final`` is set aside
                        and the generic readers may fill what it missed.
    Helpers: ``dig(data, "a", 0, "b")``, ``find_key(data, "key")``, ``find_dict(data, pred)``;
    ``self.page`` (a ``Page``: ``css``, ``first``, ``text_of``, ``texts_of``,
    ``attr_of``, ``meta``, ``jsonld``, ``script_json``, ``assigned_json``)
    and ``self.data``, the cached result of ``load_data()``.
    """

    key = "generic"
    hosts = ()
    marker = None
    marker_script = ()
    embeds = ()
    final = ()

    @classmethod
    def matches_host(cls, host):
        return any(host_pattern(spec).fullmatch(host or "") for spec in cls.hosts)

    @classmethod
    def embedded_in(cls, page):
        return any(page.first(selector) is not None for selector in cls.embeds)

    def load_data(self):
        """The site's own embedded page data (a dict), read once through ``self.data``."""
        return None

    @cached_property
    def data(self):
        return self.load_data() or {}

    def is_posting(self):
        """True where the site's ``marker`` is on the page; None (let the engine judge) elsewhere."""
        return True if self.marker and self.page.first(self.marker) is not None else None

    def canonical(self):
        """The posting's own URL when the captured one is not it (a search page showing the job)."""
        return None

    def knows_layout(self):
        return True

    def country(self):
        return geo.host_country(_host(self.page.url))


# A host as match patterns write it: "jobs.lever.co", "*.bamboohr.com"; then an optional path ("/jobs/*").
HOST_SPEC = re.compile(r"^(\*\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s*]*\*?)?$")


def split_host(spec):
    """("*.", "linkedin.com", "/jobs/*") for "*.linkedin.com/jobs/*"; ValueError for what no browser accepts."""
    m = HOST_SPEC.match(spec)
    if not m:
        raise ValueError(f"{spec!r} is not a host as match patterns write it (\"jobs.lever.co\", \"*.bamboohr.com\")")
    return m.group(1) or "", m.group(2), m.group(3) or "/*"


@functools.cache
def host_pattern(spec):
    """The compiled host regex of a host spec: "*.x.com" matches x.com and every subdomain, as browsers do."""
    wild, domain, _ = split_host(spec)
    return re.compile((r"(?:[\w-]+\.)*" if wild else "") + re.escape(domain), re.I)


def _host(url):
    from ..urls import host_of

    return host_of(url or "")


def dig(value, *path, default=None):
    """``value[path[0]][path[1]]...`` through dicts and lists, ``default`` when any step is missing."""
    for step in path:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and -len(value) <= step < len(value):
            value = value[step]
        else:
            return default
        if value is None:
            return default
    return value


def find_key(value, key, default=None, _depth=0):
    """The first value stored under ``key`` anywhere inside nested dicts/lists (depth-first)."""
    if _depth > 40:
        return default
    if isinstance(value, dict):
        if key in value and value[key] is not None:
            return value[key]
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return default
    for child in children:
        if isinstance(child, (dict, list)):
            found = find_key(child, key, None, _depth + 1)
            if found is not None:
                return found
    return default


def find_dict(value, predicate, _depth=0):
    """The first dict inside ``value`` (itself included) for which ``predicate(d)`` is true."""
    if _depth > 40:
        return None
    if isinstance(value, dict):
        if predicate(value):
            return value
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return None
    for child in children:
        if isinstance(child, (dict, list)):
            found = find_dict(child, predicate, _depth + 1)
            if found is not None:
                return found
    return None
