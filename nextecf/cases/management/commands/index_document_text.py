"""Read the text of filed documents not read yet (or all, with --all), for full-text
search: for documents filed before it existed, or after restoring a database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nextecf.cases.models import Document, DocumentText


class Command(BaseCommand):
    help = "Read filed PDFs' text for full-text search (those not read yet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="read every document again")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = Document.objects.order_by("pk")
        if not options["all"]:
            documents = documents.filter(text_layer__isnull=True)
        counts: dict[str, int] = {}
        for document in documents.iterator():
            status = DocumentText.extract(document).status
            counts[status] = counts.get(status, 0) + 1
        shown = ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "none"
        self.stdout.write(f"documents read: {shown}")
