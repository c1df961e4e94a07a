"""The store: Applied's documents in TinyDB, made crash-safe by a journal, snapshots and backups, and
fast by indexes kept on every write.

This package is the only code that imports tinydb: ``Store`` (here) is its face; ``storage`` the
journaled tinydb.Storage, its snapshots and backups; ``table`` the tinydb Table and TinyDB it
plugs in; ``indexes`` the equality and ordered indexes; ``words`` the word indexes that search
reads; ``files`` atomic files and the folder's lock; ``documents`` names, checks and copies.

Files in the data folder (created 0700; every file 0600):

    .lock                  flock'ed while a companion owns the folder; holds its pid
    applied.json           the snapshot, in TinyDB's layout: {"_meta": {"1": meta}, "<table>": {"<id>": doc}}
    applied.journal        JSON lines on top of the snapshot: a header {"gen": N}, then one line per
                           changed document {"t", "id", "doc"} or deletion {"t", "id", "del"}
    backups/applied-<time>-g<gen>.json.gz   gzip'ed copies of the newest snapshots, one per compaction
    blobs/<kind>/<key>.gz  big fields (a capture's raw page, a posting's description), gzip
    words.sqlite           the word indexes (SQLite FTS5, see words.py): made again from the above when lost

TinyDB is the document layer: ``Store.db`` is a ``TinyDB`` whose tables do every read (``Table.get``,
``search``, ``count``, ``len``; find() builds its condition with ``where(field).test(...)``) and every
write (``insert``, ``update``, ``remove``). Stock TinyDB is neither crash-safe nor thread-safe, and
three of its habits do not suit Applied, so the store plugs into its documented extension points:

1. ``Table._update_table``, its one write path, rebuilds the whole table dict and has the storage
   write the whole database on every change: 3.5 ms at 10,000 documents before any I/O, and a
   rewrite of the whole file with JSONStorage. ``JournaledTable`` (``TinyDB.table_class``) hands
   TinyDB's updater a view of the one table that stages what it sets, changes or deletes, on
   copies, and passes only the documents that differ to ``JournaledStorage.write``. That
   ``tinydb.Storage`` keeps the database in memory in TinyDB's layout (``read()`` returns it, no
   file read, no copy); its ``write()`` takes just the changed documents (None for a deleted one),
   appends a journal line for each and fsyncs before changing memory or returning. So a change
   costs what changed, not the store's size; dropping whole tables, which this cannot express, is
   refused.
2. TinyDB numbers a new document max(existing id) + 1: delete the newest and its id is given again,
   and whatever pointed at the old document (its page blob, a contact's link) now points at a
   stranger. ``JournaledTable._get_next_id`` takes the next id from the meta record, which the
   storage raises past every id it stores and which snapshots and journal replay keep.
3. TinyDB caches search results per condition until the table's next write, but Applied's
   predicates read things outside the document (today's date, a set of ids): a cached answer
   would be stale. ``JournaledTable.query_cache_class`` is a cache that keeps nothing, so every
   search runs its condition and callers' plain functions go to ``Table.search`` as they are.
   (``cache_size=0`` works too, as TinyDB's LRUCache evicts each entry as it adds it, but hashes
   and inserts on every search; wrapping each predicate in an uncacheable ``QueryInstance`` costs
   a call per document.)

What the store adds around TinyDB: durability (a change returns only after its journal line is
fsynced; snapshots, backups and blobs are replaced atomically: temp file, fsync, rename, fsync the
folder, so a crash leaves the old file or the new one), generations (each snapshot has one and the
journal names the one it extends, so on open its lines are known to be already in the snapshot, on
top of it, or on top of a lost one), recovery from backups, schema migrations, one RLock
(``Store.lock``) around every use of TinyDB, an flock so one process owns the folder, and blobs,
kept out of TinyDB so that a status change does not journal a 500 KB page. Callers pass plain
Python predicates and get plain dicts they may mutate. The snapshot opens with stock
``TinyDB(path, access_mode="r")``.

What the store adds for speed: reads copy only what they hand out (search() and index reads read
TinyDB's table as it is, under the lock, and copy the page); equality indexes on INDEXED_FIELDS
(find(), ids(), count_by()); ordered indexes that callers declare with add_index() (keys computed
from each document, and from a signature such as the settings, when it is written), read by
range and page with index(), index_docs() (also after a cursor) and index_scan(), and built apart
after a start, without holding the lock while their keys are computed (prepare_indexes()); word indexes
(add_word_index(): the words of each document and of its blob of one kind, on disk, read by
match_words()); a version per table, and cached() answers kept
until a table changes; bulk insert_many(), update_many() and put_blobs(). With ``background``,
snapshots are written by a thread that holds the lock only to copy the tables' dicts and to swap
the files (see JournaledStorage.snapshot).
"""
import functools
import gzip
import itertools
import operator
import logging
import os
import secrets
import sqlite3
import threading
import zlib
from datetime import UTC, datetime
from pathlib import Path

from tinydb import where

from companion.errors import NotFound, StoreError
from companion.paging import bad_cursor

from .documents import _CONTAINERS, _check_doc, _check_name, _check_page, _copy, _is_id, _matches
from .files import _fsync_dir, _listdir, _lock_folder, _make_dir, _remove_temp_files, _size, _write_atomic
from .indexes import INDEXED_FIELDS, OrderedIndex
from .storage import JOURNAL, MIGRATIONS, SCHEMA_VERSION, SNAPSHOT, JournaledStorage
from .table import Database, JournaledTable, _swap
from .words import WordIndex, open_database

__all__ = ["Store", "comes_after", "Database", "JournaledStorage", "JournaledTable", "OrderedIndex", "INDEXED_FIELDS",
           "SCHEMA_VERSION", "MIGRATIONS"]
log = logging.getLogger("applied.store")
# On a 500 KB job page, level 3 saves 87% of what gzip's default (6) saves, in a quarter of the time.
BLOB_GZIP_LEVEL = 3


def _share_strings(container, keep):
    """Swap each short string in a document (at any depth) for keep(string): the one kept for that value."""
    for key, value in (container.items() if type(container) is dict else enumerate(container)):
        kind = type(value)
        if kind is str:
            if len(value) <= 64:
                shared = keep(value, value)
                if shared is not value:
                    container[key] = shared
        elif kind is dict or kind is list:
            _share_strings(value, keep)


def comes_after(entry, after, reverse):
    """Whether the index entry (key, id) comes after ``after`` in the order index_docs reads (see iterate)."""
    (key, doc_id), (at_key, at_id) = entry, tuple(after)
    try:
        if key == at_key:
            return doc_id > at_id
        return key < at_key if reverse else key > at_key
    except TypeError:  # a cursor whose key is not of this list's shape
        raise bad_cursor() from None


