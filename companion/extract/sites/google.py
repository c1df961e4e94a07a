"""Google Careers (www.google.com/about/careers/applications/jobs/results/<id>-<slug>): server-rendered markup.

No structured data. The open job sits in its own pane beside the search results (or
alone, when the job's address is opened), and the results' cards use the same classes,
so every field is read inside the pane. The class names are Google's generated ones and
change between releases (`DkhPwc` the pane, `p1N2lc` the title), so the pane is also
found by its apply link and the fields by their Material icons ("corporate_fare" the
company, "place" the locations); the qualifications, "About the job" (with the US salary
range) and responsibilities are its sections, each headed by an h3.
"""
import re
from functools import cached_property

from ..base import JobSite
from ..page import node_text

_APPLY = 'a[aria-label^="Apply"], a[href*="/applications/apply?jobId="], a[href*="signin?jobId="]'


def _after_icon(pane, icon):
    """The text beside a Material icon in the job's header ("place" → "Sunnyvale, CA, USA; Kirkland, WA, USA")."""
    for node in pane.css("i"):
        if (node.text() or "").strip() == icon and node.parent is not None:
            text = node_text(node.parent) or ""
            return text.replace(icon, "", 1).strip() or None
    return None


class GoogleCareers(JobSite):
    key = "google"
    hosts = ("www.google.com/about/careers/*", "careers.google.com")
    marker = "div.DkhPwc h2"  # the open job's title beside the results

    @cached_property
    def pane(self):
        node = self.page.first("div.DkhPwc")
        if node is not None and node.css_first("h2") is not None:
            return node
        node = self.page.first(_APPLY)
        while node is not None and node.tag != "body":  # up from the apply link to the block with the sections
            if node.css_first("h2") is not None and node.css_first("h3") is not None:
                return node
            node = node.parent
        return None

    def is_posting(self):
        if "careers" not in (self.page.url or ""):
            return None  # another google.com page
        return True if self.pane is not None else None

    def canonical(self):
        m = re.search(r"(/about/careers/applications/jobs/results/\d+[\w-]*)", self.page.url or "")
        return m.group(1) if m else None  # without the search's ?q=&location=

    def title(self):
        return node_text(self.pane.css_first("h2")) if self.pane is not None else None

    def company(self):
        if self.pane is None:
            return None
        return node_text(self.pane.css_first(".op1BBf .RP7SMd span")) or _after_icon(self.pane, "corporate_fare")

    def locations(self):
        if self.pane is None:
            return None
        places = [node_text(n) for n in self.pane.css(".op1BBf .r0wTof")]
        if not any(places):
            places = (_after_icon(self.pane, "place") or "").split(";")
        return [p.strip() for p in places if p and p.strip()] or None

    def description(self):
        if self.pane is None:
            return None
        sections = self.pane.css(".KwJkGe, .aG5W3, .BDNOWe")
        if not sections:  # the sections headed by an h3, wherever the classes went
            sections = [h3.parent for h3 in self.pane.css("h3") if h3.parent is not None]
            sections = list({s.mem_id: s for s in sections}.values())
        return "".join(node.html for node in sections) or None

    def apply_url(self):
        if self.pane is None:
            return None
        link = self.pane.css_first(_APPLY)
        return link.attributes.get("href") if link is not None else None
