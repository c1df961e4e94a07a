"""Table-driven checks of the normalizers: pay, dates, work arrangement, job type, JSON-LD reading."""
import datetime

import pytest

from companion.extract import normalize as n
from companion.extract.jsonld import load_block, parse_blocks

CAPTURED = datetime.date(2026, 8, 15)


def pay(low, high, currency, period):
    return {"min": low, "max": high, "currency": currency, "period": period}


SALARY_TEXT = [
    ("$120K – $150K a year", None, pay(120000, 150000, "USD", "year")),
    ("CA$45/hr", None, pay(45, 45, "CAD", "hour")),
    ("€50.000 - €60.000", None, pay(50000, 60000, "EUR", "year")),
    ("45K à 55K €", None, pay(45000, 55000, "EUR", "year")),
    ("£45k–£55k per annum", None, pay(45000, 55000, "GBP", "year")),
    ("$28 - $32 an hour", None, pay(28, 32, "USD", "hour")),
    ("$28 - $32 an hour", "CA", pay(28, 32, "CAD", "hour")),
    ("$130,000 - $160,000 a year", "AU", pay(130000, 160000, "AUD", "year")),
    ("A$120,000 + super", None, pay(120000, 120000, "AUD", "year")),
    ("Up to $80,000", None, pay(80000, 80000, "USD", "year")),
    ("$50-60k", None, pay(50000, 60000, "USD", "year")),
    ("From 3 500 € brut mensuel", None, pay(3500, 3500, "EUR", "month")),
    ("50 000 - 60 000 EUR par an", None, pay(50000, 60000, "EUR", "year")),
    ("CHF 120'000", None, pay(120000, 120000, "CHF", "year")),
    ("£350 - £450 per day", None, pay(350, 450, "GBP", "day")),
    ("$1,200 per week", None, pay(1200, 1200, "USD", "week")),
    ("$100,000.00 - $120,000.00", None, pay(100000, 120000, "USD", "year")),
    ("€18,50 per hour", None, pay(18.5, 18.5, "EUR", "hour")),
    ("NZ$95k p.a.", None, pay(95000, 95000, "NZD", "year")),
    ("60.000 € - 70.000 € brutto/Jahr", None, pay(60000, 70000, "EUR", "year")),
    ("₹12,00,000 - ₹18,00,000 per annum", None, pay(1200000, 1800000, "INR", "year")),
]


@pytest.mark.parametrize("text, country, expected", SALARY_TEXT, ids=[c[0] for c in SALARY_TEXT])
def test_parse_salary_text(text, country, expected):
    assert n.parse_salary_text(text, country) == expected


@pytest.mark.parametrize("text", [
    "A generous personal development budget of $500 per annum",
    "Backed by nearly $100 million in funding",
    "$95,000 (Glassdoor est.)",
    "Estimated salary: $80K - $95K a year",
    "We have 250 employees",
])
def test_salary_text_that_is_not_this_jobs_pay_is_refused(text):
    assert n.parse_salary_text(text, "US", strict=True) is None


def test_salary_text_stops_at_extras_named_after_the_pay():
    line = "Salary: £38,000 – £44,000 a year, plus overtime and an offshore allowance."
    assert n.parse_salary_text(line, "GB", strict=True) == pay(38000, 44000, "GBP", "year")
    assert n.parse_salary_text("Up to $2,000 allowance for your home office", "US", strict=True) is None
    assert n.parse_salary_text("Car allowance of £5,000 a year", "GB", strict=True) is None


@pytest.mark.parametrize("line", [
    "Salary: $120,000 - $140,000 (Salt Lake City, Utah)",   # "ah" is no "a h(our)"
    "Salary: $120,000 - $140,000, James Street office",     # "ames" is no "a mes"
    "Compensation: $120k-$140k, promo eligible",            # "promo" is no "pro mo(nth)"
])
def test_salary_period_needs_a_word_of_its_own(line):
    assert n.parse_salary_text(line, "US", strict=True) == pay(120000, 140000, "USD", "year")


