"""Content-addressed storage for filed documents on a filesystem path.

A blob's key is its SHA-256, so storing the same bytes twice stores them once, and a
document's stamp can always be checked against its bytes. Writes go to a temporary file
in the same directory and are renamed into place, so a reader never sees half a file.
Blobs written for a transaction that then failed are orphans: `sweep_orphans` removes
those no database row refers to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

CHUNK = 1024 * 1024


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a blob key")
        return self.root / key[:2] / key[2:4] / key

    def put_stream(self, stream: Iterable[bytes]) -> tuple[str, int]:
        """Store the bytes; returns (key, size)."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in stream:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            key = digest.hexdigest()
            final = self.path(key)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return key, size

    def adopt(self, key: str, source: BlobStore) -> bool:
        """Take the blob `key` from another store on the same filesystem by hard-linking it:
        no bytes are copied or hashed again (the source verified them when it stored them).
        False when linking is impossible (another filesystem, no such blob); the caller
        then copies."""
        final = self.path(key)
        if final.exists():
            return True
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source.path(key), final)
        except FileExistsError:
            return True  # a concurrent filing of the same bytes linked it first
        except OSError:
            return False
        return True

    def put(self, data: bytes) -> str:
        return self.put_stream([data])[0]

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for path in self.root.glob("??/??/*"):
            if len(path.name) == 64:
                yield path.name

    def sweep_orphans(self, *, referenced: Callable[[str], bool], older_than: float) -> int:
        """Delete blobs (and abandoned temporary files) older than `older_than` seconds
        that `referenced` says nothing points to; returns how many went."""
        cutoff = time.time() - older_than
        removed = 0
        for key in list(self.keys()):
            path = self.path(key)
            if path.stat().st_mtime < cutoff and not referenced(key):
                path.unlink(missing_ok=True)
                removed += 1
        for tmp in self.root.glob(".incoming-*") if self.root.exists() else []:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed


def document_store() -> BlobStore:
    return BlobStore(settings.DOCUMENT_STORAGE_DIR)


def read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk
