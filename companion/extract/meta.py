"""Posting fields from OpenGraph, Twitter cards and the <title>: what a bare page still tells.

Titles of job pages follow a few shapes ("Title | Company", "Title at Company",
"Company hiring Title in Place | Board", "Job Application for Title at Company");
we read the title and company out of them, checking against the page's <h1>.
"""
import re
from functools import cached_property

from .base import Source
from . import sitename
from .normalize import clean_text

_SEPARATORS = re.compile(r"\s+[|–—·•:]\s+|\s+-\s+")
_HIRING = re.compile(r"^(?P<company>.+?) (?:is )?hiring (?:a |an )?(?P<title>.+?)(?: in (?P<location>.+?))?$", re.I)
_APPLICATION_FOR = re.compile(r"^(?:job application for|apply for|application for)\s+(?P<title>.+?)\s+at\s+(?P<company>.+)$",
                              re.I)
_AT = re.compile(r"\s+(?:at|@|chez|bei)\s+")
_LOCATION_DASH = re.compile(r"\s+[—–-]\s+")
# Titles are read only this far: no title is longer, and the shapes above stay cheap on a crafted
# 78 KB <title> ("x at x at ..." once took 25 s with a backtracking pattern).
MAX_TITLE = 300


def _title_at(head):
    """"Title at Company [- Place]" → {title, company, location}; None for another shape. One left-to-right
    search for each separator: linear in the title (a single backtracking pattern was quadratic)."""
    at = _AT.search(head)
    if not at or at.start() == 0:
        return None
    title, rest = head[:at.start()], head[at.end():]
    dash = _LOCATION_DASH.search(rest)
    company, location = (rest[:dash.start()], rest[dash.end():]) if dash else (rest, None)
    if not company or any(mark in company for mark in "|—–") or (location is not None and not location):
        return None
    return {"title": title, "company": company, "location": location}


def _strip_site(title, site_names):
    """Drop a trailing "| Site" / "- Site" segment naming the site itself."""
    parts = _SEPARATORS.split(title)
    while len(parts) > 1:
        last = parts[-1].strip().casefold()
        if any(last == s or last.startswith(s + " ") or s.startswith(last) for s in site_names if s) or (re.search(
                r"\b(?:jobs?|careers?|emplois?|stellenangebote|linkedin|indeed|glassdoor)\b", last) and len(last) < 40) \
                or sitename.PLATFORMS.match(last):
            parts.pop()
            continue
        break
    return parts


def _prefix(title, count):
    """``title`` up to the end of its ``count``-th separator-split segment (original separators kept)."""
    cut = [m.start() for m in _SEPARATORS.finditer(title)]
    return title[:cut[count - 1]] if count - 1 < len(cut) else title


class Meta(Source):
    """OpenGraph / Twitter / <title> reader."""

    def _raw_title(self):
        meta = self.page.meta
        return next(filter(None, map(clean_text, (meta.get("og:title"), meta.get("twitter:title"),
                                                  self.page.title_tag))), None)

    def _site_names(self):
        return sitename.site_names(self.page)

    @cached_property
    def _shape(self):
        """(title, company, location) read from the page title's shape."""
        raw = self._raw_title()
        if not raw:
            return None, None, None
        raw = raw[:MAX_TITLE]
        parts = _strip_site(raw, self._site_names())
        head = parts[0].strip()
        for rx in (_APPLICATION_FOR, _HIRING):
            m = rx.match(" - ".join(parts) if rx is _HIRING else head)
            if m:
                return m.group("title"), m.group("company"), m.groupdict().get("location")
        h1 = self.page.h1_text
        if h1 and len(parts) > 1 and head.casefold() == h1.casefold():
            return head, None, None
        m = _title_at(head)
        if m and h1 and m["title"].casefold() == h1.casefold():
            return m["title"], m["company"], m["location"]
        if raw != self.page.title_tag and len(parts) > 1:
            # og:title names the content, not the site: "Sales - Risk Account Manager" keeps its dash
            return _prefix(raw, len(parts)), None, None
        return head, None, None

    def title(self):
        title, _, _ = self._shape
        return title

    def company(self):
        _, company, _ = self._shape
        if company:
            return company
        # "Title | Company" when the <title> starts with the <h1>
        title_tag, h1 = self.page.title_tag, self.page.h1_text
        if title_tag and h1 and title_tag.casefold().startswith(h1.casefold()):
            tail = title_tag[len(h1):].strip()
            if tail[:1] in ("|", "–", "—", "·", "•", "-", ":"):
                rest = _strip_site(tail.lstrip("|–—·•:-").strip(), self._site_names())[0].strip()
                rest = sitename.employer_of_site(rest) or rest  # "Title | Careers at Acme"
                if rest and len(rest) < 60 and not sitename.SITE_WORDS.search(rest) and not sitename.PLATFORMS.match(rest):
                    return rest
        return None  # the titles' other segments are weighed by the engine (sitename.company_from_titles)
        return None

    def locations(self):
        _, _, location = self._shape
        return [location] if location else None

    def description(self):
        meta = self.page.meta
        return clean_text(meta.get("og:description") or meta.get("description") or meta.get("twitter:description"))
