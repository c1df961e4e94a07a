"""Read schema.org microdata (itemscope/itemprop) into the same dict shape JSON-LD gives.

Property values follow the HTML spec (meta content, a href, img src, time datetime,
else text); ``description`` keeps its inner HTML. A ``content`` attribute on any
element wins, as publishers use it that way.
"""
import re

_URL_TAGS = {"a": "href", "area": "href", "link": "href", "img": "src", "audio": "src", "video": "src",
             "source": "src", "iframe": "src", "embed": "src", "track": "src", "object": "data"}
_HTML_PROPS = {"description", "responsibilities", "qualifications", "skills", "jobBenefits", "experienceRequirements"}


def _local_type(itemtype):
    return re.split(r"[/#:]", (itemtype or "").split()[0].strip())[-1].lower() if itemtype and itemtype.split() else ""


def _owner_scope(node):
    parent = node.parent
    while parent is not None and parent.is_element_node:
        if "itemscope" in parent.attributes:
            return parent
        parent = parent.parent
    return None


def _value(node, name):
    attrs = node.attributes
    if attrs.get("content") is not None:
        return attrs.get("content")
    tag = node.tag
    if tag in _URL_TAGS:
        return attrs.get(_URL_TAGS[tag])
    if tag == "time" and attrs.get("datetime"):
        return attrs.get("datetime")
    if tag in ("data", "meter") and attrs.get("value") is not None:
        return attrs.get("value")
    if name in _HTML_PROPS:
        return node.inner_html
    return node.text(deep=True, separator=" ")


MAX_DEPTH = 10  # a posting's address or salary nests two or three scopes; deeper is no posting data


def item(scope, depth=0):
    """The properties of one itemscope element as a dict (nested scopes become nested dicts)."""
    result = {}
    itemtype = scope.attributes.get("itemtype")
    if itemtype:
        result["@type"] = itemtype.split()[0]
    scope_id = scope.mem_id
    for node in scope.css("[itemprop]"):
        owner = _owner_scope(node)
        if owner is None or owner.mem_id != scope_id:
            continue
        names = (node.attributes.get("itemprop") or "").split()
        for name in names:
            if "itemscope" in node.attributes:
                value = item(node, depth + 1) if depth < MAX_DEPTH else None
            else:
                value = _value(node, name)
            if value is None:
                continue
            if name in result:
                existing = result[name]
                result[name] = (existing if isinstance(existing, list) else [existing]) + [value]
            else:
                result[name] = value
    return result


def items(dom, type_name):
    """Top-level microdata items of ``type_name`` (lower-case local name, e.g. "jobposting")."""
    found = []
    for scope in dom.css("[itemscope][itemtype]"):
        if _local_type(scope.attributes.get("itemtype")) == type_name:
            found.append(item(scope))
    return found
