"""Documents and staged uploads in an S3-compatible bucket (a real SeaweedFS server started
by the test run, tests/seaweedfs.py), as several nodes of a court share them."""

from __future__ import annotations

import hashlib

from django.core.management import call_command

from nextecf.cases.models import Document
from nextecf.filing.models import StagedUpload
from nextecf.filing.tests.conftest import draft_of, pdf, upload
from nextecf.lib.storage import BlobStore, document_store, staging_store


def _object_keys(s3_server, prefix: str) -> set[str]:
    listing = s3_server.client().list_objects_v2(Bucket=s3_server.bucket, Prefix=prefix)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_a_filing_round_trips_through_s3_keyed_by_sha256(
    people, as_filer, events, s3_documents, s3_server
):
    filer = as_filer(people.filer)
    draft = filer.open_case(events["summons"])

    document = Document.objects.get()
    data = pdf("Summons")
    key = hashlib.sha256(data).hexdigest()
    assert document.storage_key == key == document.sha256
    expected = f"{s3_documents}/documents/{key[:2]}/{key[2:4]}/{key}"
    assert expected in _object_keys(s3_server, s3_documents)
    response = filer.client.get(f"/cit/doc1/{document.doc_id}")
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        response = filer.client.post(f"/cit/doc1/{document.doc_id}", {"got_receipt": "1"})
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data
    assert draft_of(draft).submitted_at is not None


def test_a_draft_staged_on_one_node_is_seen_by_another(
    people, as_filer, events, s3_documents, settings
):
    filer = as_filer(people.filer)
    started = filer.start_open_case(events["summons"])
    draft = filer.draft_id(started)
    assert filer.upload(draft, main=upload("summons.pdf", pdf("Staged"))).status_code == 302
    staged = StagedUpload.objects.get(draft_id=draft)

    # Another node: its own storage object over the same bucket, nothing shared in memory.
    from storages.backends.s3 import S3Storage

    other_node = BlobStore(
        S3Storage(
            bucket_name=settings.S3_BUCKET,
            endpoint_url=settings.S3_ENDPOINT_URL,
            access_key=settings.S3_ACCESS_KEY_ID,
            secret_key=settings.S3_SECRET_ACCESS_KEY,
            region_name=settings.S3_REGION,
            location=f"{settings.S3_PREFIX}/staging",
        )
    )
    assert other_node.exists(staged.sha256)
    assert other_node.read(staged.sha256) == pdf("Staged")


def test_filing_copies_a_staged_pdf_inside_the_bucket(s3_documents):
    staging, documents = staging_store(), document_store()
    key, size = staging.put_stream([b"%PDF-1.4 ", b"bytes"])
    assert documents.adopt(key, staging)  # a server-side copy: no bytes sent again
    assert documents.read(key) == b"%PDF-1.4 bytes" and size == 14
    assert documents.adopt(key, staging)  # already there
    assert not documents.adopt("0" * 64, staging)


def test_the_sweep_removes_orphans_from_s3_and_keeps_the_rest(
    people, as_filer, events, s3_documents
):
    filer = as_filer(people.filer)
    filer.open_case(events["summons"])
    kept_document = Document.objects.get().storage_key
    orphan_document = document_store().put(b"%PDF-1.4 orphan document")
    orphan_staged = staging_store().put(b"%PDF-1.4 orphan staged")
    live_draft = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(live_draft, main=upload("live.pdf", pdf("Live")))
    live_staged = StagedUpload.objects.get(draft_id=live_draft).sha256

    call_command("sweep_documents", older_than=0)

    assert set(document_store().keys()) == {kept_document}
    assert set(staging_store().keys()) == {live_staged}
    assert orphan_document not in set(document_store().keys())
    assert orphan_staged not in set(staging_store().keys())
