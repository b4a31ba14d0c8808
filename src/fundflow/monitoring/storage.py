"""Where uploaded documents live: a directory by default, an S3-compatible bucket when the
service runs as several replicas. Either way a document is named by the SHA-256 of its
content, so the same content is stored once and a key can never point at other bytes."""

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from fundflow.core.config import Settings


class DocumentStore(Protocol):
    def put(self, content: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def checked_key(key: str) -> str:
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("not a content hash")
    return key


class DirectoryStore:
    """Files under a directory, fanned out by the hash's first two characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / checked_key(key)

    def put(self, content: bytes) -> str:
        key = content_key(content)
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_bytes(content)
            temporary.replace(path)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


class S3Store:
    """Objects in a bucket of any S3-compatible service, through boto3. The upload carries
    its SHA-256 so that the service itself refuses bytes damaged on the way."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_settings(cls, settings: "Settings") -> "S3Store":
        import boto3
        from botocore.config import Config

        secret = settings.s3_secret_access_key
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )
        assert settings.s3_bucket is not None  # the settings refuse s3 without a bucket
        return cls(client, settings.s3_bucket, settings.s3_prefix)

    def _object(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def put(self, content: bytes) -> str:
        key = content_key(content)
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._object(key),
            Body=content,
            ContentType="application/octet-stream",
            ChecksumAlgorithm="SHA256",
        )
        return key

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        body: bytes = answer["Body"].read()
        return body


def store_from(settings: "Settings") -> DocumentStore:
    if settings.documents_store == "s3":
        return S3Store.from_settings(settings)
    return DirectoryStore(Path(settings.documents_dir))
