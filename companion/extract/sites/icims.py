"""iCIMS (careers-<company>.icims.com/jobs/<id>/<title>/job): the framed job page's header tags.

The portal shows the posting in an iframe (`?in_iframe=1`); either page carries JSON-LD,
the inner one also the `iCIMS_JobHeaderTag` fields and the sections. Locations are
written "US-IL-Chicago | US-IN-Indianapolis".
"""
import re
from urllib.parse import urlsplit, urlunsplit

from ..base import JobSite
from ..normalize import clean_text


def _place(code):
    """"US-IL-Chicago" → "Chicago, IL, US"; anything else unchanged."""
    parts = code.split("-", 2)
    if len(parts) == 3 and re.fullmatch(r"[A-Z]{2}", parts[0]) and re.fullmatch(r"[A-Z0-9]{1,3}", parts[1]):
        return f"{parts[2]}, {parts[1]}, {parts[0]}"
    return code


def _unframed(url):
    parts = urlsplit(url or "")
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("in_iframe="))
    return urlunsplit(parts._replace(query=query)) if url else None


class ICIMS(JobSite):
    key = "icims"
    hosts = ("*.icims.com",)
    embeds = ("iframe#icims_content_iframe", 'iframe[src*=".icims.com/jobs/"]')  # a company site framing the portal

    def _header(self, label):
        for tag in self.page.css(".iCIMS_JobHeaderTag"):
            field, value = tag.css_first(".iCIMS_JobHeaderField"), tag.css_first(".iCIMS_JobHeaderData")
            if field is not None and value is not None and (clean_text(field.text()) or "").casefold() == label:
                return clean_text(value.text(deep=True, separator=" "))
        return None

    def is_posting(self):
        return True if self.page.first(".iCIMS_JobContent, .iCIMS_JobHeaderGroup") is not None else None

    def canonical(self):
        path = urlsplit(self.page.url or "").path
        return path if re.fullmatch(r"/jobs/\d+/[^/]+/job", path) else None  # without ?mode=&iis=&in_iframe=

    def title(self):
        return self.page.text_of("h1.iCIMS_Header")

    def locations(self):
        located = self._header("job locations") or self._header("job location")
        return [_place(p.strip()) for p in located.split("|") if p.strip()] if located else None

    def remote(self):
        return self._header("remote") or self._header("work arrangement")

    def employment_type(self):
        return self._header("type") or self._header("position type")

    def date_posted(self):
        return self._header("posted date")  # "2 weeks ago(11/5/2026 10:27 AM)": the exact date wins

    def description(self):
        node = self.page.first(".iCIMS_JobContent")
        return node.inner_html if node is not None else None

    def apply_url(self):
        return _unframed(self.page.attr_of("a.iCIMS_ApplyOnlineButton", "href"))
