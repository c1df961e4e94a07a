"""The store's word indexes: the words of a table's documents, and of one kind of blob kept under their
ids, in SQLite's full-text engine (FTS5, through Python's own sqlite3), on disk, kept on every write.

A search reads the index, not the texts: memory does not grow with the descriptions stored, and the
first search after a start is as fast as the next. One file, ``words.sqlite`` in the data folder,
holds every word index; for each one (``<table>.<name>``) it has

    "<table>.<name>.doc"    FTS5 over the text ``text_of(doc)`` gives for each document (rowid = id)
    "<table>.<name>.blob"   FTS5 over the text ``blob_text(bytes)`` gives for its blob (rowid = id),
                            contentless: the words only, not the text (the blob holds it)
    "<table>.<name>.seen"   (id, fingerprint of the document's text, whether its blob was read, and
                            the fingerprint of the blob's text that was read)
    meta                    (index, version): the version of the texts an index was complete for

A contentless FTS5 table keeps no copy of the texts (a description is ~5 KB: at 10,000 applications
the file held 70 MB of them), and forgets a row only when told the words it was given (SQLite
3.40's FTS5 cannot DELETE from it): ``forget_blob`` reads them again from the blob still on disk,
before the store replaces or deletes it, and checks their fingerprint against the one indexed.
Should that ever differ (a blob changed behind the store's back), the blob words are all read again
rather than the index told something untrue.

The journal, not this file, is what makes a change durable: the file is written in WAL mode without
an fsync per change, and ``sync()`` (run after each start, off the requests) compares every
document's fingerprint with the one indexed, so whatever a crash left behind is put right. An index
whose ``version`` changed (another text_of), or a damaged file, is built again from the documents
and their blobs; until an index is complete, ``match()`` answers None and the caller scans instead.

Words are what ``words()`` finds: runs of letters and digits, lower-cased, as FTS5's unicode61
tokenizer (without removing diacritics) splits them; a query matches a document when each of its
words begins some word of the document's text or of its blob's.
"""
import logging
import os
import re
import sqlite3
import zlib

log = logging.getLogger("applied.store")

FILE = "words.sqlite"
LAYOUT = "2"  # the tables' layout: 2, the blobs' words contentless (an index of another layout is built again)
_WORD = re.compile(r"[^\W_]+")
_TOKENIZE = "tokenize='unicode61 remove_diacritics 0'"


def words(text):
    """The words of text, as the index keeps them (lower case, letters and digits only)."""
    return _WORD.findall((text or "").lower())


def fingerprint(text):
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def open_database(data_dir):
    """The connection to the data folder's word file (made when missing; made again when damaged)."""
    path = data_dir / FILE
    for attempt in (1, 2):
        try:
            # owner-only before SQLite opens it (its -wal and -shm files take the same mode): never readable by
            # another user of the machine, not even for the moment between making it and a chmod
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            path.chmod(0o600)
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints: the journal is the record
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, version TEXT)")
            db.execute("PRAGMA quick_check(1)")
            return db
        except sqlite3.DatabaseError as error:
            if attempt == 2:
                raise
            log.warning("the word index %s is damaged (%s): building it again", path, error)
            for name in (FILE, FILE + "-wal", FILE + "-shm"):
                (data_dir / name).unlink(missing_ok=True)
    raise AssertionError("unreachable")


