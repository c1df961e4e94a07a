"""Which application a message is about, by evidence, never by a piece of a company's name.

Evidence, strongest first: a link to the very posting (its canonical address, or a job board's job
id), or an earlier message of the same thread already matched; then the employer: the sender's
domain (or Reply-To's) against the domains of the postings and apply links (job boards and ATS
hosts are nobody's domain), the ATS slug or tenant the message carries (in its links or its
sender) against the one in the application's addresses, and the employer's whole name where the
message names it (a run of capitalised words after "at", "to", "chez", "bei", "en", "bij"..., or
the sender's name) equal, once normalised, to an application's company. Evidence naming two
employers is a conflict: no match. Among one employer's applications, only those sent before the
message count, and when more than one is left, the role's title in the subject or the text
decides; otherwise the candidates are listed and the person picks. Unsure is unmatched: a wrong
match is the worst error this module can make.
"""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from ..similar import company_key
from ..urls import canonical_url
from . import hosts
from .classify import fold

_NAME_BEFORE = re.compile(
    r"(?:\b(?:at|to|with|from|by|chez|avec|bei|von|mit|en|con|bij|met|van)\s+"
    r"|\b(?:applying|application|candidature|bewerbung|candidatura|sollicitatie)\s+(?:to|at|for|chez|bei|en|bij|a|à)\s+)"
    r"(?P<name>[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇÑ&][^\s,.;:!?()\[\]<>\"|]{0,40}(?:[ \t]+[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇÑ&][^\s,.;:!?()\[\]<>\"|]{0,40}){0,5})")
_NAME_AFTER = re.compile(
    r"(?<!\S)(?P<name>[A-Z0-9&][^\s,.;:!?()\[\]<>\"|]{0,40}(?:[ \t]+[A-Z0-9&][^\s,.;:!?()\[\]<>\"|]{0,40}){0,5})[ \t]+"
    r"(?:has invited you|invites you|would like you|is hiring|a (?:bien )?reçu|hat (?:Ihre|deine)|ha recibido|heeft (?:je|jouw|uw))")
# What a sender's display name adds to the employer's name: "Northwind Traders Hiring Team", "Jane at Northwind".
_DISPLAY_NOISE = re.compile(
    r"\s*(?:[-|–·@]\s*)?\b(?:via\s+\w+|hiring\s+team|recruiting(?:\s+team)?|recruitment(?:\s+team)?|talent(?:\s+acquisition)?(?:\s+team)?|"
    r"careers?|jobs|hr|people(?:\s+team)?|team|notifications?|no-?reply|recrutement|ressources\s+humaines|"
    r"personalabteilung|bewerbermanagement|karriere|recruiting-team|reclutamiento|recursos\s+humanos|werving(?:\s+en\s+selectie)?|"
    r"sollicitaties|talent\s+team)\b\s*", re.I)
_PERSON_AT = re.compile(r"^.{1,60}?\s+(?:at|from|@|bei|de chez|chez|de|van|bij)\s+(?P<name>.+)$", re.I)
# Words inside a capitalised run that end an employer's name ("Northwind Traders For Data Engineer").
_NAME_STOPS = frozenset({"for", "as", "at", "in", "to", "pour", "au", "als", "für", "fur", "para", "voor", "-", "–",
                         "team", "hiring", "recruiting", "careers", "jobs", "the", "your", "we", "our", "you", "i"})
_TITLE_PATTERNS = re.compile(
    r"(?:interview|offer|position|role)\s+(?:for|as)\s+(?:the\s+|a\s+|an\s+)?(?P<f>[^\n,.;!?|()]{3,80}?)(?=\s+(?:at|with|@|-|–)\s|\s*[,.;!?|()\n]|\s*$)"
    r"|(?:application|applying|applied)\s+(?:for|to)\s+(?:the\s+)?(?:role\s+of\s+|position\s+of\s+)?(?P<a>[^\n,.;!?|()]{3,80}?)(?=\s+(?:at|with|@|-|–)\s|\s*[,.;!?|()\n]|\s*$)"
    r"|(?:candidature|postuler)\s+(?:au\s+poste\s+de\s+|pour\s+le\s+poste\s+de\s+|pour\s+le\s+poste\s+d'|pour\s+)(?P<b>[^\n,.;!?|()]{3,80}?)(?=\s+(?:chez|à|-|–)\s|\s*[,.;!?|()\n]|\s*$)"
    r"|bewerbung\s+(?:als|für|fur|auf\s+die\s+stelle(?:\s+als)?)\s+(?P<c>[^\n,.;!?|()]{3,80}?)(?=\s+(?:bei|-|–)\s|\s*[,.;!?|()\n]|\s*$)"
    r"|(?:candidatura|solicitud)\s+(?:para\s+(?:el\s+puesto\s+de\s+)?|al\s+puesto\s+de\s+)(?P<d>[^\n,.;!?|()]{3,80}?)(?=\s+(?:en|-|–)\s|\s*[,.;!?|()\n]|\s*$)"
    r"|sollicitatie\s+(?:als|voor\s+de\s+functie(?:\s+van)?|voor)\s+(?P<e>[^\n,.;!?|()]{3,80}?)(?=\s+(?:bij|-|–)\s|\s*[,.;!?|()\n]|\s*$)",
    re.I)
