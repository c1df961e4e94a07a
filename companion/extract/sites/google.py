"""Google Careers (google.com/about/careers/applications/jobs/results/<id>-<slug>): server-rendered markup.

No structured data. The open job sits in its own pane beside the search results, whose
cards use the same classes, so every field is read inside the pane. The class names are
Google's generated ones (`p1N2lc` the title, `r0wTof` a location); the qualifications,
"About the job" (with the US salary range) and responsibilities are its sections.
"""
import re

from ..base import JobSite

_PANE = "div.DkhPwc"


class GoogleCareers(JobSite):
    key = "google"
    hosts = (r"(?:www\.)?google\.com", r"careers\.google\.com")

    def is_posting(self):
        if "careers" not in (self.page.url or ""):
            return None  # another google.com page
        return True if self.page.first(f"{_PANE} h2") is not None else None

    def canonical(self):
        m = re.search(r"(/about/careers/applications/jobs/results/\d+[\w-]*)", self.page.url or "")
        return m.group(1) if m else None  # without the search's ?q=&location=

    def title(self):
        return self.page.text_of(f"{_PANE} h2")

    def company(self):
        return self.page.text_of(f"{_PANE} .op1BBf .RP7SMd span")  # "Google", or "Waymo", "Verily"...

    def locations(self):
        return self.page.texts_of(f"{_PANE} .op1BBf .r0wTof") or None

    def description(self):
        sections = self.page.css(f"{_PANE} .KwJkGe, {_PANE} .aG5W3, {_PANE} .BDNOWe")
        return "".join(node.html for node in sections) or None

    def apply_url(self):
        return self.page.attr_of(f'{_PANE} a[aria-label^="Apply"]', "href")
