"""Documents through the real companion: what was sent with each application, stored once, downloaded safely."""
import base64
import io
import stat
import zipfile

import pytest

from conftest import posting_page
from test_pairing import CHROME, paired_token

PDF = b"%PDF-1.7\n% the resume Ana sent\n"


def b64(data):
    return base64.b64encode(data).decode()


def capture(companion, slug, title="Data Engineer", company="Northwind"):
    response = companion.post("/api/applications", {"url": f"https://jobs.example.com/{slug}",
                                                    "html": posting_page(title, company)})
    assert response.status == 201, response.text
    return response.json["application"]["id"]


def upload(companion, name="resume.pdf", data=PDF, **fields):
    return companion.post("/api/documents", {"name": name, "kind": "resume", "content_base64": b64(data), **fields})


def docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_document_uploaded_twice_is_stored_once_and_listed_on_both_applications(companion):
    first, second = capture(companion, "a"), capture(companion, "b", company="Contoso")
    sent = upload(companion, application_id=first)
    assert sent.status == 201 and sent.json["created"] is True
    again = upload(companion, application_id=second)
    assert again.status == 200 and again.json["created"] is False
    assert again.json["document"]["id"] == sent.json["document"]["id"]

    files = list((companion.data_dir / "blobs" / "document").iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    for application_id in (first, second):
        [listed] = companion.get(f"/api/applications/{application_id}/documents").json["documents"]
        assert (listed["name"], listed["kind"]) == ("resume.pdf", "resume")
    [document] = companion.get("/api/documents").json["documents"]
    assert document["application_ids"] == [first, second]


def test_the_download_is_the_same_file_as_an_attachment(companion):
    document_id = upload(companion, name="Lettre de motivation é.docx", data=docx()).json["document"]["id"]
    response = companion.get(f"/api/documents/{document_id}/file")
    assert response.status == 200 and response.body == docx()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Lettre%20de%20motivation" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_versions_of_a_document_share_its_name(companion):
    upload(companion, data=PDF)
    upload(companion, data=PDF + b"% updated in November\n")
    found = companion.get("/api/documents?name=C:%5Cfakepath%5CResume.PDF").json["documents"]
    assert len(found) == 2 and {d["name"] for d in found} == {"resume.pdf"}


@pytest.mark.parametrize("name, data, status, code", [
    ("../../.ssh/resume.pdf", PDF, 400, "bad_file_name"),
    ("C:\\Users\\ana\\resume.pdf", PDF, 400, "bad_file_name"),
    (".hidden.pdf", PDF, 400, "bad_file_name"),
    ("resume.exe", b"MZ\x90\x00", 400, "unsupported_type"),
    ("resume.pdf", b"<html>not a pdf</html>", 400, "wrong_type"),
    ("resume.docx", PDF, 400, "wrong_type"),
    ("notes.txt", b"\xff\xfe\x00binary", 400, "wrong_type"),
    ("resume.pdf", "5 MB and a byte", 413, "too_large"),
], ids=["path-parts", "windows-path", "hidden", "exe", "pdf-that-is-html", "docx-that-is-pdf", "binary-txt",
        "oversized"])
def test_bad_uploads_are_refused_clearly_and_store_nothing(companion, name, data, status, code):
    if data == "5 MB and a byte":
        data = PDF + b"x" * (5 * 1024 * 1024 + 1 - len(PDF))
    response = upload(companion, name=name, data=data)
    assert response.status == status and response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert companion.get("/api/documents").json["documents"] == []
    assert not (companion.data_dir / "blobs" / "document").exists() or \
        not list((companion.data_dir / "blobs" / "document").iterdir())


@pytest.mark.parametrize("payload", [
    {"name": "resume.pdf", "content_base64": "not base64!!"},
    {"name": "resume.pdf", "content_base64": 42},
    {"name": ["resume.pdf"], "content_base64": b64(PDF)},
    {"name": "resume.pdf", "content_base64": b64(PDF), "kind": "passport"},
    {"name": "resume.pdf", "content_base64": b64(PDF), "application_id": "1"},
    {"name": "resume.pdf", "content_base64": b64(PDF), "path": "/etc"},
])
def test_wrong_types_get_a_400(companion, payload):
    response = companion.post("/api/documents", payload)
    assert response.status == 400 and response.json["error"]["message"]
    assert companion.get("/api/documents").json["documents"] == []


def test_linking_to_an_unknown_application_is_a_404_and_stores_nothing(companion):
    response = upload(companion, application_id=999)
    assert response.status == 404
    assert companion.get("/api/documents").json["documents"] == []


def test_the_extensions_token_finds_by_name_and_links_but_neither_uploads_reads_nor_changes(companion):
    # The popup finds the stored document of a picked file's name and links it (tokens.EXTENSION_SCOPE);
    # the files themselves and their changes stay the person's.
    application_id = capture(companion, "ext")
    document_id = upload(companion).json["document"]["id"]
    _, token = paired_token(companion)
    headers = {"Origin": CHROME}
    found = companion.get("/api/documents?name=resume.pdf", token=token, headers=headers)
    assert found.status == 200 and [d["id"] for d in found.json["documents"]] == [document_id]
    linked = companion.post(f"/api/applications/{application_id}/documents", {"document_id": document_id},
                            token=token, headers=headers)
    assert linked.status == 200, linked.text
    assert [d["id"] for d in companion.get(f"/api/applications/{application_id}/documents").json["documents"]] \
        == [document_id]
    # Not called by the extension, so not in its reach:
    assert companion.get(f"/api/applications/{application_id}/documents", token=token, headers=headers).status == 403
    assert companion.get(f"/api/documents/{document_id}/file", token=token, headers=headers).status == 403
    renamed = companion.patch(f"/api/documents/{document_id}", {"name": "other.pdf"}, token=token, headers=headers)
    assert renamed.status == 403 and renamed.json["error"]["code"] == "out_of_scope"
    assert companion.delete(f"/api/documents/{document_id}", token=token, headers=headers).status == 403
    unlinked = companion.delete(f"/api/applications/{application_id}/documents/{document_id}", token=token,
                                headers=headers)
    assert unlinked.status == 403
    assert upload_as(companion, token, headers).status == 403
    [kept] = companion.get("/api/documents").json["documents"]
    assert (kept["id"], kept["name"], kept["application_ids"]) == (document_id, "resume.pdf", [application_id])


def upload_as(companion, token, headers):
    return companion.post("/api/documents", {"name": "other.pdf", "content_base64": b64(PDF)}, token=token,
                          headers=headers)


def test_unlinking_and_deleting(companion):
    application_id = capture(companion, "u")
    document_id = upload(companion, application_id=application_id).json["document"]["id"]
    assert companion.delete(f"/api/applications/{application_id}/documents/{document_id}").status == 204
    assert companion.get(f"/api/applications/{application_id}/documents").json["documents"] == []
    assert companion.delete(f"/api/documents/{document_id}").status == 204
    assert companion.get(f"/api/documents/{document_id}/file").status == 404
    assert not list((companion.data_dir / "blobs" / "document").iterdir())


def test_a_deleted_application_is_no_longer_listed_on_the_documents_sent_with_it(companion):
    kept, gone = capture(companion, "kept"), capture(companion, "gone", company="Contoso")
    sent = upload(companion, application_id=kept).json["document"]
    assert companion.post(f"/api/applications/{gone}/documents", {"document_id": sent["id"]}).status in (200, 201)
    assert companion.delete(f"/api/applications/{gone}").status == 204
    [listed] = companion.get("/api/documents").json["documents"]
    assert listed["application_ids"] == [kept]


def test_an_application_page_offers_the_newest_documents_to_pick_however_many_are_stored(companion):
    """The picker on an application's page lists the 50 newest documents (a page with every stored version grew
    with them, 326 KB at 5,000), and says where the others are."""
    import http.client
    import re

    application = capture(companion, "picker")
    for n in range(53):
        assert upload(companion, name=f"letter-{n:02d}.pdf", data=PDF + f"version {n}".encode()).status == 201
    connection = http.client.HTTPConnection("127.0.0.1", companion.port, timeout=30)
    connection.request("POST", "/login", f"token={companion.token}", {  # at the web view's own name
        "Host": companion.web_netloc, "Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    cookie = answer.headers["Set-Cookie"].split(";")[0]
    answer.read()
    connection.request("GET", f"/applications/{application}", headers={"Host": companion.web_netloc, "Cookie": cookie})
    html = connection.getresponse().read().decode()
    connection.close()
    picker = re.search(r'<select id="pick-doc".*?</select>', html, re.S)[0]
    names = re.findall(r"Résumé: (letter-\d+\.pdf)", picker)
    newest = companion.get("/api/documents?limit=50").json["documents"]  # newest first (ties by id)
    assert len(names) == 50 and names == [d["name"] for d in newest]
    assert "every version is on the" in html
