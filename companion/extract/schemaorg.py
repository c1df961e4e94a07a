"""Posting fields from schema.org JobPosting data (JSON-LD first, then microdata).

Like recipe-scrapers' _schemaorg: whatever a site module does not answer, this does,
for any site that publishes a JobPosting. ``estimatedSalary`` is never read: only the
employer's ``baseSalary`` is pay.
"""
import html as _html
import re

from . import geo
from .base import Source
from .normalize import clean_text


def _first(value):
    if isinstance(value, list):
        for item in value:
            if item not in (None, "", {}, []):
                return item
        return None
    return value


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name(value, graph=None):
    value = graph.resolve(value) if graph else value
    value = _first(value)
    if graph is not None:
        value = graph.resolve(value)
    if isinstance(value, dict):
        return clean_text(_first(value.get("name")) or _first(value.get("legalName")) or _first(value.get("alternateName")))
    if isinstance(value, str):
        return clean_text(value)
    return None


def node_title(node):
    """A JobPosting node's title (``title``, else ``name``; either may be a list)."""
    return clean_text(_first(node.get("title")) or _first(node.get("name")))


class SchemaOrg(Source):
    """Reads the page's JobPosting: the one standing for the page when there are several."""

    def __init__(self, page, captured_at=None):
        super().__init__(page, captured_at)
        self.graph = page.jsonld
        standalone, _ = self.graph.postings()
        self.candidates = standalone or page.microdata  # the JobPostings that may stand for this page
        self.node = self._choose(self.candidates) if self.candidates else None

    def _choose(self, nodes):
        if len(nodes) == 1:
            return nodes[0]
        h1 = self.page.h1_text or ""
        url = (self.page.url or "").rstrip("/")

        def rank(node):
            title = node_title(node) or ""
            node_url = str(_first(node.get("url")) or "").rstrip("/")
            return (bool(url) and node_url == url, bool(title) and title.casefold() == h1.casefold(),
                    bool(node.get("description")), len(node))

        return max(nodes, key=rank)

    @property
    def found(self):
        return self.node is not None

    def _get(self, *keys):
        if not self.node:
            return None
        for key in keys:
            value = self.node.get(key)
            if value not in (None, "", [], {}):
                return self.graph.resolve(value)
        return None

    def title(self):
        return clean_text(_first(self._get("title", "name")))

    def company(self):
        org = self._get("hiringOrganization")
        return _name(org, self.graph) if org is not None else None

    def locations(self):
        found = []
        for place in _as_list(self._get("jobLocation")):
            place = self.graph.resolve(place)
            if isinstance(place, str):
                found.append(place)
                continue
            if not isinstance(place, dict):
                continue
            address = self.graph.resolve(_first(place.get("address")))
            text = _address_text(address) if address is not None else None
            found.append(text or clean_text(_first(place.get("name"))))
        found = [f for f in found if f]
        if not found:
            for area in _as_list(self._get("applicantLocationRequirements")):
                area = self.graph.resolve(area)
                name = _name(area) if isinstance(area, dict) else clean_text(area)
                if name:
                    found.append(geo.country_name(name))
        return found or None

    def remote(self):
        kind = self._get("jobLocationType")
        if kind:
            return kind
        if self._get("applicantLocationRequirements") and not self._get("jobLocation"):
            return "TELECOMMUTE"
        for item in _as_list(self._get("employmentType")):
            if isinstance(item, str) and item.strip().upper() in ("REMOTE", "TELECOMMUTE", "HYBRID"):
                return item
        return None

    def employment_type(self):
        return self._get("employmentType")

    def salary(self):
        value = self._get("baseSalary")
        if value is None:
            return None
        if isinstance(value, dict) and not (value.get("currency") or value.get("salaryCurrency")):
            currency = self._get("salaryCurrency")
            if currency:
                value = dict(value, currency=currency)
        return value

    def date_posted(self):
        return _first(self._get("datePosted", "datePublished"))

    def valid_through(self):
        return _first(self._get("validThrough", "expires"))

    def description(self):
        value = _first(self._get("description"))
        return value if isinstance(value, str) and value.strip() else None

    def apply_url(self):
        for action in _as_list(self._get("potentialAction")):
            action = self.graph.resolve(action)
            if isinstance(action, dict) and "applyaction" in {t.lower() for t in _as_list(action.get("@type")) if isinstance(t, str)}:
                target = _first(action.get("target"))
                if isinstance(target, dict):
                    target = target.get("urlTemplate") or target.get("url")
                if isinstance(target, str):
                    return target
        for key in ("applyUrl", "applicationUrl", "directApplyUrl"):
            value = _first(self._get(key))
            if isinstance(value, str):
                return value
        return None

    def company_logo(self):
        org = self.graph.resolve(_first(self._get("hiringOrganization")))
        if not isinstance(org, dict):
            return None
        logo = self.graph.resolve(_first(org.get("logo") or org.get("image")))
        if isinstance(logo, dict):
            logo = logo.get("url") or logo.get("contentUrl")
        return _first(logo) if isinstance(_first(logo), str) else None


def _address_text(address):
    if isinstance(address, str):
        return clean_text(address)
    if not isinstance(address, dict):
        return None
    parts = []
    for key in ("addressLocality", "addressRegion", "addressCountry"):
        value = _first(address.get(key))
        if isinstance(value, dict):
            value = value.get("name") or value.get("identifier")
        value = clean_text(value)
        if value and key == "addressCountry":
            value = geo.country_name(value)  # the field says it is a country: "DE" is Germany, not Delaware
        if value and value.casefold() not in (p.casefold() for p in parts):
            parts.append(value)
    if not parts:
        value = clean_text(_first(address.get("name")) or _first(address.get("streetAddress")))
        return value
    return ", ".join(parts)


_ESCAPED_TAG = re.compile(r"&lt;/?(?:p|br|ul|ol|li|div|b|strong|em|i|h\d|span|table)\b", re.I)
_REAL_TAG = re.compile(r"<(?:p|br|ul|ol|li|div|b|strong|em|i|h\d|span|table)\b", re.I)


def description_html(value):
    """A description as HTML: entity-escaped HTML ("&lt;p&gt;") decoded, plain text given paragraphs."""
    for _ in range(2):
        if _ESCAPED_TAG.search(value) and not _REAL_TAG.search(value):
            value = _html.unescape(value)
    if _REAL_TAG.search(value):
        return value
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join("<p>%s</p>" % _html.escape(_html.unescape(p)).replace("\n", "<br>") for p in paragraphs)
