"""SEEK (seek.com.au, seek.co.nz): the job in `window.SEEK_REDUX_DATA`, the data-automation hooks otherwise."""
from ..base import JobSite, dig


class Seek(JobSite):
    key = "seek"
    hosts = ("*.seek.com", "*.seek.com.au", "*.seek.co.nz")
    final = ("salary",)

    def load_data(self):
        return dig(self.page.assigned_json("SEEK_REDUX_DATA"), "jobdetails", "result")

    @property
    def job(self):
        return self.data.get("job") or {}

    def is_posting(self):
        return True if self.job or self.page.first("[data-automation=jobAdDetails]") is not None else None

    def canonical(self):
        return f"/job/{self.job['id']}" if self.job.get("id") else None

    def title(self):
        return self.job.get("title") or self.page.text_of("[data-automation=job-detail-title]")

    def company(self):
        return dig(self.job, "advertiser", "name") or self.page.text_of("[data-automation=advertiser-name]")

    def locations(self):
        place = dig(self.data, "gfjInfo", "location") or {}
        parts = [place.get("suburb"), place.get("state") or place.get("region"), place.get("country")]
        if place.get("suburb"):
            return ", ".join(p for p in parts if p)
        return dig(self.job, "location", "label") or self.page.text_of("[data-automation=job-detail-location]")

    def remote(self):
        arrangements = dig(self.data, "workArrangements", "arrangements") or []
        return [a.get("type") or a.get("label") for a in arrangements if isinstance(a, dict)] or None

    def employment_type(self):
        return (dig(self.data, "gfjInfo", "workTypes", "label") or dig(self.job, "workTypes", "label")
                or self.page.text_of("[data-automation=job-detail-work-type]"))

    def salary(self):
        if self.job:
            return dig(self.job, "salary", "label")
        return self.page.text_of("[data-automation=job-detail-salary]")

    def date_posted(self):
        return dig(self.job, "listedAt", "dateTimeUtc") or dig(self.job, "listedAt", "label")

    def valid_through(self):
        return dig(self.job, "expiresAt", "dateTimeUtc")

    def description(self):
        node = self.page.first("[data-automation=jobAdDetails]")
        return self.job.get("content") or (node.inner_html if node is not None else None)

    def apply_url(self):
        href = self.page.attr_of("a[data-automation=job-detail-apply]", "href")
        if href:
            return href
        if self.job.get("id") and not self.job.get("isLinkOut"):
            return f"/job/{self.job['id']}/apply"
        return None

    def company_logo(self):
        return dig(self.job, "products", "branding", "logo", "url")
