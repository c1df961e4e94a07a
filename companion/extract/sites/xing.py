"""XING (www.xing.com/jobs/<city>-<slug>-<id>): JSON-LD, and the job page's `data-testid` header and facts.

XING shows either the employer's salary ("Gehalt laut Arbeitgeber") or its own forecast
("Gehaltsprognose laut XING"); only the first is pay, so salary is final.
"""
import re

from ..schemaorg import SchemaOrg
from ..sitekit import DeclaredSite, arrangement

_TEST = '[data-testid="%s"]'
_EMPLOYER_PAY = ("gehalt laut arbeitgeber", "salary from employer", "salary according to employer", "gehalt")


class Xing(DeclaredSite):
    key = "xing"
    hosts = ("www.xing.com/jobs/*",)
    canonical_link = True  # without the ?ijt= tracking
    marker = f'{_TEST % "job-details-title"}, {_TEST % "job-details-description"}'
    final = ("salary",)
    selectors = {"title": (_TEST % "job-details-title", "main h1"),
                 "company": (_TEST % "job-details-company-info-name", _TEST % "job-details-company-name"),
                 "locations": (_TEST % "job-details-location",),
                 "description": (_TEST % "job-details-description",),
                 "apply_url": (f"a{_TEST % 'apply-button'}@href",),
                 "company_logo": (f"img{_TEST % 'job-details-company-logo'}@src",)}
    labels = {"employment_type": ("anstellungsart", "beschäftigungsart", "employment type", "arbeitszeit"),
              "remote": ("arbeitsmodell", "remote", "home-office", "work model"),
              "date_posted": ("veröffentlicht", "online seit", "published")}

    def remote(self):
        chips = self.page.texts_of(f"{_TEST % 'job-details-facts'} li")
        return next((arrangement(c) for c in chips if arrangement(c)), None) or self.declared("remote")

    def employment_type(self):
        chips = self.page.texts_of(f"{_TEST % 'job-details-facts'} li")
        return chips or self.declared("employment_type")

    def salary(self):
        for label in _EMPLOYER_PAY:
            pay = self.fact(label)
            if pay:
                return pay
        text = self.page.text_of(_TEST % "job-details-salary") or ""
        if re.search(r"prognose|forecast|estimate|schätzung", text, re.I):
            return None  # XING's guess, not the employer's pay
        return SchemaOrg(self.page, self.captured_at).salary()
