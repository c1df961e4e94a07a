"""CareerBeacon (careerbeacon.com): a Canadian board, in English and French; a bare "$" is CAD.

JSON-LD names the job; the pay and the full text are only in the page's `dl.job-info`
("Salary"/"Salaire") and `.job-description`.
"""
from ..base import JobSite
from ..normalize import clean_text


class CareerBeacon(JobSite):
    key = "careerbeacon"
    hosts = ("www.careerbeacon.com",)
    marker = "main h1.job-title"

    def country(self):
        return "CA"

    def _info(self, *labels):
        """The <dd> after the first <dt> named one of ``labels`` (either language)."""
        for term in self.page.css("dl.job-info dt"):
            if (clean_text(term.text()) or "").casefold().rstrip(" :") in labels:
                value = term.next
                while value is not None and value.tag != "dd":
                    value = value.next
                return clean_text(value.text(deep=True, separator=" ")) if value is not None else None
        return None

    def title(self):
        return self.page.text_of("main h1.job-title")

    def company(self):
        return self.page.text_of(".job-header .company-name")

    def locations(self):
        return self._info("location", "lieu")

    def employment_type(self):
        return self._info("job type", "type d'emploi", "type d’emploi")

    def salary(self):
        return self._info("salary", "salaire")

    def date_posted(self):
        return self._info("posted", "date posted", "publié", "publiée", "date de publication")

    def valid_through(self):
        return self._info("closing date", "date de clôture")

    def description(self):
        node = self.page.first("main .job-description")
        return node.inner_html if node is not None else None
