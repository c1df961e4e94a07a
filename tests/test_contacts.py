"""Contacts: the reminders to thank and keep in touch (pure), and /api/contacts against a real companion."""
from datetime import date, datetime, timedelta

import pytest

from companion.contacts import contact_reminders, next_touch, thank_by

TODAY = date.today()
MONDAY = date(2026, 3, 2)


def iso(day):
    return day.isoformat()


def days(n):
    return iso(TODAY + timedelta(days=n))


# -- the reminders: pure functions of a contact and today ---------------------------------------

def test_thank_by_is_the_day_after_they_answered():
    contact = {"name": "Ana Lima", "asked_at": "2026-03-02", "answered_at": "2026-03-05"}
    assert thank_by(contact) == date(2026, 3, 6)


def test_thank_by_counts_from_asking_when_no_answer_is_logged():
    assert thank_by({"asked_at": "2026-03-02"}) == date(2026, 3, 3)


def test_a_chosen_thank_by_day_wins_over_the_default():
    assert thank_by({"asked_at": "2026-03-02", "thank_by": "2026-03-10"}) == date(2026, 3, 10)


def test_no_reminders_for_someone_not_asked_yet():
    assert contact_reminders({"name": "Ana", "keep_in_touch_every_days": 60}, MONDAY) == []


def test_thank_you_is_due_the_next_day_and_overdue_after():
    contact = {"name": "Ana Lima", "asked_at": "2026-03-02", "keep_in_touch_every_days": 0}
    assert contact_reminders(contact, date(2026, 3, 2))[0]["due"] is False
    due = contact_reminders(contact, date(2026, 3, 3))[0]
    assert (due["key"], due["date"], due["due"], due["overdue"]) == ("thank", "2026-03-03", True, False)
    assert contact_reminders(contact, date(2026, 3, 4))[0]["overdue"] is True


def test_thanking_them_ends_the_thank_you_reminder():
    contact = {"name": "Ana", "asked_at": "2026-03-02", "thanked_at": "2026-03-03", "keep_in_touch_every_days": 0}
    assert contact_reminders(contact, date(2026, 3, 10)) == []


def test_keep_in_touch_counts_from_the_last_time_you_spoke():
    contact = {"name": "Ana", "asked_at": "2026-01-01", "thanked_at": "2026-01-02",
               "last_contact_at": "2026-02-01", "keep_in_touch_every_days": 30}
    assert next_touch(contact) == date(2026, 3, 3)
    [reminder] = contact_reminders(contact, date(2026, 3, 3))
    assert (reminder["key"], reminder["due"]) == ("keep_in_touch", True)


def test_zero_days_means_never_remind_to_keep_in_touch():
    assert next_touch({"asked_at": "2026-01-01", "keep_in_touch_every_days": 0}) is None


def test_drafts_greet_by_first_name_sign_with_your_name_and_open_mail_only_with_an_email():
    with_email = {"name": "Ana Lima", "email": "ana@example.com", "asked_at": "2026-03-02"}
    draft = contact_reminders(with_email, MONDAY, your_name="Sam Lee")[0]["draft"]
    assert draft["body"].startswith("Hi Ana,")
    assert draft["body"].rstrip().endswith("Sam Lee")
    assert draft["mailto"].startswith("mailto:ana@example.com?subject=")
    assert "%0D%0A" in draft["mailto"] and " " not in draft["mailto"]  # RFC 6068, like the follow-up drafts
    without = contact_reminders({"name": "Ana Lima", "asked_at": "2026-03-02"}, MONDAY)[0]["draft"]
    assert without["mailto"] is None


# -- /api/contacts ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(shared_companion):
    return shared_companion


def add(api, **fields):
    response = api.post("/api/contacts", {"name": "Ana Lima", **fields})
    assert response.status == 201, response.text
    return response.json["contact"]


def test_adding_a_contact_computes_when_to_thank_and_get_back_in_touch(api):
    contact = add(api, email="ana@example.com", kind="hiring_manager", role="Engineering manager",
                  asked_at=days(-3), answered_at=days(-1))
    assert contact["thank_by"] == days(0)
    assert contact["next_touch"] == days(59)  # every 60 days by default
    assert [r["key"] for r in contact["reminders"] if r["due"]] == ["thank"]
    assert api.get(f"/api/contacts/{contact['id']}").json["contact"]["email"] == "ana@example.com"


