"""TinyDB's Storage for the store: the database in memory, a journal, snapshots and backups."""
import collections
import contextlib
import gc
import gzip
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
import zlib
from pathlib import Path

from tinydb import Storage

try:
    import msgspec
except ImportError:  # a dependency, but the store opens without it (the standard library's JSON, slower)
    msgspec = None

from companion.errors import StoreError, ValidationError

from .documents import _ENCODER, _NAME, _check_name
from .files import (_datasync, _fsync_dir, _listdir, _make_dir, _now, _remove_temp_files,
                    _set_aside, _write_all, _write_atomic, _write_temp)
from .indexes import INDEXED_FIELDS, ids_of, index_document

log = logging.getLogger("applied.store")

SCHEMA_VERSION = 2
_STAND_IN = "https://import.invalid/"


def _import_keys(tables):
    """1 → 2: an application imported without an address was stored under a stand-in URL on the
    reserved .invalid name (https://import.invalid/<kind>/<key>); that is now its import_key, and
    the application has no address, like one logged by hand."""
    for doc in tables.get("applications", {}).values():
        if isinstance(doc.get("url"), str) and doc["url"].startswith(_STAND_IN):
            doc["import_key"] = doc["url"][len(_STAND_IN):]
            doc["url"] = doc["source_url"] = None
        if isinstance(doc.get("urls"), list):
            doc["urls"] = [u for u in doc["urls"] if not (isinstance(u, str) and u.startswith(_STAND_IN))]


# MIGRATIONS[v](tables) upgrades {table: {"<id>": doc}} from schema v to v + 1, in place.
MIGRATIONS = {1: _import_keys}
JOURNAL_MAX_BYTES = 8 * 1024 * 1024
CHANGELOG = 256  # changes remembered per table: see JournaledStorage.changes
SNAPSHOT, JOURNAL = "applied.json", "applied.journal"
_BACKUP = re.compile(r"applied-(\d{8}T\d{12}Z)-g(\d+)\.json(\.gz)?")
# Backups are gzip'ed snapshots: a JSON store compresses about 8 to 1, and level 1 is fast enough
# to run in the background at 50,000 applications.
BACKUP_GZIP_LEVEL = 1


