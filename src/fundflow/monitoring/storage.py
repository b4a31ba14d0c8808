"""Where uploaded documents live. A directory by default; anything with `put`/`get` (an
S3-compatible bucket, say) can take its place in production."""

import hashlib
from pathlib import Path
from typing import Protocol


class DocumentStore(Protocol):
    def put(self, content: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


class DirectoryStore:
    """Files named by their SHA-256 under a directory: the same content is stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("not a content hash")
        return self.root / key[:2] / key

    def put(self, content: bytes) -> str:
        key = hashlib.sha256(content).hexdigest()
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_bytes(content)
            temporary.replace(path)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()
