"""The store's indexes, kept on every write: equality (find, ids, count_by) and ordered (ranges, pages)."""
import bisect
import logging
import threading

from companion.paging import bad_cursor

from .documents import _CONTAINERS, _MISSING

log = logging.getLogger("applied.store")

# find() looks these up through an index: finding by URL is the hottest path in Applied. ids() and
# count_by() read them too: applications by status, contacts by the applications they are linked to.
# "urls": the other addresses of a merged application, so that they are found as fast as its own.
# "message_key": the mail a reply proposal was read from, so that a message is proposed once;
# "import_key": an application imported from a row without an address, found again by a second import.
INDEXED_FIELDS = ("url", "urls", "capture_id", "capture_ids", "status", "application_ids", "message_key",
                  "import_key")


def index_document(index, table, doc, *, add):
    """Add doc to (or remove it from) the equality indexes {table: {field: {value: ids}}}.

    A value most documents do not share (a URL, a capture id) holds one id, not a set of one:
    at 50,000 applications that is 20 MB less.
    """
    if doc is None:
        return
    fields = index.get(table)
    if fields is None:
        fields = index[table] = {f: {} for f in INDEXED_FIELDS}
    doc_id = doc["id"]
    for field, values in fields.items():
        value = doc.get(field, _MISSING)
        # A list is indexed under each of its items: see Store.find().
        for key in (value if type(value) is list else () if value is _MISSING else (value,)):
            if isinstance(key, _CONTAINERS):
                continue
            held = values.get(key)
            if add:
                if held is None:
                    values[key] = doc_id
                elif type(held) is int:
                    if held != doc_id:
                        values[key] = {held, doc_id}
                else:
                    held.add(doc_id)
            elif held is not None:
                if type(held) is int:
                    if held == doc_id:
                        del values[key]
                else:
                    held.discard(doc_id)
                    if len(held) == 1:
                        values[key] = next(iter(held))


def ids_of(held):
    """The ids an equality index holds for a value: see index_document."""
    return () if held is None else (held,) if type(held) is int else held


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
        self.pending = None  # a build under way without the store's lock (see build_apart)

    def fresh(self):
        """Rebuild if the signature changed (or it was never built); call under the store's lock."""
        if self.pending is not None:
            self.settle()
        value = self._signature() if self._signature else None
        if not self.built or value != self.value:
            self._install(value, self._compute(self._docs().values(), value))
        return self

    def _compute(self, docs, value):
        by_id, entries = {}, []
        for doc in docs:
            found = by_id[doc["id"]] = self._keys_of(doc, value)
            entries += [(key, doc["id"]) for key in found]
        entries.sort()
        return by_id, entries

    def _install(self, value, computed):
        self.value, (self.by_id, self.entries), self.built = value, computed, True
        self.documents = sum(1 for found in self.by_id.values() if found)

    # -- built apart: the store's lock held only to start and to finish ----------------------------
    def start_apart(self):
        """Under the store's lock: the documents and signature to build from (None when the index is fresh)."""
        value = self._signature() if self._signature else None
        if self.pending is not None or (self.built and value == self.value):
            return None
        self.pending = _Pending(dict(self._docs()), value)  # a copy of the table's dict: its documents are never changed in place
        return self.pending

    def build_apart(self, pending):
        """Without the store's lock: compute what start_apart took. A read meanwhile waits for it (settle)."""
        try:
            pending.computed = self._compute(pending.docs.values(), pending.value)
        finally:
            pending.done.set()

    def settle(self):
        """Under the store's lock: put a build made apart in place (waiting for it to end), with the documents
        written meanwhile (those that are not the very ones it read) indexed again."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        pending.done.wait()
        if pending.computed is None:  # it failed: the next read builds the index here
            return
        self._install(pending.value, pending.computed)
        now = self._docs()
        for key, doc in now.items():
            if pending.docs.get(key) is not doc:
                self.put(doc)
        for key in pending.docs.keys() - now.keys():
            self.remove(int(key))

    def keys_now(self, doc):
        """A document's keys as the index would hold them now, built or not; under the store's lock."""
        return self._keys_of(doc, self._signature() if self._signature else None)

    def _keys_of(self, doc, value):
        try:
            return tuple(self._keys(doc, value))
        except Exception:
            log.exception("could not index %s %s; it is left out of the index", type(self).__name__, doc.get("id"))
            return ()

    def put(self, doc):
        if self.built:
            self.remove(doc["id"])
            found = self.by_id[doc["id"]] = self._keys_of(doc, self.value)
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

    def iterate(self, lo=None, hi=None, *, reverse=False, after=None):
        """(key, id) with lo <= key < hi, by key then id; keys descending when reverse, but ids still
        ascending within one key, as a stable sort with reverse=True orders them; only those that come
        after the entry ``after`` (key, id) in that order, when given (a cursor). Read under the lock."""
        entries = self.entries
        start, end = self._bounds(lo, hi)
        try:
            if after is not None and not reverse:
                start = max(start, bisect.bisect_right(entries, tuple(after), start, end))
            elif after is not None:
                key, doc_id = after
                # The rest of after's key (higher ids), then every key below it.
                run_start = min(end, max(start, bisect.bisect_right(entries, (key, doc_id), start, end)))
                run_end = max(run_start, bisect.bisect_right(entries, (key, float("inf")), start, end))
                end = max(start, bisect.bisect_left(entries, (key,), start, end))
                yield from entries[run_start:run_end]
        except TypeError:  # a cursor whose key is not of this index's shape (a number where dates go...)
            raise bad_cursor() from None
        if not reverse:
            yield from entries[start:end]
            return
        while end > start:
            run = max(start, bisect.bisect_left(entries, (entries[end - 1][0],), start, end))
            yield from entries[run:end]
            end = run


class _Pending:
    """An ordered index being built apart: what it reads, and, once ``done``, what it computed."""

    def __init__(self, docs, value):
        self.docs, self.value, self.computed, self.done = docs, value, None, threading.Event()
