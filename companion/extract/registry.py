"""Which site module reads a page, and where the extension's button runs: the one list of job sites.

Every ``JobSite`` subclass defined in ``companion/extract/sites/*.py`` registers itself
by being there: adding a site is adding a module. ``SITES`` is the registry,
``{"greenhouse": Greenhouse, ...}``; each class carries its ``hosts`` (as a browser's match
patterns write them), its ``marker`` (a selector only a posting's page holds) and ``embeds``
(CSS selectors that reveal its board on another host's page).

`applied extension build` asks the registry for the manifest's host lists
(:func:`match_patterns`) and the content script's site markers (:func:`page_markers`), so the
button runs wherever a module reads, and knows each site's posting when it sees one.
"""
import importlib
import pkgutil
import re

from ..urls import host_of
from . import sites
from .base import JobSite, split_host


def _discover():
    found = {}
    for info in sorted(pkgutil.iter_modules(sites.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sites.__name__}.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, JobSite) and obj.__module__ == module.__name__
                    and obj.key != JobSite.key):
                if obj.key in found:
                    raise RuntimeError(f"two site modules claim the key {obj.key!r}")
                try:
                    [split_host(spec) for spec in obj.hosts]
                except ValueError as error:
                    raise RuntimeError(f"site module {obj.key!r}: {error}") from None
                found[obj.key] = obj
    return found


SITES = _discover()


class Generic(JobSite):
    """The site module of every page no other module claims: schema.org, meta and heuristics do it all."""

    key = "generic"


# One selector for every embed marker: a page of an unknown host is scanned once, not once per site.
_ANY_EMBED = ", ".join(selector for cls in SITES.values() for selector in cls.embeds)


def site_for(url, page=None):
    """The JobSite class for ``url`` (and, for unknown hosts, for a board embedded in ``page``)."""
    host = host_of(url)
    for cls in SITES.values():
        if cls.matches_host(host):
            return cls
    hit = page.first(_ANY_EMBED) if page is not None and _ANY_EMBED else None
    if hit is not None:  # the first embed marker on the page names its board: one scan, not one per selector
        for cls in SITES.values():
            if any(hit.css_matches(selector) for selector in cls.embeds):
                return cls
    return Generic


def match_patterns():
    """The match patterns of every site a module reads ("https://*.bamboohr.com/*", "https://*.linkedin.com/jobs/*"),
    in the registry's order, without one another covers (a browser refuses nothing, but a store reviewer asks)."""
    patterns = [f"https://{wild}{domain}{path}" for cls in SITES.values() for wild, domain, path in map(split_host, cls.hosts)]
    return [p for i, p in enumerate(patterns) if p not in patterns[:i] and not any(
        q != p and covers(q, p) for q in patterns)]


def covers(pattern, other):
    """True when every URL match pattern ``other`` matches, ``pattern`` matches too (same scheme; host with *.; path)."""
    scheme, _, rest = pattern.partition("://")
    scheme2, _, rest2 = other.partition("://")
    host, path = rest.split("/", 1)
    host2, path2 = rest2.split("/", 1)
    bare = host2.removeprefix("*.")
    hosts = host == "*" or host == host2 or (host.startswith("*.") and (bare == host[2:] or bare.endswith(host[1:])))
    paths = re.fullmatch(re.escape(path).replace(r"\*", ".*"), path2) is not None
    return scheme == scheme2 and hosts and paths


def page_markers():
    """What the content script looks for, per site: [[host regex (JavaScript), marker selector, [script words]]].

    Only sites with a marker or marker words are listed; the regex matches the page's host name
    as the module's ``hosts`` do (``*.x.com``: x.com and every subdomain).
    """
    out = []
    for cls in SITES.values():
        if not (cls.marker or cls.marker_script):
            continue
        alternatives = []
        for wild, domain, _ in map(split_host, cls.hosts):
            alternatives.append(("(^|\\.)" if wild else "^") + re.escape(domain).replace("\\-", "-") + "$")
        out.append(["|".join(dict.fromkeys(alternatives)), cls.marker or "", list(cls.marker_script)])
    return out
