"""Welcome to the Jungle (welcometothejungle.com): JSON-LD, and the job's metadata block for the rest.

The block's items are named by their icon (`<i name="remote">`, `<i name="salary">`...)
and written in the page's language: "Télétravail fréquent", "Salaire : 45K à 55K €".
"""
import re
from urllib.parse import urlsplit

from ..base import JobSite
from ..page import node_text

_SECTIONS = ('[data-testid="job-section-description"], [data-testid="job-section-experience"], '
             '[data-testid="job-section-process"]')


class WelcomeToTheJungle(JobSite):
    key = "welcometothejungle"
    hosts = ("www.welcometothejungle.com",)
    marker = '[data-testid="job-header"] h2, [data-testid="job-title"]'

    def _meta(self, icon):
        """The text of the metadata item whose icon is ``icon``, without its "Label :" prefix."""
        node = self.page.first(f'[data-testid="job-metadata-block"] i[name="{icon}"]')
        text = node_text(node.parent) if node is not None else None
        return re.sub(r"^[^:\d]{1,30}?\s?:\s*", "", text) if text else None

    def canonical(self):
        path = urlsplit(self.page.url or "").path
        return path if "/jobs/" in path else None  # without the search's ?q=&o=

    def title(self):
        return self.page.text_of('[data-testid="job-header"] h2')

    def company(self):
        return self.page.text_of('[data-testid="job-header"] a[href*="/companies/"] span')

    def locations(self):
        return self._meta("location")

    def remote(self):
        return self._meta("remote")

    def employment_type(self):
        return self._meta("contract")

    def salary(self):
        return self._meta("salary")

    def description(self):
        return "".join(node.html for node in self.page.css(_SECTIONS)) or None

    def apply_url(self):
        return self.page.attr_of('[data-testid="job-header"] a[href*="/apply"], a[data-testid$="button-apply"]', "href")

    def company_logo(self):
        return self.page.attr_of('[data-testid="job-header"] a[href*="/companies/"] img', "src")
