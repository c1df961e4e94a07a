"""Workable (apply.workable.com): JSON-LD, and the rendered page's `data-ui` fields for what it lacks.

The JSON-LD description stops after the first section, and carries neither the
workplace nor the salary, which the page shows in its header. The Application tab
(`/j/<id>/apply/`) keeps that header above the form, without the description.
"""
import re

from ..base import JobSite

_SECTIONS = '[data-ui="job-description"], [data-ui="job-requirements"], [data-ui="job-benefits"]'


class Workable(JobSite):
    key = "workable"
    hosts = ("*.workable.com",)  # apply.workable.com, and the older <company>.workable.com boards
    marker = 'h1[data-ui="job-title"]'

    @property
    def apply_step(self):
        return re.search(r"^(.*/j/[0-9A-F]+)/apply/?$", (self.page.url or "").split("?")[0], re.I)

    @property
    def final(self):
        return ("description", "apply_url") if self.apply_step else ()  # the form replaced the sections

    def canonical(self):
        return self.apply_step.group(1) + "/" if self.apply_step else None

    def title(self):
        return self.page.text_of('h1[data-ui="job-title"]')

    def locations(self):
        return self.page.texts_of('[data-ui="job-location"]') or None

    def remote(self):
        return self.page.text_of('[data-ui="job-workplace"]')

    def employment_type(self):
        return self.page.text_of('[data-ui="job-type"]')

    def salary(self):
        return self.page.text_of('[data-ui="job-salary"]')

    def date_posted(self):
        return self.page.text_of('[data-ui="job-posted"]')

    def description(self):
        return "".join(node.html for node in self.page.css(_SECTIONS)) or None

    def apply_url(self):
        return self.page.attr_of('a[data-ui="overview-apply-now"]', "href")

    def company_logo(self):
        return self.page.attr_of('[data-ui="company-logo"] img', "src")
