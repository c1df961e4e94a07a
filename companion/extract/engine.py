"""extract(): one page in, one posting out, following the fill order field by field.

site module → schema.org (JSON-LD, microdata) → OpenGraph/meta → page heuristics; the
first answer that normalizes to a value wins. Then the cross-field rules: the title
loses location and work-arrangement suffixes, the work arrangement falls back on the
title, the locations and the description's own words, a bare "$" takes the site's
country, and a page that does not read as one posting raises NotAPosting.
"""
import datetime as _dt
import logging
import re
from urllib.parse import urljoin, urlsplit

from ..errors import NotAPosting, ValidationError
from ..sanitize import clean_html, encodable, html_to_text
from ..urls import canonical_url
from . import geo, normalize, sitename
from .heuristics import _CLOSING, Heuristics
from .meta import MAX_TITLE, Meta, _SEPARATORS
from .page import Page
from .registry import site_for
from .schemaorg import SchemaOrg, description_html, node_title

log = logging.getLogger(__name__)

KEYS = ("title", "company", "locations", "remote", "employment_type", "salary", "date_posted",
        "valid_through", "description_text", "description_html", "apply_url", "company_logo", "source", "url")
DEFAULT_ORDER = ("site", "schema", "meta", "heuristics")
ORDER = {
    # the title and company by the page's evidence (a heading the <title> confirms, a "Company:" label)
    # before the <title>'s shape, which often names the site instead
    "title": ("site", "schema", "heuristics", "meta"),
    "company": ("site", "schema", "heuristics", "meta"),
    "description": ("site", "schema", "heuristics", "meta"),
    "employment_type": ("site", "schema", "heuristics"),
    "salary": ("site", "schema", "heuristics"),
    "date_posted": ("site", "schema", "heuristics"),
    "valid_through": ("site", "schema", "heuristics"),
    "apply_url": ("site", "schema", "heuristics"),
    "company_logo": ("site", "schema", "heuristics"),
    "remote": ("site", "schema"),
}


def _call(source, name):
    """A source's answer; a site module tripping over changed markup counts as "don't know"."""
    try:
        return getattr(source, name)()
    except Exception:  # noqa: BLE001 - one broken reader must never cost the whole capture
        log.warning("extract: %s.%s failed", type(source).__name__, name, exc_info=True)
        return None


def _empty(value):
    return value is None or value == "" or value == [] or value == {}


class _Run:
    """One extraction: the page, its sources and the values found so far."""

    def __init__(self, html, url, captured_at):
        self.captured_at = captured_at
        self.page = Page(html, url)
        site_cls = site_for(url, self.page)
        self.site = site_cls(self.page, captured_at)
        # A module's None settles a field only on a layout it knows (see JobSite.knows_layout).
        self.final = self.site.final if self.site.knows_layout() else ()
        self.schema = SchemaOrg(self.page, captured_at)
        self.meta = Meta(self.page, captured_at)
        self.heuristics = Heuristics(self.page, captured_at)
        self.sources = {"site": self.site, "schema": self.schema, "meta": self.meta, "heuristics": self.heuristics}
        self.picked_from = {}  # field -> the source whose answer was kept

    def pick(self, field, normalizer=None):
        for name in ORDER.get(field, DEFAULT_ORDER):
            raw = _call(self.sources[name], field)
            value = None
            if not _empty(raw):
                try:
                    value = normalizer(raw) if normalizer else raw
                except Exception:  # noqa: BLE001
                    log.warning("extract: cannot normalize %s=%r", field, raw, exc_info=True)
            if not _empty(value):
                self.picked_from[field] = name
                return value
            if name == "site" and field in self.final:
                return None
        return None

    def pick_date(self, field, read):
        """Like :meth:`pick`, but a date written as a date outranks one counted back ("3 days ago").

        Both describe a fresh page alike; only the written one stays right when a stored page is
        read again later (``applied reextract``, imports). ``read(raw, captured_at)`` parses; an
        answer that moves when the capture day moves was counted back from it.
        """
        counted_back = None
        for name in ORDER.get(field, DEFAULT_ORDER):
            raw = _call(self.sources[name], field)
            value = None
            if not _empty(raw):
                try:
                    value = read(raw, self.captured_at)
                    shifted = read(raw, self.captured_at - _dt.timedelta(days=1))
                except Exception:  # noqa: BLE001
                    log.warning("extract: cannot normalize %s=%r", field, raw, exc_info=True)
                    value = None
            if value and value == shifted:
                return value
            counted_back = counted_back or value
            if name == "site" and field in self.final and not value:
                return counted_back
        return counted_back

    # -- cross-field helpers -------------------------------------------------------------
    def country(self, locations):
        code = _call(self.site, "country")
        if code:
            return code
        lang = self.page.lang or ""
        if re.fullmatch(r"[a-z]{2}-[a-z]{2}", lang) and lang[3:].upper() in geo.COUNTRIES and lang[3:] != "us":
            return lang[3:].upper()
        for location in locations or ():
            last = location.rsplit(",", 1)[-1].strip()
            code = geo.country_code(last) if len(last) > 2 or location.count(",") >= 2 else None
            if code:
                return code
        return None

    def absolute(self, value):
        if not isinstance(value, str):
            return None
        value = value.strip()
        if not value or value.startswith(("javascript:", "data:", "#")):
            return None
        url = urljoin(self.page.url or "", value)
        return url if url.startswith(("http://", "https://", "mailto:")) else None


