"""Who runs the page: the site's own names, and a company read from the page's evidence.

A page's <title> and og:title mix the posting's title with the site's name ("Careers | Acme",
"Neueda Labs"); headings sometimes name the site too (an <h1> that is the logo). These helpers
say which texts name the site, which segments of the <title> a title candidate can be checked
against, the employer the posting's own sentences name ("About Acme", "At Acme, we..."), and,
when nothing names the employer, who it most likely is: og:site_name, application-name, the
logo's alt text, the copyright line, the host name last (``careers.acme.com`` → Acme,
``jobs.lever.co/acme`` → Acme). A company found only that way is a guess, and the capture asks
the person to review it.
"""
import re
from functools import lru_cache
from urllib.parse import urlsplit

from .normalize import clean_text

MAX_TITLE = 300  # a page's titles are read this far (see meta.MAX_TITLE)
SEPARATORS = re.compile(r"\s+[|–—·•:]\s+|\s+-\s+")
# ATS hosts that carry the employer in the first label ("acme.bamboohr.com", "acme.wd5.myworkdayjobs.com"),
# those that carry it in the path ("jobs.lever.co/acme"), and job boards, which name no employer at all.
_ATS_SUBDOMAIN = re.compile(r"\.(?:bamboohr\.com|recruitee\.com|teamtailor\.com|jobs\.personio\.(?:de|com)|"
                            r"breezy\.hr|(?:wd\d+\.)?myworkdayjobs\.com|icims\.com|avature\.net|taleo\.net|"
                            r"applytojob\.com|pinpointhq\.com|jobs\.eightfold\.ai|phenompeople\.com)$", re.I)
_ATS_PATH = re.compile(r"(?:^|\.)(?:lever\.co|greenhouse\.io|ashbyhq\.com|workable\.com|smartrecruiters\.com|"
                       r"jobvite\.com|rippling\.com|dover\.com|join\.com|wellfound\.com|welcometothejungle\.com)$",
                       re.I)
_BOARDS = re.compile(r"(?:^|\.)(?:linkedin|indeed|glassdoor|monster|ziprecruiter|dice|careerbuilder|stepstone|reed|"
                     r"totaljobs|seek|xing|naukri|simplyhired|jooble|careerbeacon)\.", re.I)
_HOST_NOISE = frozenset({"www", "careers", "career", "jobs", "job", "apply", "recruiting", "recruitment", "hr",
                         "talent", "join", "work", "emplois", "karriere", "stellen", "empleo", "vacatures",
                         "werkenbij", "boards", "job-boards", "en", "fr", "de", "es", "nl", "pt", "us", "uk",
                         "eu", "www2", "m", "app"})
_PATH_NOISE = re.compile(r"[\d-]+|[0-9a-f-]{16,}|jobs?|careers?|o|j|p|en(?:-\w\w)?|apply", re.I)
_LOGO_WORDS = re.compile(r"\b(?:logo(?:type|tipo|typ)?|careers?|jobs?|home(?:page)?|go\s+to|back\s+to|link\s+to|"
                         r"icon|image|img|brand|header|banner|hero|site|emplois?|karriere|empleo|in[ií]cio|accueil|"
                         r"startseite|inicio|p[aá]gina\s+(?:inicial|principal))(?!\w)", re.I)
_COPYRIGHT = re.compile(r"(?:©|&copy;|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?[,.]?\s*"
                        r"([A-Z][\w&.,'’ -]{1,60}?)\s*(?:[,.]?\s*(?:all\s+rights|alle\s+rechte|tous\s+droits|"
                        r"todos\s+los|alle\s+rechten|todos\s+os)|[|•·]|$)", re.I)
_LEGAL_TAIL = re.compile(r"[,.]?\s*(?:\d{4}|all rights reserved)\.?$", re.I)
SITE_WORDS = re.compile(r"\b(?:jobs?|careers?|emplois?|carri[eè]res?|karriere|stellenangebote|vacatures|empleos?|vagas|"
                        r"trabalhe\s+conosco|trabaj[ae]\s+con\s+nosotros|work\s+with\s+us|join\s+us|rejoignez[-\s]nous|"
                        r"vacanc(?:y|ies)|openings|opportunities|"
                        r"recrutement|recruitment|recruiting|werken\s+bij|offres?\s+d'emploi|empleo|"
                        r"linkedin|indeed|glassdoor|job\s+board)\b", re.I)
