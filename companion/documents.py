"""Documents: the résumés and cover letters a person sent, kept once by content and linked to applications.

Each distinct file is one record (its SHA-256 is the key of its blob, kind "document", so the
same file sent ten times is stored once, owner-only, in the data folder). A record holds the
file's name, kind, size and type, and the ids of the applications it went to. Versions of a
document are the records that share its name.
"""
import base64
import binascii
import hashlib
import io
import os
import unicodedata
import zipfile
from datetime import datetime

from . import paging, validate
from .errors import NotFound, ValidationError
from .store import comes_after

TABLE = "documents"
BLOB = "document"
MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a résumé is rarely over 1 MB; base64 keeps the upload under the 10 MB body limit
KINDS = ("resume", "cover_letter", "other")
KIND_LABELS = {"resume": "Résumé", "cover_letter": "Cover letter", "other": "Other"}
TYPES = {  # extension → the type it is served as (always as an attachment)
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".md": "text/markdown",
}
UPLOAD_FIELDS = ("name", "kind", "content_base64", "application_id")
CHANGE_FIELDS = ("name", "kind")


def _now():
    return datetime.now().replace(microsecond=0)


# -- checks ------------------------------------------------------------------------------------

def check_name(value):
    """A file name on its own: no folders, no control characters, one of the accepted extensions."""
    name = validate.text(value, "name", limit=200, required=True)
    name = unicodedata.normalize("NFC", name)
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValidationError("name must be a file name on its own, without folders (such as resume.pdf)",
                              code="bad_file_name")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError("name must not hold control characters", code="bad_file_name")
    extension = os.path.splitext(name)[1].lower()
    if extension not in TYPES:
        raise ValidationError(f"Applied keeps {', '.join(e[1:].upper() for e in TYPES)} files; "
                              f"{name!r} is none of those", code="unsupported_type")
    return name


def check_kind(value):
    if value is None:
        return "other"
    if value not in KINDS:
        raise ValidationError(f"kind must be one of: {', '.join(KINDS)}")
    return value


def _decode(content):
    if not isinstance(content, str):
        raise ValidationError("content_base64 must be the file's bytes in base64", code="bad_content")
    if len(content) > (MAX_BYTES * 4) // 3 + 8:
        raise ValidationError(f"the file is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for documents",
                              code="too_large", status=413)
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("content_base64 is not valid base64", code="bad_content") from None
    if len(data) > MAX_BYTES:
        raise ValidationError(f"the file is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for documents",
                              code="too_large", status=413)
    if not data:
        raise ValidationError("the file is empty", code="bad_content")
    return data


