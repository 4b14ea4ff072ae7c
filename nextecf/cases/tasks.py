"""The cases' jobs on the task queue: reading a filed PDF's text for full-text search."""

from __future__ import annotations

from nextecf.cases.models import Document, DocumentText
from nextecf.lib.queue import task


@task(retries=3, retry_delay=60)
def document_text_job(document_id: int) -> str:
    """Read and record one filed document's text (after its filing commits: reading a long
    PDF never holds the filer's request)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"
    return DocumentText.extract(document).status
