"""SmartRecruiters (jobs.smartrecruiters.com): JSON-LD and microdata, with the whole job ad from the page.

The JSON-LD description holds only the "Job Description" section; the page shows the
company, qualifications and additional information (where the pay usually is) too.
"""
from ..base import JobSite


class SmartRecruiters(JobSite):
    key = "smartrecruiters"
    hosts = ("jobs.smartrecruiters.com", "careers.smartrecruiters.com")
    marker = "h1.job-title, main.job h1"

    def canonical(self):
        return self.page.canonical  # drops the ?trid= referral id every shared link carries

    def description(self):
        node = self.page.first("main .job-sections")
        return node.inner_html if node is not None else None

    def apply_url(self):
        return self.page.attr_of("a#st-apply, a.js-oneclick", "href")
