"""Content-addressed storage for filed documents, behind Django's storage API.

A blob's key is its SHA-256, so storing the same bytes twice stores them once, and a
document's stamp can always be checked against its bytes. The bytes live in a Django
`Storage`: a directory by default (`FileSystemStorage`), or an S3-compatible bucket
(django-storages' `S3Storage`) with `DOCUMENT_STORAGE=s3`, so that every node of a court
sees the same documents and the same staged uploads.

On a filesystem, writes go to a temporary file in the same directory and are renamed into
place, so a reader never sees half a file, and a blob moves between two stores of the
same filesystem by hard link. On S3 an object appears whole or not at all, and moves by a
server-side copy. Blobs written for a transaction that then failed are orphans:
`sweep_orphans` removes those no database row refers to.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

CHUNK = 1024 * 1024
HEX = frozenset("0123456789abcdef")


def _is_key(key: str) -> bool:
    return len(key) == 64 and all(c in HEX for c in key)


class BlobStore:
    """Blobs by SHA-256 in a Django storage; `BlobStore(path)` is a directory."""

    def __init__(self, storage: Storage | Path | str) -> None:
        if isinstance(storage, (Path, str)):
            storage = FileSystemStorage(location=str(storage))
        self.storage = storage

    @property
    def on_filesystem(self) -> bool:
        return isinstance(self.storage, FileSystemStorage)

    @property
    def root(self) -> Path:
        return Path(cast(FileSystemStorage, self.storage).location)

    def name(self, key: str) -> str:
        if not _is_key(key):
            raise ValueError("not a blob key")
        return f"{key[:2]}/{key[2:4]}/{key}"

    def path(self, key: str) -> Path:
        """The blob's file (filesystem stores only)."""
        return self.root / self.name(key)

    # --- writing ---------------------------------------------------------------------

    def put_stream(self, stream: Iterable[bytes]) -> tuple[str, int]:
        """Store the bytes; returns (key, size). The bytes pass through a temporary file,
        never whole through memory."""
        if self.on_filesystem:
            return self._put_local(stream)
        with tempfile.TemporaryFile() as spool:
            digest = hashlib.sha256()
            size = 0
            for chunk in stream:
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            key = digest.hexdigest()
            if not self.exists(key):
                spool.seek(0)
                self._upload(key, spool)
            return key, size

    def put_file(self, source: IO[bytes]) -> tuple[str, int]:
        """Store an open file (a staged upload on disk): hashed in one pass, then written
        from the same file; returns (key, size)."""
        if self.on_filesystem:
            source.seek(0)
            return self._put_local(read_chunks(source))
        source.seek(0)
        key, size = file_digest(source)
        if not self.exists(key):
            source.seek(0)
            self._upload(key, source)
        return key, size

    def put(self, data: bytes) -> str:
        return self.put_stream([data])[0]

    def _put_local(self, stream: Iterable[bytes]) -> tuple[str, int]:
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".incoming-")
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

    def _upload(self, key: str, source: IO[bytes]) -> None:
        # upload_fileobj sends large files in parts, reading the file a part at a time.
        self._bucket().upload_fileobj(
            source, self._object_key(key), ExtraArgs={"ContentType": "application/pdf"}
        )

    def adopt(self, key: str, source: BlobStore) -> bool:
        """Take the blob `key` from another store without sending its bytes again: a hard
        link on one filesystem, a server-side copy within one S3 service. The source
        verified the bytes when it stored them, so they are not hashed again. False when
        neither is possible (no such blob, another filesystem); the caller then copies."""
        if self.on_filesystem and source.on_filesystem:
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
        if self.on_filesystem or source.on_filesystem:
            return False
        if self.exists(key):
            return True
        if not source.exists(key):
            return False
        copy_source = {"Bucket": source._bucket().name, "Key": source._object_key(key)}
        self._bucket().copy(copy_source, self._object_key(key))
        return True

    def touch(self, key: str) -> None:
        """Mark a blob as just used, so that a sweep (which spares recent blobs) cannot
        take it between a check and the commit that references it."""
        if self.on_filesystem:
            with contextlib.suppress(FileNotFoundError):
                os.utime(self.path(key))
            return
        if not self.exists(key):
            return
        name = self._object_key(key)
        # S3 has no utime: copying an object onto itself with new metadata renews its
        # LastModified, server-side.
        self._bucket().Object(name).copy_from(
            CopySource={"Bucket": self._bucket().name, "Key": name},
            MetadataDirective="REPLACE",
            Metadata={"touched": str(int(time.time()))},
            ContentType="application/pdf",
        )

    # --- reading ---------------------------------------------------------------------

    def open(self, key: str) -> BinaryIO:
        """The blob as a file to read in chunks; FileNotFoundError when it is gone."""
        if self.on_filesystem:
            return self.path(key).open("rb")
        from botocore.exceptions import ClientError  # type: ignore[import-untyped]

        try:
            body = self._bucket().Object(self._object_key(key)).get()["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(key) from None
            raise
        return cast(BinaryIO, body)  # botocore's StreamingBody: read(n) and close()

    def read(self, key: str) -> bytes:
        with self.open(key) as stream:
            return stream.read()

    def exists(self, key: str) -> bool:
        if self.on_filesystem:
            return self.path(key).exists()
        return bool(self.storage.exists(self.name(key)))

    def delete(self, key: str) -> None:
        if self.on_filesystem:
            self.path(key).unlink(missing_ok=True)
        else:
            self.storage.delete(self.name(key))

    def keys(self) -> Iterator[str]:
        for key, _ in self._entries():
            yield key

    def _entries(self) -> Iterator[tuple[str, float]]:
        """(key, modified time) of every blob."""
        if self.on_filesystem:
            if not self.root.exists():
                return
            for path in self.root.glob("??/??/*"):
                if _is_key(path.name):
                    yield path.name, path.stat().st_mtime
            return
        prefix = self._object_key("")
        for obj in self._bucket().objects.filter(Prefix=prefix):
            key = obj.key.rsplit("/", 1)[-1]
            if _is_key(key):
                yield key, obj.last_modified.timestamp()

    def sweep_orphans(self, *, referenced: Callable[[str], bool], older_than: float) -> int:
        """Delete blobs (and abandoned temporary files) older than `older_than` seconds
        that `referenced` says nothing points to; returns how many went."""
        cutoff = time.time() - older_than
        removed = 0
        for key, modified in list(self._entries()):
            if modified < cutoff and not referenced(key):
                self.delete(key)
                removed += 1
        if self.on_filesystem and self.root.exists():
            for tmp in self.root.glob(".incoming-*"):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink(missing_ok=True)
                    removed += 1
        return removed

    # --- S3 ----------------------------------------------------------------------------

    def _bucket(self) -> Any:
        return cast(Any, self.storage).bucket

    def _object_key(self, key: str) -> str:
        """The object's key in the bucket (under the store's location); "" gives the
        location's prefix."""
        location = str(cast(Any, self.storage).location).strip("/")
        name = self.name(key) if key else ""
        return f"{location}/{name}" if location else name


def file_digest(source: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of an open file, read in chunks from where it stands."""
    digest = hashlib.sha256()
    size = 0
    for chunk in read_chunks(source):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


@functools.lru_cache(maxsize=8)
def _s3_storage(location: str, config: tuple[tuple[str, str], ...]) -> Storage:
    from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

    options = dict(config)
    storage: Storage = S3Storage(
        bucket_name=options["bucket"],
        endpoint_url=options["endpoint"] or None,
        region_name=options["region"] or None,
        access_key=options["access_key"] or None,
        secret_key=options["secret_key"] or None,
        location=location,
        file_overwrite=True,  # a key is its content: the same name is the same bytes
        default_acl=None,
        querystring_auth=True,
        addressing_style=options["addressing_style"] or None,
    )
    return storage


def _store(location: str, directory: Path) -> BlobStore:
    if settings.DOCUMENT_STORAGE == "s3":
        config = (
            ("bucket", settings.S3_BUCKET),
            ("endpoint", settings.S3_ENDPOINT_URL),
            ("region", settings.S3_REGION),
            ("access_key", settings.S3_ACCESS_KEY_ID),
            ("secret_key", settings.S3_SECRET_ACCESS_KEY),
            ("addressing_style", settings.S3_ADDRESSING_STYLE),
        )
        prefix = settings.S3_PREFIX.strip("/")
        return BlobStore(_s3_storage(f"{prefix}/{location}" if prefix else location, config))
    return BlobStore(directory)


def document_store() -> BlobStore:
    """Filed documents: `DOCUMENT_STORAGE_DIR`, or `[S3_PREFIX/]documents/` in the bucket."""
    return _store("documents", Path(settings.DOCUMENT_STORAGE_DIR))


def staging_store() -> BlobStore:
    """Uploaded PDFs of drafts, by SHA-256, apart from the filed documents: beside the
    document directory, or `[S3_PREFIX/]staging/` in the same bucket, so that a filing
    started on one node can be submitted on another."""
    root = getattr(settings, "FILING_STAGING_DIR", None)
    if not root:
        documents = Path(settings.DOCUMENT_STORAGE_DIR)
        root = documents.with_name(f"{documents.name}-staging")
    return _store("staging", Path(root))