def _description(raw, base_url):
    html = description_html(raw) if isinstance(raw, str) else None
    cleaned = clean_html(html, base_url) if html else ""
    return cleaned or None


_SUFFIX_NOISE = re.compile(r"^(?:remote|hybrid|on[\s-]?site|onsite|full[\s-]?time|part[\s-]?time|contract|"
                           r"temporary|permanent|wfh|work from home|télétravail|anywhere|worldwide|global|"
                           r"remote[\s-]first|new|urgent|m/w/d|m/f/d|w/m/d|h/f|f/h|m/f|f/m)$", re.I)


# What a page shows while it loads or when it names only itself: never a title or a company.
_PLACEHOLDER = re.compile(r"^(?:null|undefined|none|nan|n/a|untitled(?:\s+page)?|loading(?:\.\.\.|…)?|home|"
                          r"(?:careers?|jobs?)(?:\s+home(?:page)?|\s+page|\s+site)?|job\s+details?|apply|"
                          r"404|error|page\s+not\s+found|sign\s+in|log\s*in)$", re.I)


def placeholder(value, site_names=()):
    """True for a text that names no posting: "null", "Careers home", "Loading…", the site's own name."""
    return not value or bool(_PLACEHOLDER.match(value.strip(" .!|-"))) or value.casefold() in site_names


def clean_title(title, company=None, locations=(), site_names=()):
    """A job title without the suffixes boards add: "| Remote | Australia", "(Berlin)", "at Company",
    "- 16889", "| Acme Careers", ", Singapore" (a place the posting is at)."""
    if not title:
        return title
    title = normalize.clean_text(title[:MAX_TITLE])  # no title is longer; each suffix rule scans the whole title
    if company:
        title = re.sub(r"\s+(?:at|@|chez|bei)\s+%s\s*$" % re.escape(company), "", title, flags=re.I)
    places = {p.strip().casefold() for loc in locations or () for p in re.split(r"[,/]", loc) if p.strip()}

    def noise(segment):
        seg = segment.strip(" ()[]").strip()
        if not seg:
            return True
        key = seg.casefold()
        if _SUFFIX_NOISE.match(seg) or key in places or (company and key == company.casefold()):
            return True
        if key in site_names or re.fullmatch(r"[#\d\s./-]+|(?:ref|req|id|job)\.?\s*#?\s*[\w-]*\d[\w-]*", key) or (
                len(key) < 40 and sitename.SITE_WORDS.search(key) and not sitename.JOB_TITLE_WORDS.search(key)):
            return True
        pieces = [p.strip() for p in re.split(r"[,/&]|\s+-\s+|\s+or\s+", seg) if p.strip()]
        return all(_SUFFIX_NOISE.match(p) or p.casefold() in places or geo.looks_like_place(p) for p in pieces)

    while True:
        m = re.search(r"\s*[(\[]([^()\[\]]+)[)\]]\s*$", title)
        if m and m.start() > 0 and noise(m.group(1)):
            title = title[:m.start()].rstrip(" -|,–—:")
            continue
        parts = _SEPARATORS.split(title)
        if len(parts) > 1 and noise(parts[-1]):
            cut = title.rfind(parts[-1])
            title = title[:cut].rstrip(" -|,–—·•:")
            continue
        place = title.rpartition(",")[2].strip()
        if "," in title and place.casefold() in places:
            title = title.rpartition(",")[0].rstrip(" -|,–—:")
            continue
        break
    return title.strip() or None


