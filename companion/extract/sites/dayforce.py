"""Dayforce (jobs.dayforcehcm.com/<lang>/<company>/<portal>/jobs/<id>): the candidate portal's job posting data.

The Next.js page holds the posting with its locations (`postingLocations`, a flag for
a virtual one), posting window timestamps and the description HTML.
"""
from ..base import dig, find_dict
from ..sitekit import COMMON_LABELS, DeclaredSite, place


def _holds_posting(value):
    return bool(value.get("jobTitle")) and ("jobPostingId" in value or "jobReqId" in value)


class Dayforce(DeclaredSite):
    key = "dayforce"
    hosts = ("*.dayforcehcm.com",)
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    apply_step = r"^(.*/jobs/\d+)/apply"
    selectors = {"title": ("main h1", "h1"), "apply_url": 'a[href*="/apply"]@href',
                 "company_logo": "header img@src"}
    paths = {"title": "jobTitle",
             "date_posted": ["postingStartTimestampUTC", "datePosted"],
             "valid_through": ["postingExpiryTimestampUTC", "expiryDate"],
             "description": ["jobDescription", "description"],
             "employment_type": ["employmentType", "positionType"]}

    def load_data(self):
        props = dig(self.page.script_json("__NEXT_DATA__"), "props", "pageProps")
        return find_dict(props, _holds_posting)

    def company(self):
        props = dig(self.page.script_json("__NEXT_DATA__"), "props", "pageProps")
        return (find_dict(props, lambda d: bool(d.get("clientName"))) or {}).get("clientName")

    def locations(self):
        found = []
        for spot in self.data.get("postingLocations") or []:
            if isinstance(spot, dict):
                found.append(place(spot.get("cityName"), spot.get("stateCode"), spot.get("isoCountryCode"))
                             or spot.get("formattedAddress"))
        return [f for f in found if f] or None

    def remote(self):
        if self.data.get("hasVirtualLocation") or self.data.get("isVirtual"):
            return "Remote"
        return self.data.get("workplaceType")

    def salary(self):
        low, high = self.data.get("payRangeMinimum"), self.data.get("payRangeMaximum")
        if low is None:
            return None
        return {"min": low, "max": high, "currency": self.data.get("payRangeCurrency"),
                "unitText": self.data.get("payRangeFrequency")}
