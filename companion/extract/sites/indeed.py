"""Indeed (every country's indeed.com host): the viewjob page's `_initialData` model, JSON-LD for the rest.

Signed in or not, a search page (`/jobs?q=...&vjk=<key>`) shows the job a person opened in a pane
beside the results, rendered from data fetched later: there the pane's own header, pay and type line
and description are read, and the posting's address is its `/viewjob?jk=<key>`.
"""
import re
from urllib.parse import parse_qs, urlsplit

from ..base import JobSite, dig
from ..normalize import clean_text

_PANE = "#jobsearch-ViewjobPaneWrapper, .jobsearch-JobComponent"
# The header's words for screen readers after the title: " - job post", " - offre d'emploi"...
_TITLE_SUFFIX = re.compile(r"\s+-\s+(?:job post|offre d[’']emploi|Stellenanzeige|oferta de (?:trabajo|emprego)|vacature|"
                           r"vaga de emprego)\s*$", re.I)


class Indeed(JobSite):
    key = "indeed"
    hosts = tuple(f"*.indeed.{tld}" for tld in (
        "com", "co.uk", "co.in", "com.au", "com.br", "com.mx", "de", "fr", "nl", "es"))  # ca.indeed.com, uk.indeed.com...
    marker = '[data-testid="jobsearch-JobInfoHeader-title"], .jobsearch-JobInfoHeader-title, #jobDescriptionText'

    def load_data(self):
        data = self.page.assigned_json("_initialData")
        return dig(data, "jobInfoWrapperModel", "jobInfoModel") and data

    @property
    def header(self):
        return dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "jobInfoHeaderModel", default={})

    def is_posting(self):
        return True if self.data else super().is_posting()

    def canonical(self):
        query = parse_qs(urlsplit(self.page.url or "").query)
        key = self.data.get("jobKey") or next(iter(query.get("vjk") or query.get("jk") or ()), None)
        return f"/viewjob?jk={key}" if key and re.fullmatch(r"[0-9a-f]{8,20}", key) else None

    def _header_text(self, test_id):
        node = self.page.first(f'[data-testid="{test_id}"]')
        return clean_text(node.text(deep=True, separator=" ")) if node is not None else None

    def title(self):
        shown = self._header_text("jobsearch-JobInfoHeader-title")
        return self.header.get("jobTitle") or (_TITLE_SUFFIX.sub("", shown) if shown else None) or self.page.text_of("h1")

    def company(self):
        return self.header.get("companyName") or self._header_text("inlineHeader-companyName")

    def _pay_and_type(self):
        """The pane's "$58,000–$66,000 a year - Full-time" line, as its parts."""
        return [part for part in (clean_text(node.text(deep=True)).strip(" -") for node in
                                  self.page.css("#salaryInfoAndJobType span")) if part]

    def locations(self):
        standalone, _ = self.page.jsonld.postings()
        if any(posting.get("jobLocation") for posting in standalone):
            return None  # the JSON-LD address ("Camberwell, VIC, AU") reads better than "Camberwell VIC 3124"
        return self.header.get("formattedLocation") or self._header_text("inlineHeader-companyLocation") \
            or self._header_text("job-location")

    def remote(self):
        model = self.header.get("remoteWorkModel") or {}
        return model.get("type") or model.get("text")

    def employment_type(self):
        kind = dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "jobMetadataHeaderModel", "jobType")
        types = dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "jobDescriptionSectionModel", "jobDetailsSection",
                    "jobTypes") or []
        from ..normalize import employment_type

        return kind or [t.get("label") for t in types if isinstance(t, dict)] or next(
            (part for part in self._pay_and_type() if employment_type(part)), None)

    def salary(self):
        model = self.data.get("salaryInfoModel") or {}
        if not self.data and self.page.first(_PANE) is not None:  # the pane's pay line: the employer's own figures
            return next((part for part in self._pay_and_type() if re.search(r"\d", part)), None)
        if model.get("salaryMin") is None or "ESTIMAT" in str(model.get("salarySource", "")).upper():
            return None  # Indeed's own estimates are not the employer's figures: JSON-LD may still say
        return {"min": model.get("salaryMin"), "max": model.get("salaryMax"),
                "currency": model.get("salaryCurrency"), "unitText": model.get("salaryType") or model.get("salaryText")}

    def date_posted(self):
        return dig(self.data, "hiringInsightsModel", "age") or self.page.text_of(
            ".jobsearch-HiringInsights-entry--text, [data-testid='myJobsStateDate']")

    def description(self):
        return dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "sanitizedJobDescription") or (
            self.page.first("#jobDescriptionText").inner_html if self.page.first("#jobDescriptionText") else None)

    def apply_url(self):
        href = self.page.attr_of("#applyButtonLinkContainer a[href], a[data-testid*=apply i][href]", "href")
        return href or dig(self.data, "applyButtonLinkContainer", "href")
