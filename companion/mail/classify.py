"""What a message is: received, rejection, interview, assessment, offer, recruiter or other, and why in one line.

Pure: a ``Mail`` in, a ``Verdict`` out. The phrase rules (``phrases``) are scored over the subject
and the message's own words (a reply's quotation of earlier mail is left out); a calendar
invitation, a test or booking platform's address, a mailing list's headers and a job board's alert
sender add their weight. The strongest kind wins when it reaches ``DECIDES``; a job alert or a
newsletter at least as strong wins over it. A person writing about a role, when no rule decides, is
a recruiter. The reason quotes the words that decided, as they are written in the message.
"""
import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from re import _constants as sre, _parser as sre_parse

from . import hosts, phrases
from .message import strip_reply_prefix

KINDS = ("received", "rejection", "interview", "assessment", "offer", "recruiter", "other")
# Kinds that say where an application stands; on a tie the first listed wins.
PRIORITY = ("offer", "rejection", "interview", "assessment", "received", "recruiter")
DECIDES = 3
SUBJECT_WEIGHT = 1.5
HEDGED = frozenset({"interview", "assessment", "offer", "received"})
HEDGE_DISCOUNT = 3
READ_CHARS = 20_000  # the first words of a message say what it is; the rest is signature and small print
QUOTE_CHARS = 90

_FOLD = str.maketrans({
    **dict.fromkeys("àáâãäåā", "a"), **dict.fromkeys("çćč", "c"), **dict.fromkeys("èéêëēė", "e"),
    **dict.fromkeys("ìíîïī", "i"), **dict.fromkeys("ñń", "n"), **dict.fromkeys("òóôõöøō", "o"),
    **dict.fromkeys("ùúûüū", "u"), **dict.fromkeys("ýÿ", "y"), **dict.fromkeys("’‘`´", "'"),
    **dict.fromkeys("\u00a0\u2009\u202f", " "), "œ": "o", "æ": "a", "ĳ": "y",
})


def _compile(pattern):
    return re.compile(pattern.replace(" ", r"\s+"))


# -- gates: a rule runs only on a text holding one of the words it cannot match without -------------------
# 135 rules over every message cost 270 regex searches; most rules fail on most messages. Each rule's
# gate is the set of literal words one of which any match must contain (read from the pattern itself, at
# the required element whose words are longest, so the most telling); ``word in text`` is a C-speed
# scan, and only a rule whose gate passes runs its pattern.

def _prefixes(items):
    """The literal texts a parsed sequence can start with, or None when it can start otherwise."""
    text = ""
    for op, value in items:
        if op is sre.LITERAL:
            text += chr(value)
            continue
        if text:
            return {text}
        found = _alternatives(op, value)
        return found if found else None
    return {text} if text else None


def _alternatives(op, value):
    """The literal texts one required element starts with, or None."""
    if op is sre.SUBPATTERN:
        return _prefixes(value[3])
    if op is sre.BRANCH:
        found = set()
        for branch in value[1]:
            starts = _prefixes(branch)
            if not starts:
                return None
            found |= starts
        return found
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and value[0] >= 1:
        return _prefixes(value[2])
    return None


def _gate(pattern):
    """The words one of which a match of ``pattern`` must hold (a frozenset), or None when it has no such words."""
    parsed = list(sre_parse.parse(pattern.replace(" ", r"\s+")))
    if len(parsed) == 1 and parsed[0][0] is sre.BRANCH:  # "a|b|c": a gate for each branch, together
        gates = [_best(list(branch)) for branch in parsed[0][1][1]]
        return None if any(g is None for g in gates) else frozenset().union(*gates)
    return _best(parsed)


def _best(items):
    best, text = None, ""
    elements = []
    for op, value in items + [(None, None)]:
        if op is sre.LITERAL:
            text += chr(value)
            continue
        if text:
            elements.append({text})
            text = ""
        if op is not None:
            found = _alternatives(op, value)
            if found:
                elements.append(found)
    for words in elements:
        words = {w.strip() for w in words}
        if all(words) and (best is None or min(map(len, words)) > min(map(len, best))):
            best = words
    return frozenset(best) if best and min(map(len, best)) >= 3 else None


@functools.cache
def _patterns():
    """The phrase rules compiled, once, when the first message is read: compiling them took a fifth of the
    companion's start, which reads no mail before it answers."""
    rules = {kind: tuple((weight, _compile(pattern), _gate(pattern)) for weight, pattern in rules)
             for kind, rules in phrases.KIND_RULES.items()}
    return _Patterns(rules, re.compile(phrases.HEDGES), re.compile(phrases.JOB_WORDS), re.compile(phrases.QUOTE_START))


class _Patterns(NamedTuple):
    rules: dict
    hedges: re.Pattern
    job_words: re.Pattern
    quote_start: re.Pattern


_QUOTED_LINE = re.compile(r"(?m)^ *>[^\n]*")
_SENTENCE_START = re.compile(r"[.!?\n;:][^.!?\n;:]*$")
_ALERT_SENDER = re.compile(r"(job-?alerts?|jobs?-listings|jobs?-noreply-alert|alert|digest|newsletter|news|recommendations?)[\w.-]*@")
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|bonjour|salut|hallo|guten tag|liebe[r]?|hola|estimad[oa]|beste|hoi|"
                       r"goedemiddag|goedemorgen)\b")