@pytest.mark.parametrize("line", [
    "We offer a 401(k) match and a base salary of $100,000 - $120,000.",
    "401k matching, and a salary of $100,000 - $120,000",
    "2026 salary range: $100,000 - $120,000",
])
def test_salary_text_skips_retirement_plans_and_years(line):
    assert n.parse_salary_text(line, "US", strict=True) == pay(100000, 120000, "USD", "year")


def test_a_year_like_figure_with_a_currency_or_in_a_range_is_pay():
    assert n.parse_salary_text("2000 - 2500 EUR per month") == pay(2000, 2500, "EUR", "month")
    assert n.parse_salary_text("2000 € per month, 13 months") == pay(2000, 2000, "EUR", "month")


STRUCTURED = [
    ({"@type": "MonetaryAmount", "currency": "AUD", "value": {"@type": "QuantitativeValue", "minValue": 130000,
                                                              "maxValue": 160000, "unitText": "YEAR"}},
     pay(130000, 160000, "AUD", "year")),
    ({"currency": "USD", "value": {"value": "45.5", "unitText": "HOUR"}}, pay(45.5, 45.5, "USD", "hour")),
    ({"currency": "EUR", "value": 52000}, pay(52000, 52000, "EUR", "year")),
    ({"currency": "GBP", "value": {"minValue": "400", "maxValue": "500", "unitText": "DAY"}}, pay(400, 500, "GBP", "day")),
    ({"currency": "USD", "value": {"minValue": 4000, "maxValue": 5000, "unitText": "MONTH"}}, pay(4000, 5000, "USD", "month")),
    ({"currency": "USD", "value": {"minValue": 900, "unitText": "WEEK"}}, pay(900, 900, "USD", "week")),
    ({"currency": "CAD", "value": "$60,000 - $70,000"}, pay(60000, 70000, "CAD", "year")),
    ({"min": 28, "max": 32, "currency": "CAD", "unitText": "HOURLY"}, pay(28, 32, "CAD", "hour")),
    ({"currency": "USD", "value": {"minValue": 0, "maxValue": 0}}, None),
    ({}, None),
]


@pytest.mark.parametrize("value, expected", STRUCTURED, ids=[str(i) for i in range(len(STRUCTURED))])
def test_structured_salary(value, expected):
    assert n.salary(value) == expected


def test_structured_salary_without_currency_takes_the_site_country():
    assert n.salary({"value": {"minValue": 50000, "maxValue": 60000, "unitText": "YEAR"}}, "CA")["currency"] == "CAD"


@pytest.mark.parametrize("value", [{"currency": "$", "value": "60,000 - 70,000"},
                                   {"currency": "dollars", "value": "60,000 - 70,000"}])
def test_structured_salary_text_reads_its_currency_field_as_the_numbers_do(value):
    assert n.salary(value, "CA") == pay(60000, 70000, "CAD", "year")


DATES = [
    ("2026-08-06", "2026-08-06"),
    ("2026-08-06T07:39:35.941Z", "2026-08-06"),
    ("2026-08-06T23:30:00-08:00", "2026-08-06"),
    ("November 3, 2026", "2026-11-03"),
    ("Nov 3 2026", "2026-11-03"),
    ("3 November 2026", "2026-11-03"),
    ("3 novembre 2026", "2026-11-03"),
    ("1er mars 2026", "2026-03-01"),
    ("5 févr. 2027", "2027-02-05"),
    ("3. November 2026", "2026-11-03"),
    ("3 de noviembre de 2026", "2026-11-03"),
    ("Mon, 03 Nov 2026 10:00:00 GMT", "2026-11-03"),
    ("2026/11/03", "2026-11-03"),
    ("Posted 3 days ago", "2026-08-12"),
    ("3 days ago", "2026-08-12"),
    ("4d ago", "2026-08-11"),
    ("1 week ago", "2026-08-08"),
    ("2 weeks ago", "2026-08-01"),
    ("a month ago", "2026-07-16"),
    ("il y a 2 jours", "2026-08-13"),
    ("Publiée il y a 3 semaines", "2026-07-25"),
    ("vor 3 Tagen", "2026-08-12"),
    ("hace 2 días", "2026-08-13"),
    ("3 dagen geleden", "2026-08-12"),
    ("today", "2026-08-15"),
    ("Posted today", "2026-08-15"),
    ("Just posted", "2026-08-15"),
    ("an hour ago", "2026-08-15"),
    ("aujourd'hui", "2026-08-15"),
    ("yesterday", "2026-08-14"),
    ("hier", "2026-08-14"),
    ("30+ days ago", None),
    ("Posted 30+ days ago", None),
    ("il y a plus de 30 jours", None),
    ("Posted over a month ago", None),
    ("more than 2 weeks ago", None),
    ("soon", None),
    ("1.5 weeks ago", None),  # not "5 weeks ago"
    ("", None),
    (1786696666000, "2026-08-14"),
    (1786696666, "2026-08-14"),
]


