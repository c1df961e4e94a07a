"""The store: Applied's documents in TinyDB, made crash-safe by a journal, snapshots and backups.

Files in the data folder (created 0700; every file 0600):

    .lock                  flock'ed while a companion owns the folder; holds its pid
    applied.json           the snapshot, in TinyDB's layout: {"_meta": {"1": meta}, "<table>": {"<id>": doc}}
    applied.journal        JSON lines on top of the snapshot: a header {"gen": N}, then one line per
                           changed document {"t", "id", "doc"} or deletion {"t", "id", "del"}
    backups/applied-<time>-g<gen>.json   copies of the newest snapshots, one per compaction
    blobs/<kind>/<key>.gz  big fields (a capture's raw page, a posting's description), gzip

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
(``Store.lock``) around every use of TinyDB, an flock so one process owns the folder, an index for
find() on INDEXED_FIELDS, and blobs, kept out of TinyDB so that a status change does not journal a
500 KB page. Callers pass plain Python predicates and get plain dicts they may mutate: only this
module imports tinydb. The snapshot opens with stock ``TinyDB(path, access_mode="r")``.
"""
import bisect
import fcntl
import functools
import gzip
import itertools
import json
import logging
import operator
import os
import re
import secrets
import threading
import zlib
from collections.abc import MutableMapping
from datetime import datetime, timezone
from pathlib import Path

from tinydb import Storage, TinyDB, where
from tinydb.table import Table

from companion.errors import NotFound, StoreError, StoreLocked, ValidationError

log = logging.getLogger("applied.store")

SCHEMA_VERSION = 1
# MIGRATIONS[v](tables) upgrades {table: {"<id>": doc}} from schema v to v + 1, in place.
MIGRATIONS = {}
# find() looks these up through an index: finding by URL is the hottest path in Applied.
# ids() and count_by() read them too: applications by status, contacts by the applications they are linked to.
INDEXED_FIELDS = ("url", "capture_id", "capture_ids", "status", "application_ids")
JOURNAL_MAX_BYTES = 8 * 1024 * 1024
# On a 500 KB job page, level 3 saves 87% of what gzip's default (6) saves, in a quarter of the time.
BLOB_GZIP_LEVEL = 3
SNAPSHOT, JOURNAL = "applied.json", "applied.journal"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # tables, blob kinds and keys: safe file names
_BACKUP = re.compile(r"applied-(\d{8}T\d{12}Z)-g(\d+)\.json(\.gz)?")
# Backups are gzip'ed snapshots: a JSON store compresses about 8 to 1, and level 1 is fast enough
# to run in the background at 50,000 applications.
BACKUP_GZIP_LEVEL = 1
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
_CONTAINERS = (dict, list)
_datasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync
_MISSING = object()


