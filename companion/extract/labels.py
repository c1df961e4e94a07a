"""Labelled facts: what a page states as "Label: value", in whichever layout it uses.

Job pages without structured data still name their facts for the reader: ``<dt>Location</dt>
<dd>Riga</dd>``, a ``<th>``/``<td>`` row, two ``<td>`` cells, "Salary: 45K" in a line of text,
a sidebar heading over its value (``<h2>Location Type</h2><p>Hybrid</p>``), a header chip
``<span>Standort</span><span>Berlin</span>``. All of these are a label text followed by a value
text close to it in the document, so one reading covers them: the page's text runs in order,
outside navigation, footers, forms, cookie banners and blocks of other jobs, and for each run that
is a known label (in English, French, German, Spanish, Dutch and Portuguese) the value that
follows it. The runs are gathered by the heuristics' one walk of the page (``heuristics.Heuristics._walk``,
with :func:`skipped` deciding what it leaves out). The engine checks each value as it checks any other (a "Job type" that says
"Information Technology" is no employment type and is passed over).
"""
import re
from functools import cached_property, lru_cache

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .normalize import clean_text

# Label words per field. Longer labels are tried first ("location type" before "location").
LABELS = {
    "title": ("job title", "title", "position", "position title", "role", "job", "vacancy", "poste",
              "intitulé du poste", "titre du poste", "stellenbezeichnung", "jobtitel", "puesto", "cargo",
              "título del puesto", "functie", "functietitel", "vacature", "título da vaga", "vaga"),
    "company": ("company", "company name", "employer", "hiring company", "hiring organization",
                "hiring organisation", "organization", "organisation", "entreprise", "employeur", "société",
                "unternehmen", "arbeitgeber", "firma", "empresa", "empleador", "bedrijf", "werkgever",
                "organisatie", "empregador"),
    "locations": ("location", "locations", "job location", "work location", "office location", "city",
                  "place of work", "based in", "lieu", "lieux", "lieu de travail", "localisation", "ville", "standort",
                  "standorte", "ubicaciones", "locaties", "locais",
                  "arbeitsort", "einsatzort", "dienstort", "ort", "ubicación", "ubicacion", "localización",
                  "lugar de trabajo", "ciudad", "locatie", "standplaats", "werklocatie", "plaats",
                  "werkplek", "localização", "localizacao", "local de trabalho", "local", "cidade"),
    "remote": ("location type", "workplace type", "workplace", "work arrangement", "work model",
               "working model", "remote", "remote work", "telecommute", "work location type",
               "mode de travail", "télétravail", "teletravail", "arbeitsmodell", "homeoffice", "home office",
               "remote-arbeit", "modalidad", "modalidad de trabajo", "trabajo remoto", "thuiswerken",
               "werkmodel", "regime de trabalho", "modelo de trabalho", "modalidade", "trabalho remoto"),
    "employment_type": ("job type", "type of job", "employment type", "employment", "type of employment",
                        "contract type", "type of contract", "contract", "position type", "work type", "job status",
                        "employee type", "employ. type", "emp. type", "commitment", "schedule", "hours",
                        "working hours", "duration", "tax term", "type de contrat", "type d'emploi",
                        "type de poste", "contrat", "temps de travail", "anstellungsart", "beschäftigungsart",
                        "vertragsart", "arbeitszeit", "art der anstellung", "anstellung", "tipo de contrato",
                        "tipo de empleo", "tipo de trabajo", "jornada", "jornada laboral", "dienstverband",
                        "type dienstverband", "contractvorm", "soort contract", "soort dienstverband",
                        "uren per week", "dienstverband type", "tipo de emprego", "tipo de vaga", "regime",
                        "regime de contratação", "carga horária"),
    "salary": ("salary", "salary range", "pay", "pay rate", "pay range", "base pay", "base salary", "wage",
               "wages", "compensation", "remuneration", "rate", "salary/rate", "rémunération", "salaire",
               "salaire annuel", "gehalt", "vergütung", "jahresgehalt", "salario", "sueldo", "salaris",
               "salarisindicatie", "salaris indicatie", "loon", "salário", "remuneração", "faixa salarial",
               "remuneración", "retribución", "vergoeding", "bolsa-auxílio", "bolsa auxílio"),
    "date_posted": ("posted", "date posted", "posted on", "posted date", "posting date", "published",
                    "published on", "date published", "publish date", "date", "publié le", "date de publication",
                    "mis en ligne", "mise en ligne", "publiée le", "veröffentlicht", "veröffentlicht am",
                    "datum", "online seit", "fecha de publicación", "publicado", "publicado el", "fecha",
                    "geplaatst", "geplaatst op", "publicatiedatum", "data de publicação", "publicada em",
                    "publicado em", "data"),
    "valid_through": ("closing date", "closes", "close date", "apply by", "apply before", "deadline",
                      "application deadline", "applications close", "expires", "expiry date", "expiration date",
                      "valid through", "valid until", "end date", "date limite", "date limite de candidature",
                      "date de clôture", "bewerbungsfrist", "bewerbungsschluss", "bewerben bis", "fecha límite",
                      "fecha de cierre", "sluitingsdatum", "reageren voor", "reageren tot", "solliciteren tot",
                      "data limite", "prazo", "candidaturas até", "inscrições até"),
}
_FIELD_OF = {label: field for field, labels in LABELS.items() for label in labels}
_LABEL = re.compile(r"^(%s)\s*(?:(:|：|\s[-–]\s)\s*(.*))?$" % "|".join(
    re.escape(label) for label in sorted(_FIELD_OF, key=len, reverse=True)), re.I | re.S)
