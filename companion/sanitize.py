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
    html = _HEADING.sub(lambda m: "<%sh%s>" % (m.group(1), "2" if m.group(2) == "1" else "4"), html)
    return _BLOCK_END.sub(lambda m: m.group(0) + "<br>", html)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text):
    """``text`` with lone UTF-16 surrogates replaced by U+FFFD. JSON's "\\ud83d" cut from its pair
    decodes to one; no UTF-8 encoder (nh3, a file, a response) accepts it."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def clean_html(html, base_url=None):
    """Return ``html`` reduced to the allow-list (see ALLOWED_TAGS); links get safe ``rel``.

    Relative links are resolved against ``base_url`` when given and dropped otherwise,
    so every ``href`` left is http, https or mailto.
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        _keep_block_breaks(encodable(html)),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_href_filter(base_url),
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _tidy(cleaned)


# Patterns start with the literal "<br>" where they can: Python's re then skips to each "<br>"
# instead of trying every position (10-30x faster on a long description).
_EMPTY_BLOCK = re.compile(r"<(p|li|h[234]|strong|b|em|i)>(?:\s|&nbsp;|<br>)*</\1>")
_BR_RUN = re.compile(r"<br>\s*<br>\s*(?:<br>\s*)+")
_BR_AFTER_BLOCK = re.compile(r"(</(?:p|ul|ol|li|h[234]|table|tr|td|th)>|<(?:ul|ol|table|tbody|thead|tr)>)(?:\s*<br>)+")
_BR_BEFORE_BLOCK = re.compile(r"<br>\s*(?:<br>\s*)*(?=<(?:p|ul|ol|li|h[234]|table)\b|</(?:li|td|th|p)>)")


def _tidy(html):
    """Drop empty paragraphs and the stray line breaks page builders (and block ends) leave behind."""
    previous = None
    while previous != html:
        previous, html = html, _EMPTY_BLOCK.sub("", html)
    html = _BR_BEFORE_BLOCK.sub("", _BR_AFTER_BLOCK.sub(r"\1", html))
    html = _BR_RUN.sub("<br><br>", html).strip()
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