@dataclass(frozen=True)
class Verdict:
    kind: str
    why: str  # "rejection: 'decided to move forward with other candidates'"
    scores: dict = field(default_factory=dict, compare=False)


def fold(text):
    """Lower case, accents and curly quotes folded: one character for one, so positions stay the same."""
    return text.lower().translate(_FOLD)


def own_words(text):
    """The message's own text: what follows a quotation's "On ... wrote:" and quoted ("> ") lines left out."""
    text = text[:READ_CHARS]
    folded = fold(text)
    if len(folded) != len(text):  # a character whose lower case is longer (rare): quote the folded text
        text = folded
    cut = _patterns().quote_start.search(folded)
    if cut:
        text, folded = text[:cut.start()], folded[:cut.start()]
    return _QUOTED_LINE.sub("", text), _QUOTED_LINE.sub("", folded)


class _Score:
    """The points each kind collects, and the strongest words behind them."""

    def __init__(self):
        self.points = dict.fromkeys(KINDS, 0.0)
        self.best = {}  # kind -> (weight, evidence)

    def add(self, kind, weight, evidence):
        self.points[kind] += weight
        held = self.best.get(kind, (0, ""))
        if weight > held[0] or weight == held[0] and len(evidence) > len(held[1]):  # the fuller quote on a tie
            self.best[kind] = (weight, evidence)


def classify(mail):
    """The Verdict on one Mail."""
    subject = strip_reply_prefix(mail.subject)
    body, folded_body = own_words(mail.text)
    folded_subject = fold(subject)
    if len(folded_subject) != len(subject):
        subject = folded_subject
    score = _Score()
    texts = ((subject, folded_subject, SUBJECT_WEIGHT), (body, folded_body, 1))
    haystack = f"{folded_subject}\n{folded_body}"
    for kind, rules in _patterns().rules.items():
        for weight, pattern, gate in rules:
            if gate is not None:
                for word in gate:
                    if word in haystack:
                        break
                else:
                    continue
            found = _strongest(kind, weight, pattern, texts)
            if found:
                score.add(kind, *found)
    _signals(mail, score)
    return _decide(mail, score, folded_body)


def _strongest(kind, weight, pattern, texts):
    """(weight, quoted words) of the rule's best match in the subject or the body, or None."""
    best = None
    for text, folded, factor in texts:
        match = pattern.search(folded)
        if not match:
            continue
        points = weight * factor
        if kind in HEDGED and _hedged(folded, match.start()):
            points /= HEDGE_DISCOUNT
        if best is None or points > best[0]:
            best = (points, _quote(text, match.start(), match.end()))
    return best


def _hedged(folded, start):
    """Whether the sentence before ``start`` makes the match conditional or negative."""
    before = folded[max(0, start - 120):start]
    sentence = _SENTENCE_START.search(before)
    return bool(_patterns().hedges.search(sentence.group(0) if sentence else before))


def _quote(text, start, end):
    words = " ".join(text[start:end].split())
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS - 1].rstrip() + "…"


def _signals(mail, score):
    """What the headers, an invitation and the links say, beyond the words."""
    calendar = mail.calendar
    if calendar and calendar.get("method", "REQUEST") in ("REQUEST", "PUBLISH"):
        what = f"'{calendar['summary']}'" if calendar.get("summary") else "an event"
        when = f" on {calendar['start']}" if calendar.get("start") else ""
        score.add("interview", 6, f"a calendar invitation for {what}{when}")
    seen = set()
    for domain in [mail.domain] + [hosts.host_path(link)[0] for link in mail.links[:100]]:
        purpose = hosts.platform_of(domain)
        site = hosts.registrable(domain)
        if purpose and site not in seen:
            seen.add(site)
            if purpose == "assessment":
                score.add("assessment", 5, f"a test on {site}")
            else:
                score.add("interview", 3, f"a booking or meeting link on {site}")
    if mail.bulk:
        score.add("other", 2, "sent to a mailing list")
    if _ALERT_SENDER.match(mail.sender):
        score.add("other", 4, f"sent by {mail.sender}")


def _decide(mail, score, folded_body):
    points = score.points
    best = max(PRIORITY, key=lambda kind: (points[kind], -PRIORITY.index(kind)))
    if points["other"] >= DECIDES and points["other"] >= points[best]:
        return _verdict("other", score)
    if points[best] >= DECIDES:
        return _verdict(best, score)
    if _personal(mail, folded_body):
        job_words = _patterns().job_words
        words = job_words.search(folded_body) or job_words.search(fold(mail.subject))
        return Verdict("recruiter", f"recruiter: a person writing about '{words.group(0)}'", dict(points))
    if score.best.get("other"):
        return _verdict("other", score)
    return Verdict("other", "other: nothing in it is about an application", dict(points))


def _verdict(kind, score):
    evidence = score.best[kind][1]
    quoted = evidence if evidence.startswith(("a ", "an ", "sent ")) else f"'{evidence}'"
    return Verdict(kind, f"{kind}: {quoted}", dict(score.points))


def _personal(mail, folded_body):
    """A person (not a robot, a board or a list) writing about a role."""
    if mail.bulk or hosts.is_noreply(mail.sender) or hosts.registrable(mail.domain) in hosts.BOARDS:
        return False
    job_words = _patterns().job_words
    if not (job_words.search(folded_body) or job_words.search(fold(mail.subject))):
        return False
    return mail.is_reply or bool(_GREETING.match(folded_body))