@pytest.mark.parametrize("value, expected", DATES, ids=[str(d[0]) for d in DATES])
def test_parse_date(value, expected):
    assert n.parse_date(value, CAPTURED) == expected


def test_numeric_dates_follow_the_country():
    assert n.parse_date("03/11/2026", CAPTURED) == "2026-11-03"
    assert n.parse_date("03/11/2026", CAPTURED, dayfirst=False) == "2026-03-11"
    assert n.parse_date("13/11/2026", CAPTURED, dayfirst=False) == "2026-11-13"


REMOTE_STRUCTURED = [
    ("TELECOMMUTE", "remote"), ("REMOTE_HYBRID", "hybrid"), ("HYBRID", "hybrid"), ("On-site", "onsite"),
    ("Hybrid work", "hybrid"), ("Remote", "remote"), (["urn:x", "HYBRID"], "hybrid"), ("Télétravail fréquent", "hybrid"),
    ("Télétravail total", "remote"), ("Work from home", "remote"), ("Melbourne VIC (Remote)", "remote"),
    ("Not remote", "onsite"), ("Full-time", None), (None, None),
    ("Télétravail non autorisé", "onsite"), ("Remote not allowed", "onsite"), ("Occasional remote", "hybrid"),
]


@pytest.mark.parametrize("value, expected", REMOTE_STRUCTURED, ids=[str(v) for v, _ in REMOTE_STRUCTURED])
def test_remote_from_structured(value, expected):
    assert n.remote_from_structured(value) == expected


REMOTE_TEXT = [
    ("Flexible hybrid working environment, with 3 days in the office.", "hybrid"),
    ("You will be in the office 2 days per week.", None),
    ("We work 3 days a week in the office and the rest from home.", "hybrid"),
    ("This is a fully remote role open to anyone in Canada.", "remote"),
    ("This position is remote.", "remote"),
    ("You can work from home.", "remote"),
    ("Ce poste est en télétravail total.", "remote"),
    ("Deux jours de télétravail par semaine, 2 jours de télétravail possibles.", "hybrid"),
    ("This is not a remote position.", "onsite"),
    ("This is an on-site role at our plant.", "onsite"),
    ("We build remote monitoring tools for hospitals.", None),
    ("Our team is distributed across three offices.", None),
]


@pytest.mark.parametrize("text, expected", REMOTE_TEXT, ids=[t for t, _ in REMOTE_TEXT])
def test_remote_from_text(text, expected):
    assert n.remote_from_text(text) == expected


EMPLOYMENT = [
    ("FULL_TIME", "full_time"), ("Full-time", "full_time"), ("full time", "full_time"), ("CDI", "full_time"),
    ("Permanent", "full_time"), ("Temps plein", "full_time"), ("Vollzeit", "full_time"),
    ("PART_TIME", "part_time"), ("Part-time", "part_time"), ("Temps partiel", "part_time"),
    ("Contract", "contract"), ("CONTRACTOR", "contract"), ("Freelance", "contract"), ("Contract/Temp", "contract"),
    ("TEMPORARY", "temporary"), ("CDD", "temporary"), ("Fixed-term", "temporary"), ("Casual/Vacation", "temporary"),
    ("INTERN", "internship"), ("Internship", "internship"), ("Stage", "internship"),
    ("OTHER", "other"), ("Apprenticeship", "other"), ("PER_DIEM", "other"),
    (["PART_TIME", "FULL_TIME"], "part_time"), (["", "FULL_TIME"], "full_time"),
    ("Mid-Senior level", None), (None, None),
]


