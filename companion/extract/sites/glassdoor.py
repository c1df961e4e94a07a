"""Glassdoor (job-listing pages): JSON-LD, and the pay only when the employer gave it.

Glassdoor shows either the employer's range ("$130K - $165K (Employer est.)", formerly
"Employer Provided Salary:") or its own guess ("(Glassdoor est.)", also in the JSON-LD's
estimatedSalary). Only the first is pay; the similar-jobs cards carry other jobs' pay,
so salary is final.
"""
import re
from urllib.parse import parse_qs, urlsplit

from ..base import JobSite

_EMPLOYER = re.compile(r"\(?\s*employer\s+(?:est\.?|provided(?:\s+salary)?)\s*\)?\s*:?", re.I)
_HEADERS = ('[data-test="job-details"] header', '[class*="JobDetails_jobDetailsHeader"]')


def _in_header(selector):
    """The job's own header only: the similar-jobs cards use the same `data-test` names."""
    return ", ".join(f"{header} {selector}" for header in _HEADERS)


class Glassdoor(JobSite):
    key = "glassdoor"
    hosts = tuple(f"*.glassdoor.{tld}" for tld in (
        "com", "ca", "co.uk", "co.in", "com.au", "ie", "de", "fr", "nl", "be", "at", "ch", "es", "it", "com.br", "com.mx",
        "sg", "com.hk", "co.nz", "com.ar"))
    marker = '[data-test="job-title"], [data-test="jobTitle"], [id^="jd-job-title"]'
    final = ("salary",)

    def canonical(self):
        listing = parse_qs(urlsplit(self.page.url or "").query).get("jl")
        return f"{urlsplit(self.page.url).path}?jl={listing[0]}" if listing else None

    def title(self):
        return self.page.text_of('h1[id^="jd-job-title"]')

    def locations(self):
        return self.page.text_of(_in_header('[data-test="location"]'))

    def salary(self):
        text = self.page.text_of(_in_header('[data-test="detailSalary"]'))
        if text and _EMPLOYER.search(text):
            return _EMPLOYER.sub(" ", text)
        return None  # "Glassdoor est." is Glassdoor's guess, not the employer's pay

    def apply_url(self):
        return self.page.attr_of(_in_header('a[data-test="applyButton"]'), "href")
