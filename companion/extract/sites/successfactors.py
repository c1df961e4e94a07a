"""SAP SuccessFactors Recruiting Marketing (jobs.<company>.com/job/<City>-<Title>/<id>/, *.successfactors.com):
the `data-careersite-propertyid` fields of the job display, on SAP's hosts or a company's own domain."""
import re

from ..sitekit import DeclaredSite, with_foreign

_PROP = '[data-careersite-propertyid="%s"]'


class SuccessFactors(DeclaredSite):
    key = "successfactors"
    hosts = ("*.successfactors.com", "*.successfactors.eu", "*.jobs.sap.com", "*.sapsf.com", "*.sapsf.eu", "*.sapsf.cn")
    embeds = (_PROP % "title", ".jobDisplayShell")
    marker = f".jobDisplayShell, {_PROP % 'title'}"
    selectors = {"title": (_PROP % "title", ".jobTitle h1"),
                 "date_posted": _PROP % "date",
                 "description": (".jobDisplay .jobdescription", "span.jobdescription"),
                 "apply_url": ("a.dialogApplyBtn@href", "a.apply[href*='/apply/']@href"),
                 "company_logo": (".logo img@src", "img.logo@src")}
    labels = with_foreign({
        "employment_type": ("employment type", "job type", "arbeitszeit"),
        "remote": ("remote", "remote work", "work arrangement")})

    def locations(self):
        places = self.select((".jobGeoLocation", _PROP % "city", _PROP % "location"), "locations") or []
        return [re.sub(r"(?:,\s*[\w-]*\d[\w-]*)+$", "", p) for p in places] or None  # "Nürnberg, BY, DE, 90402"