@pytest.mark.parametrize("value, expected", EMPLOYMENT, ids=[str(v) for v, _ in EMPLOYMENT])
def test_employment_type(value, expected):
    assert n.employment_type(value) == expected


def test_employment_from_description_text():
    assert n.employment_from_text("This is a full-time position based in Leeds.") == "full_time"
    assert n.employment_from_text("Type de contrat : CDI") == "full_time"
    assert n.employment_from_text("We value full-time focus and part-time hobbies.") is None


def test_salary_from_description_reads_only_pay_lines():
    text = "We raised $20M last year.\n\nSalary: £45k–£55k per annum plus bonus.\n\nBudget of $500 per annum."
    assert n.salary_from_text(text, "GB") == pay(45000, 55000, "GBP", "year")


def test_salary_from_description_finds_the_pay_sentence_in_a_long_paragraph():
    text = ("The US base salary range for this full-time position is $166,000-$244,000 + bonus + equity + "
            "benefits. Our salary ranges are determined by role, level, and location. Within the range, individual "
            "pay is determined by work location and additional factors, including job-related skills, experience, "
            "and relevant education or training. We raised $20M last year.")
    assert len(text) > 300
    assert n.salary_from_text(text, "US") == pay(166000, 244000, "USD", "year")


def test_unwrap_linkedin_external_apply():
    wrapped = ("https://www.linkedin.com/jobs/view/externalApply/4100200300?url=https%3A%2F%2Fjobs%2Eacme%2Eexample"
               "%2F311%3Fsource%3Dlinkedin&urlHash=abcd")
    assert n.unwrap_redirect(wrapped) == "https://jobs.acme.example/311?source=linkedin"
    assert n.unwrap_redirect("https://jobs.acme.example/311") == "https://jobs.acme.example/311"


def test_unwrap_linkedin_safety_link():
    wrapped = "https://www.linkedin.com/safety/go/?url=https%3A%2F%2Fcareers.acme.example%2Fjobs%2F9&urlhash=k3Qx"
    assert n.unwrap_redirect(wrapped) == "https://careers.acme.example/jobs/9"


PLACES = [
    (["Paris | Lyon"], ["Paris", "Lyon"]),
    (["Berlin; Hamburg; München"], ["Berlin", "Hamburg", "München"]),
    (["Toronto, ON · Montréal, QC"], ["Toronto, ON", "Montréal, QC"]),
    (["London or Manchester"], ["London", "Manchester"]),
    (["Hamburg oder Berlin"], ["Hamburg", "Berlin"]),
    (["São Paulo ou Campinas"], ["São Paulo", "Campinas"]),
    (["Utrecht\nAmersfoort"], ["Utrecht", "Amersfoort"]),
    (["Toronto, ON · 2 days ago · Over 100 applicants"], ["Toronto, ON"]),
    (["Portland, OR (Pearl District)"], ["Portland, OR (Pearl District)"]),  # OR is Oregon, not "or"
    (["Toronto, ON, CA", "Bergen, NO", "Leeds, UK", "Berlin, Deutschland"],
     ["Toronto, ON, Canada", "Bergen, Norway", "Leeds, United Kingdom", "Berlin, Germany"]),
    (["Austin, TX", "Dover, DE", "Aberdeen, Scotland"], ["Austin, TX", "Dover, DE", "Aberdeen, Scotland"]),
]


@pytest.mark.parametrize("values, expected", PLACES, ids=[v[0] for v, _ in PLACES])
def test_location_list_splits_several_places_and_writes_one_country_form(values, expected):
    assert n.location_list(values) == expected


