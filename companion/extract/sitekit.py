"""What many site modules share: fields declared as data paths, CSS selectors and labels.

Most ATS pages differ only in *where* they keep each field, so a module built on
``DeclaredSite`` lists those places instead of writing one method per field::

    class Jobvite(DeclaredSite):
        key = "jobvite"
        hosts = (r"jobs\\.jobvite\\.com",)
        marker = ".jv-job-detail-description"           # present only on one posting
        selectors = {"title": "h2.jv-header", "apply_url": "a.jv-button-apply@href"}
        labels = {"employment_type": ("job type",)}     # read from labelled facts

Each field is answered by the first that gives a value of: ``paths`` (a key path into
``self.data``, or a list of alternative paths), ``selectors`` (a CSS selector or a tuple of
them; ``sel@attr`` reads an attribute, ``meta:name`` a meta tag), then ``labels`` (the
value a page shows beside one of those labels: ``dt/dd``, ``th/td``, a label element and
its sibling, or a "Label: value" line). A module still writes a method where it must; when
that method answers nothing, the declared places answer (``self.declared("title")``).

``logos`` names the employer's logo (its alt, then the site's name, give the company);
``apply_step`` is a regex of the application step's URL, whose group 1 is the posting's
own: that page reads as its posting, without apply link, and with a description only
from the site's own data (the form replaced it on the page). The helpers below
(labelled values in bounded steps, JSON in an attribute or a call, work arrangements in
several languages, logo words and place suffixes trimmed) serve modules that are not
declared too.
"""
import functools
import json
import re
from functools import cached_property

from . import jsonld
from .base import FIELDS, JobSite, dig
from .normalize import clean_text
from .page import node_text

_MAX_LABEL = 40
_LABELLED_LINE = re.compile(r"^([^:：\n]{2,%d}?)\s*[:：]\s*(\S.{0,200})$" % _MAX_LABEL, re.S)


def label_key(text):
    """A label as compared: case-folded, without trailing colons and extra spaces."""
    return re.sub(r"\s+", " ", (text or "").casefold()).strip(" :：*\u00a0-–") or None


_BLOCKS = frozenset({"li", "p", "div", "br", "table", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "section",
                     "article", "header", "footer", "aside", "main", "nav", "form", "h1", "h2", "h3", "h4", "h5", "h6"})


def short_text(node, budget=40):
    """A node's clean text when it is small (at most ``budget`` nodes below it), else None: bounded work, so a
    page of thousands of nested elements costs each candidate a few steps, not a walk of everything below it."""
    parts = []
    for count, child in enumerate(node.traverse(include_text=True)):
        if count > budget:
            return None
        if child.tag == "-text":
            parts.append(child.text_content or "")
    return clean_text(" ".join(parts))


def has_inside(node, tags, budget=500):
    """Whether an element named in ``tags`` lies below ``node`` (within its first ``budget`` nodes)."""
    for count, child in enumerate(node.traverse(include_text=False)):
        if count > budget:
            return False
        if count and child.tag in tags:
            return True
    return False


def _children(node):
    return node.iter(include_text=False)


_NOT_LABELS = frozenset({"a", "button", "option", "select", "title", "script", "style", "noscript", "textarea"})


def labelled_values(root, labels, limit=400):
    """``{label key: value node}`` for those of ``labels`` the page shows below ``root`` (first one wins).

    The candidates are the elements whose own text contains one of the labels (lexbor filters
    them in C: one scan of the page for all labels); each is taken, or its parent up to two
    levels, when its whole short text is a label: then ``dt``→``dd``, ``th``/label ``td`` → the
    next cell, any other element → its next non-empty sibling; a "Label: value" line gives
    the rest of the line.
    """
    keys = {key for key in map(label_key, labels) if key}
    found = {}
    if root is None or not keys:
        return found
    selector = ", ".join(':lexbor-contains("%s" i)' % key.replace("\\", "\\\\").replace('"', '\\"')
                         for key in sorted(keys))
    for candidate in root.css(selector)[:limit]:
        if candidate.tag in _NOT_LABELS:
            continue  # a menu link "Locations" is no label, nor a script mentioning one
        node = candidate
        for _ in range(3):
            if node is None or node.tag in ("body", "html"):
                break
            text = short_text(node, 60) or ""
            key = label_key(text)
            if key in keys:
                if key not in found:
                    value = _next_element(node, ("dd",) if node.tag == "dt" else ("td",) if node.tag in ("th", "td")
                                          else None)
                    if value is not None:
                        found[key] = value
                        break
            else:
                m = _LABELLED_LINE.match(text)
                line_key = label_key(m.group(1)) if m else None
                if line_key in keys and not any(c.tag in _BLOCKS for c in _children(node)):
                    found.setdefault(line_key, _Text(m.group(2)))
                    break
                if len(text) > _MAX_LABEL + 2:
                    break  # a sentence that mentions a label, not a label
            node = node.parent
    return found


