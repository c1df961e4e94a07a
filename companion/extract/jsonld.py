"""Read JSON-LD the way the web writes it, and find the JobPosting in it.

Each ``<script type="application/ld+json">`` block is read on its own, so one broken
block never hides a good one. Beyond strict JSON we accept blocks wrapped in HTML
comments or CDATA, trailing semicolons, raw newlines inside strings, trailing commas,
JavaScript comments, stray backslashes, several objects in one block, HTML-escaped
JSON and keys written twice (both values kept). Nodes are then walked through ``@graph``, lists, ``mainEntity`` and nesting;
``@type`` may be a list or a URL and keys may carry a ``schema:`` prefix; ``@id``
references are resolved against every node on the page.
"""
import html as _html
import json
import re

def _keep_repeated_keys(pairs):
    """A JSON object whose key repeats keeps every value, as a list ("jobLocation": {...}, "jobLocation": {...}
    names two places; plain JSON would keep the last one only)."""
    node = dict(pairs)
    if len(node) == len(pairs):
        return node
    node = {}
    for key, value in pairs:
        if key in node:
            kept = node[key] if isinstance(node[key], list) else [node[key]]
            node[key] = kept + (value if isinstance(value, list) else [value])
        else:
            node[key] = value
    return node


_DECODER = json.JSONDecoder(strict=False, object_pairs_hook=_keep_repeated_keys)
_WRAPPERS = re.compile(
    r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|//\s*<!\[CDATA\[|<!\[CDATA\[)\s*|"
    r"\s*(?:-->|/\*\s*\]\]>\s*\*/|//\s*\]\]>|\]\]>)\s*$")
_SCHEMA_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?schema\.org/|^schema:", re.I)


def _strip_wrappers(text):
    text = text.strip().lstrip("\ufeff")
    previous = None
    while previous != text:
        previous = text
        text = _WRAPPERS.sub("", text).strip().rstrip(";").strip()
    if text.startswith(("{&quot;", "[&quot;", "{ &quot;")):
        text = _html.unescape(text)
    return text


def _repair(text):
    """Make near-JSON parseable: drop comments, trailing commas and bad escapes outside/inside strings."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            if ch == "\\":
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt in '"\\/bfnrt':
                    out.append(text[i:i + 2])
                    i += 2
                    continue
                if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", text[i + 2:i + 6]):
                    out.append(text[i:i + 6])
                    i += 6
                    continue
                i += 1  # a stray backslash ("\'" or "\ "): keep the character, drop the backslash
                continue
            if ch == '"':
                in_string = False
            out.append(ch)
            i += 1
            continue
        if ch == '"':
            in_string = True
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "}]":
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _decode_all(text):
    """Every JSON value in ``text`` (several objects may follow each other) and where reading stopped."""
    values = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n,;":
            i += 1
        if i >= n:
            break
        try:
            value, i = _DECODER.raw_decode(text, i)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values, i >= n


def load_block(text):
    """The JSON values of one script block: [] when nothing in it can be read."""
    text = _strip_wrappers(text or "")
    if not text:
        return []
    try:
        return [_DECODER.decode(text)]
    except ValueError:
        pass
    except RecursionError:
        return []  # nested deeper than Python's stack: no page's data, a hostile block
    values, complete = _decode_all(text)
    if complete:
        return values
    repaired, _ = _decode_all(_repair(text))
    return repaired or values


def type_names(node):
    """Local type names of a node, lower-cased: "http://schema.org/JobPosting" → {"jobposting"}."""
    value = node.get("@type") if isinstance(node, dict) else None
    if value is None:
        return set()
    values = value if isinstance(value, list) else [value]
    names = set()
    for item in values:
        if isinstance(item, str):
            names.add(re.split(r"[/#:]", item.strip())[-1].lower())
    return names


def _normalize_keys(node):
    if any(isinstance(k, str) and (k.startswith("schema:") or "schema.org" in k) for k in node):
        return {(_SCHEMA_PREFIX.sub("", k) if isinstance(k, str) else k): v for k, v in node.items()}
    return node


class Graph:
    """All JSON-LD nodes of a page, with an ``@id`` index and the JobPostings among them."""

    MAX_DEPTH = 40  # real graphs nest a few levels; deeper is a hostile page, not data to read

    def __init__(self, blocks):
        self.nodes = []
        self.by_id = {}
        self._list_items = set()
        for value in blocks:
            self._walk(value, in_list=False)

    def _walk(self, value, in_list, depth=0):
        if depth > self.MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                self._walk(item, in_list, depth + 1)
            return
        if not isinstance(value, dict):
            return
        value = _normalize_keys(value)
        self.nodes.append(value)
        if in_list:
            self._list_items.add(id(value))
        node_id = value.get("@id")
        if isinstance(node_id, str) and (node_id not in self.by_id or len(value) > len(self.by_id[node_id])):
            self.by_id[node_id] = value
        types = type_names(value)
        listing = bool(types & {"itemlist", "searchresultspage", "collectionpage", "offercatalog"})
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                child_in_list = in_list or (listing and key in ("itemListElement", "mainEntity", "hasPart"))
                child_in_list = child_in_list or key in ("itemListElement",)
                self._walk(child, child_in_list, depth + 1)

    def resolve(self, value):
        """A node in place of an ``{"@id": ...}`` reference (the value itself when it is not one)."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2 and isinstance(value["@id"], str):
            return self.by_id.get(value["@id"], value)
        if isinstance(value, str) and value in self.by_id and value.startswith(("#", "http", "_:")):
            return self.by_id[value]
        return value

    def of_type(self, name):
        name = name.lower()
        return [node for node in self.nodes if name in type_names(node)]

    def postings(self):
        """JobPosting nodes that stand for this page (not items of a search-results list)."""
        found, seen = [], set()
        for node in self.of_type("jobposting"):
            node = self.by_id.get(node.get("@id"), node) if isinstance(node.get("@id"), str) else node
            if id(node) in seen:
                continue
            seen.add(id(node))
            found.append((id(node) in self._list_items, node))
        standalone = [node for listed, node in found if not listed]
        return standalone, [node for listed, node in found if listed]


def parse_blocks(texts):
    """A Graph over the given script-block texts, each read on its own."""
    values = []
    for text in texts:
        values.extend(load_block(text))
    return Graph(values)
