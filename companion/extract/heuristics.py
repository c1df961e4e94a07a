"""Page heuristics: the last source, for pages with no structured data a field can come from.

Reads the page as a person does: the main <h1> and the short lines around it (place,
date, job type), elements named for what they hold (class "location", "salary"...),
an "Apply" link, and the largest block of running text as the description. Navigation,
headers, footers, forms, cookie banners, modals and "similar jobs" blocks are never read.
"""
import re
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from . import geo, sitename
from .base import Source
from .labels import MAX_RUNS, Facts, left_out, names_of, skipped
from .normalize import DAYS_A_WEEK, clean_text, employment_type, parse_date, remote_from_short
from .page import node_text

SKIP_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "noscript", "script", "style", "template",
                       "svg", "iframe", "button", "select", "dialog", "code", "head", "textarea", "label"})
# Class/id words of blocks about other jobs: their text and their "Apply" links are not this posting's.
_BESIDE_WORDS = (r"similar|related|recommend\w*|more-jobs|other-jobs|people-also\w*|also-viewed|also-applied|"
                 r"trending|carousel")
# Blocks of other jobs beside a posting (similar jobs), and lists of jobs (a search page's results)
_OTHER_JOBS_WORDS = _BESIDE_WORDS + r"|jobs-?list\w*|job-?list\w*|job-?cards?\w*|search-?results?\w*|results-?list\w*"
_BESIDE_POSTING = re.compile(r"(?:^|[\s_-])(?:%s)(?:$|[\s_-])" % _BESIDE_WORDS, re.I)


@lru_cache(maxsize=4096)
def _beside_names(names):
    return bool(names) and bool(_BESIDE_POSTING.search(names))
_OTHER_JOBS = re.compile(r"(?:^|[\s_-])(?:%s)(?:$|[\s_-])" % _OTHER_JOBS_WORDS, re.I)
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|onetrust|banner|navbar|nav|menu|breadcrumbs?|footer|share|sharing|"
    r"social|newsletter|subscribe|signup|sign-up|login|"
    r"signin|sign-in|modal|popup|sidebar|promo|advert\w*|ads|search|alert|toast|job-alert|apply-form|aside|"
    r"right-rail|left-rail|%s|"
    r"application-form|captcha|skip-link|sr-only|visually-hidden|footer\w*|privacy|disclaimer|fraud\w*|scam\w*)"
    r"(?:$|[\s_-])" % _OTHER_JOBS_WORDS, re.I)
_ROLE_SKIP = {"navigation", "banner", "contentinfo", "dialog", "complementary", "search", "alertdialog"}
_CONTENT_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "pre", "td", "dd", "blockquote"})
_APPLY_TEXT = re.compile(
    r"^\s*(?:apply(?:\s+now|\s+for\s+(?:this|the)\s+(?:job|position|role)|\s+on\s+(?:the\s+)?company(?:'s)?\s+"
    r"(?:site|website)|\s+here|\s+online)?|quick\s+apply|easy\s+apply|postuler(?:\s+maintenant)?|je\s+postule|"
    r"candidater|jetzt\s+bewerben|bewerben|solliciteer(?:\s+nu)?|solliciteren|aplicar|candidatar(?:-se)?|inscreva-se|"
    r"solicitar|postular(?:me)?|postúlate|inscr[ií]bete)\s*[!→›»]?\s*$",
    re.I)
_MONEY = re.compile(r"[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|CHF)\b")
_LOGIN = re.compile(r"/(?:login|signin|sign-in|signup|auth|oauth|register)\b|session_redirect", re.I)
# A sign-in gate that carries the job ("/careers/Login?jobId=16889") is where this posting's Apply leads.
_JOB_PARAM = re.compile(r"[?&](?:job_?id|jobid|req_?id|requisition_?id|posting_?id|job_did|jid)=\w", re.I)
_POSTED = re.compile(r"\b(?:posted|published|publi[ée]e?|mis\s+en\s+ligne|listed|date\s+posted|"
                     r"ver[öo]ffentlicht|publicado|geplaatst)\b|\bago\b|il\s+y\s+a|\btoday\b|\byesterday\b", re.I)
