"""Reads from indexes kept on write give what reading every record gives: the report over a range, the
activity per week, and search by the word index (a property test each, over a real store in a temp folder)."""
import gzip
import json
import string
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import applications as apps
from companion import contacts, report, skills
from companion.store import Store

BASE = date(2026, 1, 5)  # a Monday
DAY = st.integers(min_value=0, max_value=120).map(lambda n: (BASE + timedelta(days=n)).isoformat())
STATUS_ENTRY = st.fixed_dictionaries({"kind": st.just("status"), "date": DAY,
                                      "from": st.sampled_from([None, "saved", "applied", "withdrawn"]),
                                      "to": st.sampled_from(["applied", "screening", "rejected"])})
OTHER_ENTRY = st.fixed_dictionaries({"kind": st.sampled_from(["followup", "interview", "reply"]), "date": DAY,
                                     "action": st.sampled_from(["done", "dismiss"]),
                                     "note": st.sampled_from(["", "video call", "phone"])})
APPLICATION = st.fixed_dictionaries({
    "title": st.sampled_from(["Data Engineer", "Analyst", "Backend Developer"]),
    "company": st.sampled_from(["Acme", "Globex", "Initech"]), "status": st.sampled_from(["applied", "rejected"]),
    "applied_at": st.none() | DAY, "created_at": DAY.map(lambda d: d + "T09:00:00"),
    "history": st.lists(STATUS_ENTRY | OTHER_ENTRY, max_size=5)})
CONTACT = st.fixed_dictionaries({"name": st.sampled_from(["Ada", "Grace"]), "company": st.just("Acme"),
                                 "asked_at": st.none() | DAY, "answered_at": st.none() | DAY})
COURSE = st.fixed_dictionaries({"name": st.just("SQL"), "provider": st.just("edX"),
                                "log": st.lists(st.fixed_dictionaries({"date": DAY, "hours": st.integers(1, 5)}),
                                                max_size=3)})
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _every(store):
    return store.all(apps.TABLE), store.all(contacts.TABLE), store.all(skills.COURSES)


@SLOW
@given(applications=st.lists(APPLICATION, max_size=25), people=st.lists(CONTACT, max_size=5),
       courses=st.lists(COURSE, max_size=3), start=st.integers(0, 120), length=st.integers(0, 60),
       changed=st.lists(st.tuples(st.integers(0, 24), APPLICATION), max_size=5),
       deleted=st.lists(st.integers(0, 24), max_size=3))
def test_the_report_over_a_range_is_the_report_computed_from_every_record(
        tmp_path_factory, applications, people, courses, start, length, changed, deleted):
    first = BASE + timedelta(days=start)
    last = first + timedelta(days=length)
    with Store(tmp_path_factory.mktemp("store")) as store:
        ids = store.insert_many(apps.TABLE, applications)
        store.insert_many(contacts.TABLE, people)
        store.insert_many(skills.COURSES, courses)
        report.records_between(store, first, last)  # the index is built here, then kept on every write
        for n, doc in changed:
            if n < len(ids):
                store.replace(apps.TABLE, ids[n], doc)
        for n in deleted:
            if n < len(ids):
                store.delete(apps.TABLE, ids[n])
        assert report.build(store, first, last)["rows"] == report.activities(*_every(store), first, last)
        today = last
        weeks = 1 + (today - first).days // 7
        assert skills.weekly_activity(*report.records_between(store, today - timedelta(
            days=today.weekday(), weeks=weeks - 1), today), today, weeks=weeks) == \
            skills.weekly_activity(*_every(store), today, weeks=weeks)


# -- search ------------------------------------------------------------------------------------------

WORDS = ["engineer", "engine", "data", "Daten", "Zürich", "zur", "café", "C++", "go", "golang", "SQL", "sqlite",
         "on-call", "remote", "Backend", "back", "2026", "20", "x"]
TEXT = st.lists(st.sampled_from(WORDS) | st.text(string.ascii_letters + "éü-+. ", max_size=8), max_size=6).map(" ".join)
RECORD = st.fixed_dictionaries({"title": TEXT, "company": TEXT, "notes": TEXT.map(lambda t: f"<p>{t}</p>" if t else ""),
                                "locations": st.lists(TEXT, max_size=2), "status": st.sampled_from(["applied", "saved"]),
                                "updated_at": DAY})
QUERY = st.lists(st.sampled_from(WORDS) | st.sampled_from(WORDS).map(lambda w: w[:2]) | st.text("aegnrüz+", max_size=3),
                 min_size=1, max_size=3).map(" ".join)


