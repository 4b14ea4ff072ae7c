from __future__ import annotations

import os
import time

from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
from nextecf.cases.models import Case, CaseSequence
from nextecf.lib.pdf import make_pdf, pdf_check
from nextecf.lib.storage import document_store


def test_case_numbers_follow_the_cit_format_without_gaps(court):
    first, second = CaseFactory(court=court), CaseFactory(court=court)
    year = first.date_filed.year % 100
    assert first.number == f"1:{year:02d}-cv-00001"
    assert second.number == f"1:{year:02d}-cv-00002"
    assert CaseSequence.objects.get().last == 2
    assert Case.format_number(2026, 219) == "1:26-cv-00219"


def test_a_document_is_stored_under_its_sha256(court):
    document = DocumentFactory(
        entry=DocketEntryFactory(case=CaseFactory(court=court)), page_count=3
    )
    data = document_store().read(document.storage_key)
    assert pdf_check(data, max_bytes=10**7).pages == 3
    import hashlib

    assert hashlib.sha256(data).hexdigest() == document.sha256 == document.storage_key
    assert document.doc_id.startswith("014") and len(document.doc_id) == 12


def test_pdf_check_refuses_what_is_not_a_usable_pdf():
    assert pdf_check(b"", max_bytes=100).problem == "is empty"
    assert "not a PDF" in pdf_check(b"GIF89a....", max_bytes=100).problem
    assert "well-formed" in pdf_check(b"%PDF-1.4\nnothing else", max_bytes=100).problem
    assert "larger than" in pdf_check(make_pdf([["x"]]), max_bytes=10).problem


def test_orphan_blobs_are_swept_only_when_old_and_unreferenced(settings):
    store = document_store()
    kept, orphan, fresh = store.put(b"kept"), store.put(b"orphan"), store.put(b"fresh")
    old = time.time() - 3600
    for key in (kept, orphan):
        os.utime(store.path(key), (old, old))
    removed = store.sweep_orphans(referenced=lambda key: key == kept, older_than=600)
    assert removed == 1
    assert store.exists(kept) and store.exists(fresh) and not store.exists(orphan)


def test_adopting_a_blob_links_it_without_copying(tmp_path):
    from nextecf.lib.storage import BlobStore

    staging, documents = BlobStore(tmp_path / "staging"), BlobStore(tmp_path / "documents")
    key = staging.put(b"%PDF-1.4 exhibit")
    assert documents.adopt(key, staging)
    assert documents.read(key) == b"%PDF-1.4 exhibit"
    assert documents.path(key).stat().st_ino == staging.path(key).stat().st_ino
    staging.delete(key)  # the filed document outlives its staged upload
    assert documents.exists(key)
    assert documents.adopt(key, staging)  # already there
    assert not documents.adopt("0" * 64, staging)  # nothing to link: the caller copies