KINDS_IN_TEXT = [
    ("Nous proposons un CDI à temps plein.", "full_time"), ("Stage de 6 mois à partir de janvier.", "internship"),
    ("Du arbeitest bei uns in Vollzeit.", "full_time"), ("Wir bieten dir ein Praktikum im Marketing.", "internship"),
    ("Ofrecemos contrato indefinido y jornada completa.", "full_time"), ("Je start als stagiair bij ons team.", "internship"),
    ("Een BBL-traject bij onze vestiging.", "other"), ("Vaga de estágio em São Paulo.", "internship"),
    ("Contratação em regime CLT.", "full_time"), ("At this stage of our growth we hire engineers.", None),
]


@pytest.mark.parametrize("text, expected", KINDS_IN_TEXT, ids=[t for t, _ in KINDS_IN_TEXT])
def test_employment_from_text_in_six_languages(text, expected):
    assert n.employment_from_text(text) == expected


KINDS_IN_TITLE = [
    ("Werkstudent Vertrieb (m/w/d)", "internship"), ("Stagiaire Ressources Humaines", "internship"),
    ("Becario/a de datos", "internship"), ("Estágio em Marketing", "internship"), ("Data Analyst Intern", "internship"),
    ("Product Designer (CDI)", "full_time"), ("Nurse - Part-time", "part_time"), ("Contract Manager", None),
    ("Stage Manager", None), ("Senior Engineer - Berlin", None),
]


@pytest.mark.parametrize("title, expected", KINDS_IN_TITLE, ids=[t for t, _ in KINDS_IN_TITLE])
def test_employment_from_a_title(title, expected):
    assert n.employment_from_title(title) == expected


def test_some_days_a_week_at_home_is_hybrid_but_days_at_work_alone_say_nothing():
    assert n.remote_from_text("Home-Office an zwei Tagen pro Woche") == "hybrid"
    assert n.remote_from_text("Du arbeitest remote, 2 jours par semaine au bureau") == "hybrid"
    assert n.remote_from_text("Work location: In person") == "onsite"
    assert n.remote_from_text("Mondays, Wednesdays and Fridays at our practice (three days a week)") is None


JSONLD_BLOCKS = [
    ('{"@type": "JobPosting"}', [{"@type": "JobPosting"}]),
    ('<!-- {"a": 1} -->', [{"a": 1}]),
    ('<![CDATA[{"a": 1}]]>', [{"a": 1}]),
    ('//<![CDATA[\n{"a": 1}\n//]]>', [{"a": 1}]),
    ('{"a": 1};', [{"a": 1}]),
    ('{"a": "line\nbreak"}', [{"a": "line\nbreak"}]),
    ('{"a": [1, 2,],}', [{"a": [1, 2]}]),
    ('{"a": 1}\n{"b": 2}', [{"a": 1}, {"b": 2}]),
    ('{"a": "it\\\'s"}', [{"a": "it's"}]),
    ('{"a": 1, // note\n"b": 2}', [{"a": 1, "b": 2}]),
    ('{&quot;a&quot;: 1}', [{"a": 1}]),
    ('{"a": ', []),
    ("", []),
    ('{"jobLocation": {"n": 1}, "jobLocation": {"n": 2}, "title": "X"}', [{"jobLocation": [{"n": 1}, {"n": 2}], "title": "X"}]),
]


@pytest.mark.parametrize("text, expected", JSONLD_BLOCKS, ids=[repr(t)[:30] for t, _ in JSONLD_BLOCKS])
def test_load_jsonld_block(text, expected):
    assert load_block(text) == expected


def test_graph_resolves_id_references_and_skips_listed_postings():
    graph = parse_blocks([
        '{"@context": "schema.org", "@graph": [{"@type": "Organization", "@id": "#org", "name": "Acme"},'
        ' {"@type": ["JobPosting"], "title": "X", "hiringOrganization": {"@id": "#org"}}]}',
        '{"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": {"@type": "JobPosting", "title": "Y"}}]}',
    ])
    standalone, listed = graph.postings()
    assert [p["title"] for p in standalone] == ["X"] and [p["title"] for p in listed] == ["Y"]
    assert graph.resolve(standalone[0]["hiringOrganization"])["name"] == "Acme"