# Every pattern here reads words of at most 40 characters, so that a long run without spaces costs linear time.
_NON_WORD = re.compile(r"[^\w]+")
SCAN_CHARS = 4000  # where a message names the employer and the role: its first lines


@dataclass(frozen=True)
class Match:
    """The application a message is about (``application_id``), or none with the ``candidates`` the person picks from."""

    application_id: int | None
    why: str
    company: str | None = None  # the matched application's, or the employer the message names (for "log it")
    title: str | None = None  # the matched application's, or the role the message names
    candidates: tuple = field(default=())


class _Summary(NamedTuple):
    """What matching reads of an application (a tuple: 50,000 of them are kept while mail is read)."""

    id: int
    company: str | None
    title: str | None
    applied_at: str | None
    created_at: str | None
    status: str | None


def _summary(doc):
    return _Summary(doc["id"], doc.get("company"), doc.get("title"), doc.get("applied_at"), doc.get("created_at"),
                    doc.get("status"))


def _ids(held):
    """The ids a map holds for a key: one id alone is kept as an int, not a set of one (most addresses)."""
    return {held} if type(held) is int else held


def _put(held_map, key, doc_id):
    held = held_map.get(key)
    if held is None:
        held_map[key] = doc_id
    elif type(held) is int:
        if held != doc_id:
            held_map[key] = {held, doc_id}
    else:
        held.add(doc_id)


def _evidence(doc):
    """(map, key) for each piece of evidence an application gives: its company's name, its addresses, the job
    board's job id, the ATS slug or the employer's domain they hold."""
    found = []
    key = company_key(doc.get("company"))
    if key:
        found += [("by_company", key), ("by_compact", key.replace(" ", ""))]
    on_site = (doc.get("source") or "generic") != "generic"
    addresses = [doc.get("url"), *(doc.get("urls") or []), doc.get("apply_url")]
    for number, url in enumerate(addresses):
        if not isinstance(url, str) or not url:
            continue
        try:
            canonical = canonical_url(url)
        except Exception:  # noqa: BLE001  (an address we cannot read is no evidence)
            continue
        found.append(("by_url", url if canonical == url else canonical))  # a stored address is canonical: kept once
        job = hosts.board_job(url)
        if job:
            found.append(("by_board", job))
            continue
        slug = hosts.ats_slug(url)
        if slug:
            found.append(("by_slug", slug))
            continue
        host = hosts.host_path(url)[0]
        domain = hosts.registrable(host)
        # The posting's own address is on a job site when its source says so; an apply link is checked by host.
        if hosts.is_employer_domain(domain) and not (number == 0 and on_site) and not host.endswith(".invalid"):
            found.append(("by_domain", domain))
    return found


