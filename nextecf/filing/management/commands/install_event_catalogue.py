from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextecf.cases.catalogue import catalogue_install
from nextecf.courts.models import Court


class Command(BaseCommand):
    help = (
        "Install the CIT event catalogue (Summons, Complaint, Form 5, ...) in a court. "
        "Existing events keep the fees and texts the court's staff gave them unless "
        "--overwrite is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("court", help="The court id, e.g. cit")
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        court = Court.objects.filter(pk=options["court"]).first()
        if court is None:
            raise CommandError(f"No court {options['court']!r}.")
        result = catalogue_install(court=court, overwrite=options["overwrite"])
        self.stdout.write(
            f"{court.pk}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