# Hiring platforms and boards: a page may name them (og:site_name "Workable", "Powered by Greenhouse"),
# but they are never the employer.
PLATFORMS = re.compile(r"^(?:powered\s+by\s+)?(?:greenhouse|lever|workable|ashby|smartrecruiters|recruitee|personio|"
                       r"teamtailor|bamboohr|bamboo\s+hr|jazzhr|jobvite|icims|workday|taleo|successfactors|breezy(?:\s+hr)?|"
                       r"pinpoint|rippling|dover|avature|eightfold|phenom|linkedin|indeed|glassdoor|monster|ziprecruiter|"
                       r"dice|careerbuilder|stepstone|xing|naukri|wellfound|welcome\s+to\s+the\s+jungle|seek)"
                       r"(?:\.\w+)?(?:\s+(?:jobs?|careers?))?$", re.I)
# Words that make "Careers Advisor" a job title rather than a site's "Acme Careers".
JOB_TITLE_WORDS = re.compile(r"\b(?:advis[oe]r|coach|counsel+or|consultant|manager|officer|specialist|coordinator|"
                             r"lead|director|assistant|engineer|developer|designer|analyst|intern|technician|"
                             r"representative|associate|administrator|architect|scientist|nurse|driver|operator|"
                             r"supervisor|head|executive|clerk|agent|sales|marketing|accountant|teacher|"
                             r"ing[ée]nieur|entwickler|desarrollador|vendeur|verk[äa]ufer|"
                             # the same in French, German, Spanish, Dutch and Portuguese titles
                             r"werkstudent|praktikant|praktikum|trainee|auszubildende|mitarbeiter|sachbearbeiter|"
                             r"kauf(?:mann|frau)|fachkraft|leiter|referent|berater|erzieher|pfleger|stagiaire|"
                             r"alternan(?:t|ce)|charg[ée]e?\s+de|responsable|commercial|technicien|infirmi[eè]re?|"
                             r"conseill[eè]re?|gestionnaire|d[ée]veloppeu(?:r|se)|auxiliar|t[ée]cnico|gerente|jefe|"
                             r"encargad[oa]|becari[oa]|medewerker|adviseur|beheerder|verpleegkundige|stagiair|"
                             r"estagi[áa]ri[oa]|analista|assistente|coordenador|vendedor)", re.I)


_EMPLOYER_SITE = re.compile(r"^(?:(?:jobs?|careers?|carri[eè]res?|karriere|stellenangebote|empleos?|vacatures|vagas|"
                            r"working|work|life|werken|arbeiten|travailler|trabajar|trabalhar|trabaja|trabalhe|"
                            r"recrutement|recruitment)\s+(?:at|@|chez|bei|en|bij|em|with|na|no|con)\s+(?P<a>.+)|"
                            r"(?P<b>.+?)\s+(?:jobs?|careers?|carri[eè]res?|karriere|stellenangebote|empleos?|vacatures|"
                            r"vagas)(?:\s+(?:site|page|portal))?)$", re.I)


def employer_of_site(segment):
    """The employer a careers site's name gives: "Careers at Acme" → "Acme", "Acme Jobs" → "Acme"; else None."""
    m = _EMPLOYER_SITE.match(segment or "")
    name = (m.group("a") or m.group("b")).strip(" -|:") if m else None
    return name if name and not SITE_WORDS.search(name) and not _NOT_EMPLOYER.match(name) and len(name) <= 60 else None


def segments(text):
    """"Title | Company | Site" → ["Title", "Company", "Site"] (cleaned, non-empty)."""
    return [part for part in (clean_text(p) for p in SEPARATORS.split(text or "")) if part]


@lru_cache(maxsize=64)
def _host_brand(url):
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if not host or _BOARDS.search(host) or re.fullmatch(r"[\d.:]+", host):
        return None
    if _ATS_SUBDOMAIN.search(host):
        word = host.split(".")[0]
        word = re.sub(r"^(?:careers?|jobs?)-|-(?:careers?|jobs?)$", "", word)
    elif _ATS_PATH.search(host):
        word = next((s for s in parts.path.split("/") if s and not _PATH_NOISE.fullmatch(s)), None)
    else:
        labels = [label for label in host.split(".")[:-1] if label not in _HOST_NOISE]
        if len(labels) >= 2 and len(labels[-1]) <= 3:  # "acme.co.uk" → "acme"
            labels = labels[:-1]
        word = labels[-1] if labels else None
    if not word or len(word) < 2 or word in _HOST_NOISE:
        return None
    word = re.sub(r"[-_]+", " ", word).strip()
    return word.title() if word.islower() else word  # "northwind-labs" → "Northwind Labs"


