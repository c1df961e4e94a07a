"""Rippling (ats.rippling.com/<company>/jobs/<uuid>): the Next.js page's job post.

The job post keeps the description in two parts (about the company, about the role),
its places as `workLocations` ("Remote (United States)", "New York, NY") and the pay as
ranges per location.
"""
from ..base import dig, find_dict
from ..sitekit import COMMON_LABELS, DeclaredSite, remote_place


def _is_job_post(value):
    return bool(value.get("name")) and ("workLocations" in value or "employmentType" in value)


class Rippling(DeclaredSite):
    key = "rippling"
    hosts = ("ats.rippling.com", "*.rippling-ats.com")
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    apply_step = r"^(.*/jobs/[\w-]+)/apply"
    selectors = {"title": ("main h1", "h1"), "apply_url": 'a[href*="/apply"]@href', "company_logo": "header img@src",
                 "description": ('[data-testid="job-description"]', "main .job-description")}
    paths = {"title": "name", "company": ("companyName",), "date_posted": ["createdOn", "created_at"],
             "employment_type": [("employmentType", "label"), ("employmentType", "id")]}

    def load_data(self):
        return find_dict(dig(self.page.script_json("__NEXT_DATA__"), "props", "pageProps"), _is_job_post)

    def locations(self):
        places = [p if isinstance(p, str) else (p or {}).get("name") for p in self.data.get("workLocations") or []]
        return [remote_place(p) or p for p in places if p] or None  # "Remote (United States)": the country

    def remote(self):
        places = [p for p in self.data.get("workLocations") or [] if isinstance(p, str)]
        return "Remote" if places and all(remote_place(p) or p.casefold() == "remote" for p in places) else None

    def salary(self):
        for pay in self.data.get("payRangeDetails") or []:
            if isinstance(pay, dict) and pay.get("rangeStart") is not None:
                return {"min": pay.get("rangeStart"), "max": pay.get("rangeEnd"), "currency": pay.get("currency"),
                        "unitText": pay.get("frequency")}
        return None

    def description(self):
        parts = self.data.get("description") or {}
        if isinstance(parts, dict):
            return "".join(parts.get(k) or "" for k in ("company", "role")) or None
        return parts or self.declared("description")

    def apply_url(self):
        url = (self.page.url or "").split("?")[0].rstrip("/")
        return url + "/apply" if self.data and "/apply" not in url else self.declared("apply_url")