class _Corrupt(Exception):
    """A snapshot or backup that cannot be read as one."""


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
        self._index = {}  # table -> field -> value -> id, or {ids} when several hold it (see indexes.py)
        self.ordered = {}  # table -> name -> OrderedIndex
        self.words = {}  # table -> name -> WordIndex (see words.py)
        self.versions = {}  # table -> how many documents writes changed in it since the store was opened
        # table -> the latest changes, (version, id, old doc or None, new doc or None): what
        # summaries kept per version need to catch up (the old documents stay only this long).
        self.changelog = {}
        self._journal_fd = None
        self.journal_records = self._journal_bytes = 0
        self._deferring = threading.local()  # .depth: this thread is inside deferred_sync()
        self._unsynced = False  # journal lines written and not yet fsynced (only inside deferred_sync)
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
        applied = []
        for table, doc_id, body in changes:
            docs = self.tables.setdefault(table, {})
            version = self.versions[table] = self.versions.get(table, 0) + 1
            old = docs.get(str(doc_id))
            equality = table in self._index  # made (see equality()): kept current from then on
            if equality:
                index_document(self._index, table, old, add=False)
            ordered = self.ordered.get(table, {}).values()
            log_ = self.changelog.get(table)
            if log_ is None:
                log_ = self.changelog[table] = collections.deque(maxlen=CHANGELOG)
            if body is None:
                docs.pop(str(doc_id), None)
                for index in ordered:
                    index.remove(doc_id)
                log_.append((version, doc_id, old, None))
                applied.append((table, doc_id, None))
                continue
            stored = docs[str(doc_id)] = json.loads(body)  # as a reopen will read it (tuples as lists...)
            log_.append((version, doc_id, old, stored))
            if equality:
                index_document(self._index, table, stored, add=True)
            for index in ordered:
                index.put(stored)
            applied.append((table, doc_id, stored))
            next_ids = self.meta["next_ids"]
            next_ids[table] = max(next_ids.get(table, 1), doc_id + 1)
        self._index_words(applied)
        # Only now: no snapshot may hold a new document with the next id still pointing at it.
        self._compact_if_due()

    def _index_words(self, applied):
        """Keep the word indexes of the changed tables (one SQLite transaction for the lot). They are
        not the record: one that cannot be written is set aside (searches scan) until the next start."""
        indexes = [(table, index) for table in dict.fromkeys(t for t, _, _ in applied)
                   for index in self.words.get(table, {}).values()]
        if not indexes:
            return
        try:
            with indexes[0][1].transaction():
                for table, index in indexes:
                    for changed, doc_id, stored in applied:
                        if changed == table and stored is not None:
                            index.put(stored)
                        elif changed == table:
                            index.remove(doc_id)
        except sqlite3.Error:
            log.exception("could not update the word index; searches read the records until the next start")
            for _, index in indexes:
                index.complete = False

    @contextlib.contextmanager
    def deferred_sync(self):
        """This thread's writes inside share one fsync, at the end (see Store.batch)."""
        self._deferring.depth = getattr(self._deferring, "depth", 0) + 1
        try:
            yield
        finally:
            self._deferring.depth -= 1
            if not self._deferring.depth:
                with self.lock:
                    if self._unsynced and self._journal_fd is not None:
                        try:
                            _datasync(self._journal_fd)
                        except OSError as e:
                            raise StoreError(f"could not save the changes ({e.strerror or e})") from e
                        self._unsynced = False

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
        return sorted(ids_of(self.equality(table)[field].get(value)))

    def changes(self, table, since):
        """[(id, old, new)] of the changes to table after version ``since``, oldest first; None
        when the log does not reach back that far."""
        if since == self.versions.get(table, 0):
            return []
        log_ = self.changelog.get(table)
        if not log_ or log_[0][0] > since + 1:
            return None
        return [(doc_id, old, new) for version, doc_id, old, new in log_ if version > since]

    def value_counts(self, table, field):
        """{value: how many documents hold it} for an indexed field."""
        return {value: len(ids_of(ids)) for value, ids in self.equality(table)[field].items()}

    def equality(self, table):
        """The equality indexes of a table ({field: {value: ids}}), made when first read rather than when the
        store opens: the first answer after a start waits for none of them (0.2-0.3 s at 50,000 applications),
        and the warm-up reads them next (Store.prepare_indexes). Called under the store's lock."""
        fields = self._index.get(table)
        if fields is None:
            fields = self._index[table] = {field: {} for field in INDEXED_FIELDS}
            for doc in self.tables.get(table, {}).values():
                index_document(self._index, table, doc, add=True)
        return fields

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
            if getattr(self._deferring, "depth", 0):
                self._unsynced = True  # made durable when this thread's deferred_sync() ends
            else:
                _datasync(self._journal_fd)  # with any lines a batch in another thread has not synced yet
                self._unsynced = False
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
        # Loading makes millions of objects, none of them garbage: without this, the garbage
        # collector walks the growing heap again and again (half the time of opening 50,000).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load(schema_version, migrations)
        finally:
            if collecting:
                gc.enable()

    def _load(self, schema_version, migrations):
        _make_dir(self.data_dir / "backups")
        _remove_temp_files([self.data_dir, self.data_dir / "backups"])
        tables, meta, source = self._load_base()
        if source == "new":
            meta["schema_version"] = schema_version  # a new folder is at the schema of the store making it
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
        self.tables, self.meta = tables, meta  # the equality indexes are made when first read: see equality()
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


def _read_snapshot(path):
    """(tables, meta) from a snapshot or backup file; _Corrupt if it is not a whole one."""
    raw = path.read_bytes()  # FileNotFoundError is not damage: the caller says "missing"
    try:
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        tables = _loads(raw)
        del raw
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


def _loads(raw):
    """The JSON document in ``raw`` (bytes). msgspec's decoder reads a snapshot in two thirds of the time the
    standard library's takes (0.3 s less of a start at 50,000 applications); what it refuses and JSON allows
    (a lone surrogate in a string, a number past a double's range) is read by the standard library's."""
    if msgspec is not None:
        try:
            return msgspec.json.decode(raw)
        except msgspec.MsgspecError:
            pass
    return json.loads(raw)


def _new_meta():
    return {"schema_version": SCHEMA_VERSION, "gen": 0, "next_ids": {}}


def _parse(line):
    """The JSON object on a journal line, or None."""
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if type(value) is dict else None


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
