"""Who runs a page: the employer a host, a careers site's name or a page's furniture gives."""
import pytest

from companion.extract.page import Page
from companion.extract.sitename import employer_of_site, guessed_company, host_brand


@pytest.mark.parametrize("url, brand", [
    ("https://careers.acme.com/jobs/1", "Acme"),
    ("https://acme.co.uk/vacancies/2", "Acme"),
    ("https://jobs.lever.co/northwind-labs/5e1f0a3c/apply", "Northwind Labs"),
    ("https://acme.wd5.myworkdayjobs.com/en-US/External/job/x", "Acme"),
    ("https://careers-piedmont.icims.com/jobs/8812/x/login", "Piedmont"),
    ("https://www.linkedin.com/jobs/view/123", None),  # a board names no employer
    ("http://10.0.0.7/jobs/1", None),
])
def test_host_brand_names_the_employer_a_host_gives(url, brand):
    assert host_brand(url) == brand


@pytest.mark.parametrize("segment, employer", [
    ("Careers at Zentrix", "Zentrix"), ("Zentrix Careers", "Zentrix"), ("Werken bij Zorggroep Vechtstreek",
                                                                       "Zorggroep Vechtstreek"),
    ("Jobs bei Nordlicht", "Nordlicht"), ("Senior Engineer", None),
])
def test_a_careers_site_name_gives_its_employer(segment, employer):
    assert employer_of_site(segment) == employer


def test_a_guessed_company_is_never_the_hiring_platform():
    page = Page('<html><head><meta property="og:site_name" content="Workable"></head><body>'
                '<footer>Powered by Workable</footer></body></html>', "https://apply.workable.com/fernleaf/j/1/")
    assert guessed_company(page) == "Fernleaf"


def test_a_logo_alt_loses_its_logo_words_and_a_copyright_line_gives_the_company():
    logo = Page('<html><body><header><a class="logo" href="/"><img src="/l.png" alt="Acme Robotics logo"></a>'
                '</header></body></html>', "http://192.0.2.1/jobs/1")
    assert guessed_company(logo) == "Acme Robotics"
    footer = Page("<html><body><footer><p>© 2026 Harbor & Finch Ltd. All rights reserved.</p></footer></body></html>",
                  "http://192.0.2.1/jobs/1")
    assert guessed_company(footer) == "Harbor & Finch Ltd"
