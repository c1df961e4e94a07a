"""/api/documents: the files a person sent with their applications, and the links between the two.

Scopes: uploading, downloading, renaming and deleting files is the person's alone
(``require_person``: install token or web view). A paired extension's token reaches only the
two the popup calls (``tokens.EXTENSION_SCOPE``): finding documents by name, and linking one to an
application.
"""
import io

from flask import g, jsonify, request, send_file

from .. import applications as apps
from .. import current, documents, paging
from ..errors import ValidationError
from ..security import require_person
from ..validate import known_fields
from . import MAX_PAGE, PAGE, bp, query_int, read_json


@bp.get("/documents")
def list_documents():
    """?name= (a file name as a file input reports it) and ?application_id= narrow the list."""
    application_id = query_int("application_id", None, minimum=1) if request.args.get("application_id") else None
    if g.get("credential") == "paired":
        # The popup asks for the name a form's file input reported: it learns of that name, no other.
        if not (request.args.get("name") or "").strip() or application_id is not None:
            raise ValidationError("the extension's token finds documents by ?name= only", code="name_needed")
        docs = documents.list_documents(current.store(), name=request.args["name"], limit=MAX_PAGE)
        return jsonify({"documents": [documents.as_extension_sees(d) for d in docs]})
    total, docs, following = documents.page_documents(
        current.store(), name=request.args.get("name"), application_id=application_id,
        limit=query_int("limit", PAGE, minimum=1, maximum=MAX_PAGE), after=paging.decode(request.args.get("cursor")))
    return jsonify({"total": total, "documents": [documents.public(d) for d in docs], "next_cursor": following})


@bp.post("/documents")
def upload():
    """{name, kind, content_base64, application_id?}: 201 when new, 200 when the same file is stored already."""
    require_person()
    doc, created = documents.upload(current.store(), read_json())
    return jsonify({"document": documents.public(doc), "created": created}), 201 if created else 200


@bp.get("/documents/<int:document_id>")
def read_document(document_id):
    return jsonify({"document": documents.public(documents.get(current.store(), document_id))})


@bp.get("/documents/<int:document_id>/file")
def download(document_id):
    """The file itself, always as an attachment (never shown inline: it is the person's private file)."""
    require_person()
    doc, data = documents.content(current.store(), document_id)
    return send_file(io.BytesIO(data), mimetype=doc["type"], as_attachment=True, download_name=doc["name"],
                     max_age=0)


@bp.patch("/documents/<int:document_id>")
def change_document(document_id):
    require_person()
    return jsonify({"document": documents.public(documents.change(current.store(), document_id, read_json()))})


@bp.delete("/documents/<int:document_id>")
def delete_document(document_id):
    require_person()
    documents.delete(current.store(), document_id)
    return "", 204


@bp.get("/applications/<int:application_id>/documents")
def application_documents(application_id):
    """What was sent with this application."""
    store = current.store()
    apps.get(store, application_id)
    return jsonify({"documents": [documents.public(d) for d in documents.for_application(store, application_id)]})


@bp.post("/applications/<int:application_id>/documents")
def link_document(application_id):
    """{document_id}: the stored document went to this application."""
    payload = known_fields(read_json(), ("document_id",), "a link")
    document_id = payload.get("document_id")
    if isinstance(document_id, bool) or not isinstance(document_id, int):
        raise ValidationError("document_id must be a whole number")
    doc = documents.link(current.store(), document_id, application_id)
    return jsonify({"document": documents.public(doc)}), 200


@bp.delete("/applications/<int:application_id>/documents/<int:document_id>")
def unlink_document(application_id, document_id):
    documents.unlink(current.store(), document_id, application_id)
    return "", 204