MAX_LABELLED = 180  # "Location: Toronto, Ontario, Canada (hybrid)" fits; a sentence that starts "Location" does not
MAX_VALUE = 200
MAX_RUNS = 6000     # text runs read at most (by heuristics' one walk of the page): facts sit near the top

_SKIP_TAGS = frozenset({"nav", "footer", "form", "script", "style", "template", "noscript", "svg", "iframe",
                        "select", "option", "textarea", "button", "dialog", "head", "label", "input", "code"})
# Class/id words of blocks whose labels are not this posting's (other jobs, filters, banners, menus).
SKIP_NAMES = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|onetrust|newsletter|subscribe|modal|popup|breadcrumbs?|menu|navbar|"
    r"footer|search|filters?|facets?|login|signin|sign-in|share|sharing|social|similar|related|recommend\w*|"
    r"more-jobs|other-jobs|people-also\w*|also-viewed|trending|carousel|job-alert|application-form|"
    r"apply-form|sr-only|visually-hidden)(?:$|[\s_-])", re.I)
_SKIP_ROLES = frozenset({"navigation", "contentinfo", "search", "dialog", "alertdialog", "form"})


_BEM_MODIFIER = re.compile(r"--[\w-]*")


def names_of(attrs):
    """An element's class and id words, without BEM modifiers: "grid--2--sidebar" is a grid laid out with a
    sidebar, not a sidebar; "body--footer-sticky" is the body."""
    names = " ".join(filter(None, (attrs.get("class"), attrs.get("id"))))
    return _BEM_MODIFIER.sub("", names) if "--" in names else names


def page_form(node):
    """True for a <form> that wraps the page itself (ASP.NET WebForms put the whole body in one), which is
    no application form to leave out: it sits right in the body, holds the page's heading or landmarks,
    or links to a whole site (an application form links to a privacy notice or two)."""
    parent = node.parent
    return node.tag == "form" and parent is not None and (
        parent.tag == "body" or node.css_first("h1, main, nav, footer, header, [role=main]") is not None
        or len(node.css("a[href]")) >= 25)


def left_out(node, attrs, tags, roles, names_test):
    """The one test behind every walk's skipping: a subtree is left out for its tag (but a form that
    wraps the page is not), when hidden, for its ARIA role, or when ``names_test`` takes its class/id."""
    if node.tag in tags:
        return not page_form(node)
    if attrs.get("hidden") is not None or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if (attrs.get("role") or "").lower() in roles:
        return True
    style = attrs.get("style") or ""
    if "none" in style and re.search(r"display\s*:\s*none", style):
        return True
    names = names_of(attrs)
    return bool(names) and names_test(names)


def skipped(node, attrs):
    """True for a subtree whose text is no part of the posting's own facts."""
    return left_out(node, attrs, _SKIP_TAGS, _SKIP_ROLES, _skip_names)


@lru_cache(maxsize=4096)
def _skip_names(names):
    """Cached: a page repeats a few class names thousands of times (see heuristics._boilerplate_names)."""
    return bool(SKIP_NAMES.search(names))


def _lines(element):
    """An element's text with its <br> line breaks as " · "."""
    if element.css_first("br") is None:
        return element.text(deep=True)
    parts = re.split(r"<br\s*/?>", element.inner_html or "", flags=re.I)
    return " · ".join(filter(None, (clean_text(HTMLParser(part).text(deep=True)) for part in parts)))


def _within(node, ancestor):
    """True when ``node`` is ``ancestor`` or inside it."""
    while node is not None:
        if node.mem_id == ancestor.mem_id:
            return True
        node = node.parent
    return False


class Facts:
    """The labelled facts of one page: ``facts.get("locations")`` is the list of values, in page order."""

    def __init__(self, runs):
        self.runs = runs

    @cached_property
    def values(self):
        found = {}
        runs = self.runs
        for index, (text, element) in enumerate(runs):
            if len(text) > MAX_LABELLED:
                continue
            m = _LABEL.match(text)
            if not m:
                continue
            field = _FIELD_OF.get(m.group(1).casefold())
            if field is None:
                continue
            rest = clean_text(m.group(3) or "")
            if rest:
                value = rest  # "Location: Riga" in one run
            else:
                if not m.group(2) and clean_text(element.text(deep=True)) != text:
                    continue  # a bare word inside a sentence ("... our <b>location</b> is ...") is no label
                value = self._value_after(index, element, lines=field == "locations")
            if value and len(value) <= MAX_VALUE and not _LABEL.match(value):
                found.setdefault(field, []).append(value)
        return found

    def _value_after(self, index, label_element, lines=False):
        """The text that follows a label run, if it sits beside it: within the label element's grandparent
        (a dt and its dd, th and td, a heading and its paragraph, two chips in one box). ``lines``: a value
        written one line each ("Utrecht<br>Amersfoort": two places) keeps its lines apart, with " · "."""
        scope = label_element.parent or label_element
        scope = scope.parent or scope
        for text, element in self.runs[index + 1:index + 4]:
            if text in (":", "：", "-", "–"):
                continue
            if not _within(element, scope):
                return None
            whole = clean_text(_lines(element) if lines else element.text(deep=True))  # "IT<br> Government" is one value
            return whole if whole and len(whole) <= MAX_VALUE and whole.startswith(text) else text
        return None

    def get(self, field):
        return self.values.get(field, [])