def _scan(store, query, status=None):
    """The applications a search must find, by reading every record and description."""
    found = []
    for doc in store.all(apps.TABLE):
        text = apps.description_text(store.get_blob("description", doc["id"]))
        if (status is None or doc["status"] == status) and apps.matches(query, doc, text):
            found.append(doc["id"])
    return sorted(found)


def _searched(store, query, status=None):
    total, docs = apps.list_applications(store, q=query, status=status, limit=None)
    assert total == len(docs)
    return sorted(doc["id"] for doc in docs)


@SLOW
@given(records=st.lists(st.tuples(RECORD, TEXT), min_size=1, max_size=12),
       edits=st.lists(st.tuples(st.integers(0, 11), RECORD, st.none() | TEXT, st.sampled_from(["edit", "delete"])),
                      max_size=5),
       queries=st.lists(QUERY, min_size=1, max_size=4))
def test_search_finds_what_a_scan_finds(tmp_path_factory, records, edits, queries):
    folder = tmp_path_factory.mktemp("store")
    with Store(folder) as store:
        apps.install_indexes(store)
        ids = store.insert_many(apps.TABLE, [record for record, _ in records])
        store.put_blobs("description", {i: json.dumps({"html": "", "text": text}) for i, (_, text) in zip(ids, records)})
        store.sync_words(apps.TABLE, apps.SEARCH)
        for n, record, description, action in edits:  # kept on every write: records changed, descriptions replaced
            if n >= len(ids) or store.get(apps.TABLE, ids[n]) is None:
                continue
            if action == "delete":  # as applications.delete does: the record, then its blobs
                store.delete(apps.TABLE, ids[n])
                store.delete_blobs(ids[n], apps.BLOB_KINDS)
                continue
            store.replace(apps.TABLE, ids[n], record)
            if description is not None:
                store.put_blob("description", ids[n], json.dumps({"html": f"<p>{description}</p>", "text": ""}))
        for query in queries:
            assert _searched(store, query) == _scan(store, query)
            assert _searched(store, query, "applied") == _scan(store, query, "applied")
    with Store(folder) as store:  # and after a start, from the index on disk
        apps.install_indexes(store)
        for query in queries:
            assert _searched(store, query) == _scan(store, query)


def test_the_word_index_keeps_the_words_of_descriptions_not_their_text(tmp_path):
    """words.sqlite holds what a search needs (the words), not a second copy of every description."""
    sentence = "Our platform team ships Kafka pipelines from Zurich every single day"
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        ids = store.insert_many(apps.TABLE, [{"title": f"Engineer {n}", "status": "applied", "updated_at": "2026-01-02"}
                                             for n in range(50)])
        store.put_blobs("description", {i: json.dumps({"html": f"<p>{sentence} {i}.</p>", "text": ""}) for i in ids})
        store.sync_words(apps.TABLE, apps.SEARCH)
        store.put_blob("description", ids[0], json.dumps({"html": "<p>Rust in Lisbon</p>", "text": ""}))
        assert store.match_words(apps.TABLE, apps.SEARCH, "zurich kafka") == set(ids[1:])
        assert store.match_words(apps.TABLE, apps.SEARCH, "lisbon") == {ids[0]}
        assert store.match_words(apps.TABLE, apps.SEARCH, "single day", phrase=True) == set(ids[1:])
    on_disk = b"".join(path.read_bytes() for path in tmp_path.glob("words.sqlite*"))
    assert b"Kafka pipelines" not in on_disk and b"kafka pipelines" not in on_disk


def test_a_description_changed_behind_the_stores_back_is_read_again_not_mistold(tmp_path):
    """The words of a blob leave the index by being told again, read from the blob: if the blob changed
    without the store, the index cannot be told the old words; it reads every blob again instead."""
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        ids = store.insert_many(apps.TABLE, [{"title": f"Role {n}", "status": "applied", "updated_at": "2026-01-02"}
                                             for n in range(3)])
        store.put_blobs("description", {i: json.dumps({"html": f"<p>Kafka {i}</p>", "text": ""}) for i in ids})
        store.sync_words(apps.TABLE, apps.SEARCH)
    path = tmp_path / "blobs" / "description" / f"{ids[1]}.gz"
    path.write_bytes(gzip.compress(json.dumps({"html": "<p>Haskell</p>", "text": ""}).encode()))  # not by the store
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        store.put_blob("description", ids[1], json.dumps({"html": "<p>Elixir</p>", "text": ""}))
        assert store.match_words(apps.TABLE, apps.SEARCH, "kafka") is None  # read again: the list scans meanwhile
        assert _searched(store, "kafka") == _scan(store, "kafka") == [ids[0], ids[2]]
        store.sync_words(apps.TABLE, apps.SEARCH)
        assert store.match_words(apps.TABLE, apps.SEARCH, "kafka") == {ids[0], ids[2]}
        assert store.match_words(apps.TABLE, apps.SEARCH, "elixir") == {ids[1]}
        assert store.match_words(apps.TABLE, apps.SEARCH, "haskell") == set()


