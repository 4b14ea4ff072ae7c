from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextecf.courts.importing import (
    filer_accounts_import,
    filer_accounts_import_refused,
    parse_filer_csv,
)
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor
from nextecf.lib.text import printable


class Command(BaseCommand):
    help = (
        "Import a court's legacy CM/ECF filer accounts from a CSV file. Every row is checked "
        "first: if any is bad, nothing is imported. Safe to run again with the same file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--court", required=True, help="The court's id, e.g. cit")
        parser.add_argument("file", help="CSV file with a header row")

    def handle(self, *args: Any, **options: Any) -> None:
        court_id = options["court"]
        court = Court.objects.filter(pk=court_id).first()
        if court is None:
            known = ", ".join(Court.objects.order_by("pk").values_list("pk", flat=True))
            raise CommandError(
                f'unknown court "{printable(court_id, 32)}" (known: {known or "none"})'
            )

        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f'cannot read "{path}": {error.strerror}') from None
        source = printable(path.name, 200)

        result = parse_filer_csv(data)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            filer_accounts_import_refused(
                actor=Actor.system(court=court), court=court, result=result, source=source
            )
            if result.bad_rows:
                raise CommandError(f"{source}: {result.bad_rows} bad row(s); nothing imported")
            raise CommandError(f"{source}: the file was refused; nothing imported")

        summary = filer_accounts_import(
            actor=Actor.system(court=court), court=court, rows=result.rows, source=source
        )
        self.stdout.write(str(summary))