class _Text:
    """A value read off a "Label: value" line, answering ``text()`` as a node does."""

    tag = "#text"

    def __init__(self, text):
        self._text = text

    def text(self, deep=True, separator=" "):  # noqa: ARG002 - the signature of a node's text()
        return self._text

    def css(self, _selector):
        return []


def _next_element(node, tags=None, steps=20):
    """The next sibling element with text (of ``tags`` when given), skipping lone ":" separators."""
    sibling = node.next
    while sibling is not None and steps > 0:
        steps -= 1
        if sibling.tag not in ("-text", "#text", "-comment", "#comment"):
            if tags and sibling.tag not in tags:
                return None
            text = short_text(sibling, 200)
            if text is None or (text and text not in (":", "：", "|", "-")):
                return sibling  # None: too large to read here, but not empty
        sibling = sibling.next
    return None


def place(*parts):
    """"Berlin, BE, DE" from the parts a page gives, skipping empty and repeated ones."""
    seen = []
    for part in parts:
        if isinstance(part, dict):
            part = part.get("name") or part.get("Name") or part.get("code") or part.get("Code")
        part = clean_text(part) if isinstance(part, str) else None
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen) or None


def attribute_json(page, selector, name):
    """The JSON value held in an attribute (``data-props="{&quot;offers&quot;: ...}"``), None when unreadable."""
    node = page.first(selector)
    raw = node.attributes.get(name) if node is not None else None
    values = jsonld.load_block(raw) if raw else []
    return values[0] if values else None


_REMOTE_IN = re.compile(r"^\s*(?:remote|anywhere|home[\s-]?based)\s*"
                        r"(?:(?:[-–,:(]\s*(?:in\s+)?|\s+in\s+)([^()]+?)\)?)?\s*$|"
                        r"^\s*([^()]+?)\s*[-–,(]\s*(?:remote|fully remote)\)?\s*$", re.I)


def remote_place(text):
    """The country or region of a remote place ("Remote (United States)" → "United States"), else None."""
    m = _REMOTE_IN.match(text or "")
    return (m.group(1) or m.group(2)) if m else None


def argument_json(page, callee):
    """The JSON object a script passes to ``callee(`` (``new US.Opportunity.Detail({...})``), None when absent."""
    decoder = json.JSONDecoder(strict=False)
    for _, _, text in page.scripts:
        start = text.find(callee + "(")
        while start != -1:
            brace = start + len(callee) + 1
            while brace < len(text) and text[brace] in " \t\r\n":
                brace += 1
            if text[brace:brace + 1] == "{":
                try:
                    return decoder.raw_decode(text, brace)[0]
                except (ValueError, RecursionError):
                    pass
            start = text.find(callee + "(", start + 1)
    return None


# Work arrangements as sites write them in their languages (en, de, nl, sv, da, no, fi, fr), fully remote first
_ARRANGEMENTS = (
    (re.compile(r"\b(?:fully|helt|volledig|vollständig|ausschließlich|nur\s+home\w*|fuldt|fullt|kokonaan|"
                r"full\s+remote|t[ée]l[ée]travail\s+complet)\b|100\s?%", re.I), "Remote"),
    (re.compile(r"\bhybri|\b(?:delvis|gedeeltelijk|teilweise|tageweise|delvist|osittain|partiel|occasionnel|"
                r"home-?office\s+möglich)\b", re.I), "Hybrid"),
    (re.compile(r"^(?:no|none|nej|geen|nein|ingen|ei)\b|on[\s-]?site|in[\s-]office|på plats|op locatie|vor ort|"
                r"präsenz|sur site|pr[ée]sentiel|work from office", re.I), "On-site"),
    (re.compile(r"remote|homeoffice|home office|distans|thuiswerk|télétravail|work from home", re.I), "Remote"),
)


def arrangement(text):
    """"Remote", "Hybrid" or "On-site" for a short arrangement label in any of the sites' languages, else None."""
    if not isinstance(text, str):
        return None
    return next((value for rx, value in _ARRANGEMENTS if rx.search(text)), None)


# Working time and contract words of the Nordic and Dutch career sites, in the engine's own English terms
_EMPLOYMENT_WORDS = (
    (re.compile(r"\b(?:heltid|fuldtid|voltijds?|kokoaikainen|tillsvidare\w*|fast\s+anst\w*|vast(?:\s+contract)?)\b", re.I),
     "Full-time"),
    (re.compile(r"\b(?:deltid|deeltijds?|osa-aikainen)\b", re.I), "Part-time"),
    (re.compile(r"\b(?:visstid\w*|vikariat|tijdelijk\w*|midlertidig|määräaikainen)\b", re.I), "Temporary"),
    (re.compile(r"\b(?:praktik\w*|trainee\w*|harjoittel\w*|werkstudent)\b", re.I), "Internship"),
    (re.compile(r"\b(?:zzp|freelance\w*|frilans\w*|konsult\w*)\b", re.I), "Contract"),
)


