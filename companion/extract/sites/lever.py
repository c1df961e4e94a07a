"""Lever (jobs.lever.co): the posting page's headline, category chips and sections."""
from ..base import JobSite


class Lever(JobSite):
    key = "lever"
    hosts = (r"jobs(?:\.eu)?\.lever\.co",)

    def is_posting(self):
        return True if self.page.first(".posting-headline") is not None else None

    def title(self):
        return self.page.text_of(".posting-headline h2")

    def company(self):
        alt = self.page.attr_of(".main-header-logo img", "alt")
        return alt[:-5].strip() if alt and alt.lower().endswith(" logo") else alt

    def locations(self):
        return self.page.texts_of(".posting-categories .location, .posting-category.location") or None

    def remote(self):
        return self.page.text_of(".posting-categories .workplaceTypes, .posting-category.workplaceTypes")

    def employment_type(self):
        return self.page.text_of(".posting-categories .commitment, .posting-category.commitment")

    def salary(self):
        return self.page.text_of('[data-qa="salary-range"], .posting-salary')

    def description(self):
        parts, seen = [], set()
        for node in self.page.css('[data-qa="job-description"], .section-wrapper .section.page-centered, '
                                  '[data-qa="closing-description"]'):
            classes = node.attributes.get("class") or ""
            if node.mem_id in seen or "posting-header" in classes or "last-section-apply" in classes \
                    or "application-header" in classes:  # the /apply step's header: title and chips only
                continue
            seen.add(node.mem_id)
            if node.css_first(".postings-btn, form") is None:
                parts.append(node.html)
        return "".join(parts) or None

    def apply_url(self):
        return self.page.attr_of('a.postings-btn[href*="/apply"], a[data-qa="btn-apply-bottom"]', "href")

    def company_logo(self):
        return self.page.attr_of(".main-header-logo img", "src")
