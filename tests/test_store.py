"""Tests for companion/store.py, on real files: TinyDB underneath, durability, recovery, locking, indexes, blobs."""
import gzip
import hashlib
import json
import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from tinydb import Query, TinyDB

import companion.store.storage as store_module
from companion.errors import NotFound, StoreError, StoreLocked, ValidationError
from companion.store import MIGRATIONS, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "store_crash_child.py"
APPS = "applications"


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def store(folder):
    with Store(folder) as store:
        yield store


def run_python(code, *args):
    """Run code in a fresh interpreter (a separate process, as a second companion would be)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def crash_after_inserting(folder, count, start=0):
    """Insert documents in another process that then dies without closing the store."""
    run_python("""
        import os, sys
        from companion.store import Store
        store = Store(sys.argv[1])
        for n in range(int(sys.argv[2]), int(sys.argv[2]) + int(sys.argv[3])):
            store.insert("applications", {"url": f"https://jobs.example/{n}"})
        os._exit(0)
        """, folder, start, count)


def application(n, **fields):
    return {"url": f"https://jobs.example/{n}", "title": f"Engineer {n}", "status": "applied",
            "capture_ids": [f"c{n}"], "history": [{"status": "applied", "at": "2024-05-01"}], **fields}


# -- documents ---------------------------------------------------------------------------------
def test_insert_returns_copy_with_id(store):
    doc = store.insert(APPS, application(1))
    assert doc["id"] == 1 and doc["title"] == "Engineer 1"
    assert store.get(APPS, 1) == doc
    assert store.insert(APPS, application(2))["id"] == 2


def test_get_missing_returns_none(store):
    assert store.get(APPS, 1) is None
    assert store.get("no_such_table", 1) is None
    store.insert(APPS, application(1))
    assert store.get(APPS, "1") is None  # TinyDB looks ids up as strings; ours are ints


def test_get_returns_copy_caller_may_mutate(store):
    store.insert(APPS, application(1))
    doc = store.get(APPS, 1)
    doc["history"].append({"status": "offer"})
    doc["title"] = "changed"
    assert store.get(APPS, 1) == {**application(1), "id": 1}


def test_insert_copies_callers_document(store):
    mine = application(1)
    store.insert(APPS, mine)
    mine["history"].append({"status": "offer"})
    assert len(store.get(APPS, 1)["history"]) == 1


def test_insert_normalizes_like_a_reopen(folder):
    with Store(folder) as store:
        doc = store.insert(APPS, {"tags": ("a", "b"), "counts": {1: 2}})
    assert doc == {"tags": ["a", "b"], "counts": {"1": 2}, "id": 1}
    with Store(folder) as store:
        assert store.get(APPS, 1) == doc


def test_insert_rejects_what_json_cannot_hold(store):
    with pytest.raises(ValidationError):
        store.insert(APPS, {"when": object()})
    with pytest.raises(ValidationError):
        store.insert(APPS, {"score": float("nan")})
    with pytest.raises(ValidationError):
        store.insert(APPS, ["not", "a", "dict"])
    with pytest.raises(ValidationError):
        store.insert("_meta", {})
    assert store.count(APPS) == 0 and store.meta()["journal_records"] == 0


def test_update_merges_top_level_fields(store):
    store.insert(APPS, application(1))
    doc = store.update(APPS, 1, {"status": "screening", "notes": "called", "id": 99})
    assert doc["status"] == "screening" and doc["notes"] == "called" and doc["title"] == "Engineer 1"
    assert doc["id"] == 1 and store.get(APPS, 1) == doc


def test_update_missing_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update(APPS, 7, {"status": "offer"})


def test_replace_swaps_whole_document(store):
    store.insert(APPS, application(1))
    assert store.replace(APPS, 1, {"title": "new"}) == {"title": "new", "id": 1}
    with pytest.raises(NotFound):
        store.replace(APPS, 2, {})


def test_delete_reports_whether_it_deleted(store):
    store.insert(APPS, application(1))
    assert store.delete(APPS, 1) is True
    assert store.delete(APPS, 1) is False
    assert store.get(APPS, 1) is None and store.count(APPS) == 0


def test_insert_never_reuses_id_of_deleted_newest(store):
    for n in range(3):
        store.insert(APPS, application(n))
    store.delete(APPS, 3)
    assert store.insert(APPS, application(4))["id"] == 4  # stock TinyDB would give 3 again


def test_insert_never_reuses_ids_after_reopen(folder):
    with Store(folder) as store:
        for n in range(3):
            store.insert(APPS, application(n))
        store.delete(APPS, 3)
    with Store(folder) as store:
        assert store.insert(APPS, application(4))["id"] == 4


def test_insert_after_crash_past_compaction_gets_new_id(folder):
    run_python("""
        import os, sys
        from companion.store import Store
        store = Store(sys.argv[1], compact_after=3)
        for n in range(3):  # the third insert writes a snapshot
            store.insert("applications", {"url": f"u{n}"})
        os._exit(0)
        """, folder)
    with Store(folder) as store:
        assert store.insert(APPS, {"url": "new"})["id"] == 4
        assert store.get(APPS, 3)["url"] == "u2"


def test_search_pages_sorted_matches(store):
    for n in range(1, 31):
        store.insert(APPS, application(n, rank=n % 7))
    total, page = store.search(APPS, lambda d: d["rank"] != 0, sort_key=lambda d: (d["rank"], d["id"]),
                               offset=5, limit=10)
    assert total == 26
    assert [d["id"] for d in page] == [2, 9, 16, 23, 30, 3, 10, 17, 24, 4]  # ranks 1 (5 of them) skipped
    total, page = store.search(APPS, reverse=True, limit=3)
    assert total == 30 and [d["id"] for d in page] == [30, 29, 28]
    assert store.search(APPS, lambda d: False) == (0, [])
    assert store.search(APPS, offset=29)[1][0]["id"] == 30


def test_search_page_is_a_copy(store):
    store.insert(APPS, application(1))
    store.search(APPS)[1][0]["history"].clear()
    assert store.all(APPS)[0]["history"]


def test_update_saves_value_equal_in_python_only(folder):
    with Store(folder) as store:
        store.insert(APPS, {"flag": 1})
        assert store.update(APPS, 1, {"flag": True}) == {"flag": True, "id": 1}
    with Store(folder) as store:
        assert store.get(APPS, 1)["flag"] is True


def test_search_and_count_see_outside_state_without_a_write(store):
    for n in range(4):
        store.insert(APPS, application(n))
    wanted = {1}

    def predicate(doc):  # the same function each time, as a query cache would key it
        return doc["id"] in wanted

    assert store.search(APPS, predicate)[0] == 1 and store.count(APPS, predicate) == 1
    wanted.update({2, 3})
    assert store.search(APPS, predicate)[0] == 3 and store.count(APPS, predicate) == 3


def test_count_with_and_without_predicate(store):
    for n in range(10):
        store.insert(APPS, application(n, status="applied" if n % 2 else "saved"))
    assert store.count(APPS) == 10
    assert store.count(APPS, lambda d: d["status"] == "saved") == 5
    assert store.count("empty") == 0


# -- find and its index ------------------------------------------------------------------------
def test_find_by_url_and_capture_id_list(store):
    store.insert(APPS, application(1))
    store.insert(APPS, application(2, capture_ids=["x", "y"]))
    assert store.find(APPS, url="https://jobs.example/2")["id"] == 2
    assert store.find(APPS, capture_ids="y")["id"] == 2
    assert store.find(APPS, capture_ids="nope") is None
    assert store.find(APPS, url="https://jobs.example/2", status="saved") is None
    assert store.find(APPS, title="Engineer 1")["id"] == 1  # not indexed: scanned


def test_find_follows_update_of_url(store):
    store.insert(APPS, application(1))
    store.update(APPS, 1, {"url": "https://jobs.example/moved", "capture_ids": ["c1", "retry"]})
    assert store.find(APPS, url="https://jobs.example/1") is None
    assert store.find(APPS, url="https://jobs.example/moved")["id"] == 1
    assert store.find(APPS, capture_ids="retry")["id"] == 1
    store.replace(APPS, 1, {"title": "no url"})
    assert store.find(APPS, url="https://jobs.example/moved") is None
    assert store.find(APPS, capture_ids="c1") is None


def test_find_forgets_deleted_documents(store):
    store.insert(APPS, application(1))
    store.insert(APPS, application(2, url="https://jobs.example/1"))
    store.delete(APPS, 1)
    assert store.find(APPS, url="https://jobs.example/1")["id"] == 2
    store.delete(APPS, 2)
    assert store.find(APPS, url="https://jobs.example/1") is None


def test_find_returns_lowest_id_among_equals(store):
    for n in range(3):
        store.insert(APPS, application(n, url="https://same"))
    assert store.find(APPS, url="https://same")["id"] == 1


def test_find_uses_index_after_reopen(folder):
    with Store(folder) as store:
        for n in range(50):
            store.insert(APPS, application(n))
        store.update(APPS, 10, {"capture_ids": ["c9", "again"]})
    with Store(folder) as store:
        assert store.find(APPS, capture_ids="again")["id"] == 10
        assert store.find(APPS, url="https://jobs.example/42")["id"] == 43


def test_find_by_indexed_field_beats_scan(folder):
    with Store(folder, compact_after=10_000) as store:
        for n in range(1000):
            store.insert("big", {"url": f"u{n}", "capture_id": f"c{n}", "title": f"t{n}"})

        def best_time(field):  # the best of 5, so that a busy machine does not decide the result
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                for n in range(980, 1000):
                    assert store.find("big", **{field: f"{field[0]}{n}"})["id"] == n + 1
                runs.append(time.perf_counter() - start)
            return min(runs)

        # A ratio rather than a time, so that a slow machine does not fail it: ~100x here.
        assert best_time("title") > 10 * max(best_time("url"), best_time("capture_id"))


class IndexMachine(RuleBasedStateMachine):
    """find() with indexes must agree with a plain scan, through any changes and reopens."""

    values = st.sampled_from(["a", "b", "c"])
    field_values = st.one_of(values, st.lists(values, max_size=3), st.none())

    def __init__(self, folder):
        super().__init__()
        self.folder = folder
        self.store = Store(self.folder, compact_after=7)
        self.model = {}

    @rule(url=field_values, caps=field_values)
    def insert(self, url, caps):
        doc = self.store.insert(APPS, {"url": url, "capture_ids": caps})
        self.model[doc["id"]] = doc

    @rule(data=st.data(), url=field_values, caps=field_values)
    def update(self, data, url, caps):
        if self.model:
            doc_id = data.draw(st.sampled_from(sorted(self.model)))
            changes = data.draw(st.sampled_from([{"url": url}, {"capture_ids": caps}, {"url": url, "capture_ids": caps}]))
            self.model[doc_id] = self.store.update(APPS, doc_id, changes)

    @rule(data=st.data())
    def delete(self, data):
        if self.model:
            doc_id = data.draw(st.sampled_from(sorted(self.model)))
            assert self.store.delete(APPS, doc_id)
            del self.model[doc_id]

    @rule()
    def reopen(self):
        self.store.close()
        self.store = Store(self.folder, compact_after=7)

    @invariant()
    def find_agrees_with_a_scan(self):
        for field in ("url", "capture_ids"):
            for value in ("a", "b", "c", None):
                expected = next((d for _, d in sorted(self.model.items())
                                 if d[field] == value or (isinstance(d[field], list) and value in d[field])), None)
                assert self.store.find(APPS, **{field: value}) == expected

    def teardown(self):
        self.store.close()


def test_find_agrees_with_scan_through_changes(tmp_path):
    folders = (tmp_path / str(n) for n in range(10_000))
    run_state_machine_as_test(lambda: IndexMachine(next(folders)), settings=settings(
        max_examples=30, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)))


def _due_keys(doc, settings):
    """A derived index like the follow-ups': keys from the document and a settings record."""
    if doc.get("status") not in ("applied", "screening"):
        return []
    lead = (settings or {}).get("lead", 0)
    return [(f"{doc.get('updated_at') or ''}+{lead}", f"k{n}") for n in range(len(doc.get("tags") or []))]


