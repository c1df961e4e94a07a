"""Canonical URLs: the same posting, however it was linked, is one key."""
import pytest

from companion.errors import ValidationError
from companion.urls import canonical_url


@pytest.mark.parametrize("given, expected", [
    ("https://boards.greenhouse.io/acme/jobs/123?gh_src=abc&utm_source=x#app",
     "https://boards.greenhouse.io/acme/jobs/123"),
    ("HTTPS://Jobs.Lever.co/acme/abc-123/?lever-source=LinkedIn", "https://jobs.lever.co/acme/abc-123"),
    ("https://www.linkedin.com/jobs/view/12345/?refId=a&trackingId=b", "https://www.linkedin.com/jobs/view/12345"),
    ("https://au.indeed.com/viewjob?jk=54f1f8af68d722d2&from=serp&vjs=3",
     "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2"),
    ("https://example.com:443/careers/7?utm_campaign=fall&fbclid=zz", "https://example.com/careers/7"),
    ("http://example.com:8080/jobs?id=9", "http://example.com:8080/jobs?id=9"),
    ("https://example.com", "https://example.com/"),
])
def test_canonical_url_drops_tracking_and_fragments(given, expected):
    assert canonical_url(given) == expected


@pytest.mark.parametrize("given", [
    "https://www.linkedin.com/jobs/search/?currentJobId=4188877766&keywords=python&geoId=101174742",
    "https://www.linkedin.com/jobs/collections/recommended/?currentJobId=4188877766&origin=JOB_COLLECTION_PAGE",
    "https://ca.linkedin.com/jobs/search?currentJobId=4188877766",
    "https://www.linkedin.com/jobs/view/4188877766/?currentJobId=4188877766&trk=x",
])
def test_a_linkedin_posting_shown_on_a_search_page_is_keyed_by_its_own_address(given):
    # Not one key for every posting seen on a search page: that made them all duplicates of the first.
    assert canonical_url(given) == "https://www.linkedin.com/jobs/view/4188877766"
    assert canonical_url(given.replace("4188877766", "4188877767")) != canonical_url(given)


def test_canonical_url_keeps_the_parameter_that_names_the_posting():
    assert canonical_url("https://jobs.example.com/view?jobId=42&utm_medium=email") == \
        "https://jobs.example.com/view?jobId=42"


@pytest.mark.parametrize("bad", ["", "   ", "ftp://example.com/x", "javascript:alert(1)", "file:///etc/passwd",
                                 "https://", "http://example.com:99999/", 42, None])
def test_canonical_url_refuses_what_is_not_a_web_address(bad):
    with pytest.raises(ValidationError):
        canonical_url(bad)
