"""Turn what pages write into the posting schema's values: salary, dates, work arrangement, job type.

Pure functions, table-tested in tests/test_normalize.py. Each takes the raw value a
source found (structured or text) and returns the schema's value, or None when the
value says nothing we can trust. Nothing here looks at a page.
"""
import datetime as _dt
import html as _html
import re
import unicodedata

from . import geo

# --------------------------------------------------------------------------- text


_WS = re.compile(r"\s+")


def clean_text(value):
    """One line of page text: entities decoded, whitespace collapsed; None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    if "&" in value:
        value = _html.unescape(value)
    value = _WS.sub(" ", value.replace("\u200b", "").replace("\ufeff", "")).strip()
    return value or None


# --------------------------------------------------------------------------- employment type

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "temporary", "internship", "other")
_EMPLOYMENT_RULES = (
    ("internship", r"intern(?:ship)?s?|stages?|stagiaire|stagiair|(?:pflicht)?praktikum|praktikant(?:in)?|"
                   r"werkstudent(?:in)?|pr[aá]cticas|becari[oa]|est[aá]gio|estagi[aá]ri[oa]|stage\s*/\s*alternance"),
    ("part_time", r"part[\s_-]?time|temps[\s-]partiel|teilzeit|minijob|media\s+jornada|medio\s+tiempo|deeltijd|"
                  r"tiempo\s+parcial|tempo\s+parcial|meio\s+per[ií]odo|parttime"),
    ("full_time", r"full[\s_-]?time|fulltime|cdi|permanent|temps[\s-]plein|vollzeit|"
                  r"jornada\s+completa|tiempo\s+completo|voltijd|regular\s+employee|"
                  r"contrat\s+(?:à|a)\s+dur[ée]e\s+ind[ée]termin[ée]e|unbefristet|festanstellung|"
                  r"tempo\s+integral|per[ií]odo\s+integral|contrato\s+indefinido|indefinido|efetivo|"
                  r"vast\s+(?:dienstverband|contract)|vaste\s+baan|onbepaalde\s+tijd|regime\s+clt|clt"),
    ("contract", r"contract(?:or|ual)?|freelance[rs]?|free[\s-]lance|ind[ée]pendant|self[\s-]employed|"
                 r"1099|c2c|corp[\s-]to[\s-]corp|consultant\s+position|auftragsbasis|zzp|aut[oó]nomo|"
                 r"freiberuflich|pj"),
    ("temporary", r"temporary|temp|cdd|fixed[\s-]term|seasonal|saisonnier|int[ée]rim(?:aire)?|interim|"
                  r"befristet|casual|vacation|contrat\s+(?:à|a)\s+dur[ée]e\s+d[ée]termin[ée]e|tijdelijk|"
                  r"tempor[aá]rio|temporal|bepaalde\s+tijd|uitzend\w*"),
    ("other", r"per[\s_-]?diem|volunteer|b[ée]n[ée]volat|apprentice(?:ship)?|alternance|apprentissage|apprenti(?:e)?|"
              r"ausbildung|duales\s+studium|bbl|bol|leerbaan|aprendiz(?:aje|agem)?|other"),
)
_EMPLOYMENT_RES = tuple((value, re.compile(r"(?<![a-z])(?:%s)(?![a-z])" % rx, re.I))
                        for value, rx in _EMPLOYMENT_RULES)


def employment_type(value):
    """"FULL_TIME", "Full-time", "CDI", "Contract", ["PART_TIME", ...] → the schema's value."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            found = employment_type(item)
            if found:
                return found
        return None
    text = clean_text(value)
    if not text or len(text) > 200:
        return None
    for result, rx in _EMPLOYMENT_RES:
        if rx.search(text):
            return result
    return None


# --------------------------------------------------------------------------- remote

_STRUCTURED_REMOTE = {
    "telecommute": "remote", "remote": "remote", "fully_remote": "remote", "remote_only": "remote",
    "work_from_home": "remote", "wfh": "remote", "hybrid": "hybrid", "remote_hybrid": "hybrid",
    "hybrid_remote": "hybrid", "onsite": "onsite", "on_site": "onsite", "in_office": "onsite",
    "office": "onsite", "in_person": "onsite", "on-site": "onsite", "in-person": "onsite",
}
# Short strings: a location line, a tag, a title suffix, a header attribute.
# Some days a week at home or at the office: "2 jours par semaine", "an zwei Tagen pro Woche", "3 days a week"
DAYS_A_WEEK = (r"\b(?:[1-4]|one|two|three|four|un|deux|trois|quatre|ein(?:em)?|zwei|drei|vier|uno|dos|tres|cuatro|een|"
               r"twee|drie|um|dois|tr[eê]s|quatro)\s+(?:jours?|tage?n?|days?|d[ií]as|dagen)\s+(?:par|pro|per|a|in\s+de|"
               r"por|na|die|the)\s+(?:semaine|woche|week|semana)\b")
_SHORT_HYBRID = re.compile(r"\bhybri[de]\b|\bh[ií]brid[oa]\b|t[ée]l[ée]travail\s+(?:partiel|fr[ée]quent|occasionnel|ponctuel|"
                           r"possible|\d)|remote\s+partiel|teilweise\s+remote|flexible\s+working|"
                           r"\b(?:occasional|frequent|partial)\s+remote\b", re.I)
_SHORT_REMOTE = re.compile(r"\bremote\b|t[ée]l[ée]travail|work(?:ing)?\s+from\s+home|\bwfh\b|home[\s-]based|"
                           r"\btelecommute\b|\bfernarbeit\b|\bteletrabajo\b|"
                           r"\bwork\s+from\s+anywhere\b|\banywhere\b", re.I)
