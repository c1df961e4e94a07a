"""StepStone (stepstone.de/.at/.be/.nl/.fr..., /stellenangebote--<slug>--<id>-inline.html): JSON-LD, and
the job ad's `data-at` hooks, which StepStone keeps stable for its own tests.

The header lists company, place, contract ("Feste Anstellung"), working time
("Vollzeit"), work arrangement ("Home-Office möglich"), an online date ("vor 3 Tagen")
and, when the employer gives it, the salary.
"""
import re

from ..sitekit import DeclaredSite

_AT = '[data-at="%s"]'


class StepStone(DeclaredSite):
    key = "stepstone"
    hosts = tuple(f"www.stepstone.{tld}" for tld in ("de", "at", "be", "nl", "fr", "pl", "dk", "se", "no", "lu", "co.uk"))
    canonical_link = True  # without the ?rltr=/&cid= tracking of search and mail links
    marker = f'{_AT % "header-job-title"}, {_AT % "job-ad-content"}'
    selectors = {"title": (_AT % "header-job-title", "h1"),
                 "company": (_AT % "metadata-company-name", _AT % "header-company-name"),
                 "remote": (_AT % "metadata-work-type", _AT % "metadata-remote"),
                 "employment_type": (_AT % "metadata-contract-type",),
                 "salary": (_AT % "metadata-salary",),
                 "date_posted": (_AT % "metadata-online-date",),
                 "description": (_AT % "job-ad-content", '[data-at$="-content"][data-at^="section-text"]'),
                 "apply_url": (f"a{_AT % 'apply-button'}@href", f"a{_AT % 'header-apply-button'}@href"),
                 "company_logo": (f"{_AT % 'header-company-logo'} img@src", f"img{_AT % 'header-company-logo'}@src")}
    final = ("salary",)  # the salary is the employer's only when shown: similar jobs and estimates carry others

    def locations(self):
        place = self.page.text_of(_AT % "metadata-location")
        return re.sub(r"\s*\([A-Z]{1,2}\d[A-Z\d]?\)", "", place) if place else None  # "Bristol (BS1), South West"

    def employment_type(self):
        terms = [self.page.text_of(_AT % name) for name in ("metadata-work-type", "metadata-contract-type")]
        return [t for t in terms if t] or None  # "Vollzeit, Home-Office möglich" first, then "Feste Anstellung"
