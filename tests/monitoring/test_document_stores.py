"""The two document stores side by side: what each keeps, under which name."""

import hashlib
from pathlib import Path

import boto3
import pytest

from fundflow.core.config import Settings
from fundflow.monitoring.storage import DirectoryStore, DocumentStore, S3Store, store_from
from tests.object_storage import S3Server

CONTENT = b"%PDF-1.4\n% a budget\n%%EOF\n"
KEY = hashlib.sha256(CONTENT).hexdigest()


def s3_settings(server: S3Server) -> Settings:
    return Settings(
        **{k.removeprefix("FUNDFLOW_").lower(): v for k, v in server.environment().items()}
    )


def test_the_directory_store_keeps_the_content_under_its_hash(tmp_path: Path):
    store = DirectoryStore(tmp_path)
    assert store.put(CONTENT) == KEY
    assert (tmp_path / KEY[:2] / KEY).read_bytes() == CONTENT
    assert store.get(KEY) == CONTENT


def test_the_s3_store_keeps_the_content_in_the_bucket_under_its_hash(s3_server: S3Server):
    store = store_from(s3_settings(s3_server))
    assert isinstance(store, S3Store)
    assert store.put(CONTENT) == KEY
    bucket = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=s3_server.access_key_id,
        aws_secret_access_key=s3_server.secret_access_key,
    )
    stored = bucket.get_object(Bucket=s3_server.bucket, Key=f"documents/{KEY}")
    assert stored["Body"].read() == CONTENT
    assert store.get(KEY) == CONTENT


@pytest.mark.parametrize("kind", ["directory", "s3"])
def test_a_missing_or_malformed_key_is_refused(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
):
    store: DocumentStore = (
        DirectoryStore(tmp_path)
        if kind == "directory"
        else store_from(s3_settings(request.getfixturevalue("s3_server")))
    )
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)
    with pytest.raises(ValueError, match="not a content hash"):
        store.get("../../etc/passwd")


def test_an_s3_store_needs_a_bucket():
    with pytest.raises(ValueError, match="FUNDFLOW_S3_BUCKET"):
        Settings(documents_store="s3")
