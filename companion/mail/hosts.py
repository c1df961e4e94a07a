"""Who is not the employer: job boards, applicant tracking systems (and the employer's slug they carry),
test and scheduling platforms, mail providers; and an address's registrable domain.

A message from ``no-reply@us.greenhouse-mail.io`` is from Greenhouse, not from the employer: what
names the employer there is the board's slug in its links (``boards.greenhouse.io/northwind/...``).
A message from ``jane@northwind.com`` is from the employer: its domain is compared with the
domains of the postings the person applied to. Every table here is data, in our own words.
"""
import re
from urllib.parse import parse_qsl, urlsplit

# Second-level labels under which a company registers its own name: "northwind.co.uk" → "northwind.co.uk".
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "gob", "gouv", "ne", "or"})

# Where an ATS puts the employer's slug in a link: (system, host pattern, path pattern); the slug is
# the group named "slug" in either. Hosts are matched whole, lower-cased.
_SLUG_LINKS = tuple((system, re.compile(host), re.compile(path)) for system, host, path in (
    ("greenhouse", r"(?:boards|job-boards)(?:\.eu)?\.greenhouse\.io", r"/(?:embed/job_board\?for=)?(?P<slug>[\w-]+)"),
    ("lever", r"jobs(?:\.eu)?\.lever\.co", r"/(?P<slug>[\w.-]+)"),
    ("workday", r"(?P<slug>[\w-]+)\.wd\d+\.myworkdayjobs\.com", r""),
    ("workday", r"(?P<slug>[\w-]+)\.myworkdayjobs\.com", r""),
    ("workday", r"wd\d+\.myworkdaysite\.com", r"/(?:[\w-]+/)?recruiting/(?P<slug>[\w-]+)"),
    ("ashby", r"jobs\.ashbyhq\.com", r"/(?P<slug>[\w.%-]+)"),
    ("smartrecruiters", r"(?:jobs|careers)\.smartrecruiters\.com", r"/(?P<slug>[\w-]+)"),
    ("icims", r"(?:careers-)?(?P<slug>[\w-]+?)\.icims\.com", r""),
    ("teamtailor", r"(?P<slug>[\w-]+)\.(?:na\.)?teamtailor\.com", r""),
    ("personio", r"(?P<slug>[\w-]+)\.jobs\.personio\.(?:de|com)", r""),
    ("workable", r"apply\.workable\.com", r"/(?P<slug>[\w-]+)"),
    ("workable", r"(?P<slug>[\w-]+)\.workable\.com", r""),
    ("recruitee", r"(?P<slug>[\w-]+)\.recruitee\.com", r""),
    ("bamboohr", r"(?P<slug>[\w-]+)\.bamboohr\.com", r""),
    ("breezy", r"(?P<slug>[\w-]+)\.breezy\.hr", r""),
    ("jazzhr", r"(?P<slug>[\w-]+)\.applytojob\.com", r""),
    ("jobvite", r"jobs\.jobvite\.com", r"/(?P<slug>[\w-]+)"),
    ("pinpoint", r"(?P<slug>[\w-]+)\.pinpointhq\.com", r""),
    ("taleo", r"(?P<slug>[\w-]+)\.taleo\.net", r""),
    ("rippling", r"ats\.rippling\.com", r"/(?P<slug>[\w-]+)"),
))
# Hosts of a system that are its own pages, never an employer's slug.
_NOT_SLUGS = frozenset({"www", "app", "api", "apply", "jobs", "careers", "login", "help", "support", "embed",
                        "us", "eu", "mail", "email", "links", "click", "track", "hire", "candidates", "en", "de",
                        "fr", "es", "nl", "en-us", "en-gb", "j", "job", "o", "p"})