class OrderedIndexMachine(RuleBasedStateMachine):
    """Every index the store keeps must agree with a scan, through changes, settings and reopens."""

    statuses = st.sampled_from(["applied", "screening", "rejected"])
    stamps = st.sampled_from(["2026-01-01", "2026-01-02", "2026-01-03", None])  # ties on purpose
    tags = st.lists(st.sampled_from(["x", "y"]), max_size=3)

    def __init__(self, folder):
        super().__init__()
        self.folder = folder
        self.open()

    def open(self):
        self.store = Store(self.folder, compact_after=5)
        self.store.add_index(APPS, "updated", lambda doc, _: [(doc.get("updated_at") or "",)])
        self.store.add_index(APPS, "due", _due_keys, signature=lambda: self.store.get("settings", 1))

    @rule(status=statuses, stamp=stamps, tags=tags)
    def insert(self, status, stamp, tags):
        self.store.insert(APPS, {"status": status, "updated_at": stamp, "tags": tags})

    @rule(data=st.data(), status=statuses, stamp=stamps, tags=tags)
    def update(self, data, status, stamp, tags):
        ids = [d["id"] for d in self.store.all(APPS)]
        if ids:
            changes = data.draw(st.sampled_from([{"status": status}, {"updated_at": stamp}, {"tags": tags},
                                                 {"status": status, "updated_at": stamp}]))
            self.store.update(APPS, data.draw(st.sampled_from(ids)), changes)

    @rule(data=st.data())
    def delete(self, data):
        ids = [d["id"] for d in self.store.all(APPS)]
        if ids:
            self.store.delete(APPS, data.draw(st.sampled_from(ids)))

    @rule(lead=st.integers(0, 2))
    def change_settings(self, lead):
        if self.store.get("settings", 1) is None:
            self.store.insert("settings", {"lead": lead})
        else:
            self.store.update("settings", 1, {"lead": lead})

    @rule()
    def reopen(self):
        self.store.close()
        self.open()

    @invariant()
    def indexes_agree_with_a_scan(self):
        docs = self.store.all(APPS)
        settings_doc = self.store.get("settings", 1)
        for status in ("applied", "screening", "rejected"):
            assert self.store.ids(APPS, "status", [status]) == [d["id"] for d in docs if d["status"] == status]
        counts = {}
        for d in docs:
            counts[d["status"]] = counts.get(d["status"], 0) + 1
        assert self.store.count_by(APPS, "status") == counts
        updated = lambda d: d.get("updated_at") or ""  # noqa: E731
        for reverse in (False, True):
            for where in (None, {d["id"] for d in docs if d["status"] == "applied"}):
                expected = [d for d in sorted(docs, key=updated, reverse=reverse) if where is None or d["id"] in where]
                for offset, limit in ((0, None), (1, 2)):
                    total, page = self.store.index_docs(APPS, "updated", reverse=reverse, where=where,
                                                        offset=offset, limit=limit)
                    end = None if limit is None else offset + limit
                    assert (total, page) == (len(expected), expected[offset:end])
        derived = sorted((key, d["id"]) for d in docs for key in _due_keys(d, settings_doc))
        assert self.store.index(APPS, "due") == (len(derived), derived)
        hi = ("2026-01-02",)
        below = [entry for entry in derived if entry[0] < hi]
        assert self.store.index(APPS, "due", hi=hi) == (len(below), below)

    def teardown(self):
        self.store.close()


