"""Reed (www.reed.co.uk/jobs/<slug>/<id>): JSON-LD, and the job page's `data-qa` labels.

The header gives the pay as the advertiser wrote it ("£30,000 - £35,000 per annum,
negotiable", or "Competitive salary"), the town and county separately, the contract and
hours ("Permanent, full-time") and the work arrangement.
"""
import re

from ..sitekit import DeclaredSite, arrangement, place

_QA = '[data-qa="%s"]'


class Reed(DeclaredSite):
    key = "reed"
    hosts = ("www.reed.co.uk",)
    marker = f'{_QA % "job-title"}, {_QA % "job-description"}'
    final = ("salary",)  # "Competitive salary" is the answer; similar jobs show other pay
    selectors = {"title": (f"h1{_QA % 'job-title'}", "h1"),
                 "company": (f"{_QA % 'job-posted-by'} a", f"{_QA % 'companyName'}"),
                 "salary": (_QA % "salaryLbl", _QA % "salaryMobileLbl"),
                 "employment_type": (_QA % "jobTypeLbl", _QA % "jobTypeMobileLbl"),
                 "description": (_QA % "job-description", '[itemprop="description"]'),
                 "apply_url": (f"a{_QA % 'apply-button'}@href",),
                 "company_logo": (f"{_QA % 'company-logo'} img@src", f"img{_QA % 'company-logo'}@src")}

    def locations(self):
        return place(self.page.text_of(_QA % "localityLbl"), self.page.text_of(_QA % "regionLbl")) or \
            self.page.text_of(_QA % "locationMobileLbl")

    def remote(self):
        label = self.select((_QA % "remoteWorkingLbl", _QA % "remoteWorkingMobileLbl"))
        return arrangement(label) or label  # "Work from office", "Work from home", "Hybrid work"

    def date_posted(self):
        posted = self.page.text_of(_QA % "job-posted-by") or ""
        m = re.search(r"posted\s+(.+?)\s+by\b", posted, re.I)  # "Posted 3 days ago by Acme"
        return m.group(1) if m else None

    def canonical(self):
        m = re.search(r"/jobs/[\w-]+/\d+", self.page.url or "")
        return m.group(0) if m else None  # without ?source=searchResults&filter=...
