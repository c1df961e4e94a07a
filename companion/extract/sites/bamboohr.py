"""BambooHR (<company>.bamboohr.com/careers/<id>): the job opening JSON the careers app embeds."""
from .. import jsonld
from ..base import JobSite, find_dict

_LOCATION_TYPES = {"0": "On-site", "1": "Remote", "2": "Hybrid"}


class BambooHR(JobSite):
    key = "bamboohr"
    hosts = (r"[\w-]+\.bamboohr\.com",)

    def load_data(self):
        for kind, _, text in self.page.scripts:
            if "jobOpeningName" in text and kind.startswith("application/json"):
                found = find_dict(jsonld.load_block(text), lambda d: "jobOpeningName" in d)
                if found:
                    return found
        return None

    def is_posting(self):
        return True if self.data.get("jobOpeningName") else None

    def title(self):
        return self.data.get("jobOpeningName")

    def company(self):
        return self.page.attr_of('header img[src*="/logos/"]', "alt")

    def locations(self):
        place = self.data.get("location") or self.data.get("atsLocation") or {}
        parts = [place.get("city"), place.get("state") or place.get("province"),
                 place.get("addressCountry") or place.get("country")]
        return ", ".join(p for p in parts if p) or None

    def remote(self):
        return _LOCATION_TYPES.get(str(self.data.get("locationType"))) or (
            "Remote" if str(self.data.get("isRemote")).lower() in ("yes", "true", "1") else None)

    def employment_type(self):
        return self.data.get("employmentStatusLabel")

    def salary(self):
        return self.data.get("compensation")

    def date_posted(self):
        return self.data.get("datePosted")

    def description(self):
        return self.data.get("description")

    def apply_url(self):
        return self.data.get("jobOpeningShareUrl")  # the application form opens on the posting itself

    def company_logo(self):
        return self.page.attr_of('header img[src*="/logos/"]', "src")