class WordIndex:
    """One word index: see the module's docstring. Every method is called under the store's lock."""

    def __init__(self, db, table, name, text_of, *, blob_kind=None, blob_text=None, version="1", read_blob=None):
        """``read_blob(id)``: the bytes of a document's blob as stored now (None without one)."""
        self.db, self.text_of, self.blob_kind, self.blob_text = db, text_of, blob_kind, blob_text
        self.read_blob = read_blob
        self.key = f"{table}.{name}"
        self.version = f"{version}/{LAYOUT}"
        self._doc, self._blob, self._seen = (_quote(f"{self.key}.{part}") for part in ("doc", "blob", "seen"))
        found = db.execute("SELECT version FROM meta WHERE name = ?", (self.key,)).fetchone()
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({self._seen})")}
        if found is not None and found[0] != self.version or columns and "blob_fp" not in columns:
            self._drop()  # texts of another version, or tables of another layout: built again
            found = None
        self.complete = found is not None
        with self.transaction():
            db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self._doc} USING fts5(text, {_TOKENIZE})")
            db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self._blob} USING fts5(text, content='', {_TOKENIZE})")
            db.execute(f"CREATE TABLE IF NOT EXISTS {self._seen} (id INTEGER PRIMARY KEY, fp INTEGER, blob INTEGER, "
                       "blob_fp INTEGER)")

    def _drop(self):
        with self.transaction():
            for table in (self._doc, self._blob, self._seen):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
            self.db.execute("DELETE FROM meta WHERE name = ?", (self.key,))

    def transaction(self):
        return _Transaction(self.db)

    # -- kept on every write -------------------------------------------------------------------------
    def put(self, doc):
        """Index a stored document's text (nothing to do when it did not change)."""
        text = self._text(doc)
        fp = fingerprint(text)
        row = self.db.execute(f"SELECT fp FROM {self._seen} WHERE id = ?", (doc["id"],)).fetchone()
        if row is not None and row[0] == fp:
            return
        self.db.execute(f"DELETE FROM {self._doc} WHERE rowid = ?", (doc["id"],))
        self.db.execute(f"INSERT INTO {self._doc} (rowid, text) VALUES (?, ?)", (doc["id"], text))
        if row is None:
            self.db.execute(f"INSERT INTO {self._seen} (id, fp, blob) VALUES (?, ?, NULL)", (doc["id"], fp))
        else:
            self.db.execute(f"UPDATE {self._seen} SET fp = ? WHERE id = ?", (fp, doc["id"]))

    def remove(self, doc_id):
        """Forget a document that is no longer stored (its blob, when it has one, is still on disk)."""
        self.db.execute(f"DELETE FROM {self._doc} WHERE rowid = ?", (doc_id,))
        self.forget_blob(doc_id)
        self.db.execute(f"DELETE FROM {self._seen} WHERE id = ?", (doc_id,))

    def forget_blob(self, doc_id):
        """Take the words of the document's blob out of the index, before the store replaces or deletes the
        blob: the contentless table is told the words it was given, read again from the blob. The blob is
        then unread (sync reads it again should the store stop before put_blob)."""
        row = self.db.execute(f"SELECT blob, blob_fp FROM {self._seen} WHERE id = ?", (doc_id,)).fetchone()
        if row is None or row[0] is None:
            return
        if row[0]:
            data = self.read_blob(doc_id) if self.read_blob else None
            text = self.blob_words(data) if data is not None else None
            if text is None or fingerprint(text) != row[1]:
                self._read_blobs_again(doc_id)
                return
            self.db.execute(f"INSERT INTO {self._blob} ({self._blob}, rowid, text) VALUES ('delete', ?, ?)",
                            (doc_id, text))
        self.db.execute(f"UPDATE {self._seen} SET blob = NULL, blob_fp = NULL WHERE id = ?", (doc_id,))

    def _read_blobs_again(self, doc_id):
        """The words indexed for a blob cannot be told again (it changed behind the store's back): every blob
        is read again, by the next sync_words (searches scan until then)."""
        log.warning("the word index %s no longer matches the blob of %s: its blobs will be read again", self.key, doc_id)
        self.db.execute(f"INSERT INTO {self._blob} ({self._blob}) VALUES ('delete-all')")
        self.db.execute(f"UPDATE {self._seen} SET blob = NULL, blob_fp = NULL")
        self.db.execute("DELETE FROM meta WHERE name = ?", (self.key,))
        self.complete = False

    def put_blob(self, doc_id, text):
        """Index the text of the document's blob (None: it has none now), after forget_blob."""
        self.forget_blob(doc_id)  # nothing to do when the store called it first, as it does
        if text:
            self.db.execute(f"INSERT INTO {self._blob} (rowid, text) VALUES (?, ?)", (doc_id, text))
        self.db.execute(f"UPDATE {self._seen} SET blob = ?, blob_fp = ? WHERE id = ?",
                        (1 if text else 0, fingerprint(text) if text else None, doc_id))

    def blob_words(self, data):
        """The text of a blob's bytes, as this index keeps it ('' when it cannot be read)."""
        try:
            return self.blob_text(data) or ""
        except Exception:  # noqa: BLE001 - a blob that cannot be read has no words, and is not an error
            log.exception("could not read the words of a %s blob", self.blob_kind)
            return ""

    def _text(self, doc):
        try:
            return self.text_of(doc) or ""
        except Exception:  # noqa: BLE001 - one odd record must not stop a write
            log.exception("could not index the words of %s %s", self.key, doc.get("id"))
            return ""

    # -- reads -------------------------------------------------------------------------------------------
    def match(self, query, *, phrase=False):
        """The ids of the documents each of whose query words begins a word of their text or their
        blob's (with ``phrase``: whose text, or blob's, holds the query's words in a row), or None
        while the index is not complete."""
        if not self.complete:
            return None
        found = None
        terms = ['"' + " ".join(words(query)) + '"'] if phrase else ['"' + w + '"*' for w in dict.fromkeys(words(query))]
        for term in terms:
            ids = set()
            for table in (self._doc, self._blob):
                ids.update(row[0] for row in self.db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (term,)))
            found = ids if found is None else found & ids
            if not found:
                break
        return found or set()

    # -- brought up to date after a start --------------------------------------------------------------
    def sync_documents(self, docs, *, step=500):
        """Index what differs from the stored documents (``docs``: the table's dict, read under the
        caller's lock a step at a time) and forget documents no longer stored. Yields after each step,
        so that the caller may let go of its lock."""
        keys = list(docs)
        for start in range(0, len(keys), step):
            with self.transaction():
                for key in keys[start:start + step]:
                    doc = docs.get(key)
                    if doc is not None:
                        self.put(doc)
            yield
        stored = {int(key) for key in docs}
        gone = [row[0] for row in self.db.execute(f"SELECT id FROM {self._seen}") if row[0] not in stored]
        with self.transaction():
            for doc_id in gone:
                self.remove(doc_id)
        yield

    def unread_blobs(self):
        """Ids whose blob was never read into the index."""
        return [row[0] for row in self.db.execute(f"SELECT id FROM {self._seen} WHERE blob IS NULL")]

    def still_unread(self, ids):
        """Those of ids whose blob is still unread (not put meanwhile by a write of its own): only these ids are
        looked up (sync_words asks for each batch of a few hundred, under the store's lock)."""
        ids = list(ids)
        unread = set()
        for start in range(0, len(ids), 500):  # within SQLite's limit of variables in one statement
            batch = ids[start:start + 500]
            unread.update(row[0] for row in self.db.execute(
                f"SELECT id FROM {self._seen} WHERE blob IS NULL AND id IN ({','.join('?' * len(batch))})", batch))
        return [doc_id for doc_id in ids if doc_id in unread]

    def mark_complete(self):
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO meta (name, version) VALUES (?, ?)", (self.key, self.version))
        self.complete = True


class _Transaction:
    """BEGIN ... COMMIT (ROLLBACK on an error); nested uses join the outer one."""

    def __init__(self, db):
        self.db = db
        self.outer = False

    def __enter__(self):
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN")
        return self.db

    def __exit__(self, kind, *rest):
        if self.outer:
            self.db.execute("ROLLBACK" if kind else "COMMIT")
