"""JazzHR (<company>.applytojob.com/apply/<id>/<slug>): the job header's titled attribute items.

Each fact is an `<li title="Location">` (or "Type", "Salary", "Remote"...) under the
title; the application form (`#resumator-job-form`) shares the posting's page.
"""
from ..sitekit import DeclaredSite


def _item(name):
    return f'.job-attributes-list li[title="{name}"], li[title="{name}"]'


class JazzHR(DeclaredSite):
    key = "jazzhr"
    hosts = ("*.applytojob.com",)
    logos = ('#resumator-logo img', '.navbar-brand img', 'header img')
    marker = "#resumator-job-form, .job-attributes-list, #job-description"
    selectors = {"title": (".job-header h1", "h1"),
                 "locations": _item("Location"),
                 "employment_type": _item("Type"),
                 "remote": (_item("Remote"), _item("Workplace")),
                 "salary": (_item("Salary"), _item("Pay"), _item("Compensation")),
                 "description": ("#job-description", ".job-description")}

    def apply_url(self):
        if self.page.first("#resumator-job-form") is not None:
            return (self.page.url or "").split("?")[0] or None  # the form is on the posting's page
        return self.page.attr_of('a[href*="/apply/"][class*="apply"]', "href")