class Store:
    """Documents (JSON-able dicts) in named tables, with int ids that are never reused."""

    schema_version = SCHEMA_VERSION  # class attributes, so that a test can open with a newer schema
    migrations = MIGRATIONS

    def __init__(self, data_dir, *, backups=5, compact_after=2000, background=False):
        """Open the store in data_dir, creating it if needed; only one process may hold it.

        ``backups`` gzip'ed copies of the snapshot are kept (0: none); the journal is folded into a
        new snapshot after ``compact_after`` changes or JOURNAL_MAX_BYTES, and on close. With
        ``background`` (the companion's choice) those snapshots are written by a thread of their
        own, so that no change waits for one; without it, by the change that makes one due.
        """
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.lock = threading.RLock()  # TinyDB is not thread-safe: every use of self.db holds it
        self._lock_fd = None
        self._closed = False
        try:
            _make_dir(self.data_dir)
            self._lock_fd = _lock_folder(self.data_dir)
            _make_dir(self.data_dir / "blobs")
            _remove_temp_files(self._blob_folders())
            self.db = Database(self.data_dir, storage=JournaledStorage, backups=backups,
                               compact_after=compact_after, schema_version=self.schema_version,
                               migrations=self.migrations, lock=self.lock, background=background)
        except BaseException as e:
            self._closed = True
            self._release_folder()
            if isinstance(e, OSError):
                raise StoreError(f"cannot open the store in {self.data_dir}: {e}") from e
            raise
        self._storage = self.db.storage
        self._words_db = None  # words.sqlite, opened by the first add_word_index()
        self._cache = {}  # name -> (versions of its tables, value): see cached()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Fold the journal into a snapshot and release the folder. Calling it again does nothing."""
        if not self._closed:
            self._storage.stop_snapshots()  # without the lock, which the snapshot thread may be waiting for
        with self.lock:
            if self._closed:
                return
            self._closed = True
            try:
                self.db.close()
            finally:
                if self._words_db is not None:
                    self._words_db.close()
                self._release_folder()

    # -- documents ---------------------------------------------------------------------------
    def insert(self, table, doc):
        """Store a new document; return a copy with its new "id" (any "id" given is replaced)."""
        _check_name(table, "table")
        _check_doc(doc)
        with self.lock:
            self._check_open()
            docs = self.db.table(table)
            return _copy(docs.get(doc_id=docs.insert(dict(doc))))  # dict(): TinyDB stores a Document under its doc_id

    def batch(self):
        """A context for many writes with one fsync: each change inside is journaled in order as
        usual, and all of them are made durable together when the batch ends (an import's rows, a
        thousand at a time, instead of a thousand fsyncs). Only the calling thread's writes wait;
        acknowledge nothing written inside before the batch ends. Another thread's write syncs as always."""
        return self._storage.deferred_sync()

    def insert_many(self, table, docs):
        """Store new documents in one journal write (one fsync); return their ids, in order."""
        _check_name(table, "table")
        for doc in docs:
            _check_doc(doc)
        with self.lock:
            self._check_open()
            return self.db.table(table).insert_multiple([dict(doc) for doc in docs])

    def update_many(self, table, changes):
        """Set top-level fields of many documents ({id: fields}) in one journal write; ids that are
        not stored are skipped. Returns how many documents were changed."""
        for fields in changes.values():
            _check_doc(fields)
        with self.lock:
            self._check_open()
            docs = self.db.table(table)
            stored = docs._read_table()
            wanted = {i: fields for i, fields in changes.items() if _is_id(i) and str(i) in stored}

            def merge(staged):
                for doc_id, fields in wanted.items():
                    staged[doc_id].update(fields)

            if wanted:
                docs._update_table(merge)  # TinyDB's one write path, which JournaledTable journals
            return len(wanted)

    def get(self, table, doc_id):
        """A copy of the document, or None."""
        with self.lock:
            self._check_open()
            return _copy(self.db.table(table).get(doc_id=doc_id)) if _is_id(doc_id) else None

    def update(self, table, doc_id, changes):
        """Set the given top-level fields (a shallow merge); return a copy of the new document."""
        _check_doc(changes)
        return self._change(table, doc_id, changes)

    def replace(self, table, doc_id, doc):
        """Make doc the whole new content of the document; return a copy of it."""
        _check_doc(doc)
        return self._change(table, doc_id, functools.partial(_swap, new=doc))

    def delete(self, table, doc_id):
        """Delete the document; False if there was none. Its blobs stay: see delete_blobs."""
        with self.lock:
            self._check_open()
            return _is_id(doc_id) and bool(self.db.table(table).remove(doc_ids=[doc_id]))

    def all(self, table):
        """Copies of every document, by id."""
        return self.search(table)[1]

    def search(self, table, predicate=None, *, sort_key=None, reverse=False, offset=0, limit=None):
        """(number of matches, copies of the page [offset:offset+limit] of the sorted matches).

        predicate is given the stored documents, sort_key the matches: they must only read them.
        Without sort_key, matches come by id. Only the page is copied: TinyDB's Table.search would
        copy every match into a Document first, so this reads the table TinyDB reads, as it is.
        """
        _check_page(offset, limit)
        with self.lock:
            self._check_open()
            stored = self._stored(table)
            matches = [d for d in stored if predicate(d)] if predicate else list(stored)
            if sort_key is not None:
                matches.sort(key=sort_key, reverse=reverse)
            elif reverse:
                matches.reverse()
            end = None if limit is None else offset + limit
            return len(matches), [_copy(d) for d in matches[offset:end]]

    def share_strings(self, step=2000):
        """Keep each short string the documents repeat (a day, a status, a place, a company) once, not once for
        each document that holds it: the JSON decoder makes a new one each time (at 50,000 applications, 86
        of their 108 MB of strings were repeats). The documents are walked a few thousand at a time without
        the lock: each string is swapped for an equal one, which no reader can tell apart (and a document
        replaced meanwhile is simply one fewer to walk). For the warm-up after a start."""
        kept = {}
        with self.lock:
            self._check_open()
            docs = [doc for table in self._storage.tables.values() for doc in table.values()]
        for start in range(0, len(docs), step):
            for doc in docs[start:start + step]:
                _share_strings(doc, kept.setdefault)
        return len(kept)

    def scan(self, table, visit):
        """Call visit(doc) with each stored document, by id, under the lock, copying none: for
        summaries over a whole table. visit must only read what it is given."""
        with self.lock:
            self._check_open()
            for doc in self._stored(table):
                visit(doc)

    def get_many(self, table, doc_ids):
        """Copies of the documents with these ids, in that order (missing ones left out)."""
        with self.lock:
            self._check_open()
            docs = self.db.table(table)._read_table()
            return [_copy(docs[str(i)]) for i in doc_ids if _is_id(i) and str(i) in docs]

    def changes(self, table, since):
        """(version now, [(id, old doc or None, new doc or None)] of the changes after version
        ``since``, oldest first): for summaries kept up to date change by change. The list is None
        when the store no longer remembers that far back (the last few hundred changes): compute
        from scratch then. The documents are the stored ones: read them only."""
        with self.lock:
            self._check_open()
            return self._storage.versions.get(table, 0), self._storage.changes(table, since)

    def version(self, table):
        """A number that changes whenever the table changes (for caches of what is computed from it)."""
        with self.lock:
            return self._storage.versions.get(table, 0)

    def cached(self, name, tables, compute, *, key=None):
        """compute()'s answer, kept until one of tables changes (or key does, today say): for
        summaries of whole tables. One answer is kept per name.

        compute runs without the lock (other requests go on); an answer computed while a table
        changed is kept under the older versions, so the next call computes again."""
        with self.lock:
            versions = (tuple(self._storage.versions.get(t, 0) for t in tables), key)
            hit = self._cache.get(name)
            if hit is not None and hit[0] == versions:
                return hit[1]
        value = compute()
        with self.lock:
            self._cache[name] = (versions, value)
        return value

    # -- indexes -----------------------------------------------------------------------------
    def ids(self, table, field, values):
        """The ids, sorted, of the documents whose field (one of INDEXED_FIELDS) equals, or as a list
        holds, any of values: an index read, no scan."""
        if field not in INDEXED_FIELDS:
            raise ValueError(f"{field} is not indexed: use search()")
        with self.lock:
            self._check_open()
            found = set()
            for value in values:
                found.update(self._storage.lookup(table, field, value))
            return sorted(found)

    def count_by(self, table, field):
        """{value: number of documents} for an indexed field (a list counts under each item)."""
        if field not in INDEXED_FIELDS:
            raise ValueError(f"{field} is not indexed: use scan()")
        with self.lock:
            self._check_open()
            return self._storage.value_counts(table, field)

    def add_index(self, table, name, keys, *, signature=None):
        """Keep an ordered index of table, current on every write: see OrderedIndex for keys and
        signature. It is built on its first read. Adding a name that exists does nothing."""
        _check_name(table, "table")
        with self.lock:
            self._check_open()
            indexes = self._storage.ordered.setdefault(table, {})
            if name not in indexes:
                indexes[name] = OrderedIndex(lambda: self._storage.tables.get(table, {}), keys, signature)

    def has_index(self, table, name):
        return name in self._storage.ordered.get(table, {})

    def indexes_ready(self, table, names=None):
        """Whether these ordered indexes of table (default: all) are built, none waiting for prepare_indexes:
        reading them costs no build."""
        with self.lock:
            indexes = self._storage.ordered.get(table, {})
            return all(index.built and index.pending is None for name, index in indexes.items()
                       if names is None or name in names)

    def prepare_indexes(self):
        """Build every ordered index declared and not built yet, one at a time, holding the lock only to take
        the documents and to put the index in place (an index's keys over 50,000 documents take up to a
        second to compute): for the warm-up after a start, so that the requests meanwhile go on. A read of an
        index being built waits for it (without the lock, when it holds none); a write meanwhile is indexed
        when it is put in place. First the equality indexes (see JournaledStorage.equality), a table at a time
        under the lock."""
        with self.lock:
            self._check_open()
            tables = list(self._storage.tables)
        for table in tables:
            with self.lock:
                self._check_open()
                self._storage.equality(table)
        with self.lock:
            self._check_open()
            indexes = [index for names in self._storage.ordered.values() for index in names.values()]
        for index in indexes:
            with self.lock:
                self._check_open()
                pending = index.start_apart()
            if pending is not None:
                index.build_apart(pending)
                with self.lock:
                    index.settle()

    def index(self, table, name, *, lo=None, hi=None, reverse=False, offset=0, limit=None, keep=None, after=None):
        """(entries with lo <= key < hi, [(key, id)] of the page [offset:offset+limit] of them).

        In key order, then by id; with reverse, keys descending and ids ascending within a key
        (the order search() gives with a sort_key and reverse=True). With keep, the page holds
        only entries whose key keep(key) accepts, read until it is full (the count is still of
        every entry in the range). With ``after`` (key, id), the page starts after that entry (a
        cursor). Nothing is copied."""
        _check_page(offset, limit)
        self._wait_for(table, name)
        with self.lock:
            self._check_open()
            index = self._ordered(table, name)
            end = None if limit is None else offset + limit
            total = index.count(lo, hi)
            if offset >= total:  # past the end (islice refuses an offset past the machine's word)
                return total, []
            entries = index.iterate(lo, hi, reverse=reverse, after=after)
            if keep is not None:
                entries = (entry for entry in entries if keep(entry[0]))
            return total, list(itertools.islice(entries, offset, end))

    def index_docs(self, table, name, *, lo=None, hi=None, reverse=False, where=None, offset=0, limit=None,
                   after=None):
        """(number of documents, copies of the page) in the index's order, each document once
        (at its first key), keeping those whose id is in ``where`` (a set) when given. With ``after``
        (key, id) of a document shown last, the page starts after it (a cursor: changes meanwhile
        neither repeat nor skip a document); the number is still of every document."""
        _check_page(offset, limit)
        if after is not None and (lo is not None or hi is not None):
            raise ValueError("a cursor pages the whole index: give no range with it")
        # A few documents of an index not built yet (a search in the first seconds after a start): their
        # keys are worked out here, rather than waiting for the whole index to be built.
        unbuilt = where is not None and lo is None and hi is None and not self._built(table, name) \
            and len(where) * 8 < len(self._storage.tables.get(table, ()))
        if not unbuilt:
            self._wait_for(table, name)
        with self.lock:
            self._check_open()
            docs = self.db.table(table)._read_table()
            if unbuilt:
                index = self._storage.ordered[table][name]
                keyed = {i: index.keys_now(docs[str(i)]) for i in where if str(i) in docs}
            else:
                index = self._ordered(table, name)
                keyed = index.by_id
            seen, page, taken, end = set(), [], 0, None if limit is None else offset + limit
            # Over the whole index, the total is known without walking it: stop once the page is full.
            known = None
            if lo is None and hi is None:
                known = index.documents if where is None else sum(1 for i in where if keyed.get(i))
            if known is not None and where is not None and (unbuilt or len(where) * 8 < len(index.entries)):
                # A few documents of many (a narrow search): sort those, rather than walk every entry.
                entries = sorted(((k, i) for i in where for k in keyed.get(i, ())), key=operator.itemgetter(1))
                entries.sort(key=operator.itemgetter(0), reverse=reverse)
                if after is not None:
                    entries = itertools.dropwhile(lambda e: not comes_after(e, after, reverse), entries)
            else:
                entries = index.iterate(lo, hi, reverse=reverse, after=after)
            for _, doc_id in entries:
                if doc_id in seen or (where is not None and doc_id not in where):
                    continue
                seen.add(doc_id)
                if offset <= taken and (end is None or taken < end):
                    page.append(_copy(docs[str(doc_id)]))
                taken += 1
                if known is not None and (end is not None and taken >= end or after is None and taken >= known):
                    break
            return (taken if known is None else known), page

    def index_scan(self, table, name, visit, *, lo=None, hi=None):
        """Call visit(doc) with each document that has a key from lo to hi (before hi), once, under the
        lock, copying none: for summaries over a range. visit must only read what it is given."""
        self._wait_for(table, name)
        with self.lock:
            self._check_open()
            index, docs = self._ordered(table, name), self.db.table(table)._read_table()
            seen = set()
            for _, doc_id in index.iterate(lo, hi):
                if doc_id not in seen:
                    seen.add(doc_id)
                    visit(docs[str(doc_id)])

    def add_word_index(self, table, name, text_of, *, blob_kind=None, blob_text=None, version="1"):
        """Keep a word index of table (see words.py): the words of ``text_of(doc)`` for each document,
        and of ``blob_text(bytes)`` for its blob of ``blob_kind`` (kept under the document's id), on disk.
        ``version`` names what text_of and blob_text give: another one builds the index again.
        Until sync_words() has run once, match_words() answers None. Adding a name that exists does nothing."""
        _check_name(table, "table")
        with self.lock:
            self._check_open()
            indexes = self._storage.words.setdefault(table, {})
            if name not in indexes:
                if self._words_db is None:
                    self._words_db = open_database(self.data_dir)
                indexes[name] = WordIndex(self._words_db, table, name, text_of, blob_kind=blob_kind,
                                          blob_text=blob_text, version=version,
                                          read_blob=blob_kind and functools.partial(self._read_blob, blob_kind))

    def has_word_index(self, table, name):
        return name in self._storage.words.get(table, {})

    def match_words(self, table, name, query, *, phrase=False):
        """The ids (a set) of the documents each of whose query words begins one of their words (with
        ``phrase``: that hold its words in a row), or None while the index is not complete (then scan)."""
        with self.lock:
            self._check_open()
            return self._storage.words[table][name].match(query, phrase=phrase)

    def sync_words(self, table, name):
        """Bring the word index up to date with the documents and their blobs, a few hundred at a time
        (other requests go on between): after each start, and to build it the first time."""
        with self.lock:
            self._check_open()
            index = self._storage.words[table][name]
            steps = index.sync_documents(self._storage.tables.get(table, {}))
        while True:
            with self.lock:
                self._check_open()
                if next(steps, StopIteration) is StopIteration:
                    break
        if index.blob_kind:
            with self.lock:
                unread = index.unread_blobs()
            for start in range(0, len(unread), 200):
                found = {}
                for doc_id in unread[start:start + 200]:
                    data = self.get_blob(index.blob_kind, doc_id)  # read without the lock
                    found[doc_id] = index.blob_words(data) if data is not None else None
                with self.lock, index.transaction():
                    self._check_open()
                    for doc_id in index.still_unread(found):
                        index.put_blob(doc_id, found[doc_id])
        with self.lock:
            self._check_open()
            index.mark_complete()

    def _blob_words(self, kind, items, *, forget=False):
        """Keep the word indexes fed by blobs of this kind: {key: bytes or None}. Under the lock. With
        ``forget``, before the blobs are replaced or deleted: their words leave the index (see words.py)."""
        for indexes in self._storage.words.values():
            for index in indexes.values():
                if index.blob_kind != kind:
                    continue
                try:
                    with index.transaction():
                        for key, data in items.items():
                            if not str(key).isdigit():
                                continue
                            if forget:
                                index.forget_blob(int(key))
                            else:
                                index.put_blob(int(key), None if data is None else index.blob_words(data))
                except sqlite3.Error:
                    log.exception("could not update the word index; searches read the records until the next start")
                    index.complete = False

    def _read_blob(self, kind, key):
        """The bytes of a blob as stored now, or None (missing or damaged): under the lock."""
        try:
            with open(self._blob_path(kind, key), "rb") as file:
                return gzip.decompress(file.read())
        except (OSError, EOFError, zlib.error):
            return None

    def _ordered(self, table, name):
        try:
            return self._storage.ordered[table][name].fresh()
        except KeyError:
            raise ValueError(f"no index {name!r} on {table}: add_index() it first") from None

    def _built(self, table, name):
        index = self._storage.ordered.get(table, {}).get(name)
        if index is None:
            raise ValueError(f"no index {name!r} on {table}: add_index() it first")
        return index.built and index.pending is None

    def _wait_for(self, table, name):
        """Before taking the lock: let an index being built apart (prepare_indexes) be finished first."""
        pending = self._storage.ordered.get(table, {}).get(name)
        pending = pending and pending.pending
        if pending is not None:
            pending.done.wait()

    def _stored(self, table):
        """The table's stored documents, by id, as TinyDB reads them (not copies: read only)."""
        return self.db.table(table)._read_table().values()

    def find(self, table, **equals):
        """A copy of the first document (by id) whose fields equal the given values, or None.

        A field holding a list matches any value in it: find("applications", capture_ids="abc")
        finds the application whose capture_ids contains "abc". Lookups on INDEXED_FIELDS take
        constant time; other fields are scanned.
        """
        if not equals:
            raise TypeError("find() needs at least one field=value")
        condition = functools.reduce(operator.and_, (where(f).test(_matches, v) for f, v in equals.items()))
        with self.lock:
            self._check_open()
            docs = self.db.table(table)
            indexed = [f for f in equals if f in INDEXED_FIELDS and not isinstance(equals[f], _CONTAINERS)]
            if not indexed:
                return _copy(docs.get(condition))
            for doc_id in self._storage.lookup(table, indexed[0], equals[indexed[0]]):
                doc = docs.get(doc_id=doc_id)
                if condition(doc):
                    return _copy(doc)
            return None

    def count(self, table, predicate=None):
        """How many documents (matching predicate, if given) the table holds."""
        with self.lock:
            self._check_open()
            if predicate is None:
                return len(self.db.table(table))
            return sum(1 for doc in self._stored(table) if predicate(doc))

    # -- blobs -------------------------------------------------------------------------------
    def put_blob(self, kind, key, data):
        """Store data (str is encoded as UTF-8) as the blob kind/key, replacing any older one."""
        path = self._blob_path(kind, key)
        # Compressed before taking the lock: other requests need not wait for it.
        packed = gzip.compress(data.encode() if isinstance(data, str) else data,
                               compresslevel=BLOB_GZIP_LEVEL, mtime=0)
        with self.lock:
            self._check_open()
            _make_dir(path.parent)
            self._blob_words(kind, {key: None}, forget=True)
            _write_atomic(path, packed)
            self._blob_words(kind, {key: data})

    def put_blobs(self, kind, items):
        """Store many blobs ({key: data}) at once: for imports and seeding, one sync for all of them.

        Each is written to a temporary file, then one ``os.sync()`` makes them all durable before
        they are renamed into place, so a crash leaves each blob old or new, as put_blob does.
        """
        folder = self.data_dir / "blobs" / _check_name(kind, "blob kind")
        packed = [(self._blob_path(kind, key), gzip.compress(data.encode() if isinstance(data, str) else data,
                                                             compresslevel=BLOB_GZIP_LEVEL, mtime=0))
                  for key, data in items.items()]
        with self.lock:
            self._check_open()
            _make_dir(folder)
            temps = []
            try:
                for path, data in packed:
                    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
                    temps.append(tmp)
                    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
                        file.write(data)
                os.sync()
                self._blob_words(kind, dict.fromkeys(items), forget=True)
                for tmp, (path, _) in zip(temps, packed):
                    os.replace(tmp, path)
            except BaseException:
                for tmp in temps:
                    tmp.unlink(missing_ok=True)
                raise
            _fsync_dir(folder)
            self._blob_words(kind, items)

    def get_blob(self, kind, key):
        """The blob's bytes, or None."""
        path = self._blob_path(kind, key)
        with self.lock:
            self._check_open()
            try:
                file = open(path, "rb")  # noqa: SIM115  (closed by the with below, outside the lock)
            except FileNotFoundError:
                return None
        with file:  # read outside the lock: the open file stays this version even if replaced now
            try:
                return gzip.decompress(file.read())
            except (OSError, EOFError, zlib.error) as e:
                raise StoreError(f"the stored {kind} {key} is damaged: {e}") from e

    def has_blob(self, kind, key):
        """Whether the blob kind/key is stored (without reading it)."""
        path = self._blob_path(kind, key)
        with self.lock:
            self._check_open()
            return path.is_file()

    def delete_blobs(self, key, kinds):
        """Delete the blobs of these kinds stored under key. The kinds are named: each table counts its ids
        from 1, so an application and a reply proposal share a key, and each owns only its own kinds."""
        name = f"{_check_name(str(key), 'blob key')}.gz"
        kinds = {_check_name(kind, "blob kind") for kind in kinds}
        with self.lock:
            self._check_open()
            for folder in self._blob_folders():
                if folder.name in kinds and (folder / name).exists():
                    self._blob_words(folder.name, {key: None}, forget=True)
                    (folder / name).unlink()
                    _fsync_dir(folder)
                    self._blob_words(folder.name, {key: None})

    def blob_keys(self, kind):
        """The keys that have a blob of this kind, sorted."""
        folder = self.data_dir / "blobs" / _check_name(kind, "blob kind")
        with self.lock:
            self._check_open()
            names = _listdir(folder)
        return sorted(n[:-3] for n in names if n.endswith(".gz") and not n.startswith("."))

    def meta(self):
        """What the store holds: schema version, counts, file sizes, backups."""
        with self.lock:
            self._check_open()
            storage = self._storage
            backups = storage.backup_files()
            last = datetime.fromtimestamp(backups[0][1].stat().st_mtime, UTC) if backups else None
            return {
                "schema_version": storage.meta["schema_version"], "generation": storage.meta["gen"],
                "counts": {name: len(self.db.table(name)) for name in sorted(self.db.tables())},
                "journal_records": storage.journal_records,
                "file_sizes": {name: _size(self.data_dir / name) for name in (SNAPSHOT, JOURNAL)},
                "backups": len(backups), "last_backup": last and last.isoformat(), "data_dir": str(self.data_dir),
            }

    # -- helpers -----------------------------------------------------------------------------
    def _check_open(self):
        if self._closed:
            raise StoreError("the store is closed")

    def _change(self, table, doc_id, fields):
        """TinyDB's update of one document (fields: a dict to merge, or a function); a copy of it."""
        with self.lock:
            self._check_open()
            docs = self.db.table(table)
            if not (_is_id(doc_id) and docs.update(fields, doc_ids=[doc_id])):
                raise NotFound(f"no {table} record with id {doc_id}")
            return _copy(docs.get(doc_id=doc_id))

    def _release_folder(self):
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def _blob_path(self, kind, key):
        return self.data_dir / "blobs" / _check_name(kind, "blob kind") / f"{_check_name(str(key), 'blob key')}.gz"

    def _blob_folders(self):
        return [p for p in (self.data_dir / "blobs").iterdir() if p.is_dir()]
