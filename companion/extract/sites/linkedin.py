"""LinkedIn: the guest page's top card and criteria list, the signed-in pages' top card and `<code>` JSON blobs.

Guest and signed-in views differ in markup; all are read, JSON first. The signed-in app keeps the
JSON of the page it was opened on, so a blob counts only when it is the posting in the address
(`/jobs/view/<id>`, `?currentJobId=<id>`). Its job page and its search results are drawn with
generated class names that change with each build: there the top card is found by its shape (the
"place · posted · applicants" line, with the title and the company above it), and the tab's
title ("Title | Company | LinkedIn") confirms them. Similar jobs, "people also viewed" and sign-in
modals sit beside the posting, so salary is final: only the posting's own pay counts.
"""
import json
import re
from functools import cached_property

from ..base import JobSite, dig
from ..normalize import clean_text

_TITLE_TAG = re.compile(r"^(?P<title>.+?) at (?P<company>[^—|]+?) — (?P<location>[^|]+?) \| LinkedIn")
_OG_TITLE = re.compile(r"^(?P<company>.+?) hiring (?P<title>.+?) in (?P<location>[^|]+?) \| LinkedIn")
_WORKPLACE = {"1": "On-site", "2": "Remote", "3": "Hybrid"}
_TOP_CARD = ".top-card-layout, .job-details-jobs-unified-top-card__container--two-pane, .jobs-unified-top-card, " \
            ".job-details-jobs-unified-top-card__container, .jobs-details__main-content"
# The signed-in tab's title: "(4) Platform Engineer | Fjordline Energy | LinkedIn" (a notification count first)
_SIGNED_IN_TITLE = re.compile(r"^(?:\(\d+\+?\)\s*)?(?P<title>[^|]+?)\s+\|\s+(?P<company>[^|]+?)\s+\|\s+LinkedIn$")
_DESCRIPTION = ".show-more-less-html__markup, .description__text, #job-details, [id^='JobDetails_AboutTheJob_'], " \
               ".jobs-description__content .jobs-box__html-content, .jobs-description-content__text"
# The description's own heading, in the languages LinkedIn speaks here: the site's words, not the posting's
_ABOUT_THE_JOB = re.compile(r"^\s*<h[1-3][^>]*>\s*(?:About the job|Info zum Job|À propos de l’offre d’emploi|"
                            r"Acerca del empleo|Over de vacature|Sobre a vaga)\s*</h[1-3]>", re.I)
_MONEY = re.compile(r"[$€£¥₹]|\b(?:CA|A|NZ|US)\$|\b(?:USD|EUR|GBP|CAD|AUD|CHF|INR|SEK|NOK|DKK)\b")


