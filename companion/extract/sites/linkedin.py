"""LinkedIn: the guest page's top card and criteria list, the logged-in page's `<code>` JSON blobs.

Guest and logged-in views differ in markup; both are read, JSON first. Similar jobs,
"people also viewed" and sign-in modals sit beside the posting, so salary is final:
only the posting's own compensation block counts.
"""
import json
import re

from ..base import JobSite, dig
from ..normalize import clean_text

_TITLE_TAG = re.compile(r"^(?P<title>.+?) at (?P<company>[^—|]+?) — (?P<location>[^|]+?) \| LinkedIn")
_OG_TITLE = re.compile(r"^(?P<company>.+?) hiring (?P<title>.+?) in (?P<location>[^|]+?) \| LinkedIn")
_WORKPLACE = {"1": "On-site", "2": "Remote", "3": "Hybrid"}
_TOP_CARD = ".top-card-layout, .job-details-jobs-unified-top-card__container--two-pane, .jobs-unified-top-card, " \
            ".job-details-jobs-unified-top-card__container, .jobs-details__main-content"


class LinkedIn(JobSite):
    key = "linkedin"
    hosts = ("*.linkedin.com/jobs/*",)  # ca.linkedin.com, fr.linkedin.com...; postings only under /jobs/
    marker = ".job-details-jobs-unified-top-card__job-title, .jobs-unified-top-card__job-title, .top-card-layout__title"
    final = ("salary",)

    # -- the logged-in app's JSON ----------------------------------------------------------
    def load_data(self):
        """The JobPosting entity (and the company name) from the page's `<code>` JSON blobs."""
        posting, companies = None, {}
        if "<code" not in self.page.text:
            return None
        for node in self.page.css("code"):
            raw = node.text(deep=True) or ""
            if not raw.strip():
                raw = "".join(c.comment_content or "" for c in node.iter(include_text=True) if c.is_comment_node)
            raw = raw.strip()
            if not raw.startswith("{") or '"included"' not in raw and '"data"' not in raw:
                continue
            try:
                blob = json.loads(raw)
            except ValueError:
                continue
            for entity in (blob.get("included") or []) + [blob.get("data") or {}]:
                if not isinstance(entity, dict):
                    continue
                kind = str(entity.get("$type", ""))
                if kind.endswith(".JobPosting") and entity.get("title") and (posting is None or len(entity) > len(posting)):
                    posting = entity
                elif kind.endswith(".Company") and entity.get("name"):
                    companies[entity.get("entityUrn")] = entity
        if posting is None:
            return None
        company = dig(posting, "companyDetails", "companyResolutionResult", "name") or dig(
            posting, "companyDetails", "com.linkedin.voyager.deco.jobs.web.shared.WebCompactJobPostingCompany",
            "companyResolutionResult", "name")
        urn = dig(posting, "companyDetails", "company") or dig(posting, "companyDetails", "*companyResolutionResult")
        if not company and urn in companies:
            company = companies[urn]["name"]
        return {"job": posting, "company": company}

    @property
    def job(self):
        return self.data.get("job") or {}

    def _shape(self):
        for raw, rx in ((self.page.title_tag, _TITLE_TAG), (self.page.meta.get("og:title"), _OG_TITLE),
                        (self.page.title_tag, _OG_TITLE)):
            m = rx.match((clean_text(raw) or "")[:400])  # a real title is short; "x at x at ..." would backtrack
            if m:
                return m.groupdict()
        return {}

    def _criteria(self, label):
        for item in self.page.css(".description__job-criteria-item"):
            head = clean_text(item.css_first("h3").text()) if item.css_first("h3") else ""
            if head and head.casefold() == label.casefold():
                value = item.css_first(".description__job-criteria-text")
                return clean_text(value.text()) if value is not None else None
        return None

    def _primary_line(self):
        return self.page.text_of(".job-details-jobs-unified-top-card__primary-description-container, "
                                 ".job-details-jobs-unified-top-card__primary-description, "
                                 ".jobs-unified-top-card__subtitle-primary-grouping") or ""

    # -- fields --------------------------------------------------------------------------
    def is_posting(self):
        if self.job or self.page.first(_TOP_CARD + ", .show-more-less-html__markup, #job-details") is not None:
            return True
        path = (self.page.url or "").split("?")[0]
        if re.search(r"/jobs/(?:search|collections)|/authwall|/login|/checkpoint", path):
            return False
        return None

    def canonical(self):
        urn = str(self.job.get("entityUrn") or self.job.get("jobPostingUrn") or "")
        job_id = urn.rsplit(":", 1)[-1] if urn else None
        if job_id and job_id.isdigit() and "/jobs/view/" not in (self.page.url or ""):
            return f"https://www.linkedin.com/jobs/view/{job_id}"
        return None

    def title(self):
        return (self.job.get("title")
                or self.page.text_of(".top-card-layout__title, .topcard__title, "
                                     ".job-details-jobs-unified-top-card__job-title, .jobs-unified-top-card__job-title")
                or self._shape().get("title"))

    def company(self):
        return (self.data.get("company")
                or self.page.text_of(".topcard__org-name-link, .top-card-layout .topcard__flavor a, "
                                     ".job-details-jobs-unified-top-card__company-name, "
                                     ".jobs-unified-top-card__company-name")
                or self._shape().get("company"))

    def locations(self):
        located = self.job.get("formattedLocation") or self.page.text_of(
            ".top-card-layout .topcard__flavor--bullet, .sub-nav-cta__meta-text")
        if not located:
            line = self._primary_line()
            located = line.split("·")[0].strip() if line else None
        return located or self._shape().get("location")

    def remote(self):
        types = self.job.get("workplaceTypes") or []
        found = [_WORKPLACE.get(str(t).rsplit(":", 1)[-1]) for t in types]
        if any(found):
            return found
        if self.job.get("workRemoteAllowed"):
            return "Remote"
        return self.page.text_of(".job-details-jobs-unified-top-card__workplace-type, "
                                 ".jobs-unified-top-card__workplace-type")

    def employment_type(self):
        status = self.job.get("formattedEmploymentStatus") or str(self.job.get("employmentStatus") or "").rsplit(":", 1)[-1]
        if status:
            return status
        criteria = self._criteria("Employment type")
        if criteria:
            return criteria
        for pill in self.page.css(".job-details-preferences-and-skills__pill, .job-details-fit-level-preferences button, "
                                  ".job-details-jobs-unified-top-card__job-insight"):
            text = clean_text(pill.text(deep=True, separator=" "))
            if text:
                from ..normalize import employment_type

                if employment_type(text):
                    return text
        return None

    def salary(self):
        return self.page.text_of(".top-card-layout .salary, .compensation__salary, "
                                 ".job-details-jobs-unified-top-card__salary-info, #SALARY .jobs-details__salary-main-rail-card")

    def date_posted(self):
        if self.job.get("listedAt"):
            return self.job["listedAt"]
        posted = self.page.text_of(".top-card-layout .posted-time-ago__text, .topcard__flavor--metadata.posted-time-ago__text")
        if posted:
            return posted
        parts = [p.strip() for p in self._primary_line().split("·")]
        return next((p for p in parts if re.search(r"\bago\b|reposted|posted", p, re.I)), None)

    def valid_through(self):
        return self.job.get("expireAt")

    def description(self):
        text = dig(self.job, "description", "text")
        if text:
            return text
        node = self.page.first(".show-more-less-html__markup, .description__text, #job-details, "
                               ".jobs-description__content .jobs-box__html-content, .jobs-description-content__text")
        return node.inner_html if node is not None else None

    def apply_url(self):
        for code in self.page.css("code#applyUrl"):
            for child in code.iter(include_text=True):
                raw = (child.comment_content if child.is_comment_node else child.text_content) or ""
                raw = raw.strip()
                if raw:
                    try:
                        return json.loads(raw)
                    except ValueError:
                        return raw.strip('"')
        apply_method = self.job.get("applyMethod") or {}
        for value in apply_method.values() if isinstance(apply_method, dict) else ():
            if isinstance(value, dict) and value.get("companyApplyUrl"):
                return value["companyApplyUrl"]
        if isinstance(apply_method, dict) and apply_method.get("companyApplyUrl"):
            return apply_method["companyApplyUrl"]
        return self.page.attr_of('a[href*="externalApply"]', "href")

    def company_logo(self):
        node = self.page.first(".top-card-layout img.artdeco-entity-image, "
                               ".job-details-jobs-unified-top-card__container--two-pane img, "
                               ".jobs-unified-top-card img")
        if node is None:
            return None
        return node.attributes.get("src") or node.attributes.get("data-delayed-url")