def employment_words(text):
    """"Full-time", "Part-time"... for a working-time label in Swedish, Danish, Norwegian, Finnish or Dutch,
    else the text as it is (the engine reads English, French, German and Spanish itself)."""
    if not isinstance(text, str):
        return text
    return next((value for rx, value in _EMPLOYMENT_WORDS if rx.search(text)), text)


def without_place_suffix(title, places):
    """A title without a trailing ", Singapore" / " - London" naming one of ``places`` (the engine trims most
    suffixes, but not one after a comma, which titles also use: "Engineer, Platform")."""
    if not title:
        return title
    names = {p.strip().casefold() for place in places or () for p in [place, place.split(",")[0]] if p and p.strip()}
    m = re.match(r"^(.+?)\s*(?:,|\s[-–|]\s)\s*([^,]+?)\s*$", title)
    return m.group(1) if m and m.group(2).casefold() in names else title


_LOGO_WORDS = re.compile(r"(?:\s*[-|–]?\s*\b(?:company\s+)?(?:logo(?:type?|tipo)?|careers?|jobs|karriere|karriär|"
                         r"carrières|home(?:page)?)\b)+\s*$", re.I)


def without_logo_words(alt):
    """A company name from a logo's alt text: "Acme Careers logo" → "Acme"."""
    name = _LOGO_WORDS.sub("", clean_text(alt) or "")
    name = re.sub(r"^\s*(?:logo|careers?)\s+(?:of\s+|von\s+|de\s+)?", "", name, flags=re.I)
    return name.strip(" -|–") or None


# The labels most English job pages put beside their facts: the fallback of modules whose own data
# (a script's JSON) is gone from a rendered capture
COMMON_LABELS = {
    "locations": ("location", "locations", "job location", "work location"),
    "employment_type": ("employment type", "job type", "work type", "schedule"),
    "remote": ("workplace type", "location type", "work arrangement", "remote"),
    "salary": ("salary", "salary range", "pay range", "compensation", "pay"),
    "date_posted": ("date posted", "posted", "posting date", "posted on"),
    "valid_through": ("closing date", "apply by", "application deadline"),
}

# The same facts as global ATSes label them in French, German, Spanish, Dutch and Portuguese
FOREIGN_LABELS = {
    "locations": ("lieu", "localisation", "lieu de travail", "standort", "arbeitsort", "ubicación", "localización",
                  "locatie", "werklocatie", "localização", "local de trabalho"),
    "employment_type": ("type de contrat", "type d'emploi", "anstellungsart", "beschäftigungsart", "vertragsart",
                        "tipo de contrato", "tipo de empleo", "jornada", "dienstverband", "tipo de vaga"),
    "remote": ("télétravail", "mode de travail", "arbeitsmodell", "modalidad", "modalidade", "werkplek"),
    "salary": ("salaire", "rémunération", "gehalt", "vergütung", "salario", "sueldo", "salaris", "salário"),
    "date_posted": ("date de publication", "publié le", "veröffentlicht", "veröffentlicht am", "fecha de publicación",
                    "geplaatst", "data de publicação"),
    "valid_through": ("date limite", "date de clôture", "bewerbungsfrist", "fecha límite", "sluitingsdatum",
                      "data limite"),
}


def with_foreign(labels):
    """A module's labels plus the same facts' labels in French, German, Spanish, Dutch and Portuguese."""
    return {field: (*labels.get(field, ()), *FOREIGN_LABELS.get(field, ())) for field in {*labels, *FOREIGN_LABELS}}


