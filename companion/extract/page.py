"""One captured page, parsed once: decoded text, the lexbor DOM, and what every stage reads from it.

Parsing is the costly step (selectolax/lexbor: about 3 ms for 500 KB, against ~5 ms for
lxml and ~48 ms for BeautifulSoup; see bench/bench_extract.py), so a Page parses once
and caches its scripts, meta tags, JSON-LD graph and microdata for the site module,
the schema.org reader, the meta reader and the heuristics alike.
"""
import codecs
import json
import re
from functools import cached_property
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from . import jsonld, microdata
from ..sanitize import cap_depth
from .normalize import clean_text

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in HTML, and a UTF-16 label without a BOM is UTF-8
_ENCODING_OVERRIDES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
                       "us-ascii": "cp1252", "l1": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
                       "utf-16be": "utf-8", "x-user-defined": "cp1252"}


def decode_html(data):
    """Text of a page given as bytes: BOM, then <meta charset>/http-equiv, else UTF-8 with replacement."""
    if isinstance(data, str):
        return data
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("html must be str or bytes")
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    encoding = "utf-8"
    if m:
        label = m.group(1).decode("ascii", "ignore").lower()
        label = _ENCODING_OVERRIDES.get(label, label)
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            encoding = "utf-8"
    return data.decode(encoding, errors="replace")


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

_ASSIGN_CACHE = {}


class Page:
    """A parsed page and the structured data on it. Every attribute is computed once, on first use."""

    def __init__(self, html, url=None):
        text = decode_html(html)
        if text.startswith("\ufeff"):
            text = text[1:]
        text = cap_depth(_XML_DECL.sub("", text, count=1).replace("\x00", ""))
        self.text = text
        self.url = url
        self.dom = LexborHTMLParser(text)

    # -- DOM helpers ------------------------------------------------------------------
    def css(self, selector):
        return self.dom.css(selector)

    def first(self, selector):
        return self.dom.css_first(selector)

    def text_of(self, selector):
        """Clean text of the first element matching ``selector`` (None when missing or empty)."""
        node = self.dom.css_first(selector)
        return node_text(node) if node is not None else None

    def texts_of(self, selector):
        return [t for t in (node_text(n) for n in self.dom.css(selector)) if t]

    def attr_of(self, selector, name):
        node = self.dom.css_first(selector)
        if node is None:
            return None
        return clean_text(node.attributes.get(name))

    # -- head -------------------------------------------------------------------------
    @cached_property
    def _tagged(self):
        """The <meta>, <script>, <link rel> and <h1> elements by tag, in document order: one scan of the
        document instead of one per tag (each costs about 3 ms on a 2 MB page, however few it finds)."""
        found = {"meta": [], "script": [], "link": [], "h1": []}
        for node in self.dom.css("meta, script, link[rel], h1"):
            found.setdefault(node.tag, []).append(node)
        return found

    @cached_property
    def meta(self):
        """``<meta>`` contents by lower-cased name/property/itemprop (first one wins)."""
        found = {}
        for node in self._tagged["meta"]:
            attrs = node.attributes
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            content = attrs.get("content")
            if key and content is not None:
                found.setdefault(key.strip().lower(), content)
        return found

    @cached_property
    def title_tag(self):
        node = self.dom.css_first("title")
        # no real <title> is this long; every title rule after this one stays cheap on a crafted one
        return clean_text(node.text()[:2000]) if node is not None else None

    @cached_property
    def first_h1(self):
        """The page's first <h1>."""
        return next(iter(self._tagged["h1"]), None)

    @cached_property
    def h1_text(self):
        return node_text(self.first_h1)

    @cached_property
    def canonical(self):
        for node in self._tagged["link"]:
            if "canonical" in (node.attributes.get("rel") or "").lower().split():
                href = clean_text(node.attributes.get("href"))
                if href:
                    return urljoin(self.url or "", href)
        return None

    @cached_property
    def lang(self):
        node = self.dom.css_first("html")
        return ((node.attributes.get("lang") or "") if node is not None else "").strip().lower() or None

    # -- scripts ----------------------------------------------------------------------
    @cached_property
    def scripts(self):
        """(type, id, text) of every inline script."""
        found = []
        for node in self._tagged["script"]:
            text = node.text()
            if text and text.strip():
                attrs = node.attributes
                found.append(((attrs.get("type") or "").strip().lower(), attrs.get("id"), text))
        return found

    @cached_property
    def jsonld(self):
        blocks = [text for kind, _, text in self.scripts if kind.split(";")[0].strip() == "application/ld+json"]
        return jsonld.parse_blocks(blocks)

    @cached_property
    def microdata(self):
        if "itemscope" not in self.text and "ITEMSCOPE" not in self.text:
            return []  # a substring test is far cheaper than a selector scan of a large page
        return microdata.items(self.dom, "jobposting")

    def script_json(self, script_id):
        """The JSON in ``<script id=script_id>`` (None when absent or unreadable)."""
        for _, sid, text in self.scripts:
            if sid == script_id:
                values = jsonld.load_block(text)
                return values[0] if values else None
        return None

    def assigned_json(self, name):
        """The JSON value a script assigns to ``name`` (``window.NAME = {...}``, ``NAME: {...}``,
        ``NAME = JSON.parse("...")``); None when no script does."""
        rx = _ASSIGN_CACHE.get(name)
        if rx is None:
            rx = _ASSIGN_CACHE[name] = re.compile(
                r"(?:\b|[\"'\]])%s[\"']?\]?\s*(?:=|:)\s*(JSON\.parse\(\s*)?" % re.escape(name))
        for _, _, text in self.scripts:
            if name not in text:
                continue
            for m in rx.finditer(text):
                value = _json_at(text, m.end(), from_string=bool(m.group(1)))
                if value is not None:
                    return value
        return None


def _json_at(text, index, from_string=False):
    decoder = json.JSONDecoder(strict=False)
    n = len(text)
    while index < n and text[index] in " \t\r\n":
        index += 1
    if index >= n:
        return None
    try:
        if from_string:
            if text[index] not in "\"'":
                return None
            raw, _ = decoder.raw_decode(text, index) if text[index] == '"' else (None, 0)
            return json.loads(raw, strict=False) if isinstance(raw, str) else None
        if text[index] not in "{[":
            return None
        value, _ = decoder.raw_decode(text, index)
        return value
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the stack, never real data
        return None


def node_text(node, separator=" "):
    """Clean one-line text of a node (None when empty)."""
    if node is None:
        return None
    return clean_text(node.text(deep=True, separator=separator))