def test_ordered_and_status_indexes_agree_with_scan_through_changes(tmp_path):
    folders = (tmp_path / str(n) for n in range(10_000))
    run_state_machine_as_test(lambda: OrderedIndexMachine(next(folders)), settings=settings(
        max_examples=30, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)))


def test_search_hands_out_copies_of_the_page_only(store):
    for n in range(5):
        store.insert(APPS, application(n))
    total, page = store.search(APPS, lambda d: d["id"] > 1, sort_key=lambda d: d["id"], reverse=True, limit=2)
    assert total == 4 and [d["id"] for d in page] == [5, 4]
    page[0]["history"].append("mine")
    assert store.get(APPS, 5)["history"] == application(4)["history"]


def test_cached_answer_lasts_until_its_table_changes(store):
    calls = []

    def compute():
        calls.append(1)
        return store.count(APPS)

    assert store.cached("n", (APPS,), compute) == 0
    assert store.cached("n", (APPS,), compute) == 0 and len(calls) == 1
    store.insert("other", {})
    assert store.cached("n", (APPS,), compute) == 0 and len(calls) == 1
    store.insert(APPS, application(1))
    assert store.cached("n", (APPS,), compute) == 1 and len(calls) == 2


def test_insert_many_and_update_many_are_one_journal_write_each(store, folder):
    ids = store.insert_many(APPS, [application(n) for n in range(3)])
    assert ids == [1, 2, 3]
    assert store.update_many(APPS, {1: {"status": "screening"}, 3: {"status": "offer"}, 99: {"status": "x"}}) == 2
    assert [d["status"] for d in store.all(APPS)] == ["screening", "applied", "offer"]
    assert store.ids(APPS, "status", ["screening", "offer"]) == [1, 3]


# -- snapshots in the background ----------------------------------------------------------------