@pytest.mark.parametrize("payload, message", [
    ({}, "name is required"),
    ({"name": "  "}, "name is required"),
    ({"name": "Ana", "email": "Ana Lima"}, "does not look like an email address"),
    ({"name": "Ana", "kind": "friend"}, "kind must be one of"),
    ({"name": "Ana", "asked_at": "last week"}, "asked_at must be a date"),
    ({"name": "Ana", "keep_in_touch_every_days": -1}, "keep_in_touch_every_days"),
    ({"name": "Ana", "application_ids": [999]}, "no application with id 999"),
    ({"name": "Ana", "phone": "555"}, "unknown field"),
])
def test_a_contact_with_a_mistake_is_refused_with_a_message_naming_it(api, payload, message):
    response = api.post("/api/contacts", payload)
    assert response.status == 400
    assert message in response.json["error"]["message"]


def test_a_body_that_is_not_json_is_a_clear_400(api):
    response = api.post("/api/contacts", data=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert response.json["error"]["code"] == "malformed_json"


def test_what_they_said_is_stored_sanitized(api):
    contact = add(api, notes='Learn <b>SQL</b><script>alert(1)</script><img src=x onerror=alert(2)>')
    assert contact["notes"] == "Learn <b>SQL</b>"


def test_marking_the_thank_you_done_records_it_and_moves_keep_in_touch_on(api):
    contact = add(api, asked_at=days(-10), keep_in_touch_every_days=30)
    response = api.post(f"/api/contacts/{contact['id']}/done/thank", {})
    assert response.status == 200, response.text
    done = response.json["contact"]
    assert done["thanked_at"] == days(0)
    assert [r["key"] for r in done["reminders"]] == ["keep_in_touch"]
    assert done["next_touch"] == days(30)
    assert api.post(f"/api/contacts/{contact['id']}/done/lunch", {}).status == 400


def test_changing_a_contact_keeps_what_was_not_sent(api):
    contact = add(api, email="ana@example.com", role="Designer")
    response = api.patch(f"/api/contacts/{contact['id']}", {"role": "Design lead", "thank_by": days(5)})
    changed = response.json["contact"]
    assert (changed["role"], changed["email"], changed["thank_by"], changed["thank_by_chosen"]) == \
        ("Design lead", "ana@example.com", days(5), True)
    assert api.patch(f"/api/contacts/{contact['id']}", {}).status == 400
    assert api.patch("/api/contacts/99999", {"role": "x"}).status == 404


def test_contacts_are_found_by_words_by_kind_and_by_application(api):
    application = api.post("/api/applications", {"url": "https://jobs.example.com/contacts-1", "title": "Widget maker"})
    application_id = application.json["application"]["id"]
    add(api, name="Grace Hopper", kind="admired", company="Navy")
    add(api, name="Recruiter Rita", kind="recruiter", application_ids=[application_id])
    assert [c["name"] for c in api.get("/api/contacts?q=navy").json["contacts"]] == ["Grace Hopper"]
    assert {c["kind"] for c in api.get("/api/contacts?kind=recruiter").json["contacts"]} == {"recruiter"}
    linked = api.get(f"/api/contacts?application_id={application_id}").json["contacts"]
    assert [c["name"] for c in linked] == ["Recruiter Rita"]
    assert api.get("/api/contacts?kind=friend").status == 400


def test_reminders_due_lists_each_contact_soonest_first(api):
    late = add(api, name="Zed Late", asked_at=days(-20), keep_in_touch_every_days=0)
    soon = add(api, name="Amy Soon", asked_at=days(-1), keep_in_touch_every_days=0)
    found = api.get("/api/contacts/reminders").json["reminders"]
    ids = [r["contact_id"] for r in found]
    assert ids.index(late["id"]) < ids.index(soon["id"])
    ahead = api.get(f"/api/contacts/reminders?due={days(-15)}").json["reminders"]
    assert soon["id"] not in [r["contact_id"] for r in ahead]


def test_reminders_due_later_are_not_overdue_yet(api):
    """Asking for what is due by a later day must not call tomorrow's reminders overdue."""
    tomorrow = add(api, name="Tia Tomorrow", asked_at=days(0), keep_in_touch_every_days=0)
    late = add(api, name="Lou Late", asked_at=days(-5), keep_in_touch_every_days=0)
    found = {r["contact_id"]: r for r in api.get(f"/api/contacts/reminders?due={days(30)}").json["reminders"]}
    assert (found[tomorrow["id"]]["overdue"], found[tomorrow["id"]]["due"]) == (False, False)
    assert (found[late["id"]]["overdue"], found[late["id"]]["due"]) == (True, True)


def test_deleting_a_contact_forgets_it(api):
    contact = add(api, name="Temporary")
    assert api.delete(f"/api/contacts/{contact['id']}").status == 204
    assert api.get(f"/api/contacts/{contact['id']}").status == 404


def test_contacts_need_the_token(api):
    assert api.get("/api/contacts", token=None).status == 401
    assert api.post("/api/contacts", {"name": "Eve"}, token="wrong" * 10).status == 401


def test_add_a_person_from_an_older_application_preselects_it(tmp_path):
    """The contacts page lists the latest 100 applications; the one it was opened for must be there too."""
    from companion import applications as apps
    from companion.app import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    store = app.extensions["applied"]["store"]
    for n in range(101):  # Role 0 (id 1) is the oldest: not among the latest 100
        apps.capture(store, {"url": f"https://jobs.example.com/many/{n}", "title": f"Role {n}"},
                     now=datetime(2026, 3, 2, 9) + timedelta(minutes=n))
    client, host = app.test_client(), {"Host": "127.0.0.1"}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    page = client.get("/contacts?application=1", headers=host).get_data(as_text=True)
    # The people picker: a ticked box for application 1, named by its role.
    assert '<input type="checkbox" name="application_ids" value="1" data-type="idlist" checked>' in page
    assert "<span>Role 0</span>" in page


def test_a_link_to_a_person_past_the_first_page_of_contacts_shows_them(tmp_path):
    """/contacts lists the first few people by name; a reminder's link to anyone else must still find them."""
    import html
    import re

    from companion import contacts
    from companion.app import create_app
    from companion.web.pages import CONTACTS_SHOWN

    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    store = app.extensions["applied"]["store"]
    for n in range(CONTACTS_SHOWN + 2):
        contacts.create(store, {"name": f"Ada {n:02d}", "kind": "recruiter"})
    # Answered three days ago: the thank-you is overdue, so the start page links to her.
    last = contacts.create(store, {"name": "Zoe Last", "kind": "admired", "asked_at": days(-5),
                                   "answered_at": days(-3)})
    client, host = app.test_client(), {"Host": "127.0.0.1"}
    assert client.post("/login", data={"token": app.extensions["applied"]["token"]}, headers=host).status_code == 303
    home = client.get("/", headers=host).get_data(as_text=True)
    link = re.search(rf'href="([^"]*#contact-{last["id"]})"', home)
    assert link, "the start page lists the thank-you due for Zoe"
    page = client.get(html.unescape(link.group(1)).split("#")[0], headers=host).get_data(as_text=True)
    assert f'id="contact-{last["id"]}"' in page
    assert f"Showing the first {CONTACTS_SHOWN} by name" in page


def test_the_badge_counts_people_to_thank_without_writing_a_draft_for_each(companion):
    """The extension's badge asks with limit=0: it gets how many are due and overdue, and no drafts."""
    api = companion
    for n in range(3):
        add(api, name=f"Nia {n}", email=f"nia{n}@example.com", asked_at=days(-5), answered_at=days(-3),
            keep_in_touch_every_days=0)
    add(api, name="Ola Today", asked_at=days(-1), keep_in_touch_every_days=0)
    counted = api.get(f"/api/contacts/reminders?due={days(0)}&limit=0").json
    assert (counted["count"], counted["overdue"], counted["reminders"]) == (4, 3, [])
    first = api.get(f"/api/contacts/reminders?due={days(0)}&limit=1").json
    assert first["count"] == 4 and len(first["reminders"]) == 1 and first["reminders"][0]["draft"]["body"]