_CLOSING = re.compile(r"\b(?:closing\s+date|closes|apply\s+by|deadline|date\s+limite|expires?|valid\s+(?:through|until)|"
                      r"applications?\s+close|bewerbungsfrist|fecha\s+l[ií]mite)\b", re.I)
_JOB_WORDS = ("responsibilit", "requirement", "qualification", "experience", "skills", "benefits", "salary",
              "you will", "you'll", "we are looking", "we're looking", "what you", "about the role", "the role",
              "your role", "about you", "job description", "profil", "missions", "compétences", "competences",
              "aufgaben", "anforderungen", "who you are", "what we offer", "nous recherchons", "taken", "functie",
              "erfahrung", "wir bieten", "dein profil", "ihr profil", "requisitos", "responsabilidades", "experiencia",
              "ofrecemos", "funciones", "wat ga je doen", "wat vragen wij", "wat bieden wij", "ervaring", "functie-eisen",
              "experiência", "o que oferecemos", "benefícios", "vos missions", "votre profil", "expérience")
# Words that tell the reader how to apply, where the page has no "Apply" button (an e-mail, a form elsewhere)
_APPLY_PHRASE = re.compile(
    r"\b(?:how\s+to\s+apply|to\s+apply,?|apply\s+(?:now|today|online|via|by|at|through|here)|"
    r"send\s+(?:us\s+)?your\s+(?:cv|resume|résumé|application)|submit\s+your\s+(?:cv|resume|application)|"
    r"postulez|envoyez[- ]nous\s+votre\s+cv|envoyez\s+votre\s+(?:cv|candidature)|bewirb\s+dich|"
    r"bewerben\s+sie\s+sich|bewerbung\s+an|env[ií]a(?:nos)?\s+tu\s+(?:cv|candidatura)|solliciteer|"
    r"stuur\s+(?:je|uw)\s+(?:cv|sollicitatie)|envie\s+(?:o\s+)?seu\s+(?:cv|currículo)|candidate-se)\b", re.I)
_JOB_PATH = re.compile(r"/(?:jobs?|careers?|positions?|vacanc\w*|openings?|emplois?|offres?|stellen\w*|vacatures?|"
                       r"empleo|vagas?|postings?|requisitions?|work-with-us|join-us)(?:/|$|-)|[?&](?:gh_jid|jk|job_?id)=",
                       re.I)


# Headings that name a section or the site, never a posting's title.
_SECTION_HEADING = re.compile(
    r"^(?:(?:the\s+)?(?:job|position|role|vacancy)\s+)?(?:overview|description|details|summary|information|info|"
    r"requirements|responsibilities|benefits)$|^(?:about\s+(?:the\s+)?(?:job|role|position|company|team|us)|"
    r"apply(?:\s+now|\s+for\s+this\s+job)?|application|your\s+application|submit\s+(?:your\s+)?application|"
    r"careers?|jobs?|job\s+openings?|open\s+(?:positions|roles)|current\s+(?:openings|vacancies)|vacancies|"
    r"join\s+(?:us|our\s+team|the\s+team)|work\s+with\s+us|home|welcome|menu|search|search\s+jobs|"
    r"similar\s+jobs|share(?:\s+this\s+job)?|carri[èe]res?|offres?\s+d'emploi|description\s+du\s+poste|"
    r"le\s+poste|stellenangebote?|stellenbeschreibung|karriere|jobs\s+bei\s+uns|ofertas?\s+de\s+empleo|"
    r"descripci[óo]n(?:\s+del\s+puesto)?|empleo|vacatures?|werken\s+bij|functieomschrijving|vagas?|"
    r"descri[çc][ãa]o(?:\s+da\s+vaga)?|trabalhe\s+conosco)[.:!]?$", re.I)
# Class/id words of an element that holds a posting's title where it has no heading ("job_title").
_TITLE_NAME = re.compile(r"(?:job|posting|position|vacancy|app|role)[_-]?(?:title|name|heading)|(?:^|\s)title(?:$|\s)",
                         re.I)

# The application step of a posting: Lever's /apply, Ashby's /application, Teamtailor's applications/new...
_APPLY_STEP = re.compile(r"/(?:apply|application|applications/new|candidature|bewerbung|postular|candidatar)(?:/|$)",
                         re.I)