class Applications:
    """The person's applications indexed by the evidence a message can carry. Build once, match many; after a
    change, ``updated`` makes the next one from this one (a match may still be reading this one)."""

    MAPS = ("by_url", "by_board", "by_slug", "by_compact", "by_domain", "by_company")

    def __init__(self, docs):
        self.docs = {}
        for name in self.MAPS:
            setattr(self, name, {})
        for doc in docs:
            self.docs[doc["id"]] = _summary(doc)
            for name, key in _evidence(doc):
                _put(getattr(self, name), key, doc["id"])

    def updated(self, changes):
        """A copy with the changes [(id, old doc or None, new doc or None)] (see Store.changes) made in it:
        the maps are copied, and a set only when it changes, so this one is left as it was."""
        new = object.__new__(Applications)
        new.docs = dict(self.docs)
        for name in self.MAPS:
            setattr(new, name, dict(getattr(self, name)))
        for doc_id, old, doc in changes:
            for found, change in ((old, set.discard), (doc, set.add)):
                if found is None:
                    continue
                for name, key in _evidence(found):
                    held = getattr(new, name)
                    ids = set(_ids(held.get(key, ())))  # a copy: the sets are this one's too
                    change(ids, doc_id)
                    if len(ids) > 1:
                        held[key] = ids
                    elif ids:
                        held[key] = next(iter(ids))
                    else:
                        held.pop(key, None)
            if doc is None:
                new.docs.pop(doc_id, None)
            else:
                new.docs[doc_id] = _summary(doc)
        return new

    # -- evidence ----------------------------------------------------------------------------------------

    def _posting(self, mail, threads):
        """(ids, reason) from a link to the very posting, or the thread, or None."""
        for link in mail.links:
            job = hosts.board_job(link)
            if job and job in self.by_board:
                return _ids(self.by_board[job]), f"it links to the {job[0].title()} posting {job[1]} you applied to"
            try:
                canonical = canonical_url(link)
            except Exception:  # noqa: BLE001
                continue
            if canonical in self.by_url:
                return _ids(self.by_url[canonical]), f"it links to the posting you applied to ({_short(canonical)})"
        for key in mail.references:
            if key in threads and threads[key] in self.docs:
                return {threads[key]}, "it answers an earlier message about this application"
        return None

    def _employer(self, mail):
        """[(ids, reason)] of each piece of evidence naming an employer."""
        found = []
        for label, address in (("sent from", mail.sender), ("its Reply-To is at", mail.reply_to)):
            domain = hosts.registrable(address.rpartition("@")[2])
            if domain in self.by_domain and hosts.is_employer_domain(domain):
                found.append((_ids(self.by_domain[domain]), f"{label} {domain}, the domain of the posting you applied to"))
        slugs = {hosts.ats_slug(link) for link in mail.links[:100]} | {hosts.sender_slug(mail.sender)}
        for slug in sorted(filter(None, slugs)):
            if slug in self.by_slug:
                found.append((_ids(self.by_slug[slug]), f"its {slug[0].title()} address names '{slug[1]}', where you applied"))
            elif _compact(slug[1]) in self.by_compact:
                found.append((_ids(self.by_compact[_compact(slug[1])]), f"its {slug[0].title()} address names '{slug[1]}'"))
        for name in employer_names(mail):
            key = company_key(name)
            if key in self.by_company:
                found.append((_ids(self.by_company[key]), f"it names {name}"))
        return found

    # -- the decision --------------------------------------------------------------------------------------

    def match(self, mail, threads=None):
        """The ``Match`` for one Mail. ``threads``: {message key: application id} of earlier matched messages."""
        posting = self._posting(mail, threads or {})
        if posting:
            ids, reason = posting
            return self._pick(mail, set(ids), reason)
        evidence = self._employer(mail)
        if not evidence:
            return Match(None, f"no application of yours {_named(mail)}", company=guess_employer(mail),
                         title=guess_title(mail))
        ids = set().union(*(ids for ids, _ in evidence))
        companies = {company_key(self.docs[i].company) for i in ids} - {""}
        if len(companies) > 1:
            names = sorted({self.docs[i].company for i in ids if self.docs[i].company})
            return Match(None, f"it points to more than one employer ({', '.join(names)}): pick the application",
                         company=None, title=guess_title(mail), candidates=self._order(ids))
        return self._pick(mail, ids, "; ".join(dict.fromkeys(reason for _, reason in evidence)))

    def _pick(self, mail, ids, reason):
        """One application among ``ids`` (one employer's), or none with them as candidates."""
        day = mail.day
        if day is not None and day < date.max:
            sent = {i for i in ids if (_sent_on(self.docs[i]) or "") <= (day + timedelta(days=1)).isoformat()}
            if not sent:
                company = self.docs[next(iter(ids))].company
                return Match(None, f"{reason}, but you applied there after this message", company=company,
                             title=guess_title(mail), candidates=self._order(ids))
            ids = sent
        if len(ids) == 1:
            doc = self.docs[next(iter(ids))]
            return Match(doc.id, reason, company=doc.company, title=doc.title)
        titled = self._titles_named(mail, ids)
        if len(titled) == 1:
            doc = self.docs[titled[0]]
            return Match(doc.id, f"{reason}; it names the role '{doc.title}'", company=doc.company, title=doc.title)
        company = self.docs[next(iter(ids))].company
        return Match(None, f"{reason}, but you applied to {len(ids)} roles there and it does not say which",
                     company=company, title=guess_title(mail), candidates=self._order(ids))

    def _titles_named(self, mail, ids):
        """The ids whose title the subject or the text names, the longest title winning over one it contains."""
        haystack = f" {_words(mail.subject)} {_words(mail.text[:SCAN_CHARS])} "
        named = {}
        for i in ids:
            title = _words(self.docs[i].title or "")
            if title and f" {title} " in haystack:
                named[i] = title
        longest = [i for i, title in named.items()
                   if not any(other != title and f" {title} " in f" {other} " for other in named.values())]
        titles = {named[i] for i in longest}
        return longest if len(titles) == 1 and len(longest) == 1 else []

    def _order(self, ids):
        return tuple(sorted(ids, key=lambda i: (_sent_on(self.docs[i]) or "", i), reverse=True))


