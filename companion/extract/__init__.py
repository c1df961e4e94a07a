"""Read a job posting off a captured page: one site module per board over a documented base,
schema.org data for everything a module leaves, then OpenGraph and page heuristics.

    from companion.extract import extract, page_title
    posting = extract(html, url, captured_at=None)   # dict, or raises NotAPosting (422)

See README.md in this folder for the fill order and for adding a site.
"""
from .engine import KEYS, extract, page_title

__all__ = ["KEYS", "extract", "page_title"]
