"""Which site module reads a page: by the URL's host first, then by a board embedded in the page.

Every ``JobSite`` subclass defined in ``companion/extract/sites/*.py`` registers itself
by being there: adding a site is adding a module. ``SITES`` is the registry,
``{"greenhouse": Greenhouse, ...}``; each class carries its ``hosts`` (regexes matched against the
URL's host) and ``embeds`` (CSS selectors that reveal its board on another host's page).
"""
import importlib
import pkgutil

from ..urls import host_of
from . import sites
from .base import JobSite


def _discover():
    found = {}
    for info in sorted(pkgutil.iter_modules(sites.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sites.__name__}.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, JobSite) and obj.__module__ == module.__name__
                    and obj.key != JobSite.key):
                if obj.key in found:
                    raise RuntimeError(f"two site modules claim the key {obj.key!r}")
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
