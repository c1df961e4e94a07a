"""Paylocity (recruiting.paylocity.com/Recruiting/Jobs/Details/<id>): the job in `window.pageData`, the
`job-preview` markup otherwise; the application form is `/Recruiting/Jobs/Apply/<id>`."""
import re

from ..base import find_dict
from ..sitekit import COMMON_LABELS, DeclaredSite, place


class Paylocity(DeclaredSite):
    key = "paylocity"
    hosts = ("recruiting.paylocity.com", "recruiting2.paylocity.com")
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    apply_step = r"/Recruiting/Jobs/Apply/\d+"
    marker = ".job-preview-title, .job-preview-details"
    selectors = {"title": (".job-preview-title", ".job-preview-header h1", "h1"),
                 "locations": (".job-preview-location", ".job-listing-location"),
                 "description": (".job-preview-details", ".job-preview-description"),
                 "company_logo": (".header-logo img@src", ".job-preview-header img@src")}
    paths = {"title": "JobTitle", "description": "Description", "date_posted": ["PublishedDate", "PostedDate"],
             "employment_type": ["EmploymentType", "PositionType"], "company": ["CompanyName", "HiringCompanyName"]}

    def load_data(self):
        return find_dict(self.page.assigned_json("pageData"), lambda d: bool(d.get("JobTitle")))

    def company(self):
        return self.declared("company") or self.page.attr_of(".header-logo img", "alt")

    def locations(self):
        spot = self.data.get("JobLocation") or {}
        return place(spot.get("City"), spot.get("State"), spot.get("Country")) or self.data.get(
            "LocationName") or self.declared("locations")

    def remote(self):
        return "Remote" if self.data.get("IsRemote") else None

    def salary(self):
        pay = self.data.get("PayRange") or {}
        if isinstance(pay, dict) and pay.get("Minimum") is not None:
            return {"min": pay.get("Minimum"), "max": pay.get("Maximum"), "currency": pay.get("Currency") or "USD",
                    "unitText": pay.get("Frequency")}
        return self.fact("pay range", "salary", "compensation")

    def canonical(self):
        return self.page.url.replace("/Jobs/Apply/", "/Jobs/Details/", 1) if self.step else None

    def apply_url(self):
        m = re.search(r"/Recruiting/Jobs/Details/(\d+)", self.page.url or "")
        return f"/Recruiting/Jobs/Apply/{m.group(1)}" if m else self.page.attr_of('a[href*="/Jobs/Apply/"]', "href")
