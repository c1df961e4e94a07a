"""ZipRecruiter (ziprecruiter.com /c/<Company>/Job/... and /jobs/...): the `js_variables` job model.

The model holds the posting's own pay with an `isEstimated` flag: ZipRecruiter's
estimates are not the employer's figures, and the similar jobs beside it carry other pay.
"""
from urllib.parse import parse_qs, urlsplit

from ..base import JobSite, dig


class ZipRecruiter(JobSite):
    key = "ziprecruiter"
    hosts = tuple(f"www.ziprecruiter.{tld}" for tld in ("com", "co.uk", "ca", "ie", "de", "fr", "es", "it", "nl", "com.au", "in"))
    marker = '[data-testid="job-title"]'

    def load_data(self):
        return dig(self.page.script_json("js_variables"), "job")

    @property
    def final(self):
        return ("salary",) if self.data else ()  # without the model, JSON-LD's baseSalary may still say

    def is_posting(self):
        return True if self.data.get("jobTitle") else super().is_posting()

    def canonical(self):
        """The posting without lvk, tsid, zrclid...: /c/ pages are keyed by ?jid=, /jobs/ pages by their path."""
        parts = urlsplit(self.page.url or "")
        jid = parse_qs(parts.query).get("jid")
        if jid:
            return f"{parts.path}?jid={jid[0]}"
        return parts.path if parts.path.startswith("/jobs/") else None

    def title(self):
        return self.data.get("jobTitle")

    def company(self):
        return dig(self.data, "hiringCompany", "name")

    def locations(self):
        return dig(self.data, "location", "displayName")

    def remote(self):
        return "Remote" if self.data.get("isRemote") else None

    def employment_type(self):
        return self.data.get("employmentTypes")

    def salary(self):
        pay = self.data.get("pay") or {}
        if pay.get("isEstimated") or pay.get("min") is None:
            return None
        return {"min": pay.get("min"), "max": pay.get("max"), "currency": pay.get("currency"),
                "unitText": pay.get("interval")}

    def date_posted(self):
        return self.data.get("postedTime")

    def description(self):
        return self.data.get("jobDescriptionHtml")

    def apply_url(self):
        return self.data.get("applyUrl")

    def company_logo(self):
        return dig(self.data, "hiringCompany", "logoUrl")
