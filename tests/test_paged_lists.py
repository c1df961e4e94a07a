"""Every list of the API comes in pages: ?limit= and ?cursor= walk it whole, each item once, in the order
of the list read in one go; a cursor that no list gave is a clear 400."""
import base64
from datetime import date, timedelta

import pytest

TODAY = date.today()


def days_ago(n):
    return (TODAY - timedelta(days=n)).isoformat()


@pytest.fixture(scope="module")
def filled(shared_companion):
    server = shared_companion
    for n in range(13):
        response = server.post("/api/applications", {"title": f"Paged Role {n}", "company": f"Pager {n % 4}",
                                                      "applied_at": days_ago(20 + n)})
        assert response.status == 201, response.text
        person = server.post("/api/contacts", {"name": f"Person {n % 5}", "email": f"p{n}@example.com",
                                               "asked_at": days_ago(90 + n), "keep_in_touch_every_days": 30})
        assert person.status == 201, person.text
        document = server.post("/api/documents", {"name": f"resume-{n % 3}.txt", "kind": "resume",
                                                  "content_base64": base64.b64encode(f"resume {n}".encode()).decode()})
        assert document.status == 201, document.text
    return server


LISTS = [("/api/applications?", "applications", "id"),
         (f"/api/followups?due={TODAY.isoformat()}&", "followups", None),
         (f"/api/contacts/reminders?due={TODAY.isoformat()}&", "reminders", None),
         ("/api/contacts?", "contacts", "id"),
         ("/api/documents?", "documents", "id")]


def _identity(item, field):
    if field:
        return item[field]
    return (item.get("application_id") or item.get("contact_id"), item["key"])


@pytest.mark.parametrize("path, field, key", LISTS)
def test_a_list_walked_by_cursor_gives_each_item_once_in_order(filled, path, field, key):
    whole = filled.get(f"{path}limit=500").json
    assert whole["next_cursor"] is None
    expected = [_identity(item, key) for item in whole[field]]
    assert len(expected) >= 12
    seen, cursor, pages = [], "", 0
    while True:
        page = filled.get(f"{path}limit=5" + (f"&cursor={cursor}" if cursor else "")).json
        assert len(page[field]) <= 5
        seen += [_identity(item, key) for item in page[field]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected
    assert pages == -(-len(expected) // 5)


@pytest.mark.parametrize("path, field, key", LISTS)
def test_a_cursor_no_list_gave_is_a_clear_400(filled, path, field, key):
    for bad in ("not-a-cursor", "W1tdLCJ4Il0", "x" * 3000):
        response = filled.get(f"{path}limit=5&cursor={bad}")
        assert response.status == 400 and response.json["error"]["code"] == "bad_cursor", response.text
