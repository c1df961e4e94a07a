"""Pinpoint (<company>.pinpointhq.com/<lang>/postings/<uuid>): JSON-LD, and the posting's labelled
summary ("Location", "Employment type", "Workplace type", "Salary") for a rendered page or the
application step (`/postings/<uuid>/applications/new`)."""
from ..sitekit import DeclaredSite


class Pinpoint(DeclaredSite):
    key = "pinpoint"
    hosts = ("*.pinpointhq.com",)
    logos = ('header img',)
    apply_step = r"^(.*/postings/[\w-]+)/applications"
    marker = 'a[href*="/applications/new"], form[action*="/applications"]'
    selectors = {"title": ("main h1", "h1"),
                 "description": ('[data-testid="posting-description"]', ".posting-description", "main article"),
                 "apply_url": 'a[href*="/applications/new"]@href'}
    labels = {"locations": ("location", "locations"),
              "employment_type": ("employment type", "job type", "contract type"),
              "remote": ("workplace type", "workplace", "remote"),
              "salary": ("salary", "compensation", "pay"),
              "valid_through": ("closing date", "application deadline", "deadline")}

