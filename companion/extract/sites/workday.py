"""Workday (*.myworkdayjobs.com): the single-page app's `data-automation-id` fields.

A page opened from a link carries the server's JSON-LD; one reached by clicking
through the app does not, so every field is read from the rendered job pane first.
The pane is `job-posting-details` in the search layout, `jobPostingPage` (or the page
itself) when the job is open alone; the application steps (`.../apply/applyManually`)
keep the job's header, or at least its address, whose slug names the job.
"""
import re
from functools import cached_property
from urllib.parse import unquote

from ..base import JobSite
from ..page import node_text
from ..sitekit import without_logo_words

_PANES = ('[data-automation-id="job-posting-details"]', '[data-automation-id="jobPostingPage"]',
          '[data-automation-id="jobDetails"]')
_APPLY_STEP = re.compile(r"^(.*/job/[^/]+/([^/]+?)_[A-Za-z0-9-]+)/apply(?:/|$)")


class Workday(JobSite):
    key = "workday"
    hosts = ("*.myworkdayjobs.com", "*.myworkdaysite.com")  # <tenant>.wd5.myworkdayjobs.com, wd3.myworkdaysite.com
    marker = '[data-automation-id="jobPostingHeader"]'

    @cached_property
    def pane(self):
        """The job's own pane (never the search results or similar jobs beside it)."""
        for selector in _PANES:
            node = self.page.first(selector)
            if node is not None and node.css_first('[data-automation-id="jobPostingHeader"]') is not None:
                return node
        return self.page.first("body") or self.page.dom.root

    def _node(self, name):
        return self.pane.css_first(f'[data-automation-id="{name}"]') if self.pane is not None else None

    def _field(self, name):
        """The values of one `data-automation-id` field of the job pane: its <dd>s, else its text without the label."""
        node = self._node(name)
        if node is None:
            return []
        values = [t for t in (node_text(dd) for dd in node.css("dd")) if t]
        if values:
            return values
        label = node_text(node.css_first("dt, label, .label")) or ""
        text = node_text(node) or ""
        return [text[len(label):].strip()] if text[len(label):].strip() else []

    @property
    def apply_step(self):
        return _APPLY_STEP.match((self.page.url or "").split("?")[0])

    def is_posting(self):
        return True if self._node("jobPostingHeader") is not None or self.apply_step else None

    def canonical(self):
        return self.apply_step.group(1) if self.apply_step else None  # the posting, not its application step

    def title(self):
        header = node_text(self._node("jobPostingHeader"))
        if header or not self.apply_step:
            return header
        return unquote(self.apply_step.group(2)).replace("--", ", ").replace("-", " ")  # "Product-Designer--Care-Team"

    def company(self):
        return without_logo_words(self.page.attr_of('[data-automation-id="logo"]', "alt"))

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
        node = self._node("jobPostingDescription")
        return node.inner_html if node is not None else None

    def apply_url(self):
        if self.apply_step:
            return None  # this is the application itself
        node = self._node("adventureButton")
        return node.attributes.get("href") if node is not None else None

    def company_logo(self):
        return self.page.attr_of('[data-automation-id="logo"]', "src")