def _hold_snapshots(monkeypatch):
    """Make the next snapshot stop halfway through writing its file until released."""
    started, release = threading.Event(), threading.Event()
    real = store_module._snapshot_chunks

    def slow_chunks(meta, tables, *args):
        for n, chunk in enumerate(real(meta, tables, *args)):
            if n == 1:
                started.set()
                assert release.wait(30)
            yield chunk

    monkeypatch.setattr(store_module, "_snapshot_chunks", slow_chunks)
    return started, release


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_writes_go_on_during_a_background_snapshot_and_none_is_lost(folder, monkeypatch):
    with Store(folder, compact_after=3, background=True) as store:
        started, release = _hold_snapshots(monkeypatch)
        for n in range(3):
            store.insert(APPS, application(n))
        assert started.wait(30)  # the snapshot is being written, without the lock
        store.insert(APPS, application(3))  # does not wait for it
        store.update(APPS, 1, {"status": "offer"})
        generation = store.meta()["generation"]
        release.set()
        _wait_for(lambda: store.meta()["generation"] > generation)
        assert store.meta()["journal_records"] == 2  # the two changes made during the snapshot
        snapshot = json.loads((folder / "applied.json").read_text())
        assert sorted(snapshot[APPS]) == ["1", "2", "3"] and snapshot[APPS]["1"]["status"] == "applied"
        monkeypatch.undo()
    with Store(folder) as reopened:
        assert [d["id"] for d in reopened.all(APPS)] == [1, 2, 3, 4]
        assert reopened.get(APPS, 1)["status"] == "offer"


def _abandon(store):
    """What a SIGKILL leaves: no snapshot on close, the folder's lock dropped with the process."""
    store._storage.stop_snapshots()
    store._storage._close_journal()
    store._release_folder()
    store._closed = True


def test_crash_between_background_snapshot_and_new_journal_recovers(folder, monkeypatch, caplog):
    real_replace = os.replace

    def crash_at_journal(src, dst):
        if Path(dst).name == "applied.journal":
            raise OSError(5, "simulated crash")
        real_replace(src, dst)

    store = Store(folder, compact_after=3, background=True)
    started, release = _hold_snapshots(monkeypatch)
    for n in range(3):
        store.insert(APPS, application(n))
    assert started.wait(30)
    store.insert(APPS, application(3))  # after the snapshot's copy: only in the journal
    monkeypatch.setattr(store_module.os, "replace", crash_at_journal)
    release.set()
    _wait_for(lambda: store._storage.snapshot_failures >= 1)
    store._storage.stop_snapshots()  # (it may have tried again, and failed the same way)
    monkeypatch.undo()
    # The new snapshot is in place, the journal still the old one: it holds the folded records too.
    header = json.loads((folder / "applied.journal").read_bytes().splitlines()[0])
    meta = json.loads((folder / "applied.json").read_text())["_meta"]["1"]
    assert meta["folded"][0] == header["gen"] and meta["folded"][1] in (3, 4) and meta["gen"] > header["gen"]
    _abandon(store)
    with Store(folder) as reopened:
        assert [d["id"] for d in reopened.all(APPS)] == [1, 2, 3, 4]
        assert reopened.meta()["journal_records"] == 0  # started again from a whole snapshot
    with Store(folder) as again:
        assert again.count(APPS) == 4


def test_crash_while_background_snapshot_is_written_loses_nothing(folder, monkeypatch):
    store = Store(folder, compact_after=3, background=True)
    started, release = _hold_snapshots(monkeypatch)
    for n in range(4):
        store.insert(APPS, application(n))
    assert started.wait(30)
    # The process dies here, its snapshot half written in a temp file.
    store._storage._close_journal()
    store._release_folder()
    store._closed = True
    assert list(folder.glob(".applied.json.*.tmp"))
    monkeypatch.undo()
    with Store(folder) as reopened:
        assert [d["id"] for d in reopened.all(APPS)] == [1, 2, 3, 4]
        assert not list(folder.glob(".applied.json.*.tmp"))  # a dead writer's temp file is removed
    release.set()
    store._storage.stop_snapshots()


# -- persistence and crashes -------------------------------------------------------------------
def test_reopen_keeps_everything(folder):
    with Store(folder) as store:
        for n in range(20):
            store.insert(APPS, application(n))
        store.update(APPS, 5, {"status": "offer"})
        store.delete(APPS, 6)
        store.insert("contacts", {"name": "Ada"})
    with Store(folder) as store:
        assert store.count(APPS) == 19 and store.get(APPS, 5)["status"] == "offer"
        assert store.get(APPS, 6) is None and store.find("contacts", name="Ada")["id"] == 1


