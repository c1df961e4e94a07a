"""BambooHR (<company>.bamboohr.com/careers/<id>): the job opening JSON the careers app embeds, else the
rendered page, whose generated class names ("jss-e73") change: its heading, its labelled facts
("Location", "Location Type", "Employment Type", "Compensation") and its description."""
import re

from .. import jsonld
from ..base import find_dict
from ..sitekit import DeclaredSite, arrangement

_LOCATION_TYPES = {"0": "On-site", "1": "Remote", "2": "Hybrid"}


class BambooHR(DeclaredSite):
    key = "bamboohr"
    hosts = ("*.bamboohr.com",)
    marker_script = ("jobOpeningName",)  # the posting's data, which its page renders late
    logos = ('header img[src*="/logos/"]', 'header img')
    selectors = {"title": ("main h2", "main h1", "h2", "h1"),
                 "description": (".CareersJobDetail__description", '[class*="JobDescription"]',
                                 '[class*="description" i]', '[class*="RichText"]')}
    labels = {"locations": ("location",), "employment_type": ("employment type",),
              "salary": ("compensation", "salary", "pay rate"), "remote": ("location type", "workplace type")}
    paths = {"title": "jobOpeningName", "employment_type": "employmentStatusLabel", "salary": "compensation",
             "date_posted": "datePosted", "description": "description"}

    def load_data(self):
        for kind, _, text in self.page.scripts:
            if "jobOpeningName" in text and kind.startswith("application/json"):
                found = find_dict(jsonld.load_block(text), lambda d: "jobOpeningName" in d)
                if found:
                    return found
        return None

    def is_posting(self):
        if self.data.get("jobOpeningName"):
            return True
        return True if re.search(r"/careers/\d+", self.page.url or "") and self.fact("location") else None

    def locations(self):
        place = self.data.get("location") or self.data.get("atsLocation") or {}
        parts = [place.get("city"), place.get("state") or place.get("province"),
                 place.get("addressCountry") or place.get("country")]
        return ", ".join(p for p in parts if p) or self.declared("locations")

    def remote(self):
        listed = _LOCATION_TYPES.get(str(self.data.get("locationType"))) or (
            "Remote" if str(self.data.get("isRemote")).lower() in ("yes", "true", "1") else None)
        shown = self.declared("remote")
        return listed or arrangement(shown) or shown

    def apply_url(self):
        from ...urls import canonical_url

        shared = self.data.get("jobOpeningShareUrl")
        if shared or not re.search(r"/careers/\d+", self.page.url or ""):
            return shared
        return canonical_url(self.page.url)  # the application form opens on the posting itself
