"""Monster (monster.com/job-openings/...): the Next.js job view, whose `jobPosting` is a schema.org JobPosting.

A job reached inside the app has no JSON-LD, so the embedded posting is read here.
Its `enrichments.salaryEstimate` is Monster's guess and is never read.
"""
from urllib.parse import urlsplit

from ..base import JobSite, dig, find_dict


class Monster(JobSite):
    key = "monster"
    hosts = tuple(f"*.monster.{tld}" for tld in (
        "com", "ca", "co.uk", "ie", "de", "fr", "nl", "be", "at", "ch", "es", "it", "se", "fi", "lu", "com.au"))

    def load_data(self):
        return find_dict(self.page.script_json("__NEXT_DATA__"),
                         lambda d: isinstance(d.get("jobPosting"), dict) and "jobId" in d)

    @property
    def posting(self):
        return self.data.get("jobPosting") or {}

    def is_posting(self):
        return True if self.posting.get("title") else None

    def canonical(self):
        path = urlsplit(self.page.url or "").path
        return path if path.startswith("/job-openings/") else None  # without ?mstr_dist=&sid=

    def title(self):
        return self.posting.get("title")

    def company(self):
        return dig(self.posting, "hiringOrganization", "name")

    def locations(self):
        places = self.posting.get("jobLocation") or []
        found = []
        for place in places if isinstance(places, list) else [places]:
            address = dig(place, "address", default={})
            parts = [address.get("addressLocality"), address.get("addressRegion"), address.get("addressCountry")]
            found.append(", ".join(p for p in parts if isinstance(p, str) and p))
        return [f for f in found if f] or None

    def remote(self):
        return self.posting.get("jobLocationType")

    def employment_type(self):
        return self.posting.get("employmentType")

    def salary(self):
        return self.posting.get("baseSalary")

    def date_posted(self):
        return self.posting.get("datePosted") or self.data.get("formattedDate")

    def valid_through(self):
        return self.posting.get("validThrough")

    def description(self):
        return self.posting.get("description")

    def apply_url(self):
        return dig(self.data, "apply", "applyUrl")

    def company_logo(self):
        return dig(self.posting, "hiringOrganization", "logo")
