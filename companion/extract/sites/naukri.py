"""Naukri (www.naukri.com/job-listings-<slug>-<id>): JSON-LD, and the job header's CSS-module classes,
matched on their stable part (`jd-header-title`, `jhc__location`...) because the hash suffix changes.

Pay is written in lakhs ("8-12 Lacs P.A.", 1 lakh = 100,000 rupees) or "Not disclosed".
"""
import re

from ..sitekit import DeclaredSite, arrangement

_LAKHS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|to)\s*(\d+(?:\.\d+)?)\s*lacs?|(\d+(?:\.\d+)?)\s*lacs?", re.I)


def _part(name):
    return f'[class*="{name}"]'


def lakhs(text):
    """"8-12 Lacs P.A." → {min: 800000, max: 1200000, currency: INR, period: year}; None otherwise."""
    m = _LAKHS.search(text or "")
    if not m:
        return None
    low, high = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(3))
    return {"min": round(float(low) * 100_000), "max": round(float(high) * 100_000), "currency": "INR", "unitText": "YEAR"}


class Naukri(DeclaredSite):
    key = "naukri"
    hosts = ("www.naukri.com",)
    marker = f'{_part("jd-header-title")}, {_part("dang-inner-html")}'
    final = ("salary",)  # "Not disclosed" is the answer; the similar jobs carry other pay
    selectors = {"title": (f"h1{_part('jd-header-title')}", "h1"),
                 "company": (f"{_part('jd-header-comp-name')} a", _part("jd-header-comp-name")),
                 "locations": (f"{_part('jhc__location')} a", _part("jhc__location")),
                 "description": (_part("dang-inner-html"), _part("job-desc")),
                 "company_logo": (f"{_part('jd-header-comp-logo')} img@src",)}
    labels = {"employment_type": ("employment type",)}

    def country(self):
        return "IN"

    def canonical(self):
        m = re.search(r"/job-listings-[\w-]+", self.page.url or "")
        return m.group(0) if m else None  # without ?src=&sid=&xp=

    def remote(self):
        return arrangement(self.page.text_of(_part("jhc__loc")))  # "Bengaluru, Pune ( Hybrid )"

    def salary(self):
        text = self.page.text_of(_part("jhc__salary")) or ""
        return lakhs(text) or (text if re.search(r"\d", text) else None)

    def date_posted(self):
        for stat in self.page.texts_of(_part("jhc__stat")):
            if stat.casefold().startswith("posted"):
                return stat.split(":", 1)[-1]
        return None
