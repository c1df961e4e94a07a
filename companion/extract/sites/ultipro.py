"""UKG Pro Recruiting, formerly UltiPro
(recruiting.ultipro.com/<tenant>/JobBoard/<board>/OpportunityDetail?opportunityId=<id>).

The served page hands the opportunity to its script as
`new US.Opportunity.CandidateOpportunityDetail({...})`; the rendered page marks its
fields with `data-automation` attributes.
"""
from ..sitekit import DeclaredSite, argument_json, place


class UltiPro(DeclaredSite):
    key = "ultipro"
    hosts = ("recruiting.ultipro.com", "recruiting2.ultipro.com", "recruiting.ultipro.ca", "*.ukg.net")
    logos = ('img[data-automation="company-logo"]',)
    apply_step = r"/OpportunityApply$"
    marker = '[data-automation="opportunity-title"], [data-automation="job-description"]'
    selectors = {"title": '[data-automation="opportunity-title"]',
                 "locations": ('[data-automation="physical-location"]', '[data-automation="job-location"]'),
                 "date_posted": '[data-automation="opportunity-posted-date"]',
                 "description": '[data-automation="job-description"]',
                 "apply_url": 'a[data-automation="apply-now-button"]@href'}
    paths = {"title": "Title", "description": "Description", "date_posted": "PostedDate"}

    def load_data(self):
        return argument_json(self.page, "CandidateOpportunityDetail")

    def company(self):
        return self.employer()

    def locations(self):
        found = []
        for spot in self.data.get("Locations") or []:
            address = (spot or {}).get("Address") or {}
            found.append(place(address.get("City"), address.get("State"), address.get("Country"))
                         or spot.get("LocalizedName"))
        return [f for f in found if f] or self.declared("locations")

    def employment_type(self):
        full = self.data.get("FullTime")
        return {True: "Full-time", False: "Part-time"}.get(full) or self.fact("full/part time", "job type")

    def remote(self):
        return {0: None, 1: "Remote", 2: "Hybrid"}.get(self.data.get("JobLocationType")) or self.fact("remote")

    def salary(self):
        pay = self.data.get("Compensation") or {}
        if isinstance(pay, dict) and pay.get("MinimumPay") is not None:
            return {"min": pay.get("MinimumPay"), "max": pay.get("MaximumPay"), "currency": pay.get("CurrencyCode"),
                    "unitText": pay.get("PayPeriod")}
        return self.fact("pay range", "compensation", "salary")

    def canonical(self):
        return self.page.url.replace("/OpportunityApply", "/OpportunityDetail", 1) if self.step else None

    def apply_url(self):
        if self.data.get("Id") and "OpportunityDetail" in (self.page.url or ""):
            return self.page.url.replace("OpportunityDetail", "OpportunityApply", 1)
        return self.declared("apply_url")
