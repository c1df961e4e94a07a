"""Personio (<company>.jobs.personio.de|com/job/<id>): JSON-LD, and the job page's own header and sections.

The header writes "Vollzeit · Festanstellung · Berlin" (or "Full-time · Permanent
employee · Berlin") under the title; the application form sits on the same page.
"""
import re

from ..sitekit import DeclaredSite


class Personio(DeclaredSite):
    key = "personio"
    hosts = ("*.jobs.personio.de", "*.jobs.personio.com")
    logos = ('header img', '.logo img')
    marker = '[data-test-id="job-detail-header"], .job-details-header, #apply-form, form[action*="/job/"]'
    selectors = {"title": ('[data-test-id="job-detail-header"] h1', "main h1", "h1"),
                 "description": ('[data-test-id="job-description"]', ".job-descriptions", "#job-description")}
    labels = {"locations": ("standort", "standorte", "location", "locations", "arbeitsort", "office"),
              "employment_type": ("beschäftigungsart", "anstellungsart", "employment type", "arbeitszeit"),
              "date_posted": ("veröffentlicht", "published", "posted")}

    def canonical(self):
        m = re.search(r"/job/\d+", self.page.url or "")
        return m.group(0) if m else None  # without ?language=&display=

    def apply_url(self):
        if self.page.first("#apply-form, form[action*='/job/'], [data-test-id='application-form']") is not None:
            return self.canonical()  # the application form is on the posting's page
        return None