def host_brand(url):
    """The employer a host names: ``careers.acme.com`` → "Acme", ``jobs.lever.co/acme-inc/...`` → "Acme inc";
    None for a job board or an address that names nobody."""
    return _host_brand(url or "")


def site_names(page):
    """Casefolded names the page gives itself (og:site_name, application-name, twitter:site, host brand)."""
    meta = page.meta
    names = {clean_text(meta.get("og:site_name")), clean_text(meta.get("application-name")),
             clean_text((meta.get("twitter:site") or "").lstrip("@")), host_brand(page.url)}
    return {name.casefold() for name in names if name}


def names_employer(text, page):
    """True when a heading reads as the employer's name rather than a job: it starts with the name the
    host gives ("Quayside Robotics" on quayside.example) and carries no job-title word."""
    brand = re.sub(r"[\s_-]+", "", (host_brand(page.url) or "").casefold())
    folded = (text or "").casefold()
    squeezed = re.sub(r"[\s_-]+", "", folded)  # "Quayside Robotics" on quaysiderobotics.com
    return len(brand) >= 3 and squeezed.startswith(brand) and not JOB_TITLE_WORDS.search(folded)


def title_segments(page):
    """Casefolded segments of the page's og:title, twitter:title and <title>, each whole title included."""
    meta = page.meta
    found = []
    for raw in (meta.get("og:title"), meta.get("twitter:title"), page.title_tag):
        text = clean_text((raw or "")[:MAX_TITLE])
        if text:
            found.append(text.casefold())
            found.extend(s.casefold() for s in segments(text))
    return tuple(dict.fromkeys(found))


def supported(text, title_segments_):
    """True when the page's titles state ``text`` (casefolded): as a segment, the start of one
    ("Mainframe Developer Jobs in Kansas City"), or "Title at/@ Company"."""
    if not text or len(text) < 3:
        return False
    return any(segment == text or segment.startswith((text + " ", text + ","))
               for segment in title_segments_)


def company_from_titles(page, title):
    """The company a page's titles name beside the posting's ``title``: "Title at Company",
    "Company - Title", "Title | Company | Site". None when they name none."""
    if not title:
        return None
    folded = title.casefold()
    # the site's own name is the employer's on a company site and on an ATS board ("jobs.lever.co/acme");
    # only a job board's name is not, and boards name themselves with words such as "Jobs" or their brand
    names = site_names(page) if _BOARDS.search(urlsplit(page.url or "").hostname or "") else set()
    meta = page.meta
    for raw in (page.title_tag, meta.get("og:title"), meta.get("twitter:title")):
        text = clean_text((raw or "")[:MAX_TITLE])
        if not text or folded not in text.casefold():
            continue
        m = re.search(r"%s\s+(?:at|@|chez|bei|en|bij|em)\s+(.+)$" % re.escape(title), text, re.I)
        if m:
            rest = segments(m.group(1))
            if rest and not SITE_WORDS.search(rest[0]) and not PLATFORMS.match(rest[0]) and rest[0].casefold() not in names:
                return rest[0]
        parts = segments(text)
        if not any(p.casefold() == folded for p in parts):
            continue
        for part in parts:
            key = part.casefold()
            if key != folded and not names and employer_of_site(part):
                return employer_of_site(part)
            if key == folded or key in names or SITE_WORDS.search(part) or PLATFORMS.match(part) or re.fullmatch(r"[\d#\s-]+", part) \
                    or len(part) > 60:
                continue
            from . import geo  # a "Title - Berlin" segment is the place, not the company

            if geo.looks_like_place(part):
                continue
            return part
    return None