_SHORT_ONSITE = re.compile(r"\bon[\s-]?site\b|\bin[\s-]office\b|\bin[\s-]person\b|pr[ée]sentiel|"
                           r"\bsur\s+site\b|\boffice[\s-]based\b|\bvor\s+ort\b", re.I)
_NOT_REMOTE = re.compile(r"\b(?:no|not|non|never|without)[\s-]+(?:a\s+|fully\s+)?remote\b|"
                         r"\bpas\s+de\s+t[ée]l[ée]travail\b|\bremote\s*:\s*no\b|"
                         r"t[ée]l[ée]travail\s+non\s+(?:autoris|possible)|"
                         r"\bremote\s+(?:work\s+)?not\s+(?:allowed|possible)\b", re.I)

# Long text (a description): only phrases that state the arrangement of *this* job.
_TEXT_HYBRID = re.compile(
    r"\bhybrid(?:[\s-]+(?:remote|work|working|role|position|model|arrangement|schedule|environment|"
    r"set[\s-]?up|policy|opportunity|job|basis|office|team|way|approach|pattern|options?|flexibility))"
    r"|\b(?:this|the)\s+(?:role|position|job)\s+is\s+hybrid\b|\bon\s+a\s+hybrid\s+basis\b"
    r"|\b\d\s*(?:-\s*\d\s*)?days?\s+(?:a|per|each)\s+week\s+(?:in|at|from)\s+(?:the|our)\s+office"
    r"|\b\d\s*(?:-\s*\d\s*)?days?\s+in\s+(?:the|our)\s+office"
    r"|\bhybrid\s*[,:;(–]|\bh[ií]brid[oa]\b"
    # some days a week at home: only beside a word for home or remote work ("three days a week" alone is part-time)
    r"|(?:home[\s-]?office|remote(?:ly)?|from\s+home|t[ée]l[ée]travail|thuis(?:werken)?|teletrabajo|trabalho\s+remoto|"
    r"mobile[sn]?\s+arbeiten)[^.\n]{0,40}" + DAYS_A_WEEK + r"|" + DAYS_A_WEEK +
    r"[^.\n]{0,30}(?:remote(?:ly)?|from\s+home|t[ée]l[ée]travail|home[\s-]?office|thuis|teletrabajo)"
    r"|\b(?:mix|combination)\s+of\s+(?:remote|home)\s+and\s+office\b"
    r"|t[ée]l[ée]travail\s+(?:partiel|fr[ée]quent|occasionnel|ponctuel|hybride|\d)"
    r"|\d\s+jours?\s+(?:de\s+)?t[ée]l[ée]travail|\bhybride\b", re.I)
_TEXT_REMOTE = re.compile(
    r"\b(?:fully|100\s*%|completely|entirely|totally|permanently)[\s-]+remote\b"
    r"|\bremote[\s-]+(?:first|only)\b"
    r"|\b(?:this|the)\s+(?:is\s+an?\s+|role\s+is\s+(?:an?\s+)?|position\s+is\s+(?:an?\s+)?|job\s+is\s+(?:an?\s+)?)"
    r"remote\b"
    r"|\b(?:is|are)\s+(?:a\s+)?remote\s+(?:role|position|job|opportunity)\b"
    r"|\bwork\s+(?:from\s+home|remotely|from\s+anywhere)\b(?!\s+(?:one|two|\d|occasionally|on\s+\w+days))"
    r"|\bfull[\s-]remote\b|\bremote\s+(?:role|position|job)\b"
    r"|t[ée]l[ée]travail\s+(?:total|complet|int[ée]gral|100)|100\s*%\s*t[ée]l[ée]travail", re.I)
_TEXT_ONSITE = re.compile(
    r"\b(?:fully|100\s*%|entirely)\s+on[\s-]?site\b"
    r"|\b(?:this|the)\s+(?:is\s+an?\s+)?(?:role|position|job)\s+is\s+(?:an?\s+)?(?:on[\s-]?site|in[\s-]office|"
    r"office[\s-]based)\b"
    r"|\b(?:is\s+an?\s+)(?:on[\s-]?site|in[\s-]office|office[\s-]based)\s+(?:role|position|job)\b"
    r"|\b(?:not\s+(?:a\s+)?remote|no\s+remote\s+work)\b|\ben\s+pr[ée]sentiel\b|\bsur\s+site\s+uniquement\b", re.I)