class DeclaredSite(JobSite):
    """A site module whose fields are declared as ``paths``, ``selectors`` and ``labels`` (see above)."""

    paths = {}
    selectors = {}
    labels = {}
    facts_scope = ()  # where labelled facts are read: the first of these selectors found, else the whole page
    canonical_link = False  # True: the page's <link rel=canonical> is the posting's address (drops tracking)
    logos = ()  # selectors of the employer's logo <img>: its alt, then the site's name, name the company
    apply_step = None  # a regex of the application step's URL (no query), group 1 the posting's own URL

    def __init__(self, page, captured_at=None):
        super().__init__(page, captured_at)
        if self.step is not None:  # the form replaced the description, and the page is the application itself
            self.final = (*type(self).final, "description", "apply_url")

    @cached_property
    def step(self):
        """The application step's match on this page's URL, or None."""
        return re.search(self.apply_step, (self.page.url or "").split("?")[0]) if self.apply_step else None

    def __init_subclass__(cls, **kwargs):
        """A module's own field method comes first; when it answers nothing, the declared places answer."""
        super().__init_subclass__(**kwargs)
        for name in FIELDS:
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, "declared_fallback", False):
                setattr(cls, name, _then_declared(name, method))

    @cached_property
    def _facts_root(self):
        scope = next(filter(None, map(self.page.first, self.facts_scope)), None)
        return scope or self.page.first("body") or self.page.dom.root

    @cached_property
    def _facts(self):
        return {}

    @cached_property
    def _folded_text(self):
        root = self._facts_root
        return (root.html if root is not None and root.tag not in ("body", "html") else self.page.text).casefold()

    def fact(self, *labels):
        """The text beside the first of ``labels`` the page shows (labels compared case-folded)."""
        if any(label_key(label) not in self._facts for label in labels):
            # one scan for these and every declared label, not one per question
            wanted = {label_key(label) for label in (*labels, *(other for ls in self.labels.values() for other in ls))} - {None}
            wanted -= set(self._facts)
            # only the labels the page's text holds at all: a selector per absent label costs a scan for nothing
            found = labelled_values(self._facts_root, [key for key in wanted if key in self._folded_text])
            self._facts.update({key: found.get(key) for key in wanted})
        for label in labels:
            node = self._facts.get(label_key(label))
            if node is not None:
                items = [i for i in (node_text(li) for li in node.css("li")) if i]
                return items if len(items) > 1 else node_text(node)
        return None

    def company(self):
        return self.declared("company") or self.employer()

    def employer(self):
        """On an ATS page the employer's logo alt ("Acme Careers logo") or the site's name ("Acme Careers")."""
        if not self.logos:
            return None  # a board's site name is the board's
        for selector in self.logos:
            name = without_logo_words(self.page.attr_of(selector, "alt"))
            if name:
                return name
        return without_logo_words(self.page.meta.get("og:site_name") or self.page.meta.get("application-name"))

    def company_logo(self):
        logos = (f"{selector}@src" for selector in self.logos)
        return self.declared("company_logo") or self.select(tuple(logos))

    def knows_layout(self):
        """A declared module knows the page when its data or marker is there, or the URL is its apply step."""
        return self.step is not None or self.marker is None or self.is_posting() is True

    def is_posting(self):
        """True when the site's own data holds a posting or its ``marker`` (JobSite's) is on the page, else None."""
        return True if self.data else super().is_posting()

    def canonical(self):
        if self.step is not None:
            return self.step.group(1)  # the posting, not its application step
        return self.page.canonical if self.canonical_link else None

    def select(self, spec, field=None):
        """The value one selector spec gives for ``field`` (see the module docstring)."""
        for one in (spec,) if isinstance(spec, str) else spec:
            if one.startswith("meta:"):
                value = clean_text(self.page.meta.get(one[5:].lower()))
            elif "@" in one:
                css, attr = one.rsplit("@", 1)
                value = self.page.attr_of(css, attr)
            elif field == "description":
                nodes = self.page.css(one)
                value = (nodes[0].inner_html if len(nodes) == 1 else "".join(n.html for n in nodes)) or None
            elif field == "locations":
                value = list(dict.fromkeys(self.page.texts_of(one))) or None
            else:
                value = self.page.text_of(one)
            if value:
                return value
        return None

    def declared(self, field):
        """The declared answer for ``field``: a data path, then a selector, then a label."""
        for path in self._paths(field):
            value = dig(self.data, *path)
            if value not in (None, "", [], {}):
                return value
        spec = self.selectors.get(field)
        value = self.select(spec, field) if spec else None
        if value:
            return value
        labels = self.labels.get(field)
        return self.fact(*labels) if labels else None

    def _paths(self, field):
        """A str is one key, a tuple one path of keys, a list alternatives (each a str or a tuple)."""
        paths = self.paths.get(field)
        alternatives = paths if isinstance(paths, list) else [paths] if paths else []
        return [(p,) if isinstance(p, str) else tuple(p) for p in alternatives]


def _then_declared(name, method):
    @functools.wraps(method)
    def read(self):
        if self.step is not None and (name == "apply_url" or (name == "description" and not self.data)):
            return None  # the application itself; its description only from the site's data, not the form
        value = method(self)
        return value if value not in (None, "", [], {}) else self.declared(name)

    read.declared_fallback = True
    return read


def _declared_field(name):
    def read(self):
        if self.step is not None and (name == "apply_url" or (name == "description" and not self.data)):
            return None  # the application itself; its description only from the site's data, not the form
        return self.declared(name)

    read.__name__ = name
    read.__doc__ = f"The declared {name} (paths, selectors, labels)."
    return read


for _name in FIELDS:
    if _name not in vars(DeclaredSite):
        setattr(DeclaredSite, _name, _declared_field(_name))
