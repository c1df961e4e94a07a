"""Phenom (careers.<company>.com/<country>/<lang>/job/<id>/<slug>, on companies' own domains): the job
in `phApp.ddo.jobDetail.data.job`, and the `data-ph-at-id` hooks of the rendered page."""
from ..base import dig
from ..sitekit import COMMON_LABELS, DeclaredSite


class Phenom(DeclaredSite):
    key = "phenom"
    hosts = ("*.phenompeople.com",)
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    embeds = ("[data-ph-at-id]", "[data-ph-id]")
    marker = '[data-ph-at-id="job-title-text"], [data-ph-at-id="job-description"]'
    logos = ("header img",)
    selectors = {"title": '[data-ph-at-id="job-title-text"], h1.job-title',
                 "locations": '[data-ph-at-id="job-location-text"], .job-location',
                 "description": '[data-ph-at-id="job-description"], .jd-info',
                 "apply_url": 'a[data-ph-at-id="apply-link"]@href'}
    paths = {"title": "title", "description": "description", "date_posted": ["postedDate", "dateCreated"],
             "employment_type": "type", "apply_url": "applyUrl", "company": "companyName",
             "valid_through": "expiryDate"}

    def load_data(self):
        return dig(self.page.assigned_json("ddo"), "jobDetail", "data", "job")

    def locations(self):
        many = self.data.get("multi_location") or []
        return many or self.data.get("cityStateCountry") or self.data.get("location") or self.declared("locations")

    def remote(self):
        return self.data.get("locationType") or ("Remote" if str(self.data.get("isRemote")).lower() == "true" else None)
