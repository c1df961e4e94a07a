"""Dover (app.dover.com/apply/<company>/<id>, app.dover.com/jobs/<company>/<id>): the rendered job page.

No structured data: the title is the heading, the company comes from the page title
("Founding Engineer at Acme"), the place, arrangement and pay from the labelled chips
beside the title, and the application form shares the page.
"""
import re

from .. import normalize
from ..sitekit import DeclaredSite

_AT = re.compile(r"^.+?\s+(?:at|@)\s+(.+?)(?:\s+[|–-]\s+Dover)?$")


class Dover(DeclaredSite):
    key = "dover"
    hosts = ("app.dover.com",)
    marker = '[data-testid="job-title"], form[data-testid="application-form"]'
    selectors = {"title": ('[data-testid="job-title"]', "main h1", "h1"),
                 "locations": ('[data-testid="job-location"]',),
                 "salary": ('[data-testid="job-compensation"]',),
                 "description": ('[data-testid="job-description"]', ".job-description"),
                 "company_logo": ('img[data-testid="company-logo"]@src', "header img@src")}
    labels = {"locations": ("location", "locations"), "remote": ("workplace", "location type", "remote"),
              "employment_type": ("employment type", "job type"), "salary": ("compensation", "salary")}

    def company(self):
        for text in (self.page.meta.get("og:title"), self.page.title_tag):
            m = _AT.match((text or "")[:400])  # a real page title is short
            if m:
                return m.group(1)
        return self.page.attr_of('img[data-testid="company-logo"]', "alt")

    def _chip(self, reads):
        """The first chip beside the title that ``reads`` understands ("In-office", "Full-time")."""
        return next((t for t in self.page.texts_of("main .MuiChip-label") if reads(t)), None)

    def remote(self):
        return self._chip(normalize.remote_from_short) or self.declared("remote")

    def employment_type(self):
        return self._chip(normalize.employment_type) or self.declared("employment_type")

    def apply_url(self):
        if self.page.first('form[data-testid="application-form"], form') is not None:
            return (self.page.url or "").split("?")[0] or None  # the form is on the posting's page
        return None
