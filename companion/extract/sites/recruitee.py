"""Recruitee (<company>.recruitee.com/o/<slug>): the careers app's offers, in its `data-props` JSON.

The offer carries the work arrangement as three flags (remote, hybrid, on_site) and the
pay as a {min, max, currency, period} record; the application form is `/o/<slug>/c/new`.
"""
import re

from ..base import dig, find_dict
from ..sitekit import COMMON_LABELS, DeclaredSite, attribute_json, employment_words, place


def _either(offer, *names):
    return next((offer[n] for n in names if offer.get(n) not in (None, "", [])), None)


class Recruitee(DeclaredSite):
    key = "recruitee"
    hosts = ("*.recruitee.com",)
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    embeds = ('[data-component="PublicApp"][data-props*="offers"]',)
    apply_step = r"^(.*/o/[\w-]+)/c/new"
    marker = 'a[href$="/c/new"]'
    selectors = {"title": ("main h1", "h1"), "apply_url": 'a[href$="/c/new"]@href', "company_logo": "header img@src"}

    def load_data(self):
        props = attribute_json(self.page, '[data-component="PublicApp"]', "data-props")
        slug = re.search(r"/o/([\w-]+)", self.page.url or "")
        offers = dig(props, "appConfig", "offers") or []
        return find_dict(offers, lambda d: slug and d.get("slug") == slug.group(1)) or (
            offers[0] if len(offers) == 1 else None)

    def title(self):
        return self.data.get("title") or self.declared("title")

    def company(self):
        return _either(self.data, "companyName", "company_name")

    def locations(self):
        places = [place(p.get("city"), p.get("state") or p.get("stateName"), p.get("country") or p.get("countryName"))
                  for p in self.data.get("locations") or [] if isinstance(p, dict)]
        return [p for p in places if p] or _either(self.data, "location") or None

    def remote(self):
        flags = {name: _either(self.data, *names) for name, names in
                 (("remote", ("remote",)), ("hybrid", ("hybrid",)), ("on-site", ("onSite", "on_site")))}
        return next((name for name, on in flags.items() if on), None)

    def employment_type(self):
        code = _either(self.data, "employmentTypeCode", "employment_type_code")  # "fulltime_permanent"
        return code or employment_words(self.fact("dienstverband", "type dienstverband", "employment type"))

    def salary(self):
        pay = self.data.get("salary") or {}
        if not isinstance(pay, dict) or pay.get("min") in (None, ""):
            return None
        return {"min": pay.get("min"), "max": pay.get("max"), "currency": pay.get("currency"), "unitText": pay.get("period")}

    def date_posted(self):
        return _either(self.data, "publishedAt", "published_at")

    def valid_through(self):
        return _either(self.data, "closeAt", "close_at")

    def description(self):
        parts = [_either(self.data, "description"), _either(self.data, "requirements")]
        return "".join(p for p in parts if isinstance(p, str)) or None

    def apply_url(self):
        return _either(self.data, "careersApplyUrl", "careers_apply_url") or self.declared("apply_url")