class LinkedIn(JobSite):
    key = "linkedin"
    hosts = ("*.linkedin.com/jobs/*",)  # ca.linkedin.com, fr.linkedin.com...; postings only under /jobs/
    marker = (".job-details-jobs-unified-top-card__job-title, .jobs-unified-top-card__job-title, .top-card-layout__title, "
              "#job-details, [id^='JobDetails_AboutTheJob_']")
    final = ("salary",)

    # -- the logged-in app's JSON ----------------------------------------------------------
    def load_data(self):
        """The JobPosting entity (and the company name) from the page's `<code>` JSON blobs."""
        posting, companies = None, {}
        if "<code" not in self.page.text:
            return None
        wanted = self.job_id
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
                urn = str(entity.get("entityUrn") or entity.get("jobPostingUrn") or "")
                if wanted and urn.rsplit(":", 1)[-1] != wanted:
                    if kind.endswith(".Company") and entity.get("name"):
                        companies[entity.get("entityUrn")] = entity
                    continue  # another job the app had loaded (a recommendation, the page it was opened on)
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

    @cached_property
    def job_id(self):
        """The posting the address names: /jobs/view/<id>/ or ?currentJobId=<id>."""
        m = re.search(r"/jobs/view/(?:[^/?#]*?-)?(\d{6,})|[?&]currentJobId=(\d+)", self.page.url or "")
        return (m.group(1) or m.group(2)) if m else None

    @cached_property
    def card(self):
        """The signed-in top card found by its shape: {title, company, line: [place, posted...], node}, or {}.

        The line is an element of two or more <span>s whose text holds "·"; the title is the text block just
        above it and the company the one above that. Looked for around the description first (the search view
        repeats titles in its results list), then in the whole page's first few hundred blocks.
        """
        if self.job or self.page.first(_TOP_CARD) is not None:
            return {}  # the guest page and the classic signed-in card name everything: nothing to find by shape
        description = self.page.first(_DESCRIPTION)
        scopes, node = [], description
        for _ in range(6):
            node = node.parent if node is not None else None
            if node is None or node.tag in ("html", "body"):
                break
            scopes.append(node)
        for scope in scopes or [self.page.first("main") or self.page.first("body")]:
            if scope is None:
                continue
            blocks = [b for b in scope.css("p, h1, h2, h3, div")[:600] if b.tag != "div" or not b.css_first("p, div")]
            for index, block in enumerate(blocks):
                spans = [child for child in block.iter(include_text=False) if child.tag == "span"]
                text = clean_text(block.text(deep=True, separator=" ")) or ""
                if len(spans) >= 2 and "·" in text and len(text) < 200 and index >= 1:
                    line = [part for part in (clean_text(span.text(deep=True)) for span in spans) if part and part != "·"]
                    above = [clean_text(b.text(deep=True, separator=" ")) for b in blocks[max(0, index - 2):index]]
                    above = [a for a in above if a]
                    return {"title": above[-1] if above else None, "company": above[-2] if len(above) > 1 else None,
                            "line": line, "node": block}
        return {}

    def _signed_in_title(self):
        m = _SIGNED_IN_TITLE.match((clean_text(self.page.title_tag) or "")[:400])
        return m.groupdict() if m else {}

    def _card_texts(self):
        """The short texts of the controls beside the signed-in top card: pay, work arrangement, job type pills."""
        node = self.card.get("node")
        for _ in range(3):
            node = node.parent if node is not None else None
            if node is None:
                return []
            buttons = node.css("button")
            if buttons:
                texts = [clean_text(b.text(deep=True, separator=" ")) for b in buttons[:12]]
                return [t for t in texts if t and len(t) < 60]
        return []

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
        if self.job or self.page.first(f"{_TOP_CARD}, {_DESCRIPTION}") is not None or \
                (self.card.get("title") and self.job_id):
            return True
        path = (self.page.url or "").split("?")[0]
        if re.search(r"/jobs/(?:search|collections|search-results)|/authwall|/login|/checkpoint", path):
            return False  # a list of jobs with none open beside it, or a sign-in wall
        return None

    def canonical(self):
        urn = str(self.job.get("entityUrn") or self.job.get("jobPostingUrn") or "")
        job_id = (urn.rsplit(":", 1)[-1] if urn else None) or self.job_id
        if job_id and job_id.isdigit() and "/jobs/view/" not in (self.page.url or ""):
            return f"https://www.linkedin.com/jobs/view/{job_id}"
        return None

    def title(self):
        return (self.job.get("title")
                or self.page.text_of(".top-card-layout__title, .topcard__title, "
                                     ".job-details-jobs-unified-top-card__job-title, .jobs-unified-top-card__job-title")
                or self.card.get("title") or self._signed_in_title().get("title") or self._shape().get("title"))

    def company(self):
        return (self.data.get("company")
                or self.page.text_of(".topcard__org-name-link, .top-card-layout .topcard__flavor a, "
                                     ".job-details-jobs-unified-top-card__company-name, "
                                     ".jobs-unified-top-card__company-name")
                or self.card.get("company") or self._signed_in_title().get("company") or self._shape().get("company"))

    def locations(self):
        located = self.job.get("formattedLocation") or self.page.text_of(
            ".top-card-layout .topcard__flavor--bullet, .sub-nav-cta__meta-text")
        if not located:
            line = self._primary_line()
            located = line.split("·")[0].strip() if line else None
        if not located and self.card.get("line"):
            located = self.card["line"][0]
        return located or self._shape().get("location")

    def remote(self):
        types = self.job.get("workplaceTypes") or []
        found = [_WORKPLACE.get(str(t).rsplit(":", 1)[-1]) for t in types]
        if any(found):
            return found
        if self.job.get("workRemoteAllowed"):
            return "Remote"
        return self.page.text_of(".job-details-jobs-unified-top-card__workplace-type, "
                                 ".jobs-unified-top-card__workplace-type") or next(
            (text for text in self._card_texts() if re.fullmatch(r"(?:remote|hybrid|on-site)", text, re.I)), None)

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
        from ..normalize import employment_type

        return next((text for text in self._card_texts() if len(text) < 25 and employment_type(text)), None)

    def salary(self):
        return self.page.text_of(".top-card-layout .salary, .compensation__salary, "
                                 ".job-details-jobs-unified-top-card__salary-info, #SALARY .jobs-details__salary-main-rail-card") \
            or next((text for text in self._card_texts() if _MONEY.search(text)), None)

    def date_posted(self):
        if self.job.get("listedAt"):
            return self.job["listedAt"]
        posted = self.page.text_of(".top-card-layout .posted-time-ago__text, .topcard__flavor--metadata.posted-time-ago__text")
        if posted:
            return posted
        parts = [p.strip() for p in self._primary_line().split("·")] + list(self.card.get("line") or ())
        return next((p for p in parts if re.search(r"\bago\b|reposted|posted", p, re.I)), None)

    def valid_through(self):
        return self.job.get("expireAt")

    def description(self):
        text = dig(self.job, "description", "text")
        if text:
            return text
        node = self.page.first(_DESCRIPTION)
        return _ABOUT_THE_JOB.sub("", node.inner_html, count=1) if node is not None else None

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
        return self.page.attr_of('a[href*="externalApply"], a[href*="/safety/go"][aria-label*="pply"]', "href")

    def company_logo(self):
        node = self.page.first(".top-card-layout img.artdeco-entity-image, "
                               ".job-details-jobs-unified-top-card__container--two-pane img, "
                               ".jobs-unified-top-card img") or (self.page.first('a[href*="/company/"] img[alt$="logo"]')
                                                                   if self.card else None)
        if node is None:
            return None
        return node.attributes.get("src") or node.attributes.get("data-delayed-url")