class Reading:
    """What a page gives, whether or not it reads as a posting.

    ``posting``: the fields (see KEYS); ``looks_like_posting``: the engine's verdict; ``reason``: why not,
    in words a person can act on; ``guessed``: fields read from weak evidence only, which a person should
    confirm: a company taken from the site's name, logo, copyright line or host, and on a page that does
    not read as a posting, a title that names no job and a company read beside it from its headings,
    titles or meta tags (an article's headline is no job title).
    """

    def __init__(self, posting, looks_like_posting, reason=None, guessed=()):
        self.posting = posting
        self.looks_like_posting = looks_like_posting
        self.reason = reason
        self.guessed = tuple(guessed)


def extract(html, url, captured_at=None):
    """Read the job posting on a page. ``html`` is str or bytes (any encoding); ``url`` the page's
    address; ``captured_at`` the capture date that relative dates count back from (default today).

    Returns the posting dict (see KEYS); raises NotAPosting when the page holds none, and
    ValidationError for an unusable URL or input.
    """
    reading = read(html, url, captured_at)
    if not reading.looks_like_posting:
        raise NotAPosting(reading.reason)
    return reading.posting


def read(html, url, captured_at=None):
    """Read a page's posting fields without judging it: a :class:`Reading`, never NotAPosting.

    A person's explicit "I applied" is recorded from this (the verdict only flags it for review);
    ``extract`` refuses what does not look like a posting.
    """
    if not isinstance(html, (str, bytes, bytearray, memoryview)):
        raise ValidationError("html must be text or bytes", code="invalid_html")
    canonical = canonical_url(url)
    if captured_at is not None and not isinstance(captured_at, _dt.date):
        raise ValidationError("captured_at must be a date", code="invalid_date")
    if isinstance(captured_at, _dt.datetime):
        captured_at = captured_at.date()
    captured_at = captured_at or _dt.date.today()
    run = _Run(html, url.strip(), captured_at)
    site = run.site
    better = _call(site, "canonical")
    if better:
        try:
            canonical = canonical_url(urljoin(url, better))
        except ValidationError:
            pass

    reason = None
    verdict = _call(site, "is_posting")
    if verdict is False:
        reason = _not_a_posting_message(run.page, site)
    schema = run.schema
    if len(schema.candidates) >= 3 and verdict is not True:
        h1 = (run.heuristics.title() or "").casefold()
        if not any((node_title(node) or "").casefold() == h1 for node in schema.candidates):
            reason = "this page lists several job postings (a search or careers page), not one posting"

    guessed = []
    advertised_title = run.pick("title", normalize.clean_text)  # with its "| Remote" suffixes, for `remote`
    company = run.pick("company", normalize.clean_text)
    if company is None:
        company = normalize.clean_text(sitename.company_from_titles(run.page, advertised_title))
    locations = run.pick("locations", lambda v: normalize.location_list([v] if isinstance(v, str) else v))
    names = sitename.site_names(run.page)
    if company and placeholder(company):
        company = None
    title = clean_title(advertised_title, company, locations or (), names)
    if title and placeholder(title, names):
        title = None
    if not locations and advertised_title:
        place = _place_suffix(advertised_title)
        locations = [place] if place else locations
        title = clean_title(title, company, locations or ())
    country = run.country(locations)
    dayfirst = country != "US"

    description_html = run.pick("description", lambda raw: _description(raw, run.page.url))
    description_text = html_to_text(description_html, cleaned=True) if description_html else None
    if company is None:  # the posting's own words first ("About Acme"), the site's furniture and address last
        company = normalize.clean_text(sitename.company_in_text(description_text, run.page))
        if company is None:
            company = normalize.clean_text(sitename.guessed_company(run.page))
            if company:
                guessed.append("company")
        if company and placeholder(company):
            company = None
        elif company:
            title = clean_title(title, company, locations or (), names)

    if reason is None and (not title or (verdict is not True and not schema.found
                                         and not run.heuristics.looks_like_posting(description_text))):
        reason = _not_a_posting_message(run.page, site)
    if reason is None and verdict is not True and len(schema.candidates) != 1 and run.heuristics.lists_jobs():
        # many postings' links with a list's pagination, filters or result count: its headings are the list's
        reason = "this page lists several job postings (a search or careers page), not one posting"
    if reason is not None and not _names_a_job(run.page, title):
        # not a posting, nor a job's name in its heading (an article's headline): what its headings and
        # titles say is a guess at best
        guessed += [field for field, value in (("title", title), ("company", company))
                    if value and field not in guessed and run.picked_from.get(field, "heuristics") in ("meta", "heuristics")]

    remote = run.pick("remote", normalize.remote_from_structured)
    if remote is None:
        for text in [*(locations or ()), advertised_title]:
            remote = normalize.remote_from_short(text)
            if remote:
                break
    if remote is None:
        line = _call(run.heuristics, "remote")
        remote = normalize.remote_from_short(line) if line else None
    if remote is None:
        remote = normalize.remote_from_text(description_text)

    employment = run.pick("employment_type", normalize.employment_type)
    if employment is None:
        employment = normalize.employment_from_title(advertised_title) or normalize.employment_from_text(description_text)

    def salary_of(raw):
        if isinstance(raw, str):
            return normalize.parse_salary_text(raw, country, strict=True)
        return normalize.salary(raw, country)

    salary = run.pick("salary", salary_of)
    if salary is None and "salary" not in run.final:
        salary = normalize.salary_from_text(description_text, country)

    def date_of(raw, day=captured_at):
        return normalize.parse_date(raw, day, dayfirst=dayfirst)

    apply_url = run.pick("apply_url", lambda raw: run.absolute(raw))
    if apply_url:
        apply_url = normalize.unwrap_redirect(apply_url)

    valid_through = run.pick_date("valid_through", date_of)
    if valid_through is None and description_text:
        for line in description_text.split("\n"):
            if len(line) < 120 and _CLOSING.search(line):
                valid_through = date_of(line)
                if valid_through:
                    break

    posting = {
        "title": title,
        "company": company,
        "locations": locations or [],
        "remote": remote,
        "employment_type": employment,
        "salary": salary,
        "date_posted": run.pick_date("date_posted", date_of),
        "valid_through": valid_through,
        "description_text": description_text,
        "description_html": description_html,
        "apply_url": apply_url,
        "company_logo": run.pick("company_logo", run.absolute),
        "source": site.key,
        "url": canonical,
    }
    posting = {key: _encodable(value) for key, value in posting.items()}
    return Reading(posting, reason is None, reason, guessed)


