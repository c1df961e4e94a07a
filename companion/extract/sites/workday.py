"""Workday (*.myworkdayjobs.com): the single-page app's `data-automation-id` fields.

A page opened from a link carries the server's JSON-LD; one reached by clicking
through the app does not, so every field is read from the rendered job pane first.
"""
import re

from ..base import JobSite

_PANE = '[data-automation-id="job-posting-details"] '


class Workday(JobSite):
    key = "workday"
    hosts = (r"[\w-]+\.wd\d+\.myworkdayjobs\.com", r"[\w-]+\.myworkdayjobs\.com", r"wd\d+\.myworkdaysite\.com")

    def _field(self, name):
        """The <dd> values of one `data-automation-id` field of the job pane (never similar jobs)."""
        return self.page.texts_of(f'{_PANE}[data-automation-id="{name}"] dd')

    def is_posting(self):
        return True if self.page.first(f'{_PANE}[data-automation-id="jobPostingHeader"]') else None

    def title(self):
        return self.page.text_of(f'{_PANE}[data-automation-id="jobPostingHeader"]')

    def company(self):
        alt = self.page.attr_of('[data-automation-id="logo"]', "alt")
        return re.sub(r"\s+(?:logo|careers?)$", "", alt, flags=re.I) if alt else None

    def locations(self):
        return self._field("locations") or None

    def remote(self):
        kind = next(iter(self._field("remoteType")), None)
        return "Hybrid" if kind and kind.casefold() == "flexible" else kind  # Workday's "Flexible" is part office

    def employment_type(self):
        return next(iter(self._field("time")), None)

    def date_posted(self):
        return next(iter(self._field("postedOn")), None)

    def valid_through(self):
        end = next(iter(self._field("timeLeftToApply")), "")
        return end.split("(")[0] or None  # "End Date: January 15, 2027 (30+ days left to apply)"

    def description(self):
        node = self.page.first(f'{_PANE}[data-automation-id="jobPostingDescription"]')
        return node.inner_html if node is not None else None

    def apply_url(self):
        return self.page.attr_of(f'{_PANE}a[data-automation-id="adventureButton"]', "href")

    def company_logo(self):
        return self.page.attr_of('[data-automation-id="logo"]', "src")