def test_search_reads_the_index_after_a_restart_and_without_it_scans(tmp_path):
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        first = store.insert(apps.TABLE, {"title": "Platform Engineer", "company": "Acme", "status": "applied",
                                          "updated_at": "2026-01-02"})["id"]
        second = store.insert(apps.TABLE, {"title": "Analyst", "company": "Globex", "status": "applied",
                                           "updated_at": "2026-01-03"})["id"]
        store.put_blob("description", second, json.dumps({"html": "<p>Kafka and Zürich</p>", "text": ""}))
        assert store.match_words(apps.TABLE, apps.SEARCH, "engineer") is None  # not built yet: the list scans
        assert _searched(store, "zür") == [second]
        store.sync_words(apps.TABLE, apps.SEARCH)
        assert store.match_words(apps.TABLE, apps.SEARCH, "kaf") == {second}
        store.delete(apps.TABLE, second)
        store.delete_blobs(second, apps.BLOB_KINDS)
    with Store(tmp_path) as store:  # complete on disk: the first search after a start reads it
        apps.install_indexes(store)
        assert store.match_words(apps.TABLE, apps.SEARCH, "eng") == {first}
        assert store.match_words(apps.TABLE, apps.SEARCH, "kafka") == set()
        assert _searched(store, "platform acme") == [first]


@pytest.mark.parametrize("damage", [b"not a database at all" * 100, b""])
def test_a_damaged_word_index_is_built_again(tmp_path, damage):
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        doc = store.insert(apps.TABLE, {"title": "Data Engineer", "status": "applied", "updated_at": "2026-01-02"})
        store.sync_words(apps.TABLE, apps.SEARCH)
    (tmp_path / "words.sqlite").write_bytes(damage)
    for extra in ("words.sqlite-wal", "words.sqlite-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        assert _searched(store, "data") == [doc["id"]]  # scanned while the index is built again
        store.sync_words(apps.TABLE, apps.SEARCH)
        assert store.match_words(apps.TABLE, apps.SEARCH, "data") == {doc["id"]}


def _posting(words):
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Data Analyst",
            "hiringOrganization": {"@type": "Organization", "name": "Globex"},
            "description": f"<p>You will work with {words} every day, in a small team.</p>"}
    return (f'<html><head><title>Data Analyst</title><script type="application/ld+json">{json.dumps(data)}'
            '</script></head><body><h1>Data Analyst</h1></body></html>')


def test_a_description_changed_by_the_first_request_after_a_start_is_searched_by_its_new_words(tmp_path):
    """The warm-up declares the word index after the first request began: a description that request wrote
    is still told to the index (else its old words stayed searchable, and its next change made every
    search read every description until the next start)."""
    with Store(tmp_path) as store:
        apps.install_indexes(store)
        doc = apps.capture(store, {"url": "https://jobs.example.com/analyst", "html": _posting("alphabets"),
                                   "status": "applied"})[0]
        store.sync_words(apps.TABLE, apps.SEARCH)
        assert store.match_words(apps.TABLE, apps.SEARCH, "alphabets") == {doc["id"]}
    with Store(tmp_path) as store:  # a start: nothing declared yet when the first request writes
        store.put_blob("page", doc["id"], _posting("betamax"))
        assert apps.reextract(store)["updated"] == 1
        apps.install_indexes(store)
        store.sync_words(apps.TABLE, apps.SEARCH)
        assert store.match_words(apps.TABLE, apps.SEARCH, "betamax") == {doc["id"]}
        assert store.match_words(apps.TABLE, apps.SEARCH, "alphabets") == set()
        store.put_blob("page", doc["id"], _posting("gammaray"))
        assert apps.reextract(store)["updated"] == 1
        assert store.match_words(apps.TABLE, apps.SEARCH, "gammaray") == {doc["id"]}  # the index still answers