_JOB_PATH = re.compile(r"/(?:jobs?|careers?|openings?|positions?|vacanc\w*|stellen\w*|emplois?|offres?|empleos?|vagas?|"
                       r"vacatures?|requisitions?|postings?|job-?details?)(?:/|$|[-_?])", re.I)


def _names_a_job(page, title):
    """Whether a page that did not read as a posting still names one: its heading reads as a job's name, or the
    page's own title or address speaks of jobs ("Harbour Pilot - Careers", /openings/pilot)."""
    if not title:
        return False
    return bool(sitename.JOB_TITLE_WORDS.search(title)
                or sitename.SITE_WORDS.search(" ".join(filter(None, (page.title_tag, page.meta.get("og:title")))))
                or _JOB_PATH.search(urlsplit(page.url or "").path))


def _place_suffix(title):
    """The place a title ends with after a comma ("Account Manager, Singapore"), if it reads as one."""
    head, sep, tail = title.rpartition(",")
    tail = tail.strip()
    if sep and head.strip() and tail and geo.looks_like_place(tail):
        return tail
    return None


def _encodable(value):
    """A posting value without lone surrogates (from JSON escapes), so it can be printed and stored."""
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, list):
        return [_encodable(item) for item in value]
    return value


def _not_a_posting_message(page, site):
    what = page.title_tag or page.meta.get("og:title")
    where = f" ({what})" if what else ""
    return (f"no job posting found on this page{where}: it looks like a search page, an article, "
            "a login wall or an empty page; open the posting itself and capture again")


def page_title(html):
    """The page's <title> (or og:title) for storing a capture that is not a posting; None if it has none."""
    try:
        page = Page(html)
    except (TypeError, ValueError):
        return None
    return page.title_tag or normalize.clean_text(page.meta.get("og:title")) or None
