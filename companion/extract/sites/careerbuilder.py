"""CareerBuilder (www.careerbuilder.com/job/<id>): JSON-LD, and the job page's header details and description.

The header's `data-details` line lists company, place, work arrangement and employment
type as plain spans; pay sits in its own block and is the employer's only when not
marked as CareerBuilder's estimate.
"""
import re

from ..sitekit import DeclaredSite, arrangement


class CareerBuilder(DeclaredSite):
    key = "careerbuilder"
    hosts = ("www.careerbuilder.com", "www.careerbuilder.ca")
    canonical_link = True  # without ?ipath=&keywords=
    marker = "#jdp_description, .data-display-header_info-content"
    final = ("salary",)
    selectors = {"title": (".data-display-header_info-content h1", "h1.jdp_title_header", "h1"),
                 "description": ("#jdp_description .col-2", "#jdp_description"),
                 "date_posted": (".data-display-header_info-content .data-results-publish-time",),
                 "apply_url": ("a#apply-now-top@href", "a.btn-apply@href", "a[data-gtm='apply-now']@href"),
                 "company_logo": (".data-display-header_logo img@src",)}

    def _details(self):
        return self.page.texts_of(".data-display-header_info-content .data-details span")

    def company(self):
        details = self._details()
        return details[0] if details else None

    def locations(self):
        details = self._details()
        return details[1] if len(details) > 1 else None

    def remote(self):
        return next((arrangement(d) for d in self._details()[2:] if arrangement(d)), None)

    def employment_type(self):
        terms = [d for d in self._details()[2:] if not arrangement(d)]
        return terms or None

    def salary(self):
        pay = self.page.text_of("#cb-salcom-info, .jdp-salary, [data-testid='jdp-salary']") or ""
        if not pay or re.search(r"estimat|careerbuilder", pay, re.I):
            return None
        return pay
