"""Jobvite (jobs.jobvite.com/<company>/job/<id>): the `jv-` classes of its hosted career pages.

The meta line under the title reads "Department · Location", the separators being empty
`jv-inline-separator` spans; the apply step (`.../apply`) keeps the same header.
"""
from .. import geo
from ..page import node_text
from ..sitekit import DeclaredSite


class Jobvite(DeclaredSite):
    key = "jobvite"
    hosts = ("jobs.jobvite.com", "app.jobvite.com", "hire.jobvite.com")
    embeds = (".jv-job-detail-description", "iframe[src*='jobs.jobvite.com']")
    logos = ('.jv-logo img',)
    apply_step = r"^(.*/job/\w+)/apply"
    marker = ".jv-job-detail-description, .jv-job-detail-meta, .jv-apply-form, form.jv-form"
    selectors = {"title": (".jv-job-detail-top h2.jv-header", "h2.jv-header", ".jv-header"),
                 "description": ".jv-job-detail-description",
                 "apply_url": "a.jv-button-apply@href"}

    def locations(self):
        meta = self.page.first(".jv-job-detail-meta")
        if meta is None:
            return None
        pieces = [node_text(child) for child in meta.iter(include_text=True)
                  if "jv-inline-separator" not in (child.attributes.get("class") or "")]
        pieces = [p for p in pieces if p]
        places = [p for p in pieces if geo.looks_like_place(p.split(",")[0]) or "," in p]
        return places or pieces[-1:] or None  # "Finance · Denver, Colorado": the place, usually last
