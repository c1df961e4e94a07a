"""ADP Workforce Now recruitment (workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html?cid=...&jobId=...)
and ADP's career centers (myjobs.adp.com): a single-page app, read as rendered.

The job view shows the title, the company's name and logo, then labelled facts
("Location", "Salary Range", "Posted Date"...) and the description.
"""
from ..sitekit import DeclaredSite, with_foreign, without_logo_words


class ADP(DeclaredSite):
    key = "adp"
    hosts = ("workforcenow.adp.com", "myjobs.adp.com", "recruiting.adp.com")
    marker = '.job-description-title, [id^="job-description"], .current-opening-detail'
    facts_scope = (".job-description-container", ".current-opening-detail", "main")
    selectors = {"title": (".job-description-title", ".current-opening-detail h1", "h1", "h2.vdl-heading"),
                 "company": (".company-name", ".job-description-company"),
                 "locations": (".job-description-location", ".current-opening-location"),
                 "description": (".job-description-data", ".job-description-body", ".current-opening-description"),
                 "company_logo": (".company-logo img@src", "header img@src")}
    labels = with_foreign({"locations": ("location", "locations", "work location", "job location"),
                          "salary": ("salary range", "salary", "pay range", "compensation"),
                          "date_posted": ("posted date", "date posted", "posted"),
                          "employment_type": ("worker category", "job type", "employment type", "full time / part time"),
                          "remote": ("remote", "work arrangement", "workplace type")})

    def company(self):
        return self.declared("company") or without_logo_words(self.page.attr_of(".company-logo img, header img", "alt"))