_APPLICATION_FORM = re.compile(r"\b(?:submit\s+(?:your\s+|my\s+)?application|apply\s+for\s+this\s+(?:job|position)|"
                               r"resume|résumé|curriculum|cover\s+letter|application[_-]?form|"
                               r"lettre\s+de\s+motivation|lebenslauf|anschreiben|bewerbung\s+absenden|"
                               r"enviar\s+candidatura|sollicitatie\s+versturen|\bcv\b)", re.I)

# Elements that hold nothing to read (the walk passes them without looking at their attributes)
_EMPTY_TAGS = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "source", "col", "area", "base", "embed",
                         "param", "track", "picture", "video", "audio", "canvas"})
_SECTION_TAGS = frozenset({"section", "aside", "nav", "footer", "form", "article", "main", "h1", "h2", "h3", "h4",
                           "h5", "h6", "table"})
_CHIP_SEPARATOR = re.compile(r"\s[·•|]\s")
MIN_DESCRIPTION = 120  # characters of sentences (lines over 40 characters) below which a block is no description

# Elements named for a field, as (attribute, lower-case substring) pairs, tested on every element outside
# boilerplate in the one walk (see Heuristics._walk); plus the microdata property that holds the field.
_HINTS = {
    "company": ((("class", "company-name"), ("class", "companyname"), ("class", "employer"),
                 ("data-testid", "company")), None, 80),
    "locations": ((("class", "location"), ("data-automation", "location"), ("data-testid", "location"),
                   ("data-qa", "location")), "jobLocation", 100),
    "remote": ((("class", "workplace"), ("class", "remote"), ("data-testid", "workplace")), None, 40),
    "employment_type": ((("class", "employment-type"), ("class", "job-type"), ("class", "jobtype"),
                         ("class", "contract-type"), ("data-testid", "job-type")), "employmentType", 60),
    "salary": ((("class", "salary"), ("class", "compensation"), ("class", "pay-range"),
                ("data-testid", "salary")), "baseSalary", 120),
}
_HINT_ATTRS = tuple(sorted({name for hints, _, _ in _HINTS.values() for name, _ in hints}))
_ANY_HINT = re.compile("|".join(sorted({re.escape(word) for hints, _, _ in _HINTS.values() for _, word in hints})), re.I)
_APPLY_ATTRS = ("href", "class", "id", "data-automation", "data-testid")


def _skippable(node, attrs=None):
    return left_out(node, node.attributes if attrs is None else attrs, SKIP_TAGS, _ROLE_SKIP, _boilerplate_names)


@lru_cache(maxsize=4096)
def _hinted(values):
    """True when an element's class/data attributes may name a field (cached like _boilerplate_names)."""
    return bool(_ANY_HINT.search(values))


@lru_cache(maxsize=4096)
def _boilerplate_names(names):
    """True when class/id names say boilerplate. Cached: a page repeats a few names (every similar-jobs card
    is `job-card__inner`) thousands of times, and the long alternation costs microseconds a test."""
    return bool(_BOILERPLATE.search(names))