def remote_from_structured(value):
    """A site's own flag ("TELECOMMUTE", "REMOTE_HYBRID", "On-site", ["HYBRID"]...) → remote value."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        found = [remote_from_structured(v) for v in value]
        for choice in ("hybrid", "remote", "onsite"):
            if choice in found:
                return choice
        return None
    key = re.sub(r"[\s-]+", "_", str(value).strip().lower())
    if key in _STRUCTURED_REMOTE:
        return _STRUCTURED_REMOTE[key]
    return remote_from_short(str(value))


def remote_from_short(text):
    """A short line (location, tag, title) naming the arrangement; None when it names none."""
    text = clean_text(text)
    if not text:
        return None
    if _SHORT_HYBRID.search(text):
        return "hybrid"
    if _NOT_REMOTE.search(text):
        return "onsite"
    if _SHORT_REMOTE.search(text):
        return "remote"
    if _SHORT_ONSITE.search(text):
        return "onsite"
    return None


_REMOTE_KEYS = ("hybrid", "remote", "office", "home", "télétravail", "teletravail", "on-site", "onsite",
                "on site", "anywhere", "présentiel", "presentiel", "sur site", "hybride", "location:", "workplace",
                "lieu de travail", "arbeitsort", "modalidad", "werklocatie", "local de trabalho")


def windows(text, keys, radius=120):
    """Only the parts of a long text around ``keys`` (lower case), so phrase regexes stay cheap."""
    low = text.lower()
    spans = []
    for key in keys:
        start = low.find(key)
        while start >= 0:
            spans.append((max(0, start - radius), start + len(key) + radius))
            start = low.find(key, start + len(key))
    if not spans:
        return ""
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return "\n…\n".join(text[a:b] for a, b in merged)


# "Work location: In person", "Work Location: Hybrid remote in Toronto, ON" (Indeed's closing line), and the same label elsewhere
_WORK_LOCATION_LINE = re.compile(r"\b(?:work\s*location|workplace(?:\s+type)?|lieu\s+de\s+travail|arbeitsort|modalidad|"
                                 r"werklocatie|local\s+de\s+trabalho)\s*:\s*([^\n.;]{2,40})", re.I)


def remote_from_text(text):
    """A description's own statement of the arrangement (hybrid wins over remote, remote over onsite)."""
    if not text:
        return None
    text = windows(text, _REMOTE_KEYS)
    if not text:
        return None
    labelled = _WORK_LOCATION_LINE.search(text)
    stated = remote_from_short(re.sub(r"\bin\s+person\b", "on-site", labelled.group(1), flags=re.I)) if labelled else None
    if stated:
        return stated
    if _TEXT_HYBRID.search(text):
        return "hybrid"
    if _TEXT_REMOTE.search(text) and not _NOT_REMOTE.search(text):
        return "remote"
    if _TEXT_ONSITE.search(text):
        return "onsite"
    return None


# --------------------------------------------------------------------------- dates

_MONTHS = {}
for _number, _names in enumerate((
    "january jan janvier janv janeiro enero ene januar jänner januari gennaio gen",
    "february feb febr février févr fév fevrier fevr fev fevereiro febrero februar februari febbraio",
    "march mar mars março marzo märz maerz maart",
    "april apr avril avr abril aprile",
    "may mai mayo maio mei maggio mag",
    "june jun juin junho junio juni giugno giu",
    "july jul juillet juil julho julio juli luglio lug",
    "august aug août aout agosto augustus ago",
    "september sep sept septembre setembro septiembre septembre setiembre settembre set",
    "october oct octobre outubro octubre oktober ottobre okt ott",
    "november nov novembre novembro noviembre",
    "december dec décembre decembre déc dezembro diciembre dezember dic dez",
), start=1):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)
_MONTH_RX = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YMD_SLASH = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)")
_MDY = re.compile(r"\b(%s)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b" % _MONTH_RX, re.I)
_DMY = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|e|º|\.)?\s*(?:of\s+|de\s+)?(%s)\.?,?\s+(?:de\s+)?(\d{4})\b"
                  % _MONTH_RX, re.I)
_UNITS = {
    "minute": 0, "min": 0, "mins": 0, "hour": 0, "hr": 0, "h": 0, "second": 0, "sec": 0, "s": 0,
    "day": 1, "d": 1, "week": 7, "wk": 7, "w": 7, "month": 30, "mo": 30, "mth": 30,
    "year": 365, "yr": 365, "y": 365,
    "heure": 0, "jour": 1, "semaine": 7, "mois": 30, "an": 365, "année": 365,
    "stunde": 0, "tag": 1, "tage": 1, "tagen": 1, "woche": 7, "wochen": 7, "monat": 30, "monaten": 30,
    "jahr": 365, "jahren": 365,
    "hora": 0, "día": 1, "dia": 1, "semana": 7, "mes": 30, "meses": 30, "año": 365,
    "uur": 0, "dag": 1, "dagen": 1, "weken": 7, "maand": 30, "maanden": 30, "jaar": 365,
}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "einem": 1, "einer": 1, "uno": 1, "una": 1,
                 "een": 1, "two": 2, "deux": 2, "three": 3, "trois": 3}
_UNIT_RX = (r"minutes?|mins?|hours?|hrs?|h|seconds?|secs?|s|days?|d|weeks?|wks?|w|months?|mos?|mths?|years?|yrs?|y|"
            r"heures?|jours?|semaines?|mois|ans?|années?|stunden?|tagen?|tage|tag|wochen?|monate?n?|jahren?|jahre|"
            r"horas?|d[ií]as?|semanas?|mes(?:es)?|años?|uur|dagen|dag|weken|week|maanden|maand|jaar")
_COUNT_RX = r"\d+|an?|one|un|une|einem|einer|uno|una|een|two|deux|three|trois"
# "30+ days ago", "over a month ago", "il y a plus de 30 jours": no date can be read from them
_OPEN_ENDED = re.compile(r"\d+\s*\+\s*(?:days?|d|jours?|tage?n?|d[ií]as?|weeks?|months?)|"
                         r"\b(?:more\s+than|over|plus\s+de|mehr\s+als|m[aá]s\s+de|meer\s+dan)\s+(?:%s)\s*(?:%s)\b"
                         % (_COUNT_RX, _UNIT_RX), re.I)
