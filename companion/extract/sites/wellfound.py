"""Wellfound, formerly AngelList Talent (wellfound.com/jobs/<id>-<slug>, /company/<co>/jobs/<id>-<slug>).

The Next.js page's Apollo cache holds the job listing, its startup, and the similar
jobs as listings of their own: the posting is the listing whose id is in the URL.
"""
import re

from ..base import JobSite, dig


def _json(value):
    """Apollo's `{"type": "json", "json": [...]}` wrapper, unwrapped."""
    return value.get("json") if isinstance(value, dict) and "json" in value else value


class Wellfound(JobSite):
    key = "wellfound"
    hosts = ("wellfound.com", "www.wellfound.com", "angel.co")

    def load_data(self):
        cache = dig(self.page.script_json("__NEXT_DATA__"), "props", "pageProps", "apolloState", "data") or {}
        m = re.search(r"/jobs/(\d+)", self.page.url or "")
        listings = [v for k, v in cache.items() if k.startswith("JobListing") and isinstance(v, dict)]
        job = next((v for v in listings if m and str(v.get("id")) == m.group(1)), None)
        if job is None and len(listings) == 1:
            job = listings[0]
        if job is None:
            return None
        startup = job.get("startup") or {}
        startup = cache.get(startup.get("__ref") or startup.get("id"), startup) if isinstance(startup, dict) else {}
        return {"job": job, "startup": startup}

    @property
    def job(self):
        return self.data.get("job") or {}

    def is_posting(self):
        return True if self.job.get("title") else None

    def title(self):
        return self.job.get("title")

    def company(self):
        return dig(self.data, "startup", "name")

    def locations(self):
        return _json(self.job.get("locationNames")) or _json(self.job.get("acceptedRemoteLocationNames")) or None

    def remote(self):
        return "Remote" if self.job.get("remote") else None

    def employment_type(self):
        return self.job.get("jobType")

    def salary(self):
        return self.job.get("compensation")  # "$160k – $200k • 0.1% – 0.4%": the equity is not pay

    def date_posted(self):
        return self.job.get("liveStartAt")

    def description(self):
        return self.job.get("description")

    def company_logo(self):
        return dig(self.data, "startup", "logoUrl")