class _Corrupt(Exception):
    """A snapshot or backup that cannot be read as one."""


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

    def version(self, table):
        """A number that changes whenever the table changes (for caches of what is computed from it)."""
        with self.lock:
            return self._storage.versions.get(table, 0)

    def cached(self, name, tables, compute):
        """compute()'s answer, kept until one of tables changes: for summaries of whole tables.

        compute runs without the lock (other requests go on); an answer computed while a table
        changed is kept under the older versions, so the next call computes again."""
        with self.lock:
            versions = tuple(self._storage.versions.get(t, 0) for t in tables)
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

    def index(self, table, name, *, lo=None, hi=None, reverse=False, offset=0, limit=None):
        """(entries with lo <= key < hi, [(key, id)] of the page [offset:offset+limit] of them).

        In key order, then by id; with reverse, keys descending and ids ascending within a key
        (the order search() gives with a sort_key and reverse=True). Nothing is copied."""
        _check_page(offset, limit)
        with self.lock:
            self._check_open()
            index = self._ordered(table, name)
            end = None if limit is None else offset + limit
            return index.count(lo, hi), list(itertools.islice(index.iterate(lo, hi, reverse=reverse), offset, end))

    def index_docs(self, table, name, *, lo=None, hi=None, reverse=False, where=None, offset=0, limit=None):
        """(number of documents, copies of the page) in the index's order, each document once
        (at its first key), keeping those whose id is in ``where`` (a set) when given."""
        _check_page(offset, limit)
        with self.lock:
            self._check_open()
            index, docs = self._ordered(table, name), self.db.table(table)._read_table()
            seen, page, total, end = set(), [], 0, None if limit is None else offset + limit
            # Over the whole index, the total is known without walking it: stop once the page is full.
            known = None
            if lo is None and hi is None:
                known = index.documents if where is None else sum(1 for i in where if index.by_id.get(i))
            for _, doc_id in index.iterate(lo, hi, reverse=reverse):
                if doc_id in seen or (where is not None and doc_id not in where):
                    continue
                seen.add(doc_id)
                if offset <= total and (end is None or total < end):
                    page.append(_copy(docs[str(doc_id)]))
                total += 1
                if known is not None and end is not None and total >= end:
                    break
            return (total if known is None else known), page

    def _ordered(self, table, name):
        try:
            return self._storage.ordered[table][name].fresh()
        except KeyError:
            raise ValueError(f"no index {name!r} on {table}: add_index() it first") from None

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
            _write_atomic(path, packed)

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
                for tmp, (path, _) in zip(temps, packed):
                    os.replace(tmp, path)
            except BaseException:
                for tmp in temps:
                    tmp.unlink(missing_ok=True)
                raise
            _fsync_dir(folder)

    def get_blob(self, kind, key):
        """The blob's bytes, or None."""
        path = self._blob_path(kind, key)
        with self.lock:
            self._check_open()
            try:
                file = open(path, "rb")
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

    def delete_blobs(self, key):
        """Delete the blobs of every kind stored under key."""
        name = f"{_check_name(str(key), 'blob key')}.gz"
        with self.lock:
            self._check_open()
            for folder in self._blob_folders():
                if (folder / name).exists():
                    (folder / name).unlink()
                    _fsync_dir(folder)

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
            last = datetime.fromtimestamp(backups[0][1].stat().st_mtime, timezone.utc) if backups else None
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


