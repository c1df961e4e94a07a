"""Taleo (<company>.taleo.net/careersection/<section>/jobdetail.ftl?job=<id>): the requisition's labelled rows.

The career section writes each field as a label ("Primary Location", "Schedule", "Job
Posting") beside a `requisitionDescriptionInterface.*` span; places read
"United States-Colorado-Denver", country first.
"""
import re

from ..sitekit import DeclaredSite, has_inside, without_logo_words

_REQ = '[id^="requisitionDescriptionInterface"]'


def _place(code):
    """"United States-Colorado-Denver" → "Denver, Colorado, United States"."""
    parts = [p.strip() for p in code.split("-", 2) if p.strip()]
    return ", ".join(reversed(parts)) if len(parts) > 1 else code


class Taleo(DeclaredSite):
    key = "taleo"
    hosts = ("*.taleo.net",)
    marker = f'span.titlepage, [id$="reqTitleLinkAction.row1"], span.text{_REQ}'
    selectors = {"title": (f"span.titlepage{_REQ}", "span.titlepage", "h1"),
                 "company_logo": ("#header img@src", ".brandingLogo img@src")}
    labels = {"employment_type": ("schedule", "job schedule"),
              "date_posted": ("job posting", "posting date", "posted"),
              "valid_through": ("unposting date", "closing date")}

    def title(self):
        shown = self.select(self.selectors["title"])
        m = re.match(r"^Job Description - (.+?)(?:\s*\(\w+\))?$", (self.page.title_tag or "")[:400])
        return shown or (m.group(1) if m else None)  # the page title: "Job Description - <title> (<req>)"

    def company(self):
        return without_logo_words(self.page.attr_of("#header img, .brandingLogo img", "alt"))

    def locations(self):
        places = []
        for label in ("primary location", "other locations", "location", "locations"):
            value = self.fact(label)
            for item in [value] if isinstance(value, str) else value or []:
                places += [_place(p.strip()) for p in item.split(",") if p.strip()] if "-" in item else [item]
        return list(dict.fromkeys(places)) or None

    def valid_through(self):
        end = self.declared("valid_through")
        return None if not end or end.strip().casefold() in ("ongoing", "none") else end

    def description(self):
        blocks = [n for n in self.page.css(f"span.text{_REQ}, div.text{_REQ}")
                  if has_inside(n, {"p", "ul", "ol", "br", "div", "h2", "h3", "h4"})]
        # with its "Description" / "Qualifications" heading, the panel the block sits in
        return "".join((n.parent if "contentlinepanel" in (n.parent.attributes.get("class") or "") else n).html
                       for n in blocks) or None
