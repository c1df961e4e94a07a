"""Read a job posting off a captured page: one site module per board over a documented base,
schema.org data for everything a module leaves, then OpenGraph and page heuristics.

    from companion.extract import extract, page_title
    posting = extract(html, url, captured_at=None)   # dict, or raises NotAPosting (422)
    reading = read(html, url, captured_at=None)      # never refuses: .posting, .looks_like_posting, .guessed

See README.md in this folder for the fill order and for adding a site.
"""
from .engine import KEYS, Reading, extract, page_title, read

__all__ = ["KEYS", "Reading", "extract", "page_title", "read"]
