"""Ashby (jobs.ashbyhq.com): the single-page app's `window.__appData` posting and organization."""
from ..base import JobSite, dig


class Ashby(JobSite):
    key = "ashby"
    hosts = (r"jobs\.ashbyhq\.com",)

    def load_data(self):
        return self.page.assigned_json("__appData")

    @property
    def posting(self):
        return self.data.get("posting") or {}

    def is_posting(self):
        return True if self.posting.get("title") else None

    def title(self):
        return self.posting.get("title")

    def company(self):
        return dig(self.data, "organization", "name")

    def locations(self):
        names = [self.posting.get("locationName")]
        names += [loc.get("locationName") for loc in self.posting.get("secondaryLocations") or [] if isinstance(loc, dict)]
        return [n for n in names if n] or None

    def remote(self):
        return self.posting.get("workplaceType") or ("Remote" if self.posting.get("isRemote") else None)

    def employment_type(self):
        kind = self.posting.get("employmentType") or ""
        return {"FullTime": "full_time", "PartTime": "part_time", "Intern": "internship",
                "Contract": "contract", "Temporary": "temporary"}.get(kind, kind)

    def salary(self):
        return (self.posting.get("scrapeableCompensationSalarySummary")
                or self.posting.get("compensationTierSummary"))

    def date_posted(self):
        return self.posting.get("publishedDate")

    def valid_through(self):
        return self.posting.get("applicationDeadline")

    def description(self):
        return self.posting.get("descriptionHtml")

    def apply_url(self):
        url = (self.page.url or "").split("?")[0].rstrip("/")
        return url + "/application" if url and self.posting else None

    def company_logo(self):
        return dig(self.data, "organization", "theme", "logoImageUrl") or dig(
            self.data, "organization", "theme", "logoWordmarkImageUrl")
