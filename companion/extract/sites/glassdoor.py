"""Glassdoor (job-listing pages, and a search page's open job): JSON-LD, the job's own header, and the pay
only when the employer gave it.

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
    # the open job's title (a search page lists others' titles under the same `data-test="job-title"`)
    marker = '[id^="jd-job-title"], [data-test="job-details"] [data-test="job-title"], [data-test="jobTitle"]'
    final = ("salary",)

    def canonical(self):
        listing = parse_qs(urlsplit(self.page.url or "").query).get("jl")
        if not listing:
            return None
        if "/job-listing/" not in urlsplit(self.page.url).path:  # a search page: the open job's own listing page
            for link in self.page.css(f'a[href*="/job-listing/"][href*="jl={listing[0]}"]')[:1]:
                return f"{urlsplit(link.attributes['href']).path}?jl={listing[0]}"
        return f"{urlsplit(self.page.url).path}?jl={listing[0]}"

    def title(self):
        return self.page.text_of('h1[id^="jd-job-title"]')

    def company(self):
        return self.page.text_of(_in_header('[class*="EmployerProfile_employerName"], [data-test="employer-name"]'))

    def description(self):
        node = self.page.first('[data-test="job-details"] [class*="JobDetails_jobDescription"]')
        return node.inner_html if node is not None else None

    def remote(self):
        """The open job's own words about where it is done (a search page's other cards say "Remote" too)."""
        from ..normalize import remote_from_text
        from ..page import node_text

        node = self.page.first('[data-test="job-details"] [class*="JobDetails_jobDescription"]')
        return remote_from_text(node_text(node)) if node is not None else None

    def locations(self):
        return self.page.text_of(_in_header('[data-test="location"]'))

    def salary(self):
        text = self.page.text_of(_in_header('[data-test="detailSalary"]'))
        if text and _EMPLOYER.search(text):
            return _EMPLOYER.sub(" ", text)
        return None  # "Glassdoor est." is Glassdoor's guess, not the employer's pay

    def apply_url(self):
        return self.page.attr_of(_in_header('a[data-test="applyButton"]'), "href")
