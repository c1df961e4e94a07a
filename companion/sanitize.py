"""The one HTML sanitizer: every piece of outside HTML we store or show passes through here.

Job descriptions, notes and anything else rendered in the web view are cleaned with
nh3 (Rust's ammonia) against a short allow-list: text structure and links, nothing
that runs, loads or submits. ``html_to_text`` gives the same content as plain text
with paragraph breaks kept, for search, diffs and the CLI.
"""
import html as _html
import re
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "ul", "ol", "li", "b", "strong", "i", "em", "h2", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "a",
})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Tags dropped together with everything inside them: code, embedded documents,
# widgets and form controls carry no posting text worth keeping.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "canvas", "audio", "video", "select", "textarea",
    "button", "title", "head", "xmp", "noembed", "noframes", "plaintext",
})


def _href_filter(base_url):
    def keep(tag, attr, value):
        if tag != "a" or attr != "href":
            return value
        value = value.strip()
        try:
            if base_url and not urlsplit(value).scheme and not value.startswith("#"):
                value = urljoin(base_url, value)
            scheme = urlsplit(value).scheme.lower()
        except ValueError:  # "//[x": a broken IPv6 host; nh3 would print the traceback and drop it anyway
            return None
        return value if scheme in URL_SCHEMES else None

    return keep


_BLOCK_END = re.compile(r"</(?:div|section|article|header|footer|main|aside|blockquote|dd|dt|dl|pre|address|"
                        r"figure|figcaption|center|details|summary|fieldset)\s*>", re.I)
_HEADING = re.compile(r"<(/?)h([156])\b[^>]*>", re.I)


def _keep_block_breaks(html):
    """Blocks the allow-list drops (div, section...) still end a line, and h1/h5/h6 become allowed headings."""
    # Each tag pattern runs up to the last ">" only: from a "<h1" with no ">" after it, "[^>]*" would read to the
    # end and fail, once per "<h1" (40,000 of them took 10 s).
    end = html.rfind(">") + 1
    html = _HEADING.sub(lambda m: "<%sh%s>" % (m.group(1), "2" if m.group(2) == "1" else "4"), html[:end]) + html[end:]
    return _BLOCK_END.sub(lambda m: m.group(0) + "<br>", html)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text):
    """``text`` with lone UTF-16 surrogates replaced by U+FFFD. JSON's "\\ud83d" cut from its pair
    decodes to one; no UTF-8 encoder (nh3, a file, a response) accepts it."""
    return _LONE_SURROGATE.sub("\ufffd", text)


# Nesting deeper than this is cut off before parsing or cleaning: no page nests that deep, and lexbor's tree builder
# costs time quadratic in the depth (50,000 nested <div>s: 21 s, holding the interpreter lock),
# and so do nh3's.
MAX_DEPTH = 800
_WINDOW = 65536
_NESTING_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_NOT_NESTING = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base",
                          "embed", "param", "track", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
                          "optgroup", "tbody", "thead", "tfoot", "colgroup", "rb", "rt", "rp", "path", "use",
                          "rect", "circle", "stop", "line", "polygon", "ellipse", "g"})


def cap_depth(text):
    """``text`` cut where its elements nest deeper than MAX_DEPTH (unchanged for every real page).

    Two counts per 64 KB window say whether a page could nest that deep at all (each start tag
    raises the depth by at most one, each end tag lowers it); only a page that could is read tag
    by tag, so the check costs a few milliseconds on a normal 2 MB page."""
    if text.count("<") <= MAX_DEPTH * 4:
        return text  # too few tags to nest that deep (one fast count: most descriptions, pages up to ~50 KB)
    depth_bound = 0
    for start in range(0, len(text), _WINDOW):
        window = text[start:start + _WINDOW]
        closes = window.count("</")
        depth_bound = max(0, depth_bound + window.count("<") - 2 * closes)
        if depth_bound > MAX_DEPTH * 4:
            break
    else:
        return text
    depth = 0
    # Up to the last ">" only: from a "<" with no ">" after it, the tag pattern would read to the end of the text
    # and fail, and do it again from the next "<" (20,000 "<a" once held the interpreter lock for 18 s).
    for m in _NESTING_TAG.finditer(text, 0, text.rfind(">") + 1):
        name = m.group(2).lower()
        if m.group(3) or name in _NOT_NESTING:
            continue
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH:
            return text[:m.start()]
    return text


# nh3's parser costs time quadratic in the length of one run of text when it holds character references or
# characters from U+0080 to U+00BF (480,000 "&" in one paragraph: 4.6 s; 240,000 "·": 1 s), and in the length of
# a tag's attributes likewise. So a run of text is cut every MAX_RUN characters by an empty element of no known
# name (the allow-list drops it, and the text reads as before), and a tag longer than MAX_TAG goes (no posting's
# tag is: the one attribute kept, a link's address, is a few hundred characters at most).
MAX_RUN = 2048
MAX_TAG = 8192
_PIECE = re.compile(r"<[^<>]*>?|[^<]+")  # a tag (or what starts like one), or the text up to the next "<"
_RUN_BREAK = "<x-break></x-break>"


def _short_runs(html):
    if len(html) <= MAX_RUN:
        return html
    out = []
    for m in _PIECE.finditer(html):
        piece = m.group(0)
        if len(piece) <= MAX_RUN:
            out.append(piece)
        elif piece[0] == "<":
            if len(piece) <= MAX_TAG:
                out.append(piece)
        else:
            out.append(_cut(piece))
    return "".join(out)