_AGO = re.compile(r"\b(?<![.,])(%s)\s*(%s)\.?\s*(?:ago|geleden)\b" % (_COUNT_RX, _UNIT_RX), re.I)  # not "1.5 weeks"
_AGO_PREFIX = re.compile(r"\b(?:il\s+y\s+a|vor|hace|há|depuis)\s+(%s)\s+(%s)\b" % (_COUNT_RX, _UNIT_RX), re.I)
_TODAY = re.compile(r"\b(?:today|just\s+(?:now|posted)|aujourd'hui|aujourd’hui|heute|hoy|vandaag|oggi|"
                    r"posted\s+(?:an?\s+)?(?:few\s+)?(?:minutes?|hours?)\s+ago)\b", re.I)
_YESTERDAY = re.compile(r"\b(?:yesterday|hier|gestern|ayer|gisteren|ieri)\b", re.I)


def _unit_days(unit):
    unit = unit.lower().rstrip(".")
    if unit in _UNITS:
        return _UNITS[unit]
    for trim in (unit.rstrip("s"), unit[:-1], unit[:-2]):
        if trim in _UNITS:
            return _UNITS[trim]
    return None


def _safe_date(year, month, day):
    try:
        if year < 100:
            year += 2000
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value, captured_at=None, dayfirst=True):
    """A date as pages write it → "YYYY-MM-DD"; None when it is not a date or is open-ended.

    Relative dates ("3 days ago", "il y a 2 jours", "yesterday") count back from
    ``captured_at`` (default: today); "1 week ago" is 7 days. Epoch numbers (seconds or
    milliseconds) are read as UTC. ISO datetimes keep their date part as written.
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        if seconds <= 0:
            return None
        try:
            return _dt.datetime.fromtimestamp(seconds, _dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = clean_text(value)
    if not text or len(text) > 200:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return parse_date(int(text), captured_at)
    m = _ISO.search(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _YMD_SLASH.search(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MDY.search(text)
    if m:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DMY.search(text)
    if m:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _NUMERIC.search(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 or (dayfirst and b <= 12):
            return _safe_date(year, b, a)
        return _safe_date(year, a, b)
    return relative_date(text, captured_at)


def relative_date(text, captured_at=None):
    """"Posted 3 days ago", "4d ago", "il y a 2 semaines", "today" → a date before ``captured_at``."""
    base = captured_at or _dt.date.today()
    if _OPEN_ENDED.search(text):
        return None
    m = _AGO.search(text) or _AGO_PREFIX.search(text)
    if m:
        count = m.group(1).lower()
        count = int(count) if count.isdigit() else _NUMBER_WORDS.get(count)
        days = _unit_days(m.group(2))
        if count is None or days is None:
            return None
        return (base - _dt.timedelta(days=count * days)).isoformat()
    if _YESTERDAY.search(text):
        return (base - _dt.timedelta(days=1)).isoformat()
    if _TODAY.search(text):
        return base.isoformat()
    return None


# --------------------------------------------------------------------------- salary

_UNIT_TEXT = {
    "hour": "hour", "hourly": "hour", "hours": "hour", "hr": "hour", "h": "hour", "heure": "hour",
    "day": "day", "daily": "day", "days": "day", "jour": "day", "diem": "day",
    "week": "week", "weekly": "week", "weeks": "week", "wk": "week", "semaine": "week",
    "month": "month", "monthly": "month", "months": "month", "mois": "month", "mo": "month",
    "year": "year", "yearly": "year", "years": "year", "annual": "year", "annually": "year",
    "annum": "year", "yr": "year", "an": "year", "annuel": "year", "année": "year", "jahr": "year",
}
# A word before the unit ("per", "a", "par"...) must stand alone: "Utah" is no "a h", "Jahr" no
# "a hr", "promo" no "pro mo", "James" no "a mes". A slash needs no space: "45k/year", "€/an".
_PER = r"(?:(?<![a-z])(?:%s)[\s-]+|/\s*)"
_PERIOD_RES = (
    ("hour", re.compile(_PER % r"per|an|a|by\s+the|each|par|pro|por|la" + r"(?:hour|hr|h|heure|stunde|hora|uur)\b"
                        r"|\bhourly\b|\bp/?h\b|\bph\b|\bstundenlohn\b|\bhoraire\b|\b(?:à|de)\s+l['’]heure\b"
                        r"|\bhour\b", re.I)),
    ("day", re.compile(_PER % r"per|a|par|pro|por|each|al|ao|im" + r"(?:day|jour|tag|d[ií]a|dag)\b|\bdaily\b|\bday\s+rate\b"
                       r"|\bper\s+diem\b|\bp/?d\b|\btjm\b|\btagessatz\b|/\s*j\b", re.I)),
    ("week", re.compile(_PER % r"per|a|par|pro|por|each|a\s+la|na|in\s+der" + r"(?:week|wk|semaine|woche|semana)\b|\bweekly\b"
                        r"|\bp\.?w\.?\b", re.I)),
    ("month", re.compile(_PER % r"per|a|par|pro|por|each|al|ao|im" + r"(?:month|mo|mth|mois|monat|mes|m[eê]s|maand)\b|\bmonthly\b"
                         r"|\bpcm\b|\bp\.m\.|\bmensuel(?:le)?\b|\bmonatlich\b|\bmensual\b|\bmaandelijks\b", re.I)),
    ("year", re.compile(_PER % r"per|a|par|pro|por|each|al|ao|im" + r"(?:year|yr|annum|an|année|jahr|año|ano|jaar)\b|\byearly\b"
                        r"|\bannual(?:ly)?\b|\bp\.?\s?a\.?(?![a-z])|\bannuel(?:le)?\b|\bbrut\s+annuel\b|\bjährlich\b"
                        r"|\bjahresgehalt\b|\banual\b|\bjaarlijks\b|\bk€\s*/\s*an\b", re.I)),
)

_SYMBOLS = (  # longest first
    ("CA$", "CAD"), ("C$", "CAD"), ("CAN$", "CAD"), ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"),
    ("US$", "USD"), ("U$S", "USD"), ("S$", "SGD"), ("SG$", "SGD"), ("HK$", "HKD"), ("R$", "BRL"),
    ("MX$", "MXN"), ("NT$", "TWD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"),
    ("₩", "KRW"), ("₪", "ILS"), ("₱", "PHP"), ("₦", "NGN"), ("₺", "TRY"), ("zł", "PLN"), ("Kč", "CZK"),
    ("$", "$"),
)
_ISO_CODES = {"USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
              "RON", "INR", "JPY", "CNY", "RMB", "SGD", "HKD", "ZAR", "BRL", "MXN", "ILS", "AED", "TRY", "KRW",
              "PHP", "MYR", "IDR", "THB", "NGN", "KES", "ARS", "CLP", "COP", "ISK", "BGN", "UAH", "TWD"}
_WORD_CURRENCY = (
    (re.compile(r"\beuros?\b", re.I), "EUR"), (re.compile(r"\b(?:pounds?|sterling)\b", re.I), "GBP"),
    (re.compile(r"\brupees?\b|\brs\.?(?=\s*\d)", re.I), "INR"), (re.compile(r"\bfrancs?\s+suisses?\b", re.I), "CHF"),
    (re.compile(r"\bdollars?\b", re.I), "$"), (re.compile(r"(?<![a-z])kr\.?(?![a-z])", re.I), "kr"),
    (re.compile(r"\bzloty\b|\bpln\b", re.I), "PLN"), (re.compile(r"\bfr\.(?=\s*\d)|\bchf\b", re.I), "CHF"),
)
_CODES_RX = "|".join(sorted(_ISO_CODES))
_CODE_RX = re.compile(r"(?<![A-Za-z])(%s)(?![A-Za-z])" % _CODES_RX)
_AMOUNT = re.compile(  # "120,000", "50.000", "120 000", "CHF 120'000", "45,5", "12,00,000" (India's lakhs)
    r"(?<![\d.,])(\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|"
    r"\d{1,3}(?:(?:[,.'\u2019]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?![\d])(?:\s?([kK]|[mM](?:illion|io)?|mille|thousand|tsd\.?)(?![a-zA-Z]))?")
_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|‒|~|to|à|a|au|bis|and|y|et|tot|until|through|up\s+to|jusqu'à|-\s*>)\s*$", re.I)
_DROP_FROM_GAP = re.compile(r"[A-Z]{0,3}\$|[€£¥₹₩₪]|\b(?:%s)\b|/\s*(?:h|hr|hour|an|yr|year)\b|brut|gross|"
                            r"[kK](?![a-zA-Z])" % _CODES_RX, re.I)
_MARK_BEFORE = re.compile(r"(?:[$€£¥₹₩₪₱₦₺]|\b(?:%s))\s?$" % _CODES_RX)
_MARK_AFTER = re.compile(r"\s?(?:[$€£¥₹₩₪₱₦₺]|(?:%s)\b)" % _CODES_RX)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Figures that are no pay: US retirement plans ("401(k) match", "403b plan").
_PLAN = re.compile(r"\b(?:401|403|457)\s*\(?[kb]\)?(?![a-z])", re.I)
_NOT_PAY = re.compile(r"glassdoor\s+est|indeed\s+est|estimated\s+(?:salary|pay|by)|employer\s+est\b|"
                      r"\best\.\s*\)|salary\s+estimate|budget|funding|raised|revenue|valuation|bonus\s+of|"
                      r"stipend\s+of|allowance|reimburse|per\s+employee", re.I)
# Extras named after the pay ("£38,000 a year, plus an offshore allowance") end the pay text;
# named before a figure, they are that figure ("Car allowance of £5,000"), which is refused.
_EXTRAS_AFTER_PAY = re.compile(r"\b(?:bonus\s+of|stipend\s+of|allowance|reimburse)", re.I)
_PLAUSIBLE = {"hour": (5, 2000), "day": (30, 10000), "week": (100, 40000), "month": (300, 200000),
              "year": (5000, 10_000_000)}


def _marked(text, amount):
    """True when a currency sign or code sits right beside a figure ("$120,000", "45K €", "USD 100")."""
    return bool(_MARK_BEFORE.search(text, max(0, amount.start() - 5), amount.start())
                or _MARK_AFTER.match(text, amount.end()))


def _joined(text, first, second):
    """True when two figures form a range ("45K à 55K €", "$50,000 - $60,000", "$50-60k")."""
    gap = _DROP_FROM_GAP.sub("", text[first.end():second.start()])
    return bool(_RANGE_GAP.match(gap) or not gap.strip())


def _to_number(text):
    """"50.000" → 50000, "1,234.50" → 1234.5, "45,5" → 45.5, "120 000" → 120000."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("'", "").replace("\u2019", "")
    text = text.replace(" ", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        parts = text.split(sep)
        if len(parts) > 2 or len(parts[-1]) == 3:
            text = text.replace(sep, "")
        else:
            text = text.replace(sep, ".")
    try:
        return float(text)
    except ValueError:
        return None


def _multiplier(suffix):
    if not suffix:
        return 1
    suffix = suffix.lower().rstrip(".")
    if suffix in ("k", "mille", "thousand", "tsd"):
        return 1000
    return 1_000_000


def _number_out(value):
    value = round(value, 2)
    return int(value) if value == int(value) else value


def currency_in(text):
    """The currency a salary text names: an ISO code, "$" (country unknown), "kr", or None."""
    for symbol, code in _SYMBOLS:
        if symbol in text:
            if symbol == "$":
                m = re.search(r"\b([A-Z]{2,3})\s?\$", text)
                if m and m.group(1) + "$" in dict(_SYMBOLS):
                    return dict(_SYMBOLS)[m.group(1) + "$"]
            return code
    m = _CODE_RX.search(text)
    if m:
        return "CNY" if m.group(1) == "RMB" else m.group(1)
    for rx, code in _WORD_CURRENCY:
        if rx.search(text):
            return code
    return None


def period_in(text):
    """The pay period a salary text names ("a year", "/hr", "per annum", "brut annuel"...), or None."""
    for period, rx in _PERIOD_RES:
        if rx.search(text):
            return period
    return None


_DOLLAR_COUNTRIES = frozenset({"US", "CA", "AU", "NZ", "SG", "HK", "MX", "TW", "AR", "CL", "CO", "JM", "PR"})


def resolve_currency(code, country=None):
    """Turn "$" and "kr" into an ISO code by the site's country (CAD on a Canadian board);
    with no currency at all, the country's own currency."""
    if code == "$":
        return geo.COUNTRIES[country][1] if country in _DOLLAR_COUNTRIES else "USD"
    if code == "kr":
        return {"NO": "NOK", "DK": "DKK", "IS": "ISK"}.get(country or "", "SEK")
    if code is None and country in geo.COUNTRIES:
        return geo.COUNTRIES[country][1]
    return code


def _infer_period(high):
    if high >= 15000:
        return "year"
    if high >= 1500:
        return "month"
    if high >= 200:
        return "day"
    return "hour"


def parse_salary_text(text, country=None, strict=False):
    """"$120K – $150K a year", "CA$45/hr", "€50.000 - €60.000", "45K à 55K €" → salary dict or None.

    ``country`` (ISO alpha-2) resolves a bare "$". ``strict`` is for free text such as a
    description line: it requires a currency and a plausible amount for the period, and
    refuses estimates, budgets and other money that is not this job's pay.
    """
    text = clean_text(text)
    if not text or len(text) > 400:
        return None
    extra, first_amount = _EXTRAS_AFTER_PAY.search(text), _AMOUNT.search(text)
    if extra and first_amount and re.search(r"[,;+]|\b(?:plus|and|with)\b", text[first_amount.end():extra.start()]):
        text = text[:extra.start()]
    if _NOT_PAY.search(text):
        return None
    text = _PLAN.sub(" ", text)
    amounts = list(_AMOUNT.finditer(text))
    # a year before the pay is no figure of it: "2026 salary range: $100,000 - $120,000"
    while (len(amounts) > 1 and _YEAR.fullmatch(amounts[0].group(0)) and not _marked(text, amounts[0])
           and not _joined(text, amounts[0], amounts[1]) and any(_marked(text, m) for m in amounts[1:])):
        amounts.pop(0)
    if not amounts:
        return None
    currency = currency_in(text)
    if strict and not currency:
        return None
    first = amounts[0]
    low = _to_number(first.group(1))
    if low is None:
        return None
    low_mult = _multiplier(first.group(2))
    high, high_mult = None, 1
    if len(amounts) > 1:
        second = amounts[1]
        if _joined(text, first, second):
            high = _to_number(second.group(1))
            high_mult = _multiplier(second.group(2))
    if high is not None and low_mult == 1 and high_mult > 1 and low * high_mult <= high * high_mult and low < 1000:
        low_mult = high_mult  # "50-60k"
    low *= low_mult
    high = high * high_mult if high is not None else low
    if low > high:
        low, high = high, low
    if high <= 0:
        return None
    period = period_in(text) or _infer_period(high)
    if strict:
        floor, ceiling = _PLAUSIBLE[period]
        if currency in ("$", "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SGD") and not floor <= high <= ceiling:
            return None
    return {"min": _number_out(low), "max": _number_out(high),
            "currency": resolve_currency(currency, country), "period": period}


def _number_or_text(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = _AMOUNT.search(value)
        if m and _DROP_FROM_GAP.sub("", value[m.end():]).strip(" .") in ("",):
            number = _to_number(m.group(1))
            return number * _multiplier(m.group(2)) if number is not None else None
    return None


def _currency_code(value):
    """A structured currency field ("usd", "US$", "€", "$") as an ISO code, or "$"/"kr" for the country to settle."""
    code = clean_text(value)
    if not code:
        return None
    code = code.upper()
    if code in _ISO_CODES:
        return code
    return currency_in(code) or (code if re.fullmatch(r"[A-Z]{3}", code) else None)


def salary(value, country=None, currency=None, unit=None):
    """A structured salary (schema.org MonetaryAmount, a site's min/max/currency/period dict,
    a number or a text) → ``{min, max, currency, period}``; None when it gives no figure."""
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, list):
        for item in value:
            found = salary(item, country, currency, unit)
            if found:
                return found
        return None
    if isinstance(value, str):
        found = parse_salary_text(value, country)
        code = _currency_code(currency)
        if found and code and currency_in(value) in (None, "$", "kr"):
            found["currency"] = resolve_currency(code, country)
        if found and unit and not period_in(value):
            found["period"] = _unit_to_period(unit) or found["period"]
        if found and not found["currency"]:
            found["currency"] = resolve_currency(None, country) or "USD"
        return found
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = {"value": value}
    if not isinstance(value, dict):
        return None
    currency = value.get("currency") or value.get("salaryCurrency") or value.get("currencyCode") or currency
    unit = value.get("unitText") or value.get("unit") or value.get("period") or value.get("interval") or unit
    inner = value.get("value")
    if isinstance(inner, dict):
        return salary(inner, country, currency, unit)
    if isinstance(inner, list):
        return salary(inner, country, currency, unit)
    low = _number_or_text(value.get("minValue", value.get("min", value.get("minimum"))))
    high = _number_or_text(value.get("maxValue", value.get("max", value.get("maximum"))))
    single = _number_or_text(inner) if inner is not None else None
    if single is None and isinstance(inner, str):
        found = salary(inner, country, currency, unit)
        return found
    if low is None and high is None:
        low = high = single
    elif low is None:
        low = high
    elif high is None:
        high = low
    if low is None or (low == 0 and high == 0):
        return None
    if low > high:
        low, high = high, low
    code = resolve_currency(_currency_code(currency), country) or "USD"
    period = _unit_to_period(unit) or _infer_period(high)
    return {"min": _number_out(low), "max": _number_out(high), "currency": code, "period": period}


def _unit_to_period(unit):
    if not unit:
        return None
    key = re.sub(r"[^a-zé]+", " ", str(unit).lower()).strip()
    if key in _UNIT_TEXT:
        return _UNIT_TEXT[key]
    for word in key.split():
        if word in _UNIT_TEXT:
            return _UNIT_TEXT[word]
    return period_in(str(unit))


# --------------------------------------------------------------------------- locations


# "US-MO-Kansas City", "CA-ON-Toronto": country-region-city, as Taleo, iCIMS and older boards write places
_CODED_PLACE = re.compile(r"^([A-Z]{2})-([A-Z0-9]{1,3})-([^,\-][^,]{0,80})$")


# Several places in one string: "Paris | Lyon", "Berlin; Hamburg", "Toronto · Montréal", "London or Manchester",
# one per line. Commas stay: they part a place's city, region and country.
_PLACE_SEPARATOR = re.compile(r"\s*(?:[|;·•\n]|\r\n?)\s*|\s+(?:or|ou|oder)\s+")  # lower case: "Portland, OR" is no "or"
# Parts of a place line that are no place: "2 days ago", "Over 100 applicants", "Promoted", "Hybrid", "Full-time"
_NOT_A_PLACE = re.compile(
    r"\b(?:ago|applicants?|clicked|promoted|reposted|posted|actively\s+recruiting|candidat\w*|bewerb\w*|hace|il\s+y\s+a|"
    r"geleden|h[áa]\s+\d)\b|^(?:hybrid|on[\s-]?site|in[\s-]office|full[\s-]?time|part[\s-]?time|contract|"
    r"temporary|internship|cdi|cdd|vollzeit|teilzeit|\d+)$", re.I)


def location_list(values):
    """Location strings as the page gives them, cleaned, each place its own entry (a line naming several
    is split), the country written one way (its name), and without duplicates."""
    out = []
    seen = set()
    for value in values or ():
        if not isinstance(value, str):
            value = clean_text(value)
        pieces = [p for p in _PLACE_SEPARATOR.split(value or "") if p and p.strip()]
        if len(pieces) > 1:
            kept = [p for p in pieces if not _NOT_A_PLACE.search(clean_text(p) or "")]
            pieces = kept or pieces[:1]
        for piece in pieces:
            text = clean_text(piece)
            if not text:
                continue
            text = text.strip(" ,;·|-–")
            coded = _CODED_PLACE.match(text)
            if coded:
                text = f"{coded.group(3).strip()}, {coded.group(2)}, {coded.group(1)}"
            text = one_country_form(text)
            key = unicodedata.normalize("NFC", text).casefold()
            if text and key not in seen:
                seen.add(key)
                out.append(text)
    return out


def one_country_form(place):
    """A place whose country is written as a code or another name, with the country's name instead:
    "Toronto, ON, CA" → "Toronto, ON, Canada", "Bergen, NO" → "Bergen, Norway", "Leeds, UK" → "Leeds,
    United Kingdom". A two-letter last part that may be a region ("Austin, TX", "Dover, DE") stays."""
    head, sep, last = place.rpartition(",")
    last = last.strip()
    if not sep or not head.strip() or not last:
        return place
    code = geo.country_code(last)
    if not code or last.casefold() in geo.REGION_NAMES:  # "Aberdeen, Scotland" names more than the country
        return place
    if len(last) <= 3 and last.isupper() and head.count(",") == 0 and last in geo.REGION_CODES:
        return place
    name = geo.COUNTRIES[code][0]
    return place if last == name else f"{head.rstrip()}, {name}"


# --------------------------------------------------------------------------- description text

_EMPLOYMENT_PHRASE = re.compile(
    r"\b(full[\s-]time|part[\s-]time|permanent|fixed[\s-]term|temporary|contract|freelance|internship|cdi|cdd)"
    r"\s+(?:role|position|job|opportunity|contract|employment|basis|vacancy|hire|poste|contrat)\b"
    r"|\b(?:type\s+of\s+employment|employment\s+type|job\s+type|contract\s+type|type\s+de\s+contrat|"
    r"work\s+type|contrat|vertragsart|anstellungsart|tipo\s+de\s+contrato|dienstverband|tipo\s+de\s+vaga|"
    r"regime\s+de\s+contrata[cç][aã]o)\s*:\s*([^\n.;]{2,40})"
    # the same said in a sentence, in French, German, Spanish, Dutch and Portuguese
    r"|\b(?:poste\s+en|contrat\s+en|un|en)\s+(cdi|cdd|alternance)\b|\b(stage)\s+(?:de\s+(?:\d+|six|trois|fin)|conventionn)"
    r"|\b(?:in|als)\s+(vollzeit|teilzeit|festanstellung|werkstudent(?:in)?|praktikant(?:in)?)\b"
    r"|\b(?:ein|dein|ihr|unser|das)\s+((?:pflicht)?praktikum)\b|\b((?:un)?befristet)e[nrs]?\s+(?:stelle|vertrag|anstellung)"
    r"|\b(contrato\s+(?:indefinido|temporal|de\s+pr[aá]cticas)|jornada\s+(?:completa|parcial)|pr[aá]cticas\s+"
    r"(?:remuneradas|curriculares|extracurriculares|profesionales))\b"
    r"|\b(fulltime|parttime|voltijd|deeltijd)\s+(?:baan|functie|dienstverband|positie)\b"
    r"|\b(?:een|als)\s+(stage|stagiair|bbl|bol|werkstudent)\b|\b(bbl|bol)[-\s](?:traject|opleiding|leerweg)"
    r"|\b(?:vaga\s+de|programa\s+de)\s+(est[aá]gio)\b|\b(tempo\s+integral|meio\s+per[ií]odo)\b|\bregime\s+(clt|pj)\b",
    re.I)
_PAY_WORDS = re.compile(
    r"salary|\bpay\b|pay\s+range|compensation|remuneration|\bwages?\b|\brate\b|\bbase\b|\bote\b|package|\bearn|"
    r"salaire|r[ée]mun[ée]ration|gehalt|verg[üu]tung|sueldo|salario|salaris|\bpaid\b|per\s+hour|an\s+hour|"
    r"a\s+year|per\s+annum|k€|brut", re.I)


_EMPLOYMENT_KEYS = ("time", "permanent", "fixed", "temporary", "contract", "freelance", "internship", "cdi", "cdd",
                    "type", "stage", "stagiair", "alternance", "vollzeit", "teilzeit", "festanstellung", "werkstudent", "praktik",
                    "befristet", "vertrag", "anstellung", "contrato", "jornada", "prácticas", "practicas", "voltijd", "deeltijd", "bbl",
                    "bol", "dienstverband", "estágio", "estagio", "integral", "período", "periodo", "regime")


_HAS_MONEY = re.compile(r"[$€£¥₹]|\d\s?[kK]\b|\b(?:USD|EUR|GBP|CAD|AUD|CHF|NZD|SGD|INR)\b")


def employment_from_text(text):
    """A description's statement of the job type ("this full-time role", "Contract type: CDI")."""
    text = windows(text or "", _EMPLOYMENT_KEYS, 60)
    if not text:
        return None
    for m in _EMPLOYMENT_PHRASE.finditer(text):
        found = employment_type(next(group for group in m.groups() if group))
        if found:
            return found
    return None


# Words a job title may carry that say the kind of job ("Werkstudent Marketing", "Stagiaire RH",
# "Becario/a de datos", "Data Analyst Intern") wherever they stand; other kinds only in a suffix
# ("Designer (CDI)", "Nurse - Part-time"), since "Contract Manager" names a job, not a contract.
_TITLE_KIND = re.compile(r"(?<![a-z])(?:intern(?:ship)?|stagiaire|stagiair|praktikum|praktikant(?:in)?|werkstudent(?:in)?|"
                         r"pr[aá]cticas|becari[oa]|est[aá]gio|estagi[aá]ri[oa]|apprenti(?:ce)?|alternan(?:ce|t|te)|"
                         r"ausbildung|minijob)(?![a-z])", re.I)
_TITLE_SUFFIX = re.compile(r"[(\[]([^()\[\]]{2,40})[)\]]|\s[-–|·,/]\s+([^–|·,/()]{2,30})$")


def employment_from_title(title):
    """The kind of job a title names ("Werkstudent Vertrieb" → internship, "Designer (CDI)" → full_time)."""
    if not title:
        return None
    m = _TITLE_KIND.search(title)
    if m:
        return employment_type(m.group(0))
    for m in _TITLE_SUFFIX.finditer(title):
        part = m.group(1) or m.group(2) or ""
        if len(part.split()) <= 3:
            found = employment_type(part)
            if found:
                return found
    return None


def salary_from_text(text, country=None):
    """The first line of a description that states this job's pay, read strictly."""
    if not text:
        return None
    for paragraph in text.split("\n"):
        # a pay sentence inside a long paragraph ("The US base salary range ... Our salary ranges are ...")
        lines = [paragraph] if len(paragraph) <= 300 else _SENTENCE_END.split(paragraph)
        for line in lines:
            if len(line) <= 300 and _HAS_MONEY.search(line) and _PAY_WORDS.search(line):
                found = parse_salary_text(line, country, strict=True)
                if found:
                    return found
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")


def unwrap_redirect(url):
    """The target of a known apply-redirect wrapper (LinkedIn's externalApply and safety/go ``?url=``), else ``url``."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    if re.search(r"externalapply|/redir|/redirect|/rc/clk|/applystart|/away|/out\b|/safety/go", parts.path, re.I):
        query = parse_qs(parts.query)
        for key in ("url", "target", "dest", "destination", "u", "redirect"):
            for value in query.get(key, ()):
                if value.startswith(("http://", "https://")):
                    return value
    return url