class JournaledStorage(Storage):
    """TinyDB's storage for the store: the database in memory, each change journaled and fsynced.

    Unlike TinyDB's Storage.write, which is given the whole database, write() is given only what
    changed, in the same layout: {table: {"<id>": document, or None for a deleted one}}.
    """

    def __init__(self, data_dir, *, backups=5, compact_after=2000, schema_version=SCHEMA_VERSION,
                 migrations=MIGRATIONS, lock=None, background=False):
        super().__init__()
        self.data_dir = Path(data_dir)
        self._backups, self._compact_after = backups, compact_after
        self.tables = {}  # TinyDB's layout, {table: {"<id>": doc}}; a doc is replaced on change, never mutated
        self.meta = {}  # {"schema_version", "gen", "next_ids": {table: id}, "written_at"}
        self._index = {}  # table -> field -> value -> {ids}
        self.ordered = {}  # table -> name -> OrderedIndex
        self.versions = {}  # table -> how many writes changed it since the store was opened
        self._journal_fd = None
        self.journal_records = self._journal_bytes = 0
        # Snapshots in a background thread: it takes the lock to copy the tables' dicts (their
        # documents are never changed in place) and to swap files, and writes without it.
        self.lock = lock or threading.RLock()
        self._background = background
        self._snapshotter = None
        self._wake = threading.Event()
        self._stopping = False
        self.snapshot_failures = 0
        try:
            self._open(schema_version, migrations)
        except BaseException:
            self._close_journal()
            raise

    def read(self):
        """The live database: TinyDB reads it as it is, so it must only read it."""
        return self.tables

    def write(self, data):
        """Journal the changed documents in data, fsync, then apply them in memory."""
        lines, changes = [], []
        for table, docs in data.items():
            _check_name(table, "table")
            for key, doc in docs.items():
                doc_id = int(key)
                if doc is None:
                    lines.append(b'{"t":"%s","id":%d,"del":1}\n' % (table.encode(), doc_id))
                    changes.append((table, doc_id, None))
                    continue
                try:
                    body = _ENCODER.encode({**doc, "id": doc_id}).encode()
                except (TypeError, ValueError) as e:
                    raise ValidationError(f"cannot store this {table} record: {e}") from None
                lines.append(b'{"t":"%s","id":%d,"doc":%s}\n' % (table.encode(), doc_id, body))
                changes.append((table, doc_id, body))
        if not lines:
            return
        self._append(b"".join(lines), len(lines))
        for table, doc_id, body in changes:
            docs = self.tables.setdefault(table, {})
            self.versions[table] = self.versions.get(table, 0) + 1
            self._index_doc(table, docs.get(str(doc_id)), add=False)
            ordered = self.ordered.get(table, {}).values()
            if body is None:
                docs.pop(str(doc_id), None)
                for index in ordered:
                    index.remove(doc_id)
                continue
            stored = docs[str(doc_id)] = json.loads(body)  # as a reopen will read it (tuples as lists...)
            self._index_doc(table, stored, add=True)
            for index in ordered:
                index.put(stored)
            next_ids = self.meta["next_ids"]
            next_ids[table] = max(next_ids.get(table, 1), doc_id + 1)
        # Only now: no snapshot may hold a new document with the next id still pointing at it.
        self._compact_if_due()

    def close(self):
        """Fold the journal into a snapshot (on failure the journal keeps every change) and close it."""
        self.stop_snapshots()
        try:
            if self._journal_fd is not None and self.journal_records:
                self._compact()
        except OSError:  # every change is in the journal: the next open replays it
            log.exception("could not write a snapshot on close; the journal keeps every change")
        finally:
            self._close_journal()

    def next_id(self, table):
        """The id the next new document in table gets: above every id it ever held."""
        return self.meta["next_ids"].get(table, 1)

    def lookup(self, table, field, value):
        """The ids, sorted, of the documents whose indexed field equals (or, a list, holds) value."""
        return sorted(self._index.get(table, {}).get(field, {}).get(value, ()))

    def value_counts(self, table, field):
        """{value: how many documents hold it} for an indexed field."""
        return {value: len(ids) for value, ids in self._index.get(table, {}).get(field, {}).items()}

    def backup_files(self):
        """[(generation, path)] of the backups, newest first."""
        folder = self.data_dir / "backups"
        found = [(int(m[2]), m[1], folder / m[0]) for m in map(_BACKUP.fullmatch, _listdir(folder)) if m]
        return [(gen, path) for gen, _, path in sorted(found, reverse=True)]

    # -- the journal and snapshots -----------------------------------------------------------
    def _append(self, lines, count):
        try:
            if self._journal_fd is None:  # a compaction wrote its snapshot but could not start this
                self._start_journal()
            _write_all(self._journal_fd, lines)
            _datasync(self._journal_fd)
        except OSError as e:
            try:  # so that the next line does not follow half of this one
                if self._journal_fd is not None:
                    os.ftruncate(self._journal_fd, self._journal_bytes)
            except OSError:
                pass
            raise StoreError(f"could not save the change ({e.strerror or e}); nothing was changed") from e
        self.journal_records += count
        self._journal_bytes += len(lines)

    def _snapshot_due(self):
        return self.journal_records >= self._compact_after or self._journal_bytes >= JOURNAL_MAX_BYTES

    def _compact_if_due(self):
        if self._snapshot_due():
            if self._background:
                self._start_snapshots()
                self._wake.set()
                return
            try:
                self._compact()
            except OSError:  # the change that got us here is in the journal, so it still succeeded
                log.exception("could not write a new snapshot; will try again on the next change")

    def _compact(self):
        """Write a new snapshot and a backup of it, then start an empty journal on top of them."""
        # Above every backup's too: a crash mid-compaction can leave a backup ahead of the snapshot.
        gen = max([self.meta["gen"], *(g for g, _ in self.backup_files())]) + 1
        meta = {**self.meta, "gen": gen, "written_at": _now().isoformat()}
        os.replace(self._write_snapshot(meta, self.tables), self.data_dir / SNAPSHOT)
        _fsync_dir(self.data_dir)
        self.meta = meta
        # Appending to the old journal now would lose changes (its generation says "already in
        # the snapshot"), so from here until the new one is open, _append starts it first.
        self._close_journal()
        self._start_journal()
        self._prune_backups()

    def _write_snapshot(self, meta, tables):
        """A durable temporary file holding the snapshot of tables, and its gzip'ed backup in place.

        Written a few hundred documents at a time, straight to the files: encoding the whole
        database in one call would hold Python's GIL (every request waits) and its bytes twice.
        The backup is renamed into place first: whichever a crash interrupts, the other is whole.
        """
        path = self.data_dir / SNAPSHOT
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        backup = backup_tmp = None
        if self._backups:
            stamp = _now().strftime("%Y%m%dT%H%M%S%fZ")
            backup = self.data_dir / "backups" / f"applied-{stamp}-g{meta['gen']}.json.gz"
            backup_tmp = backup.with_name(f".{backup.name}.{secrets.token_hex(4)}.tmp")
        try:
            with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as plain, \
                    (open(os.open(backup_tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
                     if backup else open(os.devnull, "wb")) as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=BACKUP_GZIP_LEVEL, mtime=0) as packed:
                for chunk in _snapshot_chunks(meta, tables):
                    plain.write(chunk)
                    if backup:
                        packed.write(chunk)
                plain.flush()
                os.fsync(plain.fileno())
                packed.close()
                if backup:
                    raw.flush()
                    os.fsync(raw.fileno())
            if backup:
                os.replace(backup_tmp, backup)
                _fsync_dir(backup.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            if backup_tmp:
                backup_tmp.unlink(missing_ok=True)
            raise
        return tmp

    # -- snapshots in the background ------------------------------------------------------------
    def _start_snapshots(self):
        if self._snapshotter is None and not self._stopping:
            self._snapshotter = threading.Thread(target=self._snapshot_loop, name="applied-snapshots", daemon=True)
            self._snapshotter.start()

    def _snapshot_loop(self):
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                with self.lock:
                    due = self._snapshot_due()
                if due:
                    self.snapshot()
            except Exception:  # every change is in the journal: the next one wakes us to try again
                self.snapshot_failures += 1
                log.exception("could not write a new snapshot in the background; the journal keeps every change")

    def stop_snapshots(self):
        """Stop the background snapshots (a snapshot being written is finished first). Call without the lock."""
        self._stopping = True
        self._wake.set()
        if self._snapshotter is not None and self._snapshotter is not threading.current_thread():
            self._snapshotter.join()

    def snapshot(self):
        """Fold the journal into a new snapshot and backup, holding the lock only to copy and to swap.

        Under the lock it copies the tables' dicts (documents are replaced on change, never changed
        in place, so the copies are the database at this moment) and notes how many journal records
        they hold; it encodes and writes the snapshot without the lock, while changes go on into the
        journal; then, under the lock again, it renames the snapshot into place and starts a journal
        on top of it with the records written meanwhile. The snapshot names the journal and the
        number of its records it holds ("folded"), so that a crash between the two renames replays
        only the rest of that journal.
        """
        with self.lock:
            if self._journal_fd is None or not self.journal_records:
                return False
            view = {table: dict(docs) for table, docs in self.tables.items()}
            base_gen, folded_records, folded_bytes = self.meta["gen"], self.journal_records, self._journal_bytes
            gen = max([base_gen, *(g for g, _ in self.backup_files())]) + 1
            meta = {**self.meta, "next_ids": dict(self.meta["next_ids"]), "gen": gen,
                    "written_at": _now().isoformat(), "folded": [base_gen, folded_records]}
        temps = [self._write_snapshot(meta, view)]
        del view
        try:
            with self.lock:
                if self.meta["gen"] != base_gen or self._journal_fd is None:
                    return False  # compacted in the meantime (on close, or after a failed append)
                tail = os.pread(self._journal_fd, self._journal_bytes - folded_bytes, folded_bytes)
                temps.append(_write_temp(self.data_dir / JOURNAL, b'{"gen":%d}\n' % gen + tail))
                os.replace(temps[0], self.data_dir / SNAPSHOT)
                os.replace(temps[1], self.data_dir / JOURNAL)
                _fsync_dir(self.data_dir)
                records = self.journal_records - folded_records
                self.meta = {**self.meta, "gen": gen, "written_at": meta["written_at"]}
                self._close_journal()
                self._open_journal()
                self.journal_records = records
                self._prune_backups()
            return True
        finally:
            for tmp in temps:
                tmp.unlink(missing_ok=True)

    def _start_journal(self):
        """An empty journal on top of the current snapshot, open for appending."""
        _write_atomic(self.data_dir / JOURNAL, b'{"gen":%d}\n' % self.meta["gen"])
        self._open_journal()

    def _prune_backups(self):
        for _, old in self.backup_files()[self._backups:]:
            old.unlink(missing_ok=True)

    def _open_journal(self):
        self._journal_fd = os.open(self.data_dir / JOURNAL, os.O_RDWR | os.O_APPEND)  # read: see snapshot()
        self._journal_bytes = os.fstat(self._journal_fd).st_size
        self.journal_records = 0

    def _close_journal(self):
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None

    # -- opening -----------------------------------------------------------------------------
    def _open(self, schema_version, migrations):
        _make_dir(self.data_dir / "backups")
        _remove_temp_files([self.data_dir, self.data_dir / "backups"])
        tables, meta, source = self._load_base()
        journal_clean = self._replay_journal(tables, meta)
        version = meta["schema_version"]
        if version > schema_version:
            raise StoreError(f"{self.data_dir} was written by a newer Applied (schema {version}; this one "
                             f"knows up to {schema_version}): upgrade Applied to open it")
        for v in range(version, schema_version):
            log.info("migrating the store from schema %d to %d", v, v + 1)
            migrations[v](tables)
        meta["schema_version"] = schema_version
        meta.pop("folded", None)
        self.tables, self.meta = tables, meta
        for table, docs in tables.items():
            for doc in docs.values():
                self._index_doc(table, doc, add=True)
        if source == "snapshot" and journal_clean and version == schema_version:
            self._open_journal()
            self._prune_backups()  # one too many if a crash came between a backup and its pruning
        else:  # start again from a whole snapshot, a fresh backup and an empty journal
            self._compact()

    def _load_base(self):
        """(tables, meta, source): the snapshot, else the newest valid backup, else empty."""
        path = self.data_dir / SNAPSHOT
        try:
            return *_read_snapshot(path), "snapshot"
        except FileNotFoundError:
            problem = "is missing"
        except _Corrupt as e:
            problem = f"is damaged ({e})"
        backups = self.backup_files()
        if not backups and not path.exists():
            return {}, _new_meta(), "new"
        for _, backup in backups:
            try:
                tables, meta = _read_snapshot(backup)
            except (_Corrupt, OSError) as e:
                # Renamed, so that it is neither taken for a good backup later nor pruned.
                log.warning("backup %s is unreadable too (%s); kept as %s, trying an older one",
                            backup.name, e, _set_aside(backup, "corrupt").name)
                continue
            kept = f"; the damaged file is kept as {_set_aside(path, 'corrupt').name}" if path.exists() else ""
            log.warning("%s %s: recovered from backup %s (generation %d)%s",
                        path, problem, backup.name, meta["gen"], kept)
            return tables, meta, "backup"
        kept = f"; the damaged file is kept as {_set_aside(path, 'corrupt').name}" if path.exists() else ""
        log.error("%s %s and no valid backup exists: starting an empty store%s", path, problem, kept)
        return {}, _new_meta(), "empty"

    def _replay_journal(self, tables, meta):
        """Apply the journal's changes if it extends meta's generation.

        True when the journal can simply be appended to: it extends this generation and holds
        nothing yet. A torn last line (a crash mid-write) is skipped with a warning.
        """
        path = self.data_dir / JOURNAL
        try:
            header, *lines = path.read_bytes().split(b"\n")
        except FileNotFoundError:
            return False
        gen, records = (_parse(header) or {}).get("gen"), [line for line in lines if line]
        if type(gen) is not int:
            log.error("%s has no valid header; kept as %s", path, _set_aside(path, "damaged").name)
            return False
        skip = 0
        if gen < meta["gen"]:
            folded = meta.get("folded")
            if not (isinstance(folded, list) and folded[0] == gen):
                return False  # a crash during a compaction: these lines are in the snapshot
            # A crash during a background snapshot, after its rename: the first records are in it.
            skip, records = folded[1], records[folded[1]:]
        if gen > meta["gen"]:
            if records:
                log.error("%s extends a snapshot that is lost: its %d changes are not applied; kept as %s",
                          path, len(records), _set_aside(path, "orphan").name)
            return False
        for n, line in enumerate(records):
            record = _parse(line)
            if not (record and isinstance(record.get("t"), str) and _NAME.fullmatch(record["t"])
                    and type(record.get("id")) is int and ("del" in record or type(record.get("doc")) is dict)):
                if n == len(records) - 1:
                    log.warning("%s: ignored a torn last record (Applied stopped mid-write)", path)
                else:
                    log.error("%s is damaged at record %d: the %d records after it are not applied; kept as %s",
                              path, skip + n + 1, len(records) - n - 1, _set_aside(path, "damaged").name)
                return False
            docs, doc_id = tables.setdefault(record["t"], {}), record["id"]
            if "del" in record:
                docs.pop(str(doc_id), None)
            else:
                docs[str(doc_id)] = {**record["doc"], "id": doc_id}
                ids = meta["next_ids"]
                ids[record["t"]] = max(ids.get(record["t"], 1), doc_id + 1)
        return not records and not skip

    def _index_doc(self, table, doc, *, add):
        if doc is None:
            return
        for field, index in self._index.setdefault(table, {f: {} for f in INDEXED_FIELDS}).items():
            value = doc.get(field, _MISSING)
            # A list is indexed under each of its items: see find().
            for key in (value if type(value) is list else () if value is _MISSING else (value,)):
                if isinstance(key, _CONTAINERS):
                    continue
                if add:
                    index.setdefault(key, set()).add(doc["id"])
                elif key in index:
                    index[key].discard(doc["id"])
                    if not index[key]:
                        del index[key]


class OrderedIndex:
    """Documents of one table in the order of keys computed from them, kept current on every write.

    ``keys(doc, value)`` gives any number of sort keys for a stored document (all mutually
    comparable: tuples of str, say); ``value`` is what ``signature()`` answered when the index was
    last built (None without one). The index holds sorted (key, id) pairs; a read first asks
    ``signature()`` again and rebuilds everything when its answer changed, so that keys may depend
    on things outside the document, such as settings stored in another table.
    """

    def __init__(self, docs, keys, signature):
        self._docs, self._keys, self._signature = docs, keys, signature
        self.value, self.entries, self.by_id, self.built = None, [], {}, False
        self.documents = 0  # how many documents have at least one key

    def fresh(self):
        """Rebuild if the signature changed (or it was never built); call under the store's lock."""
        value = self._signature() if self._signature else None
        if not self.built or value != self.value:
            self.value, self.by_id, entries = value, {}, []
            for doc in self._docs().values():
                found = self.by_id[doc["id"]] = self._keys_of(doc)
                entries += [(key, doc["id"]) for key in found]
            entries.sort()
            self.entries, self.built = entries, True
            self.documents = sum(1 for found in self.by_id.values() if found)
        return self

    def _keys_of(self, doc):
        try:
            return list(self._keys(doc, self.value))
        except Exception:
            log.exception("could not index %s %s; it is left out of the index", type(self).__name__, doc.get("id"))
            return []

    def put(self, doc):
        if self.built:
            self.remove(doc["id"])
            found = self.by_id[doc["id"]] = self._keys_of(doc)
            self.documents += bool(found)
            for key in found:
                bisect.insort(self.entries, (key, doc["id"]))

    def remove(self, doc_id):
        found = self.by_id.pop(doc_id, ())
        self.documents -= bool(found)
        for key in found:
            at = bisect.bisect_left(self.entries, (key, doc_id))
            if at < len(self.entries) and self.entries[at] == (key, doc_id):
                del self.entries[at]

    def _bounds(self, lo, hi):
        entries = self.entries
        start = 0 if lo is None else bisect.bisect_left(entries, (lo,))
        return start, max(start, len(entries) if hi is None else bisect.bisect_left(entries, (hi,)))

    def count(self, lo=None, hi=None):
        start, end = self._bounds(lo, hi)
        return end - start

    def iterate(self, lo=None, hi=None, *, reverse=False):
        """(key, id) with lo <= key < hi, by key then id; keys descending when reverse, but ids still
        ascending within one key, as a stable sort with reverse=True orders them. Read under the lock."""
        entries = self.entries
        start, end = self._bounds(lo, hi)
        if not reverse:
            yield from entries[start:end]
            return
        while end > start:
            run = max(start, bisect.bisect_left(entries, (entries[end - 1][0],), start, end))
            yield from entries[run:end]
            end = run


class _NoQueryCache(dict):
    """A query cache that keeps nothing, so that every search runs its condition."""

    def __init__(self, capacity=None):
        super().__init__()

    def __setitem__(self, condition, results):
        pass


class JournaledTable(Table):
    """TinyDB's Table, writing only the documents a change touches and never reusing an id."""

    query_cache_class = _NoQueryCache  # see the module's docstring (3)

    def _get_next_id(self):
        # self._next_id: ids handed out during this change (insert_multiple), not yet stored.
        doc_id = max(self._storage.next_id(self.name), self._next_id or 1)
        self._next_id = doc_id + 1
        return doc_id

    def _update_table(self, updater):
        staged = _Staged(self._read_table())
        try:
            updater(staged)
            self._storage.write({self.name: staged.changes()})
        except BaseException:
            self._next_id = None  # so that the ids of documents not stored are given again
            raise
        finally:
            self.clear_cache()


class Database(TinyDB):
    """TinyDB with journaled tables. Use it under Store.lock, and write through the Store."""

    table_class = JournaledTable

    def drop_table(self, name):
        raise NotImplementedError("the store journals documents, not tables: delete the documents instead")

    def drop_tables(self):
        raise NotImplementedError("the store journals documents, not tables: delete the documents instead")


class _Staged(MutableMapping):
    """One table as TinyDB's updaters see it, {id: doc}, staging their changes on copies."""

    def __init__(self, docs):
        self._docs = docs  # the live table, {"<id>": doc}: never changed here
        self._staged = {}  # id -> the new document, or None if deleted

    def __getitem__(self, doc_id):
        if doc_id not in self._staged:
            self._staged[doc_id] = _copy(self._docs[str(doc_id)])  # TinyDB may change what it gets
        doc = self._staged[doc_id]
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def __setitem__(self, doc_id, doc):
        self._staged[doc_id] = doc

    def __delitem__(self, doc_id):
        if doc_id not in self:
            raise KeyError(doc_id)
        self._staged[doc_id] = None

    def __contains__(self, doc_id):
        if doc_id in self._staged:
            return self._staged[doc_id] is not None
        return str(doc_id) in self._docs

    def __iter__(self):
        for key in list(self._docs):
            if self._staged.get(int(key), True) is not None:
                yield int(key)
        for doc_id, doc in list(self._staged.items()):
            if doc is not None and str(doc_id) not in self._docs:
                yield doc_id

    def __len__(self):
        return sum(1 for _ in self)

    def changes(self):
        """{"<id>": new doc, or None if deleted} for the documents that differ from the stored ones."""
        changed = {}
        for doc_id, doc in self._staged.items():
            stored = self._docs.get(str(doc_id))
            if doc is None:
                if stored is not None:
                    changed[str(doc_id)] = None
            # Unchanged: only read (as update(cond) reads every document to test it).
            elif stored is None or not _same_json({**doc, "id": doc_id}, stored):
                changed[str(doc_id)] = {**doc, "id": doc_id}
        return changed

    def clear(self):  # MutableMapping's would take one pass over the table per document
        for doc_id in list(self):
            self._staged[doc_id] = None


def _swap(doc, new):
    """A TinyDB update function that makes new the whole content of doc."""
    doc.clear()
    doc.update(new)


def _matches(value, wanted):
    """The one equality rule of find(), the same whether a field is indexed or scanned."""
    return value == wanted or (type(value) is list and wanted in value)


def _same_json(doc, stored):
    # == alone would take True for 1; the JSON tells them apart.
    try:
        return doc == stored and _ENCODER.encode(doc) == _ENCODER.encode(stored)
    except (TypeError, ValueError):
        return False


def _read_snapshot(path):
    """(tables, meta) from a snapshot or backup file; _Corrupt if it is not a whole one."""
    raw = path.read_bytes()
    try:
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        tables = json.loads(raw)
        meta = tables.pop("_meta")["1"]
        if not (type(meta["schema_version"]) is int and type(meta["gen"]) is int):
            raise ValueError("no schema version or generation")
        next_ids = meta.setdefault("next_ids", {})
        for name, docs in tables.items():
            if not (_NAME.fullmatch(name) and type(docs) is dict):
                raise ValueError(f"{name!r} is not a table")
            top = 0
            for key, doc in docs.items():
                if not (type(doc) is dict and type(doc.get("id")) is int and str(doc["id"]) == key):
                    raise ValueError(f"a {name} record is not a document with its id")
                top = max(top, doc["id"])
            # Ids are never reused, whatever the meta says.
            next_ids[name] = max(next_ids.get(name, 1), top + 1)
    except (ValueError, KeyError, TypeError, AttributeError, OSError, EOFError, zlib.error) as e:
        raise _Corrupt(str(e) or type(e).__name__) from None
    return tables, meta


def _new_meta():
    return {"schema_version": SCHEMA_VERSION, "gen": 0, "next_ids": {}}


def _parse(line):
    """The JSON object on a journal line, or None."""
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if type(value) is dict else None


def _copy(doc):
    """A plain-dict copy of a stored document (or a TinyDB Document), or None."""
    if doc is None:
        return None
    return {k: _clone(v) if type(v) in _CONTAINERS else v for k, v in doc.items()}


def _clone(value):
    """A copy of a JSON structure; cheaper than copy.deepcopy, which must track cycles."""
    if type(value) is dict:
        return {k: _clone(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if type(value) is list:
        return [_clone(v) if type(v) in _CONTAINERS else v for v in value]
    return value


def _check_page(offset, limit):
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError("offset and limit must not be negative")


def _is_id(doc_id):
    # TinyDB looks documents up by str(doc_id): without this, get(table, "3") would find id 3.
    return type(doc_id) is int


def _check_doc(doc):
    if not isinstance(doc, dict):
        raise ValidationError(f"a record must be an object, not {type(doc).__name__}")


def _check_name(name, what):
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationError(f"invalid {what} {name!r}: use letters, digits, '.', '_' and '-'")
    return name


def _now():
    return datetime.now(timezone.utc)


def _listdir(folder):
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _size(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _make_dir(path):
    # mode applies to the folder this creates (its parents get the usual one); an existing
    # folder keeps the mode its owner chose.
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        _fsync_dir(path.parent)  # so that the new folder survives a power cut with its files


def _lock_folder(folder):
    """A descriptor holding an exclusive flock on folder/.lock; StoreLocked if another holds it."""
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a second companion should say so, not hang
    except BlockingIOError:
        pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        who = f" (pid {pid})" if pid.isdigit() else ""
        raise StoreLocked(f"another Applied companion is already using {folder}{who}; stop it first") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _snapshot_chunks(meta, tables, size=500):
    """The bytes of {"_meta": {"1": meta}, **tables} as one compact JSON document, a few at a time."""
    encode = _ENCODER.encode
    yield b'{"_meta":{"1":%s}' % encode(meta).encode()
    for name, docs in tables.items():
        yield b',%s:{' % encode(name).encode()
        items = list(docs.items())
        for start in range(0, len(items), size):
            part = ",".join(f"{encode(key)}:{encode(doc)}" for key, doc in items[start:start + size])
            yield (part if start == 0 else "," + part).encode()
        yield b"}"
    yield b"}"


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_temp(path, data):
    """A durable temporary file beside path holding data, to be renamed over it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    return tmp


def _write_atomic(path, data):
    """Replace path with data, so that a crash leaves either the old file or the new one."""
    os.replace(_write_temp(path, data), path)
    _fsync_dir(path.parent)  # makes the rename itself durable


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_temp_files(folders):
    """Delete temp files left by a crash mid-write; safe, as we hold the folder's lock."""
    for folder in folders:
        for name in _listdir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                (folder / name).unlink(missing_ok=True)


def _set_aside(path, why):
    """Rename a file we will not use, so that nothing is lost; return its new path."""
    aside = path.with_name(f"{path.name}.{why}-{_now().strftime('%Y%m%dT%H%M%S%fZ')}")
    os.replace(path, aside)
    return aside
