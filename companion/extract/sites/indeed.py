"""Indeed (every country's indeed.com host): the viewjob page's `_initialData` model, JSON-LD for the rest."""
from ..base import JobSite, dig


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
        key = self.data.get("jobKey")
        return f"/viewjob?jk={key}" if key else None

    def title(self):
        return self.header.get("jobTitle") or self.page.text_of("h1")

    def company(self):
        return self.header.get("companyName")

    def locations(self):
        standalone, _ = self.page.jsonld.postings()
        if any(posting.get("jobLocation") for posting in standalone):
            return None  # the JSON-LD address ("Camberwell, VIC, AU") reads better than "Camberwell VIC 3124"
        return self.header.get("formattedLocation")

    def remote(self):
        model = self.header.get("remoteWorkModel") or {}
        return model.get("type") or model.get("text")

    def employment_type(self):
        kind = dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "jobMetadataHeaderModel", "jobType")
        types = dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "jobDescriptionSectionModel", "jobDetailsSection",
                    "jobTypes") or []
        return kind or [t.get("label") for t in types if isinstance(t, dict)]

    def salary(self):
        model = self.data.get("salaryInfoModel") or {}
        if model.get("salaryMin") is None or "ESTIMAT" in str(model.get("salarySource", "")).upper():
            return None  # Indeed's own estimates are not the employer's figures: JSON-LD may still say
        return {"min": model.get("salaryMin"), "max": model.get("salaryMax"),
                "currency": model.get("salaryCurrency"), "unitText": model.get("salaryType") or model.get("salaryText")}

    def date_posted(self):
        return dig(self.data, "hiringInsightsModel", "age")

    def description(self):
        return dig(self.data, "jobInfoWrapperModel", "jobInfoModel", "sanitizedJobDescription") or (
            self.page.first("#jobDescriptionText").inner_html if self.page.first("#jobDescriptionText") else None)

    def apply_url(self):
        href = self.page.attr_of("#applyButtonLinkContainer a[href], a[data-testid*=apply i][href]", "href")
        return href or dig(self.data, "applyButtonLinkContainer", "href")