def test_close_compacts_journal_into_snapshot(folder):
    store = Store(folder)
    store.insert(APPS, application(1))
    assert store.meta()["journal_records"] == 1
    store.close()
    store.close()  # idempotent
    snapshot = json.loads((folder / "applied.json").read_text())
    assert snapshot[APPS]["1"]["title"] == "Engineer 1"
    assert snapshot["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert (folder / "applied.journal").read_text().count("\n") == 1  # just the header
    with pytest.raises(StoreError):
        store.get(APPS, 1)


def test_snapshot_opens_with_stock_tinydb(folder):
    with Store(folder) as store:
        store.insert(APPS, application(1))
        store.insert(APPS, application(2))
        store.delete(APPS, 1)
    with TinyDB(folder / "applied.json", access_mode="r") as db:
        assert db.table(APPS).get(doc_id=2)["title"] == "Engineer 2"
        assert [d.doc_id for d in db.table(APPS).search(Query().status == "applied")] == [2]


# -- through TinyDB ----------------------------------------------------------------------------
def test_documents_live_in_tinydb(store):
    assert isinstance(store.db, TinyDB)
    store.insert(APPS, application(1))
    store.insert(APPS, application(2))
    store.update(APPS, 2, {"status": "offer"})
    with store.lock:
        found = store.db.table(APPS).search(Query().status == "offer")
        assert [(d.doc_id, d["title"]) for d in found] == [(2, "Engineer 2")]
        assert store.db.table(APPS).get(doc_id=1) == store.get(APPS, 1)
    store.delete(APPS, 2)
    with store.lock:
        assert not store.db.table(APPS).contains(Query().status == "offer")


def test_tinydb_write_journals_only_changed_documents(store, folder):
    for n in range(50):
        store.insert(APPS, application(n))
    journal = folder / "applied.journal"
    before = journal.read_bytes()
    with store.lock:  # TinyDB's update(cond) reads every document: only the one it changes is written
        assert store.db.table(APPS).update({"status": "offer"}, Query().url == "https://jobs.example/7") == [8]
    added = journal.read_bytes()[len(before):].splitlines()
    assert len(added) == 1 and json.loads(added[0])["id"] == 8
    assert store.get(APPS, 8)["status"] == "offer" and store.find(APPS, url="https://jobs.example/7")["id"] == 8


def test_tinydb_writes_survive_a_crash(folder):
    run_python("""
        import os, sys
        from tinydb import where
        from companion.store import Store
        store = Store(sys.argv[1])
        table = store.db.table("applications")
        table.insert_multiple([{"url": "a"}, {"url": "b"}, {"url": "c"}])
        table.remove(where("url") == "b")
        table.update({"status": "offer"}, doc_ids=[3])
        os._exit(0)
        """, folder)
    with Store(folder) as store:
        assert store.all(APPS) == [{"url": "a", "id": 1}, {"url": "c", "status": "offer", "id": 3}]
        assert store.insert(APPS, {})["id"] == 4


def test_dropping_tables_is_refused(store):
    store.insert(APPS, application(1))
    with pytest.raises(NotImplementedError):
        store.db.drop_table(APPS)
    with pytest.raises(NotImplementedError):
        store.db.drop_tables()
    assert store.count(APPS) == 1


def test_journal_compacts_past_threshold(folder):
    with Store(folder, compact_after=10) as store:
        for n in range(25):
            store.insert(APPS, application(n))
        assert store.meta()["journal_records"] == 5
        assert store.meta()["generation"] == 3


def test_a_journal_that_could_not_be_restarted_is_started_by_the_next_change(folder, monkeypatch):
    real_write = store_module._write_atomic
    failures = []

    def disk_full_once(path, data):
        if path.name == "applied.journal" and not failures:
            failures.append(path)
            raise OSError(28, "No space left on device")
        real_write(path, data)

    with Store(folder, compact_after=2) as store:
        monkeypatch.setattr(store_module, "_write_atomic", disk_full_once)
        store.insert(APPS, application(1))
        store.insert(APPS, application(2))  # compacts: the snapshot is written, the new journal is not
        assert failures
        store.insert(APPS, application(3))  # not "restart Applied": the journal is started now
        monkeypatch.undo()
        # What a crash now would replay: the journal extends the snapshot and holds the change.
        header, *records = (folder / "applied.journal").read_bytes().splitlines()
        snapshot = json.loads((folder / "applied.json").read_bytes())
        assert json.loads(header)["gen"] == snapshot["_meta"]["1"]["gen"]
        assert [json.loads(r)["id"] for r in records] == [3]
    with Store(folder) as reopened:
        assert [d["id"] for d in reopened.all(APPS)] == [1, 2, 3]


def test_journal_replayed_after_crash(folder):
    run_python("""
        import os, sys
        from companion.store import Store
        store = Store(sys.argv[1])
        for n in range(30):
            store.insert("applications", {"url": f"u{n}", "status": "applied"})
        store.update("applications", 3, {"status": "offer"})
        store.delete("applications", 4)
        os._exit(0)  # no close: the changes are only in the journal
        """, folder)
    assert (folder / "applied.journal").read_text().count("\n") == 33
    with Store(folder) as store:
        assert store.count(APPS) == 29
        assert store.get(APPS, 3)["status"] == "offer" and store.get(APPS, 4) is None
        assert store.find(APPS, url="u29")["id"] == 30
        assert store.meta()["journal_records"] == 0  # folded into a new snapshot at once


def test_torn_last_journal_line_ignored_with_warning(folder, caplog):
    crash_after_inserting(folder, 2)
    with open(folder / "applied.journal", "ab") as journal:  # as a power cut mid-append leaves it
        journal.write(b'{"t":"applications","id":3,"doc":{"ti')
    with caplog.at_level(logging.WARNING, logger="applied.store"):
        with Store(folder) as store:
            assert [d["id"] for d in store.all(APPS)] == [1, 2]
            assert store.insert(APPS, application(3))["id"] == 3
    assert "torn last record" in caplog.text


def test_damaged_journal_middle_kept_aside(folder, caplog):
    crash_after_inserting(folder, 3)
    lines = (folder / "applied.journal").read_bytes().split(b"\n")
    lines[2] = b"garbage"
    (folder / "applied.journal").write_bytes(b"\n".join(lines))
    with caplog.at_level(logging.ERROR, logger="applied.store"):
        with Store(folder) as store:
            assert [d["id"] for d in store.all(APPS)] == [1]
    assert "damaged at record 2" in caplog.text
    assert len(list(folder.glob("applied.journal.damaged-*"))) == 1


# -- recovery ----------------------------------------------------------------------------------
def test_corrupt_snapshot_recovered_from_newest_backup(folder, caplog):
    with Store(folder) as store:
        store.insert(APPS, application(1))
    crash_after_inserting(folder, 1, start=2)  # in the journal only, on top of the newest backup
    (folder / "applied.json").write_bytes(b'{"_meta": {"1": {"schema_ver')
    with caplog.at_level(logging.WARNING, logger="applied.store"):
        with Store(folder) as store:
            assert [d["id"] for d in store.all(APPS)] == [1, 2]
            assert store.find(APPS, url="https://jobs.example/2")["id"] == 2
    assert "recovered from backup" in caplog.text
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    assert len(list(folder.glob("applied.json.corrupt-*"))) == 1


def test_missing_snapshot_recovered_from_backup_and_journal(folder, caplog):
    crash_after_inserting(folder, 3)
    (folder / "applied.json").unlink()
    with caplog.at_level(logging.WARNING, logger="applied.store"):
        with Store(folder) as store:
            assert store.count(APPS) == 3
    assert "is missing: recovered from backup" in caplog.text


def test_journal_of_lost_snapshot_kept_aside(folder, caplog):
    crash_after_inserting(folder, 3)
    (folder / "applied.json").unlink()
    for backup in (folder / "backups").iterdir():
        backup.unlink()
    with caplog.at_level(logging.ERROR, logger="applied.store"):
        with Store(folder) as store:
            assert store.count(APPS) == 0
    assert "extends a snapshot that is lost" in caplog.text
    assert len(list(folder.glob("applied.journal.orphan-*"))) == 1


def test_open_unusable_folder_raises_store_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(tmp_path / "file")


def test_corrupt_backups_skipped_for_an_older_one(folder, caplog):
    with Store(folder, compact_after=1) as store:
        for n in range(3):
            store.insert(APPS, application(n))
    backups = sorted((folder / "backups").iterdir())
    backups[-1].write_text("not json")
    (folder / "applied.json").write_text("[]")
    with caplog.at_level(logging.WARNING, logger="applied.store"):
        with Store(folder) as store:
            assert store.count(APPS) == 2  # from the backup before the damaged one
    assert "unreadable too" in caplog.text


def test_nothing_valid_keeps_corrupt_file_aside(folder, caplog):
    with Store(folder, backups=0) as store:
        store.insert(APPS, application(1))
    (folder / "applied.json").write_bytes(b"\x00\x00garbage")
    with caplog.at_level(logging.ERROR, logger="applied.store"):
        with Store(folder) as store:
            assert store.count(APPS) == 0
    kept = list(folder.glob("applied.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00\x00garbage"
    assert any(r.levelno == logging.ERROR and "no valid backup" in r.message for r in caplog.records)


def test_backups_rotate_to_newest_n(folder):
    with Store(folder, backups=3, compact_after=2) as store:
        for n in range(20):
            store.insert(APPS, application(n))
        assert store.meta()["backups"] == 3
    backups = sorted((folder / "backups").iterdir())
    assert len(backups) == 3
    # Each backup is the snapshot it was made with, gzip'ed.
    assert json.loads(gzip.decompress(backups[-1].read_bytes())) == json.loads((folder / "applied.json").read_text())


# -- schema ------------------------------------------------------------------------------------
def add_priority(tables):
    for doc in tables.get(APPS, {}).values():
        doc["priority"] = "normal"


class StoreV2(Store):
    """A store one schema newer than this version's."""
    schema_version = SCHEMA_VERSION + 1
    migrations = {**MIGRATIONS, SCHEMA_VERSION: add_priority}


def test_migrations_run_on_old_version_file(folder):
    with Store(folder) as store:
        store.insert(APPS, application(1))
        store.insert(APPS, application(2))
    with StoreV2(folder) as store:
        assert store.get(APPS, 1)["priority"] == "normal"
        assert store.meta()["schema_version"] == SCHEMA_VERSION + 1
        store.update(APPS, 2, {"priority": "high"})
    with StoreV2(folder) as store:
        assert store.get(APPS, 2)["priority"] == "high"  # migrated once, not again


def test_newer_schema_refused(folder):
    with StoreV2(folder) as store:
        store.insert(APPS, application(1))
    with pytest.raises(StoreError, match="newer Applied"):
        Store(folder)
    with StoreV2(folder) as store:  # the refusal released the folder and changed nothing
        assert store.count(APPS) == 1


# -- locking and threads -----------------------------------------------------------------------
def test_second_process_raises_store_locked(store, folder):
    result = run_python("""
        import sys
        from companion.store import Store
        from companion.errors import StoreLocked
        try:
            Store(sys.argv[1])
        except StoreLocked as e:
            print(e.message)
        """, folder)
    assert f"already using {folder} (pid {os.getpid()}); stop it first" in result.stdout


def test_second_store_in_same_process_raises_store_locked(store, folder):
    # flock belongs to the open file, not the process: a second open in one process is refused too.
    with pytest.raises(StoreLocked):
        Store(folder)


def test_close_releases_the_folder(folder):
    Store(folder).close()
    run_python("import sys; from companion.store import Store; Store(sys.argv[1]).close()", folder)


def test_lock_is_reentrant_for_check_then_insert(store):
    with store.lock:
        if store.find(APPS, url="https://jobs.example/1") is None:
            store.insert(APPS, application(1))


def test_threads_insert_and_update_exact_counts(folder):
    store = Store(folder)

    def work(worker):
        for n in range(200):
            doc = store.insert(APPS, application(f"{worker}-{n}", worker=worker))
            with store.lock:
                current = store.get(APPS, doc["id"])
                store.update(APPS, doc["id"], {"status": "screening",
                                               "history": current["history"] + [{"status": "screening"}]})

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    with Store(folder) as store:
        assert store.count(APPS) == 1600
        assert sorted(d["id"] for d in store.all(APPS)) == list(range(1, 1601))
        assert store.count(APPS, lambda d: d["status"] == "screening" and len(d["history"]) == 2) == 1600
        for worker in range(8):
            assert store.count(APPS, lambda d, worker=worker: d["worker"] == worker) == 200


# -- files -------------------------------------------------------------------------------------
def test_folder_0700_and_files_0600(folder):
    old = os.umask(0o022)
    try:
        with Store(folder) as store:
            store.insert(APPS, application(1))
            store.put_blob("page", 1, "<html>")
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path


def test_blob_round_trip_as_gzip_file(store, folder):
    page = "<html>café</html>" * 1000
    store.put_blob("page", 7, page)
    store.put_blob("description", 7, b"\x00bytes")
    assert store.get_blob("page", 7) == page.encode()
    assert gzip.decompress((folder / "blobs" / "page" / "7.gz").read_bytes()) == page.encode()
    store.put_blob("page", 7, "newer")
    assert store.get_blob("page", "7") == b"newer"
    assert store.get_blob("page", 8) is None and store.get_blob("other", 7) is None


def test_has_blob_tells_a_stored_blob_from_a_missing_one(store):
    store.put_blob("page", 7, "<html>")
    assert store.has_blob("page", 7) and store.has_blob("page", "7")
    assert not store.has_blob("page", 8) and not store.has_blob("description", 7)


def test_delete_blobs_removes_the_kinds_named_and_no_other(store):
    store.put_blob("page", "k1", "a")
    store.put_blob("description", "k1", "b")
    store.put_blob("mail", "k1", "kept text of another table's record 1")
    store.put_blob("page", "k2", "c")
    assert store.blob_keys("page") == ["k1", "k2"]
    store.delete_blobs("k1", ("page", "description"))
    assert store.blob_keys("page") == ["k2"] and store.blob_keys("description") == []
    assert store.get_blob("mail", "k1") == b"kept text of another table's record 1"
    store.delete_blobs("never-stored", ("page",))


def test_blob_names_cannot_escape_folder(store):
    for kind, key in (("page", "../x"), ("../page", "x"), ("page", ".hidden"), ("page", "")):
        with pytest.raises(ValidationError):
            store.put_blob(kind, key, "x")


def test_temp_files_from_crash_removed_on_open(folder):
    with Store(folder) as store:
        store.put_blob("page", 1, "x")
    (folder / ".applied.json.abcd.tmp").write_text("half")
    (folder / "blobs" / "page" / ".1.gz.abcd.tmp").write_text("half")
    with Store(folder) as store:
        assert store.blob_keys("page") == ["1"]
    assert not list(folder.rglob("*.tmp"))


def test_meta_reports_counts_and_files(store):
    store.insert(APPS, application(1))
    meta = store.meta()
    assert meta["schema_version"] == SCHEMA_VERSION and meta["counts"] == {APPS: 1}
    assert meta["file_sizes"]["applied.journal"] > 0 and meta["backups"] == 1
    assert meta["last_backup"]


# -- the crash test ----------------------------------------------------------------------------
def test_acknowledged_changes_survive_sigkill(tmp_path):
    """Kill a busy writer 50 times at random moments; every acknowledged change must survive."""
    folder, rng = tmp_path / "data", random.Random(20241125)
    expected = {}  # id -> {"status", "maybe": a status also acceptable, "key", "sha"}
    seen = set()  # every id ever given: none may be given twice, nor come back once deleted
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    errors = tmp_path / "stderr"
    for round_ in range(50):
        with open(errors, "wb") as stderr:
            child = subprocess.Popen([sys.executable, str(CHILD), str(folder), str(round_)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=stderr)
        if round_ % 5 == 4:  # now and then during start-up, recovery and the compaction after it
            time.sleep(rng.uniform(0.02, 0.1))
        else:
            assert child.stdout.readline() == b"ready\n", errors.read_text()
            time.sleep(rng.uniform(0.02, 0.3))
        child.send_signal(signal.SIGKILL)
        out = child.stdout.read()  # the same buffered reader: lines read ahead by readline are in it
        child.stdout.close()
        assert child.wait() == -signal.SIGKILL, errors.read_text()
        in_flight = read_acknowledgements(out.decode(), expected, seen)
        with Store(folder) as store:
            check_survivors(store, expected, seen, in_flight)
            assert store.meta()["backups"] <= 5
        assert not list(folder.rglob("*.tmp"))
    assert len(expected) > 20  # the children did real work


def read_acknowledgements(out, expected, seen):
    """Apply the child's acknowledged operations to expected; return the one in flight, if any."""
    in_flight = None
    for line in out.splitlines(keepends=True):
        if not line.endswith("\n") or line == "ready\n":  # a line cut by the kill acknowledges nothing
            continue
        op, doc_id, *rest = line.split()
        doc_id = int(doc_id)
        if op == "I":
            assert doc_id not in seen, f"id {doc_id} given twice"
            seen.add(doc_id)
            expected[doc_id] = {"status": "applied", "maybe": None, "key": rest[0], "sha": rest[1]}
        elif op == "U":
            expected[doc_id].update(status=rest[0], maybe=None)
        elif op == "D":
            del expected[doc_id]
        in_flight = (op, doc_id, rest) if op in "ud" else None
    if in_flight and in_flight[0] == "u":  # it may or may not have happened
        expected[in_flight[1]]["maybe"] = in_flight[2][0]
    return in_flight


def check_survivors(store, expected, seen, in_flight):
    """Every acknowledged capture is there with its last status and its page; nothing else is."""
    docs = {d["id"]: d for d in store.all(APPS)}
    for doc_id, want in list(expected.items()):
        if doc_id not in docs:
            assert in_flight == ("d", doc_id, []), f"acknowledged {doc_id} lost"
            del expected[doc_id]
            continue
        assert docs[doc_id]["status"] in (want["status"], want["maybe"]), doc_id
        want.update(status=docs[doc_id]["status"], maybe=None)
        page = store.get_blob("page", want["key"])
        assert page is not None and hashlib.sha256(page).hexdigest() == want["sha"], doc_id
    unknown = set(docs) - set(expected)
    assert len(unknown) <= 1 and not unknown & seen, f"unexpected {unknown}"  # only the capture in flight
    for doc_id in unknown:
        key = docs[doc_id]["capture_ids"][0]
        page = store.get_blob("page", key)  # the child writes the page before the document
        assert page is not None
        seen.add(doc_id)
        expected[doc_id] = {"status": docs[doc_id]["status"], "maybe": None, "key": key,
                            "sha": hashlib.sha256(page).hexdigest()}


# -- batches: many writes, one fsync ---------------------------------------------------------------

@pytest.fixture
def journal_syncs(monkeypatch):
    """Counts the journal's fsyncs (the store's own wrapper around os.fdatasync), by thread."""
    calls = []
    real = store_module._datasync

    def counted(fd):
        calls.append(threading.get_ident())
        real(fd)

    monkeypatch.setattr(store_module, "_datasync", counted)
    return calls


def test_a_batch_of_writes_is_synced_once_and_kept_whole(folder, journal_syncs):
    with Store(folder) as store:
        with store.batch():
            ids = [store.insert("applications", {"title": f"Role {n}"})["id"] for n in range(200)]
            store.update("applications", ids[0], {"status": "applied"})
            assert store.count("applications") == 200  # readable inside the batch
        assert len(journal_syncs) == 1
    with Store(folder) as reopened:
        assert reopened.count("applications") == 200
        assert reopened.get("applications", ids[0])["status"] == "applied"


def test_another_threads_write_during_a_batch_is_synced_before_it_returns(folder, journal_syncs):
    with Store(folder) as store:
        inside, done = threading.Event(), threading.Event()

        def other_request():
            inside.wait(10)
            store.insert("applications", {"title": "Captured meanwhile"})
            done.set()

        worker = threading.Thread(target=other_request)
        worker.start()
        with store.batch():
            store.insert("applications", {"title": "Imported"})
            assert journal_syncs == []
            inside.set()
            assert done.wait(10)
            assert journal_syncs == [worker.ident]  # its write (and the batch's line before it) is on disk
        worker.join()


def test_an_index_built_apart_takes_in_the_writes_made_meanwhile_and_holds_up_no_other_request(folder):
    """After a start the warm-up builds the indexes (prepare_indexes) without holding the store's lock while
    their keys are computed: reads and writes go on meanwhile, and the index then holds them too."""
    with Store(folder) as store:
        store.insert_many(APPS, [{"status": "applied", "updated_at": f"2026-01-{n % 28 + 1:02d}"} for n in range(300)])
    computing, go = threading.Event(), threading.Event()

    def keys(doc, _value):
        if not computing.is_set():
            computing.set()
            assert go.wait(30)
        return [(doc.get("updated_at") or "",)]

    with Store(folder) as store:
        store.add_index(APPS, "updated", keys)
        builder = threading.Thread(target=store.prepare_indexes)
        builder.start()
        assert computing.wait(30)
        # The lock is free: these return at once, while the keys are still being computed.
        store.update(APPS, 5, {"updated_at": "2026-03-01"})
        store.delete(APPS, 7)
        added = store.insert(APPS, {"status": "applied", "updated_at": "2025-12-31"})
        assert store.get(APPS, 5)["updated_at"] == "2026-03-01"
        found = []
        reader = threading.Thread(target=lambda: found.append(store.index(APPS, "updated")))
        reader.start()
        reader.join(0.2)
        assert reader.is_alive(), "a read of the index waits for it to be built"
        go.set()
        builder.join(30)
        reader.join(30)
        expected = sorted(((d.get("updated_at") or "",), d["id"]) for d in store.all(APPS))
        assert found == [(len(expected), expected)] and store.index(APPS, "updated") == (len(expected), expected)
        assert added["id"] in {doc_id for _, doc_id in expected} and 7 not in {doc_id for _, doc_id in expected}
        store.update(APPS, 6, {"updated_at": "2026-04-01"})  # kept on write once in place
        assert store.index(APPS, "updated", lo=("2026-04-01",))[1] == [(("2026-04-01",), 6)]


def test_a_few_documents_are_paged_in_order_before_their_index_is_built(folder):
    """A narrow search in the first seconds after a start: the page is the one the built index gives."""
    with Store(folder) as store:
        store.insert_many(APPS, [{"updated_at": f"2026-01-{n % 28 + 1:02d}"} for n in range(400)])
    where = {3, 10, 11, 40, 41, 42, 99, 250}
    with Store(folder) as store:
        store.add_index(APPS, "updated", lambda doc, _: [(doc.get("updated_at") or "",)])
        early = [store.index_docs(APPS, "updated", reverse=True, where=where, offset=offset, limit=3)
                 for offset in (0, 3, 6)]
        assert not store.indexes_ready(APPS)  # the pages did not build it
        store.index(APPS, "updated", limit=0)
        assert store.indexes_ready(APPS)
        assert early == [store.index_docs(APPS, "updated", reverse=True, where=where, offset=offset, limit=3)
                         for offset in (0, 3, 6)]


def test_a_snapshot_msgspec_refuses_is_read_all_the_same(folder):
    """The snapshot is read by msgspec's decoder, and by the standard library's where msgspec refuses what JSON
    allows (a lone surrogate that came in with a page, a huge number): the store opens with every record."""
    odd = {"title": "broken \ud800 text", "salary": 10 ** 40, "status": "applied"}
    with Store(folder) as store:
        doc_id = store.insert(APPS, odd)["id"]
        store.insert(APPS, {"title": "plain", "status": "applied"})
    with Store(folder) as store:  # closed cleanly: read from the snapshot alone
        assert store.get(APPS, doc_id) == {**odd, "id": doc_id}
        assert store.count(APPS) == 2


def test_strings_the_documents_repeat_are_kept_once_and_the_documents_read_the_same(folder):
    with Store(folder) as store:
        store.insert_many(APPS, [{"status": "applied", "history": [{"date": "2026-01-02", "to": "applied"}],
                                  "places": ["Remote", "Toronto, ON"], "notes": "x" * 100} for _ in range(50)])
    with Store(folder) as store:
        before = store.all(APPS)
        docs = store._storage.tables[APPS]
        store.share_strings()
        assert docs["1"]["status"] is docs["2"]["status"]
        assert docs["1"]["history"][0]["date"] is docs["50"]["history"][0]["date"]
        assert docs["1"]["places"][1] is docs["2"]["places"][1]
        assert docs["1"]["notes"] is not docs["2"]["notes"]  # long texts are left as they are
        assert store.all(APPS) == before