# Mail domains of the systems that write on an employer's behalf (the sender is never the employer),
# and the systems whose sender names the employer in its local part (northwind@myworkday.com).
ATS_SENDERS = {
    "greenhouse.io": "greenhouse", "greenhouse-mail.io": "greenhouse", "lever.co": "lever",
    "myworkday.com": "workday", "workday.com": "workday", "ashbyhq.com": "ashby",
    "smartrecruiters.com": "smartrecruiters", "smartrecruiters-mail.com": "smartrecruiters", "icims.com": "icims",
    "teamtailor.com": "teamtailor", "teamtailor-mail.com": "teamtailor", "personio.de": "personio",
    "personio.com": "personio", "workable.com": "workable", "workablemail.com": "workable",
    "recruitee.com": "recruitee", "recruiteemail.com": "recruitee", "bamboohr.com": "bamboohr",
    "breezy.hr": "breezy", "breezyhr.com": "breezy", "applytojob.com": "jazzhr", "jobvite.com": "jobvite",
    "pinpointhq.com": "pinpoint", "taleo.net": "taleo", "rippling.com": "rippling", "successfactors.com": "successfactors",
    "successfactors.eu": "successfactors", "oraclecloud.com": "oracle", "avature.net": "avature", "dover.com": "dover",
    "eightfold.ai": "eightfold", "phenompeople.com": "phenom", "paylocity.com": "paylocity", "ultipro.com": "ukg",
}
SENDER_SLUG_SYSTEMS = frozenset({"workday", "workable", "teamtailor", "recruitee", "icims"})
BOARDS = frozenset({
    "linkedin.com", "indeed.com", "indeedemail.com", "glassdoor.com", "stepstone.de", "stepstone.fr", "stepstone.nl",
    "stepstone.be", "xing.com", "welcometothejungle.com", "wttj.co", "monster.com", "ziprecruiter.com", "dice.com",
    "seek.com.au", "reed.co.uk", "totaljobs.com", "naukri.com", "wellfound.com", "careerbuilder.com", "infojobs.net",
    "infojobs.com", "jobteaser.com", "apec.fr", "francetravail.fr", "pole-emploi.fr", "hellowork.com", "cadremploi.fr",
    "nationalevacaturebank.nl", "werk.nl", "arbeitsagentur.de", "tecnoempleo.com", "computrabajo.com", "otta.com",
    "jobs.ch", "jobup.ch", "karriere.at", "talent.com", "simplyhired.com", "jooble.org", "adzuna.com",
})
# Tests, video interviews and booking pages: what they send names the employer only in its words.
PLATFORMS = {
    "hackerrank.com": "assessment", "codility.com": "assessment", "codesignal.com": "assessment",
    "testgorilla.com": "assessment", "coderbyte.com": "assessment", "devskiller.com": "assessment",
    "qualified.io": "assessment", "pymetrics.com": "assessment", "pymetrics.ai": "assessment",
    "criteriacorp.com": "assessment", "shl.com": "assessment", "talentlens.com": "assessment",
    "saville-assessment.com": "assessment", "cut-e.com": "assessment", "hirevue.com": "interview",
    "calendly.com": "interview", "goodtime.io": "interview", "cal.com": "interview", "cronofy.com": "interview",
    "youcanbook.me": "interview", "doodle.com": "interview", "zoom.us": "interview", "teams.microsoft.com": "interview",
    "meet.google.com": "interview", "whereby.com": "interview", "spark-hire.com": "interview",
}
FREEMAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "fastmail.com",
    "zoho.com", "mail.com", "gmx.com", "gmx.de", "gmx.net", "gmx.fr", "web.de", "t-online.de", "freenet.de",
    "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "hotmail.fr", "yahoo.fr", "live.fr",
    "hotmail.es", "yahoo.es", "telefonica.net", "hotmail.de", "yahoo.de", "ziggo.nl", "kpnmail.nl",
    "hotmail.nl", "live.nl", "planet.nl", "xs4all.nl", "skynet.be", "telenet.be", "libero.it", "tutanota.com",
})
# Every domain that is never an employer's own, whatever the posting says.
NOT_EMPLOYERS = frozenset(ATS_SENDERS) | BOARDS | frozenset(PLATFORMS) | FREEMAIL | frozenset({
    "google.com", "googleusercontent.com", "microsoft.com", "office.com", "office365.com", "outlook.office365.com",
    "mailchimp.com", "sendgrid.net", "amazonses.com", "mandrillapp.com", "mailgun.org", "sparkpostmail.com",
    "bit.ly", "lnkd.in", "t.co", "urldefense.com", "safelinks.protection.outlook.com", "example.com",
})