class Heuristics(Source):
    """The page read as a person reads it (see the module docstring)."""

    @cached_property
    def _walk(self):
        """One pass over <body> for every heuristic: the elements outside boilerplate, with their attributes,
        in document order; the links an "Apply" button may be; and the text runs labelled facts are read
        from (see labels.py: those skip less, a <header> or a sidebar holds facts).

        A boilerplate subtree (navigation, a mega-menu, a list of similar jobs: most of a big page) is never
        walked, so the heuristics cost what the posting weighs, not the page; each whole-document selector
        scan they replace cost 2-5 ms on a 2 MB page. Links are gathered by the lighter rule of
        ``_outside_posting``: the posting's own button often sits in a <header>, <aside> or form.
        """
        clean, links, runs, listed = [], [], [], []
        body = self.page.dom.body
        # (node, outside the clean elements, outside the fact runs)
        stack = [(child, False, False) for child in reversed(list(body.iter(include_text=True)))] if body else []
        while stack:
            node, dirty, unlabelled = stack.pop()
            if node.is_text_node:
                if not unlabelled and len(runs) < MAX_RUNS:
                    raw = node.text_content
                    if raw and not raw.isspace():
                        runs.append((clean_text(raw), node.parent))
                continue
            if not node.is_element_node or node.tag in _EMPTY_TAGS:
                continue
            attrs = node.attributes
            unlabelled = unlabelled or skipped(node, attrs)
            if not dirty and _skippable(node, attrs):
                dirty = True
                names = names_of(attrs)
                if node.tag == "a" or (node.tag not in ("nav", "footer") and not (names and _OTHER_JOBS.search(names))):
                    links.extend(a for a in node.css("a") if not _outside_posting(a))
                elif node.tag not in ("nav", "footer") and not _beside_names(names):
                    listed.extend(node.css("a[href]"))  # a list of jobs (a search page's results): see lists_jobs
            if dirty and unlabelled:
                continue
            if not dirty:
                clean.append((node, attrs))
                if node.tag == "a":
                    links.append(node)
            stack.extend((child, dirty, unlabelled) for child in reversed(list(node.iter(include_text=True))))
        return clean, links, runs, listed

    @cached_property
    def _named(self):
        """Per field of _HINTS, the text of the first element outside boilerplate named for it (if short
        enough): one pass over the walk for all of them, ending once each has an answer."""
        found = {}
        for node, attrs in self._walk[0]:
            itemprop = attrs.get("itemprop")
            # one search says whether any hint can match; most elements are named for none
            if not itemprop and not _hinted("\x00".join(attrs.get(name) or "" for name in _HINT_ATTRS)):
                continue
            values = {name: (attrs.get(name) or "").lower() for name in _HINT_ATTRS}
            text = False  # not read yet
            for field, (hints, prop, max_len) in _HINTS.items():
                if field in found or not (
                        any(word in values.get(name, "") for name, word in hints) or (prop and itemprop == prop)
                        or (field == "company" and itemprop == "name" and _in_hiring_organization(node))):
                    continue
                if text is False:
                    text = node_text(node)
                if text and len(text) <= max_len:
                    found[field] = text
            if len(found) == len(_HINTS):
                break
        return found

    def _first_clean(self, field):
        return self._named.get(field)

    @cached_property
    def facts(self):
        """The page's labelled facts ("Location: Riga", a th/td row, a sidebar heading and its value)."""
        return Facts(self._walk[2])

    def _fact(self, field, accept=None):
        """The first labelled value for ``field`` that ``accept`` (if given) takes."""
        for value in self.facts.get(field):
            if accept is None or accept(value):
                return value
        return None

    @cached_property
    def h1(self):
        """The page's title heading, by evidence (see :meth:`_title_candidates`); None when it has none."""
        return self.title_node

    @cached_property
    def title_node(self):
        """The element that is the posting's title. Not simply the first <h1>: a heading that names the
        site ("Bloomberg"), a section ("Job Overview") or the company is passed over; with no usable <h1>,
        the <h2>s, then elements named for a title ("job_title") are considered. Among the candidates, one
        that the page's <title>/og:title also states (a segment of it) wins, then an <h1>, then page order."""
        support = sitename.title_segments(self.page)
        names = sitename.site_names(self.page) | {v.casefold() for v in self.facts.get("company")}
        best, best_score = None, None
        for rank, node in enumerate(self._title_candidates(names, support)):
            text = node_text(node).casefold()
            backed = sitename.supported(text, support)
            if node.tag != "h1" and support and not backed:
                continue  # a lesser heading is the title only when the page's <title> says so too
            score = (2 if backed else 0) + (1 if node.tag == "h1" else 0) - rank * 0.01 \
                - (3 if sitename.names_employer(text, self.page) else 0)
            if best_score is None or score > best_score:
                best, best_score = node, score
        return best

    def _title_candidates(self, names, support=()):
        """<h1>s; with no <h1> the page's titles confirm, also <h2>s and elements named for a title."""
        clean = self._walk[0]

        def usable(node):
            text = node_text(node)
            return bool(text) and len(text) <= 200 and not _SECTION_HEADING.match(text) and \
                text.casefold() not in names

        h1s = [node for node, _ in clean if node.tag == "h1" and usable(node)][:5]
        if not h1s and self.page.first_h1 is not None:  # an <h1> inside a <header> still names the posting
            h1s = [node for node in self.page.css("h1") if usable(node)][:5]
        if any(sitename.supported(node_text(node).casefold(), support) and not sitename.names_employer(
                node_text(node), self.page) for node in h1s) or (h1s and not support):
            return h1s
        h2s = [node for node, _ in clean if node.tag == "h2" and usable(node)][:12]
        named = [node for node, attrs in clean if node.tag not in ("h1", "h2", "title", "a")
                 and _TITLE_NAME.search(" ".join(filter(None, (attrs.get("class"), attrs.get("id"))))) and usable(node)
                 and node_text(node) and len(node_text(node)) <= 150][:12]
        return h1s + h2s + named  # an <h1> naming the company loses to an <h2> the <title> confirms

    @cached_property
    def header(self):
        """The block around the title: the title and the short lines that go with it (place, type, chips)."""
        node = self.title_node
        if node is None:
            return None
        block = node
        for _ in range(5):
            parent = block.parent
            if parent is None or parent.tag in ("body", "html", "main", "article"):
                break
            text = parent.text(deep=True) or ""
            if len(text.strip()) > 600:
                break
            block = parent
        return block

    @cached_property
    def header_lines(self):
        block = self.header
        if block is None:
            return []
        title = node_text(self.h1)
        lines = []
        texts = (block.text(deep=True, separator="\n") or "").split("\n")
        sibling, seen = block.next, 0
        while sibling is not None and seen < 3:  # the short lines right after a title whose box is big
            if sibling.is_element_node:
                seen += 1
                text = sibling.text(deep=True, separator="\n") or ""
                if len(text) > 300 or sibling.tag in _SECTION_TAGS or _skippable(sibling) or \
                        sibling.css_first("h1, h2, h3, h4, h5, h6") is not None:
                    break  # the next section (other jobs, the description) is no part of the header
                texts += text.split("\n")
            sibling = sibling.next
        for text in texts:
            for line in _CHIP_SEPARATOR.split(text):  # "Bristol, UK · Full-time · Posted 12 November"
                line = clean_text(line)
                if line and line != title and len(line) <= 120:
                    lines.append(line)
        return lines

    # -- fields -------------------------------------------------------------------------
    def title(self):
        heading = node_text(self.title_node)
        segments = sitename.title_segments(self.page)
        backed = bool(heading) and sitename.supported(heading.casefold(), segments)
        labelled = self._fact("title", lambda v: len(v) <= 150 and not _SECTION_HEADING.match(v))
        if labelled and (not heading or (sitename.supported(labelled.casefold(), segments) and not backed)):
            return labelled  # "Title: Systems Engineer" that the <title> confirms, over an unconfirmed heading
        if heading and not backed and not sitename.JOB_TITLE_WORDS.search(heading) and any(
                sitename.JOB_TITLE_WORDS.search(segment) for segment in segments):
            return None  # a slogan heading ("Join our mission") beside a <title> that names a job: the meta reads it
        return heading

    def company(self):
        return self._fact("company", lambda v: len(v) <= 80) or self._first_clean("company")

    def locations(self):
        labelled = self._fact("locations", lambda v: len(v) <= 120 and not re.search(r"\b(?:search|find|enter)\b", v, re.I))
        if labelled:
            return [labelled]
        found = self._first_clean("locations")
        if found and not re.search(r"\b(?:search|find|enter)\b", found, re.I):
            return [found]
        for line in self.header_lines:
            if geo.looks_like_place(line):
                return [line]
        return None

    def remote(self):
        labelled = self._fact("remote", lambda v: len(v) <= 60 and (remote_from_short(v) or _DAYS_A_WEEK.search(v)))
        if labelled:
            # "Télétravail : 2 jours par semaine": some days at home, as the label says
            return labelled if remote_from_short(labelled) else "hybrid"
        for line in self.header_lines:
            if len(line) <= 40:
                found = remote_from_short(line)
                if found:
                    return line
        return self._first_clean("remote")

    def employment_type(self):
        labelled = self._fact("employment_type", lambda v: len(v) <= 80 and employment_type(v))
        if labelled:
            return labelled
        found = self._first_clean("employment_type")
        if found:
            return found
        for line in self.header_lines:
            if len(line) <= 40 and employment_type(line):
                return line
        return None

    def salary(self):
        labelled = self._fact("salary", lambda v: bool(re.search(r"\d", v)))
        if labelled:
            return labelled
        found = self._first_clean("salary")
        if found:
            return found
        for line in self.header_lines:
            if _MONEY.search(line):
                return line
        return None

    def date_posted(self):
        labelled = self._fact("date_posted", lambda v: parse_date(v, self.captured_at) is not None)
        if labelled:
            return labelled
        block = self.header
        if block is not None:
            node = block.css_first("time[datetime]")
            if node is not None:
                return node.attributes.get("datetime")
        for line in self.header_lines:
            if _POSTED.search(line) and not _CLOSING.search(line) and (
                    parse_date(line, self.captured_at) or re.search(r"\d+\s*\+", line)):
                return line
        return None

    def valid_through(self):
        labelled = self._fact("valid_through", lambda v: parse_date(v, self.captured_at) is not None)
        if labelled:
            return labelled
        for line in self.header_lines:
            if _CLOSING.search(line):
                return line
        return None

    def apply_url(self):
        return self._apply_href

    @cached_property
    def _apply_href(self):
        """The posting's "Apply" link (cached: ``looks_like_posting`` asks again, and each try scans the page)."""
        # links named "apply" first; then any link whose text says apply
        links = self._walk[1]
        hinted = [a for a in links if any("apply" in (a.attributes.get(name) or "").lower() for name in _APPLY_ATTRS)]
        for node in hinted + links:
            href = (node.attributes.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:")) or (_LOGIN.search(href) and not _JOB_PARAM.search(href)):
                continue
            text = node.text(deep=True) or ""
            if len(text) < 80 and _APPLY_TEXT.match(clean_text(text) or ""):
                return href
        return None

    def company_logo(self):
        block = self.header
        scopes = [block] if block is not None else []
        for scope in scopes:
            for img in scope.css("img"):
                attrs = img.attributes
                label = " ".join(filter(None, (attrs.get("class"), attrs.get("alt"), attrs.get("src"))))
                if "logo" in label.lower():
                    return attrs.get("src") or attrs.get("data-src") or attrs.get("data-delayed-url")
        return None

    def description(self):
        node = self._content_root()
        if node is None:
            return None
        copy = node.clone()
        # children before parents, so no removed node is visited again
        for child in reversed(copy.css("*")):
            if _skippable(child) or child.tag == "h1" or (  # the "Apply now" button is no part of the posting
                    child.tag == "a" and _APPLY_TEXT.match(clean_text(child.text(deep=True)) or "")):
                child.decompose()
        html = copy.inner_html
        lines = (copy.text(deep=True, separator="\n") or "").split("\n")
        if not html or sum(len(line.strip()) for line in lines if len(line.strip()) > 40) < MIN_DESCRIPTION:
            # only short lines: the header chips an application step keeps, or two lines beside its form
            return None
        return html

    def _content_root(self):
        # the page's main region, but not one inside a cookie banner, a sidebar or similar jobs
        clean = self._walk[0]
        start = next((i for i, (node, attrs) in enumerate(clean)
                      if node.tag in ("main", "article") or attrs.get("role") == "main"), None)
        if start is None:
            if self.page.dom.body is None:
                return None
        else:  # the clean elements inside it: those after it, up to the first that is not its descendant
            scope = clean[start][0]
            inside = [clean[start]]
            for node, attrs in clean[start + 1:]:
                if not _is_descendant(node, scope):
                    break
                inside.append((node, attrs))
            clean = inside
        scores = {}
        nodes = {}
        # paragraphs: the content tags, and a <div> holding only inline text (editors write paragraphs as
        # <div><font>...</font></div>, so a posting's sections stay together under one parent)
        for element in [node for node, _ in clean if node.tag in _CONTENT_TAGS or (
                node.tag == "div" and _inline_only(node))][:4000]:
            text = element.text(deep=True) or ""
            length = len(text.strip())
            if length < 25:
                continue
            if element.tag == "td" and length > 300 and _has_descendant(element, "table, div"):
                continue  # a layout cell (the page's columns), not a cell of text
            parent = element.parent
            for weight in (1.0, 0.5):
                if parent is None or parent.tag in ("html", "-document"):
                    break
                key = parent.mem_id
                scores[key] = scores.get(key, 0.0) + length * weight
                nodes[key] = parent
                parent = parent.parent
        for element in (node for node, _ in clean if node.tag in ("div", "section")):  # text straight into a block
            direct = sum(len((n.text_content or "").strip()) for n in element.iter(include_text=True)
                         if n.is_text_node)
            if direct < 100 or _has_descendant(element, "p, div, section"):
                continue
            length = len((element.text(deep=True) or "").strip())
            if length >= 200:
                key = element.mem_id
                scores[key] = scores.get(key, 0.0) + length
                nodes[key] = element
        if not scores:
            return None
        best_key = max(scores, key=scores.get)
        return nodes[best_key]

    def looks_like_posting(self, description_text):
        """Judge a page with no structured posting: does it read as one job ad, or as the application step
        of one? Evidence for: a job-like URL, job vocabulary in the text, labelled facts (place, type, pay,
        dates) beside the title, an "Apply" control, an application form (a CV upload). ``og:type=article``
        is no evidence against: WordPress sets it on every page."""
        text = description_text or ""
        signals = 0
        url = urlsplit(self.page.url or "")
        if _JOB_PATH.search(url.path + "?" + url.query) or _APPLY_STEP.search(url.path):
            signals += 1
        low = text.lower()
        words = sum(1 for word in _JOB_WORDS if word in low) if len(text) >= 200 else 0
        signals += (words >= 2) + (words >= 4)
        facts = sum(1 for found in (self.locations(), self.employment_type(), self.salary(), self.remote(),
                                    self.date_posted(), self.valid_through()) if found)
        signals += (facts >= 1) + (facts >= 3)
        signals += _names_a_job(self.title())
        if signals >= 3:
            return True
        if self.apply_url() or self._apply_button() or _APPLY_PHRASE.search(text) \
                or self.page.first("#grnhse_app, [id*=apply i], [class*=apply i]") is not None:
            signals += 1
        if signals < 3 and self._application_form():
            signals += 2
        return signals >= 3

    def lists_jobs(self):
        """True for a page that lists jobs rather than showing one: a search page or a careers page's list
        (many links to different postings outside navigation, footers and the similar jobs a posting shows
        beside it, with a list's furniture: pagination, filters, a count of results)."""
        _, links, _, listed = self._walk  # links outside navigation, footers and similar-jobs blocks, in one walk
        postings = set()
        for link in (links + listed)[:3000]:
            m = _JOB_LINK.search((link.attributes.get("href") or "").split("#")[0])
            if m:
                postings.add(m.group(0))
                if len(postings) >= 10:
                    return True
        if len(postings) < 5:
            return False
        if self.page.first(_PAGINATION) is not None or self.page.first(_FILTERS) is not None:
            return True
        return bool(_RESULT_COUNT.search(self.page.text[:20_000]))

    def _apply_button(self):
        """True when the page has an "Apply" button of its own (no link: the site's script opens its form):
        "Apply now", "Postuler", "Jetzt bewerben"..., outside navigation, sidebars and other jobs' cards."""
        for node in self.page.css('button, input[type=submit], input[type=button], [role=button]')[:200]:
            text = node.attributes.get("value") if node.tag == "input" else node.text(deep=True)
            if text and len(text) < 60 and _APPLY_TEXT.match(clean_text(text) or "") and not _outside_posting(node) \
                    and not any(parent.tag == "aside" for parent in _ancestors(node)):
                return True
        return False

    def _application_form(self):
        """True when the page holds an application form: a CV upload, or a form that says it submits an
        application (Lever's /apply, Ashby's and Workable's application tabs, an embedded Greenhouse form)."""
        if self.page.first("input[type=file]") is not None:
            return True
        for form in self.page.css("form")[:10]:
            words = " ".join(filter(None, (form.attributes.get("id"), form.attributes.get("class"),
                                           form.attributes.get("action"))))
            if _APPLICATION_FORM.search(words) or _APPLICATION_FORM.search((form.text(deep=True) or "")[:5000]):
                return True
        return False


_INLINE = frozenset({"font", "span", "strong", "b", "em", "i", "u", "a", "br", "small", "sup", "sub", "mark", "abbr",
                     "code", "time", "wbr"})


def _inline_only(node):
    """True for an element that is one paragraph: its children are all inline (text, <font>, <strong>...),
    with at most one line break (lines broken by <br>s make a block of text of its own)."""
    breaks = 0
    for child in node.iter():
        if child.tag not in _INLINE:
            return False
        breaks += child.tag == "br"
    return breaks <= 1


def _has_descendant(node, selector):
    """True when an element *inside* ``node`` matches (lexbor's node.css also matches the node itself)."""
    return any(found.mem_id != node.mem_id for found in node.css(selector))


def _is_descendant(node, ancestor):
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _in_hiring_organization(node):
    """True inside a microdata hiringOrganization (``[itemprop=hiringOrganization] [itemprop=name]``)."""
    parent = node.parent
    while parent is not None and parent.tag != "-document":
        if parent.attributes.get("itemprop") == "hiringOrganization":
            return True
        parent = parent.parent
    return False


_DAYS_A_WEEK = re.compile(DAYS_A_WEEK, re.I)
_HEADLINE = re.compile(r"^(?:how|why|what|when|where|who|which|top|ten|\d+)\b|\?\s*$", re.I)


# A link to one posting: /jobs/<slug or id>, /job/..., /o/<slug>, ?currentJobId=..., ?jk=... (the part that names it)
_JOB_LINK = re.compile(r"/(?:jobs?|careers?|positions?|vacanc\w*|openings?|postings?|stellen\w*|emplois?|offres?|"
                       r"vacatures?|empleos?|vagas?|job-details?|jobdetail|o|j|p)/(?:[^/?#]+/)*?[^/?#]*\d[^/?#]*"
                       r"|/(?:jobs?|job-details?|o|positions?)/[a-z0-9]+(?:-[a-z0-9]+){2,}"
                       r"|[?&](?:currentJobId|jk|vjk|gh_jid|jobId|job_id|jid|pid|jl)=[\w-]+", re.I)
_PAGINATION = ('nav[aria-label*="aginat" i], [class*="pagination" i], [class*="pager" i], a[rel="next"], '
               '[data-testid*="pagination" i], [aria-label="next" i], [aria-label="Next page" i]')
_FILTERS = ('select, input[type=checkbox], [class*="filter" i], [data-automation-id*="filter" i], '
            '[aria-label*="filter" i], [data-automation-id="jobFamilyGroup"], [data-automation-id="timeType"]')
_RESULT_COUNT = re.compile(r"\b\d[\d,.\s]*\s+(?:jobs?|results?|openings?|positions?|offres?|emplois?|"
                           r"stellen(?:angebote)?|empleos?|ofertas|vacatures?|vagas?|resultados?|résultats?|"
                           r"ergebnisse|treffer)\b(?:\s+(?:found|trouvé|gefunden|encontrad))?", re.I)


def _names_a_job(title):
    """True for a short heading that names a job ("Werkstudent Vertrieb", "Senior Data Analyst"), not an
    article's headline ("How to become a data analyst", "5 questions for your recruiter?")."""
    return bool(title and len(title.split()) <= 6 and sitename.JOB_TITLE_WORDS.search(title)
                and not _HEADLINE.search(title))


def _ancestors(node, limit=40):
    parent, steps = node.parent, 0
    while parent is not None and parent.tag not in ("body", "html") and steps < limit:
        yield parent
        parent, steps = parent.parent, steps + 1


def _outside_posting(node):
    """True for a link in navigation, a footer or a block of other jobs (their "Apply" is not this job's).
    Lighter than the boilerplate test (_skippable): the posting's own button often sits in a <header>, <aside> or form."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in ("nav", "footer"):
            return True
        names = " ".join(filter(None, (parent.attributes.get("class"), parent.attributes.get("id"))))
        if names and _OTHER_JOBS.search(names):
            return True
        parent = parent.parent
    return False