def _sent_on(doc):
    return doc.applied_at or (doc.created_at or "")[:10] or None


def _compact(slug):
    return re.sub(r"[^a-z0-9]", "", fold(slug))


def _words(text):
    return _NON_WORD.sub(" ", fold(text or "")).strip()


def _short(url):
    return url.split("://", 1)[-1][:80]


def _named(mail):
    domain = hosts.registrable(mail.domain)
    if hosts.is_employer_domain(domain):
        return f"is at {domain}"
    names = employer_names(mail)
    return f"is at {names[0]}" if names else "is named in it"


# -- what a message names -----------------------------------------------------------------------------------

def employer_names(mail):
    """The employer names a message gives: its sender's name (less "Hiring Team", "via Greenhouse"...) and the
    capitalised names after "at", "to", "chez", "bei", "en", "bij"... in its subject and first lines."""
    names = []
    display = _display_name(mail)
    if display:
        names.append(display)
    for text in (mail.subject, mail.text[:SCAN_CHARS]):
        for pattern in (_NAME_BEFORE, _NAME_AFTER):
            for found in pattern.finditer(text):
                names += _name_runs(found.group("name"))
    return list(dict.fromkeys(n for n in names if company_key(n)))


def _display_name(mail):
    """The employer in a sender's display name: "Jane Doe at Northwind" → "Northwind"; "Northwind Traders Hiring
    Team" → "Northwind Traders". A person writing from their own address signs with their own name: none."""
    name = (mail.sender_name or "").strip().strip("\"'")
    if not name:
        return ""
    person = _PERSON_AT.match(name)
    if person:
        return _DISPLAY_NOISE.sub(" ", person.group("name")).strip(" -|–·,")
    cleaned = _DISPLAY_NOISE.sub(" ", name).strip(" -|–·,")
    domain = hosts.registrable(mail.domain)
    robot = hosts.is_noreply(mail.sender) or hosts.sender_system(domain) or domain in hosts.BOARDS \
        or hosts.platform_of(domain)
    return cleaned if robot or cleaned != name else ""


def _name_runs(run):
    """An employer's name from a capitalised run: cut at words that end a name ("for", "as", "-")."""
    words, names = [], []
    for word in run.split():
        if word.lower() in _NAME_STOPS:
            break
        words.append(word)
    if words:
        names.append(" ".join(words))
    return names


def guess_employer(mail):
    """Who the message is from, to name a new application ("log it"): a name it gives, else its sender's domain."""
    names = employer_names(mail)
    if names:
        return names[0]
    domain = hosts.registrable(mail.domain)
    return domain.split(".")[0].title() if hosts.is_employer_domain(domain) else None


def guess_title(mail):
    """The role a message names ("Your application for Data Engineer"), or None."""
    for text in (mail.subject, mail.text[:SCAN_CHARS]):
        found = _TITLE_PATTERNS.search(text)
        if found:
            title = next(group for group in found.groups() if group)
            title = title.strip(" '\"“”«»")
            if 2 < len(title) <= 80 and not title.lower().startswith(("a ", "an ", "our ", "the position", "this")):
                return title
    return None
