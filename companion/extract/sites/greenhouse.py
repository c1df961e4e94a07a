"""Greenhouse: hosted boards (boards.greenhouse.io), the Remix job board (job-boards.greenhouse.io,
`window.__remixContext`) and company pages that embed a board (`#grnhse_app`, `?gh_jid=`)."""
import re

from ..base import JobSite, find_dict


_PAGE_TITLE = re.compile(r"^Job Application for .+ at (.+?)$")


def _is_job_post(value):
    return bool(value.get("title")) and ("job_post_location" in value or
                                         ("content" in value and "company_name" in value))


class Greenhouse(JobSite):
    key = "greenhouse"
    hosts = ("boards.greenhouse.io", "boards.eu.greenhouse.io", "job-boards.greenhouse.io", "job-boards.eu.greenhouse.io")
    marker = ".app-title, .job__title, .job__header h1"
    embeds = ("#grnhse_app", 'script[src*="greenhouse.io/embed"]', 'iframe[src*="greenhouse.io"]')

    def load_data(self):
        return find_dict(self.page.assigned_json("__remixContext"), _is_job_post)

    @property
    def hosted(self):
        """True on Greenhouse's own hosts; on a company page embedding the board, its markup is the company's."""
        from ...urls import host_of

        return self.matches_host(host_of(self.page.url or ""))

    def _text(self, selector):
        return self.page.text_of(selector) if self.hosted else None

    def is_posting(self):
        if self.data or (self.hosted and super().is_posting()):
            return True
        return None

    def title(self):
        return self.data.get("title") or next(  # in this order: `.job__title` also holds the location
            filter(None, map(self._text, (".app-title", ".job__title h1", ".job__header h1", ".job__title"))), None)

    def company(self):
        name = self.data.get("company_name") or self._text("#header .company-name, .company-name")
        if not name and self.hosted:  # the board's own page title: "Job Application for <title> at <company>"
            m = _PAGE_TITLE.match((self.page.title_tag or "")[:400])
            name = m.group(1) if m else None
        return name[3:] if name and name.lower().startswith("at ") else name

    def locations(self):
        located = self.data.get("job_post_location") or self._text("#header .location, .job__location, .location")
        return [p.strip() for p in located.split(";")] if located and ";" in located else located

    def salary(self):
        ranges = self.data.get("pay_ranges") or []
        for pay in ranges:
            if isinstance(pay, dict) and pay.get("min"):
                return f"{pay.get('min')} - {pay.get('max') or pay.get('min')} {pay.get('currency_type') or ''}"
        return self._text(".pay-range, .pay-input")

    def date_posted(self):
        return self.data.get("published_at") or self.data.get("first_published") or self.data.get("updated_at")

    def description(self):
        if self.data.get("content"):
            parts = [self.data.get("introduction"), self.data.get("content"), self.data.get("conclusion")]
            return "".join(p for p in parts if isinstance(p, str))
        node = self.page.first("#content, .job__description, .job-post-content") if self.hosted else None
        return node.inner_html if node is not None else None

    def apply_url(self):
        form = "#application, #application_form, #application-form, .application--container"
        if self.hosted and (self.data or self.page.first(form) is not None):
            from ...urls import canonical_url

            return canonical_url(self.page.url)  # the application form is on the posting's page
        return None

    def company_logo(self):
        logo = self.data.get("company_logo") or self.data.get("logo")
        if isinstance(logo, str):
            return logo
        return self.page.attr_of("#logo img, .logo img, .company-logo img, .job-board-header img.logo", "src")
