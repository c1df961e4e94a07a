"""Fuzzing the API from its own OpenAPI description (schemathesis): whatever a client sends, never a 500.

Schemathesis reads /api/openapi.json from a real companion and sends, for every operation,
inputs that fit the description and inputs that break it (wrong types, missing fields, odd
strings). Each operation is bounded so the whole run stays near a minute.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from companion import openapi
from companion.app import create_app
from conftest import Companion, posting_page

# Fetching by URL goes out to the network (and waits for it): the attack suite covers it instead. So do adding
# and checking a mail account (they connect to the server named): tests/test_mail_*.py cover those.
NOT_FUZZED = ("POST /api/applications/fetch", "POST /api/mail/accounts", "POST /api/mail/accounts/{account_id}/check")
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def fuzzed_companion(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # PUT /api/autostart writes a login entry: into a HOME of its own
        patch.setenv("HOME", str(tmp_path_factory.mktemp("fuzz-home")))
        patch.delenv("XDG_CONFIG_HOME", raising=False)
        server = Companion(tmp_path_factory.mktemp("fuzz")).start()
    # Something to read, change and delete, so the routes with ids get past "not found" sometimes.
    for number in range(1, 4):
        server.post("/api/applications", {"url": f"https://jobs.example.com/{number}", "html": posting_page()})
    server.post("/api/contacts", {"name": "Ann Example", "email": "ann@example.com", "application_ids": [1]})
    server.post("/api/courses", {"name": "SQL basics"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api_schema(fuzzed_companion):
    schema = schemathesis.openapi.from_url(f"{fuzzed_companion.base}/api/openapi.json",
                                           headers={"Authorization": f"Bearer {fuzzed_companion.token}"})
    for operation in NOT_FUZZED:
        method, path = operation.split(" ", 1)
        schema = schema.exclude(method=method, path=path)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, fuzzed_companion):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzzed_companion.token}"},
                           checks=[not_a_server_error])


def test_every_api_route_is_described(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    try:
        assert openapi.undescribed(app) == [], "describe these routes in companion/openapi.py OPERATIONS"
        assert openapi.stale(app) == [], "these described routes no longer exist"
    finally:
        app.extensions["applied"]["store"].close()


def test_the_description_is_served_and_valid_openapi(fuzzed_companion):
    response = fuzzed_companion.get("/api/openapi.json")
    assert response.status == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    assert "/api/applications" in document["paths"] and "/api/pair" in document["paths"]
    assert document["paths"]["/api/ping"]["get"]["security"] == []
    assert fuzzed_companion.get("/api/openapi.json", token=None).status == 401
    schemathesis.openapi.from_dict(document).validate()
