from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nextecf.cases.models import Document
from nextecf.filing.models import StagedUpload
from nextecf.filing.services import drafts_delete_expired, staging_store
from nextecf.lib.storage import document_store


class Command(BaseCommand):
    help = (
        "Delete expired filing drafts, then stored PDFs that nothing refers to: staged "
        "uploads of no draft, and document blobs of no Document (left by a filing whose "
        "process died before its transaction committed). Blobs younger than --older-than "
        "seconds are spared: they may belong to a filing in progress."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=60 * 60, dest="older_than")

    def handle(self, *args: Any, **options: Any) -> None:
        older_than = max(0, options["older_than"])
        drafts = drafts_delete_expired()
        staged = staging_store().sweep_orphans(
            referenced=lambda key: StagedUpload.objects.filter(sha256=key).exists(),
            older_than=older_than,
        )
        documents = document_store().sweep_orphans(
            referenced=lambda key: Document.objects.filter(storage_key=key).exists(),
            older_than=older_than,
        )
        self.stdout.write(
            f"expired drafts: {drafts}; orphan staged files: {staged}; "
            f"orphan document files: {documents}"
        )
