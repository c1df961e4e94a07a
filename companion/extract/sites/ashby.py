"""Ashby (jobs.ashbyhq.com): the single-page app's `window.__appData` posting and organization.

A rendered capture (scripts gone), such as the Application tab a person applies on, keeps
the `ashby-job-posting-heading` and the left pane's labelled sections ("Location",
"Employment Type", "Location Type", "Compensation"); the page title reads "<title> @ <company>".
"""
import re

from ..base import dig
from ..sitekit import DeclaredSite

_PAGE_TITLE = re.compile(r"^.+ @ (.+?)$")


class Ashby(DeclaredSite):
    key = "ashby"
    hosts = ("jobs.ashbyhq.com",)
    marker = ".ashby-job-posting-heading"
    marker_script = ("__appData", '"posting"')  # the posting's data, which its page renders late
    selectors = {"title": (".ashby-job-posting-heading", "h1"),
                 "description": ('.ashby-job-posting-right-pane [class*="descriptionText"]',)}
    labels = {"locations": ("location",), "employment_type": ("employment type",),
              "remote": ("location type", "workplace type"), "salary": ("compensation",)}

    def load_data(self):
        return self.page.assigned_json("__appData")

    @property
    def final(self):
        # the Application tab shows the form where the overview was: no description there, not the pane's pay list
        return ("description",) if self.page.first(".ashby-application-form-container") is not None else ()

    def canonical(self):
        url = (self.page.url or "").split("?")[0]
        return re.sub(r"/application/?$", "", url) if url.rstrip("/").endswith("/application") else None

    @property
    def posting(self):
        return self.data.get("posting") or {}

    def is_posting(self):
        if self.posting.get("title") or self.page.first(self.marker) is not None:
            return True
        return None  # the board's own data without a posting: a list of jobs

    def title(self):
        return self.posting.get("title") or self.declared("title")

    def company(self):
        named = dig(self.data, "organization", "name")
        m = _PAGE_TITLE.match((self.page.title_tag or "")[:400])
        return named or (m.group(1) if m else None)

    def locations(self):
        names = [self.posting.get("locationName")]
        names += [loc.get("locationName") for loc in self.posting.get("secondaryLocations") or [] if isinstance(loc, dict)]
        return [n for n in names if n] or self.declared("locations")

    def remote(self):
        return (self.posting.get("workplaceType") or ("Remote" if self.posting.get("isRemote") else None)
                or self.declared("remote"))

    def employment_type(self):
        kind = self.posting.get("employmentType") or ""
        return {"FullTime": "full_time", "PartTime": "part_time", "Intern": "internship",
                "Contract": "contract", "Temporary": "temporary"}.get(kind, kind) or self.declared("employment_type")

    def salary(self):
        return (self.posting.get("scrapeableCompensationSalarySummary")
                or self.posting.get("compensationTierSummary") or self.declared("salary"))

    def date_posted(self):
        return self.posting.get("publishedDate")

    def valid_through(self):
        return self.posting.get("applicationDeadline")

    def description(self):
        return self.posting.get("descriptionHtml") or self.declared("description")

    def apply_url(self):
        url = (self.page.url or "").split("?")[0].rstrip("/")
        return url + "/application" if url and self.posting else None

    def company_logo(self):
        return dig(self.data, "organization", "theme", "logoImageUrl") or dig(
            self.data, "organization", "theme", "logoWordmarkImageUrl")