def _cut(text):
    """``text`` with a break every MAX_RUN characters, never inside a character reference ("&amp;")."""
    pieces, start = [], 0
    while len(text) - start > MAX_RUN:
        end = start + MAX_RUN
        amp = text.rfind("&", end - 40, end)
        if amp > start and ";" not in text[amp:end]:
            end = amp  # "&...": keep the reference whole
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return _RUN_BREAK.join(pieces)


def clean_html(html, base_url=None):
    """Return ``html`` reduced to the allow-list (see ALLOWED_TAGS); links get safe ``rel``.

    Relative links are resolved against ``base_url`` when given and dropped otherwise,
    so every ``href`` left is http, https or mailto.
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        _short_runs(_keep_block_breaks(cap_depth(encodable(html)))),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_href_filter(base_url),
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _tidy(cleaned)


# Every pattern here is linear in its input, and each runs once: a description of 219 KB of nested
# empty tags once took 27 s when an "empty paragraph" substitution was repeated until nothing changed.
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
# Whether any element is empty at all: one linear search (each alternative starts with a fixed token),
# so most descriptions never pay for the tokenizer below.
_EMPTY_ELEMENT = re.compile(r"<(p|li|h[234]|strong|b|em|i)>(?:\s|&nbsp;|<br>)*</\1>")
_EMPTIABLE = frozenset({"p", "li", "h2", "h3", "h4", "strong", "b", "em", "i"})
_BLANK = re.compile(r"(?:\s|&nbsp;)*")
_BR_RUN = re.compile(r"(?:<br>\s*)+")
_AFTER_BLOCK = re.compile(r"(?:</(?:p|ul|ol|li|h[234]|table|tr|td|th)>|<(?:ul|ol|table|tbody|thead|tr)>)\s*$")
_BEFORE_BLOCK = re.compile(r"<(?:p|ul|ol|li|h[234]|table)\b|</(?:li|td|th|p)>")


def _drop_empty(html):
    """``html`` without elements that hold nothing but spaces and line breaks (nested ones included),
    in one pass: a stack of the open elements, each remembering where it started and whether it holds
    anything; an empty one is cut from the output when it closes."""
    if not _EMPTY_ELEMENT.search(html):
        return html
    out, stack = [], []  # stack: [tag, index of its start tag in out, holds content]
    for m in _TOKEN.finditer(html):
        token = m.group(0)
        if token[0] != "<":
            out.append(token)
            if stack and not stack[-1][2] and not _BLANK.fullmatch(token):
                stack[-1][2] = True
            continue
        name = token[1:-1].strip("/ ").split(" ", 1)[0].lower()
        if name in _EMPTIABLE and token == f"<{name}>":
            stack.append([name, len(out), False])
            out.append(token)
            continue
        if token == f"</{name}>" and name in _EMPTIABLE and stack and stack[-1][0] == name:
            _, start, full = stack.pop()
            if not full:
                del out[start:]
                continue
            out.append(token)
            if stack:
                stack[-1][2] = True
            continue
        out.append(token)
        if name != "br" and stack:
            stack[-1][2] = True  # a link, a list, a table: content
    return "".join(out)


def _tidy(html):
    """Drop empty paragraphs and the stray line breaks page builders (and block ends) leave behind."""
    html = _drop_empty(html)

    pieces, last = [], 0
    for m in _BR_RUN.finditer(html):
        before = html[last:m.start()]
        run = m.group(0)
        if _AFTER_BLOCK.search(html, max(0, m.start() - 64), m.start()):
            before = before.rstrip()  # a block already ends the line: the breaks (and the space before) go
            run = run[len(run.rstrip()):]
        elif _BEFORE_BLOCK.match(html, m.end()):
            run = ""  # a block starts the next line
        elif run.count("<br>") >= 3:
            run = "<br><br>"
        pieces += (before, run)
        last = m.end()
    pieces.append(html[last:])
    html = "".join(pieces).strip()
    while html.startswith("<br>"):
        html = html[4:].lstrip()
    while html.endswith("<br>"):
        html = html[:-4].rstrip()
    return html


_BLOCK_BREAK = re.compile(r"</?(?:p|h[234]|table|thead|tbody|ul|ol)\b[^>]*>|</tr>|</li>", re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_CELL = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(html, cleaned=False):
    """Plain text of an HTML fragment: paragraphs separated by a blank line, list items as "- ".

    ``cleaned=True`` says ``html`` is already ``clean_html``'s output, which is not cleaned again.
    """
    if not html:
        return ""
    if not cleaned:
        html = clean_html(html)
    html = html.replace("\n", " ")
    html = _LINE_BREAK.sub("\n", html)
    html = _LIST_ITEM.sub("\n\n- ", html)
    html = _CELL.sub("\t", html)
    html = _BLOCK_BREAK.sub("\n\n", html)
    text = _html.unescape(_TAG.sub("", html))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    blocks = [b.strip("\n") for b in _BLANK_LINES.sub("\n\n", "\n".join(lines)).split("\n\n")]
    out = []
    for block in blocks:
        if not block:
            continue
        # consecutive list items read better on consecutive lines
        if out and block.startswith("- ") and out[-1].rsplit("\n", 1)[-1].startswith("- "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)
