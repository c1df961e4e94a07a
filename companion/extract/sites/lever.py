"""Lever (jobs.lever.co): the posting page's headline, category chips and sections.

The application step (`/<company>/<id>/apply`) keeps the posting header (title and category
chips) above the form, and no description; its page title reads "<company> - <title>".
"""
import re

from ..base import JobSite

_HEADLINE = ".posting-headline h2, .posting-header h2"


class Lever(JobSite):
    key = "lever"
    hosts = ("jobs.lever.co", "jobs.eu.lever.co")
    marker = f".posting-headline, {_HEADLINE}"

    @property
    def apply_step(self):
        return re.search(r"(/[^/]+/[0-9a-f-]{36})/apply/?$", (self.page.url or "").split("?")[0])

    @property
    def final(self):
        return ("description",) if self.apply_step else ()  # the form replaced it: the meta teaser is no description

    def canonical(self):
        return self.apply_step.group(1) if self.apply_step else None

    def title(self):
        return self.page.text_of(_HEADLINE)

    def company(self):
        alt = self.page.attr_of(".main-header-logo img", "alt")
        if alt:
            return alt[:-5].strip() if alt.lower().endswith(" logo") else alt
        title, page_title = self.title(), (self.page.title_tag or "")[:400]
        if title and page_title.endswith(f" - {title}"):
            return page_title[: -len(title) - 3].strip() or None  # "Highspot - Principal Engineer"
        return None

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
            if node.mem_id in seen or any(part in classes for part in (
                    "posting-header", "last-section-apply", "application-form",
                    "application-header")):  # the /apply step's header: title and chips only
                continue
            seen.add(node.mem_id)
            if node.css_first(".postings-btn, form") is None:
                parts.append(node.html)
        return "".join(parts) or None

    def apply_url(self):
        if self.apply_step:
            return None  # this is the application itself
        return self.page.attr_of('a.postings-btn[href*="/apply"], a[data-qa="btn-apply-bottom"]', "href")

    def company_logo(self):
        return self.page.attr_of(".main-header-logo img", "src")