# The posting's own sentences about its employer, in English, French, German, Spanish, Dutch and Portuguese:
# "About Northwind Traders", "Northwind is an equal opportunity employer", "At Northwind, we...", "Join Northwind",
# "Chez Lumen Santé, nous...", "Über Nordlicht", "Bij Harborline werk je...", "Northwind is hiring".
_JOINER = r"(?:&|and|und|et|y|e|de|du|des|der|van|von|la|le|di)"
_WORD = r"[A-ZÀ-ÖØ-Þ0-9][\w&'’.+-]*"
_NAME = r"(%s(?:[ \t]+(?:%s|%s)){0,4})" % (_WORD, _WORD, _JOINER)
_STATEMENTS = [re.compile(p) for p in (
    r"(?m)^\s*(?:About|À propos de|A propos de|Über|Sobre|Over|Acerca de|Qui est|Wer ist)\s+(?:(?:a|o|la|el|de|het|die|der|"
    r"das)\s+|l['’])?%s\s*[:?!.]?\s*$" % _NAME,
    r"(?<![\w-])%s\s+(?:is|est|ist|es|is een|é)\s+(?:an?\s+|un\s+|une\s+|ein\s+|una\s+|uma\s+)?"
    r"(?:equal\s+(?:opportunity|employment)|employeur\s+(?:inclusif|engagé)|Arbeitgeber|empleador|werkgever|empregador)" % _NAME,
    r"(?:^|[.!?]\s+|\n)(?:At|Chez|Bei|En|Bij|Na|No|Em)\s+%s,?\s+(?:we|you|our|nous|vous|on|wir|du|sie|somos|buscamos|"
    r"creemos|trabajamos|werk|ben|zijn|acreditamos|buscamos)\b" % _NAME,
    r"\b(?:Join|Rejoignez|Rejoins|Únete a|Unete a|Junte-se à|Junte-se a|Kom werken bij|Werde Teil von)\s+%s\b" % _NAME,
    r"(?<![\w-])%s\s+(?:is hiring|is looking for|is seeking|recrute|sucht|busca|zoekt|procura|contrata)\b" % _NAME,
)]
_NOT_EMPLOYER = re.compile(r"^(?:us|our|the|the team|we|you|this|a|an|our team|them|it|here|now|today|job|role|"
                           r"nous|notre|uns|unser|nosotros|nuestro|ons|onze|nos|nossa|conosco|le|la|les|der|die|das|"
                           r"el|los)$",
                           re.I)


def company_in_text(text, page=None):
    """The employer the posting's own text names ("About Northwind Traders", "At Northwind, we..."), the name
    stated most often; None when it names none. Navigation and footers are not read: pass the description."""
    if not text:
        return None
    counts = {}
    for rx in _STATEMENTS:
        for m in rx.finditer(text[:60_000]):
            name = re.sub(r"[ \t]+%s$" % _JOINER, "", m.group(1).split(". ")[0]).strip(" .,'’")  # not past a sentence
            if 2 <= len(name) <= 60 and not _NOT_EMPLOYER.match(name) and not SITE_WORDS.search(name) \
                    and not PLATFORMS.match(name) and not JOB_TITLE_WORDS.search(name):
                counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    names = site_names(page) if page is not None and _BOARDS.search(urlsplit(page.url or "").hostname or "") else set()
    ranked = sorted((n for n in counts if n.casefold() not in names), key=lambda n: (-counts[n], -len(n)))
    return ranked[0] if ranked else None


def guessed_company(page):
    """The employer as the page's own furniture names it (a guess, see the module docstring)."""
    meta = page.meta
    names = [clean_text(meta.get("og:site_name")), clean_text(meta.get("application-name")), _logo_name(page),
             _copyright_name(page), host_brand(page.url)]
    for name in names:
        if name and not SITE_WORDS.fullmatch(name):
            name = SITE_WORDS.sub("", name).strip(" -|:") or name
            if not PLATFORMS.match(name):
                return name
    return None


def _logo_name(page):
    for img in page.css("header img[alt], a[class*=logo i] img[alt], [class*=logo i] img[alt], [id*=logo i] img[alt], "
                        "img[class*=logo i][alt], img[src*=logo i][alt]")[:5]:
        alt = clean_text(_LOGO_WORDS.sub(" ", img.attributes.get("alt") or ""))
        alt = re.sub(r"['’]s$", "", (alt or "").strip(" -|:"))  # "Acme's logo" → "Acme"
        if alt and 2 <= len(alt) <= 60 and not alt.lower().startswith(("http", "/")):
            return alt
    return None


def _copyright_name(page):
    body = page.dom.body
    if body is None:
        return None
    for node in page.css("footer, [class*=footer i], [id*=footer i], [class*=copyright i]")[:6]:
        text = clean_text(node.text(deep=True, separator=" ")) or ""
        if len(text) > 3000:
            text = text[-3000:]
        m = _COPYRIGHT.search(text)
        if m:
            name = _LEGAL_TAIL.sub("", m.group(1)).strip(" ,.-")
            if 2 <= len(name) <= 60 and not name[:1].isdigit():
                return name
    return None
