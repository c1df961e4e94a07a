"""TinyDB's Table and TinyDB for the store: writes journal only what changed, ids are never reused."""
from collections.abc import MutableMapping

from tinydb import TinyDB
from tinydb.table import Table

from .documents import _copy, _same_json


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
