"""Attachments: accepted types checked from the content, served only to who may see."""

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fundflow.core.config import get_settings
from fundflow.monitoring.documents import document_store
from fundflow.monitoring.storage import DirectoryStore, S3Store
from tests.builders import World
from tests.object_storage import S3Server


@pytest.fixture(autouse=True, params=["directory", "s3"])
def store_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test here runs against the directory store and against a real S3 API."""
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    document_store.cache_clear()
    yield request.param
    get_settings.cache_clear()
    document_store.cache_clear()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(
    client: TestClient,
    world: World,
    proposal_id: int,
    name: str,
    content: bytes,
    who: str = "applicant_a",
):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/proposals/{proposal_id}/documents",
        headers=world.headers(who),
        files={"file": (name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("budget.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        (
            "lettre.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_documents_are_stored_and_served(
    client: TestClient, world: World, name: str, content: bytes, media_type: str
):
    proposal = world.proposal()
    response = upload(client, world, proposal.id, name, content)
    assert response.status_code == 201, response.text
    document = response.json()
    assert (document["media_type"], document["size"]) == (media_type, len(content))
    served = client.get(
        f"/api/v1/documents/{document['id']}/content", headers=world.headers("applicant_a")
    )
    assert served.content == content and served.headers["content-type"] == media_type
    assert (
        client.get(
            f"/api/v1/documents/{document['id']}/content", headers=world.headers("applicant_b")
        ).status_code
        == 404
    )
    listed = client.get(
        f"/api/v1/proposals/{proposal.id}/documents", headers=world.headers("applicant_a")
    ).json()["items"]
    assert [d["id"] for d in listed] == [document["id"]]


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("invoice.pdf", PNG, "file_extension"),  # a PNG dressed up as a PDF
        ("notes.txt", b"just some text", "file_type"),
        ("macro.pdf", b"MZ\x90\x00" + b"\x00" * 60, "file_type"),
    ],
)
def test_forged_or_unaccepted_files_are_refused(
    client: TestClient, world: World, name: str, content: bytes, rule: str
):
    proposal = world.proposal()
    response = upload(client, world, proposal.id, name, content)
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == rule


def test_uploads_have_their_own_size_limit(client: TestClient, world: World):
    proposal = world.proposal()
    big = PDF + b"0" * (10 * 1024 * 1024)
    assert upload(client, world, proposal.id, "big.pdf", big).status_code == 413
    # Larger than a JSON body may be, but within the upload limit: accepted.
    medium = PDF + b"0" * (2 * 1024 * 1024)
    assert upload(client, world, proposal.id, "medium.pdf", medium).status_code == 201


def test_reports_take_documents_too(client: TestClient, world: World):
    project = world.signed()
    report = client.get(
        f"/api/v1/projects/{project.id}/reports", headers=world.headers("applicant_a")
    ).json()[0]
    response = client.post(
        f"/api/v1/reports/{report['id']}/documents",
        headers=world.headers("applicant_a"),
        files={"file": ("etat-financier.pdf", PDF)},
    )
    assert response.status_code == 201
    assert (
        client.get(
            f"/api/v1/documents/{response.json()['id']}/content", headers=world.headers("authority")
        ).status_code
        == 200
    )


def test_the_settings_choose_the_store(store_kind: str):
    expected = {"directory": DirectoryStore, "s3": S3Store}[store_kind]
    assert isinstance(document_store(), expected)
