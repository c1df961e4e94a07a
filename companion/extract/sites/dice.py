"""Dice (www.dice.com/job-detail/<id>): JSON-LD, and the job header's `data-cy`/`data-testid` hooks.

The header names the employer (often a staffing agency), the place with its workplace
("Remote", "Hybrid in Austin, TX"), the employment terms ("Contract W2, 6 Months") and pay
as the poster typed it; the similar jobs beside it carry their own pay, so pay is read
from the header only.
"""
from ..sitekit import DeclaredSite


class Dice(DeclaredSite):
    key = "dice"
    hosts = ("www.dice.com",)  # seeker.dice.com was the 2010 board: its pages are read generically
    canonical_link = True  # without the ?searchlink= every result link carries
    marker = '[data-cy="jobTitle"], [data-testid="jobDescriptionHtml"], [data-cy="jobDescription"]'
    selectors = {"title": ('h1[data-cy="jobTitle"]', "h1"),
                 "company": ('[data-cy="companyNameLink"]', '[data-cy="companyName"]', '[data-testid="companyNameLink"]'),
                 "locations": ('[data-cy="location"]', '[data-testid="location"]'),
                 "remote": ('[data-cy="locationDetails"] [data-cy="workplaceType"]', '[data-cy="workplaceTypes"]'),
                 "employment_type": ('[data-cy="employmentDetails"]', '[data-testid="employmentDetails"]'),
                 "salary": ('[data-cy="payDetails"]', '[data-testid="payDetails"]'),
                 "date_posted": ('[data-cy="postedDate"]', '[data-testid="postedDate"]'),
                 "description": ('[data-testid="jobDescriptionHtml"]', '[data-cy="jobDescription"]', "#jobDescription"),
                 "apply_url": ('a[data-cy="applyButton"]@href', 'apply-button-wc@job-url'),
                 "company_logo": ('img[data-cy="companyLogo"]@src', 'img[data-testid="companyLogo"]@src')}

    def date_posted(self):
        posted = self.declared("date_posted")
        return posted.split("|")[0] if posted else None  # "Posted 3 days ago | Updated today"