def _zip_names(data):
    """The names of the files in a zip archive (none when it is not one)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()


def check_content(name, data):
    """The file is what its name says: a PDF starts %PDF-, a DOCX or ODT is the right zip, text is UTF-8."""
    extension = os.path.splitext(name)[1].lower()
    wrong = ValidationError(f"{name!r} is not a {extension[1:].upper()} file (its content says otherwise)",
                            code="wrong_type")
    if extension == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise wrong
    elif extension in (".docx", ".odt"):
        names = _zip_names(data)
        if extension == ".docx" and "word/document.xml" not in names:
            raise wrong
        if extension == ".odt" and not (data[30:38] == b"mimetype"
                                        and data[38:77] == b"application/vnd.oasis.opendocument.text"):
            raise wrong
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise wrong from None
        if "\x00" in text:
            raise wrong
    return TYPES[extension]


# -- records -----------------------------------------------------------------------------------

def get(store, document_id):
    doc = store.get(TABLE, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id}")
    return doc


def public(doc):
    return {key: doc.get(key) for key in ("id", "name", "kind", "size", "type", "sha256", "uploaded_at",
                                           "application_ids")}


def as_extension_sees(doc):
    """What the popup shows of a stored document it offers to link."""
    return {key: doc.get(key) for key in ("id", "name", "kind", "application_ids")}


def _check_application(store, application_id):
    from . import applications as apps

    if isinstance(application_id, bool) or not isinstance(application_id, int):
        raise ValidationError("application_id must be a whole number")
    apps.get(store, application_id)
    return application_id


def upload(store, payload, *, now=None):
    """Store a file ({name, kind, content_base64, application_id?}); return (document, created).

    The same content uploaded again is the same record (its name and kind stay those of the
    first upload); it is linked to the application given either way.
    """
    validate.known_fields(payload, UPLOAD_FIELDS, "a document upload")
    name, kind = check_name(payload.get("name")), check_kind(payload.get("kind"))
    data = _decode(payload.get("content_base64"))
    kind_of_file = check_content(name, data)
    application_id = payload.get("application_id")
    digest = hashlib.sha256(data).hexdigest()
    now = now or _now()
    with store.lock:
        if application_id is not None:
            _check_application(store, application_id)
        existing = store.find(TABLE, sha256=digest)
        if existing:
            return (link(store, existing["id"], application_id) if application_id else existing), False
        store.put_blob(BLOB, digest, data)  # the file first: a record always has its file
        doc = store.insert(TABLE, {"name": name, "kind": kind, "size": len(data), "type": kind_of_file,
                                   "sha256": digest, "uploaded_at": now.isoformat(),
                                   "application_ids": [application_id] if application_id else []})
    return doc, True


def exported(store):
    """Every document with its file, for a JSON backup, oldest first and one at a time (a file may be
    5 MB): {name, kind, type, sha256, uploaded_at, application_ids, content_base64}."""
    for doc in sorted(store.all(TABLE), key=lambda d: d["id"]):
        data = store.get_blob(BLOB, doc["sha256"])
        if data is not None:
            yield {**{k: doc.get(k) for k in ("name", "kind", "type", "sha256", "uploaded_at", "application_ids")},
                   "content_base64": base64.b64encode(data).decode("ascii")}


def restore(store, item, ids, *, now=None):
    """Store a document from a JSON backup, linked to the applications it went to; return (document, created).

    ``ids`` maps the backup's application ids to this store's (what the same import restored); a link
    to an application not restored is left out. The file is checked as an upload is.
    """
    if not isinstance(item, dict):
        raise ValidationError("each document must be an object")
    name, kind = check_name(item.get("name")), check_kind(item.get("kind"))
    data = _decode(item.get("content_base64"))
    check_content(name, data)
    digest = hashlib.sha256(data).hexdigest()
    if item.get("sha256") not in (None, digest):
        raise ValidationError(f"{name!r} is not the file the backup names (its checksum differs)", code="bad_content")
    linked = [ids[str(i)] for i in item.get("application_ids") or [] if str(i) in ids]
    uploaded = item.get("uploaded_at")
    with store.lock:
        doc, created = upload(store, {"name": name, "kind": kind, "content_base64": item["content_base64"]}, now=now)
        if created and isinstance(uploaded, str):
            try:
                doc = store.update(TABLE, doc["id"], {"uploaded_at": datetime.fromisoformat(uploaded).isoformat()})
            except ValueError:
                pass  # not a date: the day it was restored stands
        for application_id in linked:
            doc = link(store, doc["id"], application_id)
    return doc, created


def change(store, document_id, payload):
    validate.known_fields(payload, CHANGE_FIELDS, "a document")
    changes = {}
    if "name" in payload:
        name = check_name(payload["name"])
        if os.path.splitext(name)[1].lower() != os.path.splitext(get(store, document_id)["name"])[1].lower():
            raise ValidationError("a new name must keep the file's extension")
        changes["name"] = name
    if "kind" in payload:
        changes["kind"] = check_kind(payload["kind"])
    if not changes:
        raise ValidationError("nothing to change: send name or kind")
    with store.lock:
        get(store, document_id)
        return store.update(TABLE, document_id, changes)


def delete(store, document_id):
    with store.lock:
        doc = get(store, document_id)
        store.delete(TABLE, document_id)
        if not store.find(TABLE, sha256=doc["sha256"]):
            store.delete_blobs(doc["sha256"], (BLOB,))


def content(store, document_id):
    """(record, bytes) for a download."""
    doc = get(store, document_id)
    data = store.get_blob(BLOB, doc["sha256"])
    if data is None:
        raise NotFound("this document's file is missing from the data folder")
    return doc, data


def link(store, document_id, application_id):
    """Record that the document went to the application; return the document."""
    with store.lock:
        doc = get(store, document_id)
        _check_application(store, application_id)
        if application_id in doc["application_ids"]:
            return doc
        return store.update(TABLE, document_id, {"application_ids": doc["application_ids"] + [application_id]})


def unlink(store, document_id, application_id):
    with store.lock:
        doc = get(store, document_id)
        if application_id not in doc["application_ids"]:
            raise NotFound(f"document {document_id} is not linked to application {application_id}")
        return store.update(TABLE, document_id,
                            {"application_ids": [i for i in doc["application_ids"] if i != application_id]})


def _linked(store, application_id):
    """The documents linked to an application, by the store's index of application_ids (no scan)."""
    return store.get_many(TABLE, store.ids(TABLE, "application_ids", [application_id]))


def relink(store, old_id, new_id):
    """Links to application ``old_id`` now go to ``new_id`` (after a merge)."""
    with store.lock:
        for doc in _linked(store, old_id):
            ids = [new_id if i == old_id else i for i in doc["application_ids"]]
            store.update(TABLE, doc["id"], {"application_ids": list(dict.fromkeys(ids))})


def forget_application(store, application_id):
    """An application was deleted: no document says any more that it went to it."""
    with store.lock:
        for doc in _linked(store, application_id):
            store.update(TABLE, doc["id"], {"application_ids": [i for i in doc["application_ids"] if i != application_id]})


def for_application(store, application_id):
    return sorted(_linked(store, application_id), key=lambda d: (d.get("kind") or "", d.get("name") or ""))


def sort_key(doc):
    """A document's place in the list: newest first (what a cursor holds: see paging.py)."""
    return doc.get("uploaded_at") or ""


def list_documents(store, *, name=None, application_id=None, limit=None, after=None):
    """Documents, newest first (at most ``limit``, after the cursor ``after``); ``name`` matches file
    names case-insensitively."""
    return page_documents(store, name=name, application_id=application_id, limit=limit, after=after)[1]


def page_documents(store, *, name=None, application_id=None, limit=None, after=None):
    """(how many match, the page, the cursor after it or None): list_documents, a page at a time."""
    wanted = (name or "").strip().casefold()
    wanted = os.path.basename(wanted.replace("\\", "/"))  # a browser may report C:\fakepath\resume.pdf
    total = [0]

    def matches(doc):
        if wanted and doc.get("name", "").casefold() != wanted:
            return False
        if application_id is not None and application_id not in doc.get("application_ids", []):
            return False
        total[0] += 1
        return after is None or comes_after((sort_key(doc), doc["id"]), after, True)

    _, docs = store.search(TABLE, matches, sort_key=sort_key, reverse=True, limit=None if limit is None else limit + 1)
    more = limit is not None and len(docs) > limit
    docs = docs[:limit]
    return total[0], docs, paging.encode(sort_key(docs[-1]), docs[-1]["id"]) if more else None


def versions(docs):
    """Documents grouped by name (case-insensitive), each group newest first: [(name, [document])]."""
    groups = {}
    for doc in docs:
        groups.setdefault(doc["name"].casefold(), []).append(doc)
    return sorted(((group[0]["name"], group) for group in groups.values()), key=lambda item: item[0].casefold())