def registrable(host):
    """The domain a company registers, from a host name: "careers.northwind.co.uk" → "northwind.co.uk"."""
    labels = [label for label in (host or "").lower().strip(".").split(".") if label]
    if len(labels) < 2 or labels[-1].isdigit():
        return ""
    take = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-take:])


def host_path(url):
    """(lower-cased host, path with its query) of a URL, or ("", "")."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "", ""
    return host, parts.path + (f"?{parts.query}" if parts.query else "")


def ats_slug(url):
    """(system, employer slug) an ATS link carries, or None: boards.greenhouse.io/northwind/jobs/1 → ("greenhouse", "northwind")."""
    host, path = host_path(url)
    if not host:
        return None
    for system, host_pattern, path_pattern in _SLUG_LINKS:
        on_host = host_pattern.fullmatch(host)
        if not on_host:
            continue
        found = on_host if "slug" in on_host.groupdict() else path_pattern.match(path)
        slug = found.group("slug").lower() if found else ""
        if slug and slug not in _NOT_SLUGS:
            return system, slug
        return None
    return None


def _in_table(table, domain):
    """table's value for a domain or the nearest parent domain it lists ("us.greenhouse-mail.io"), or None."""
    domain = (domain or "").lower()
    while domain:
        if domain in table:
            return table[domain]
        domain = domain.partition(".")[2]
    return None


def sender_system(domain):
    """The ATS a sender's domain belongs to (its registrable domain or a parent), or None."""
    return _in_table(ATS_SENDERS, domain)


def sender_slug(address):
    """(system, slug) a sender's address carries: northwind@myworkday.com → ("workday", "northwind");
    no-reply@northwind.jobs.personio.de → ("personio", "northwind")."""
    local, _, domain = (address or "").lower().rpartition("@")
    system = sender_system(domain)
    if not system:
        return None
    personio = re.fullmatch(r"([\w-]+)\.jobs\.personio\.(?:de|com)", domain)
    if personio:
        return "personio", personio.group(1)
    local = local.split("+", 1)[0]
    if system in SENDER_SLUG_SYSTEMS and local and not _is_noreply(local) and local not in _NOT_SLUGS:
        return system, local
    return None


def _is_noreply(local):
    return bool(re.fullmatch(r"(?:no-?reply|do-?not-?reply|donotreply|notifications?|mailer|alerts?|jobs?-?noreply|"
                             r"info|hello|team|recruiting|recruitment|recrutement|careers?|talent|system|support|jobs?|hr|rrhh|empleo|"
                             r"werkenbij|vacatures?|karriere|bewerbung(?:en)?|personal|people)[\w.-]*", local))


def is_noreply(address):
    """Whether an address is a robot's (no-reply@, notifications@...), not a person's."""
    return _is_noreply((address or "").lower().rpartition("@")[0])


def platform_of(domain):
    """What a third-party platform's domain is for ("assessment", "interview"), or None."""
    return _in_table(PLATFORMS, domain)


def is_employer_domain(domain):
    """Whether a registrable domain may be an employer's own (not a board, an ATS, a platform or a mailbox provider)."""
    return bool(domain) and domain not in NOT_EMPLOYERS and not sender_system(domain) and not platform_of(domain)


def board_job(url):
    """(board, job id) of a posting link on a job board, or None: linkedin.com/jobs/view/123 → ("linkedin", "123")."""
    host, path = host_path(url)
    if not host:
        return None
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        found = re.search(r"/(?:comm/)?jobs/view/(?:[\w-]*?-)?(\d{6,})", path) or re.search(r"currentJobId=(\d{6,})", path)
        return ("linkedin", found.group(1)) if found else None
    if re.fullmatch(r"(?:[\w-]+\.)*indeed\.[a-z.]+", host):
        params = dict(parse_qsl(urlsplit(url).query))
        job = params.get("jk") or params.get("vjk")
        return ("indeed", job.lower()) if job and re.fullmatch(r"[0-9a-fA-F]{8,32}", job) else None
    return None
