from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextecf.cases.services import court_create
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor


def _fee(text: str) -> tuple[str, int]:
    code, sep, amount = text.partition("=")
    try:
        dollars = float(amount)
    except ValueError:
        dollars = -1
    if not sep or not code or dollars < 0:
        raise CommandError(f"--fee {text!r}: give EVENT=DOLLARS, e.g. summons=405.00")
    return code.strip(), round(dollars * 100)


class Command(BaseCommand):
    help = (
        "Add a court instance: its id (the host ecf.<id>.<ECF_DOMAIN>), name, kind, time "
        "zone, case-number format, help desk, and an event catalogue and fee schedule "
        "copied from a template court (--fee EVENT=DOLLARS sets another fee)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "court", help='The court id, e.g. cand (must end in "b" only for a bankruptcy court)'
        )
        parser.add_argument("--name", required=True, help="e.g. U.S. District Court for ...")
        parser.add_argument("--kind", choices=Court.Kind.values, default=Court.Kind.DISTRICT)
        parser.add_argument("--time-zone", default="America/New_York")
        parser.add_argument("--case-office", type=int, default=1, help="o in o:YY-cv-NNNNN")
        parser.add_argument("--case-type", default="cv", help="tt in o:YY-tt-NNNNN")
        parser.add_argument("--helpdesk-phone", required=True)
        parser.add_argument("--helpdesk-email", required=True)
        parser.add_argument("--template", default="cit", help="The court whose events to copy")
        parser.add_argument("--abbreviation", default="")
        parser.add_argument("--login-title", default="")
        parser.add_argument("--database-name", default="")
        parser.add_argument("--pcl-court-id", default="", help="e.g. candc (default: id + dc)")
        parser.add_argument("--pcl-regions", default="", help="e.g. ca,09")
        parser.add_argument("--fee", action="append", default=[], metavar="EVENT=DOLLARS")

    def handle(self, *args: Any, **options: Any) -> None:
        template = Court.objects.filter(pk=options["template"]).first()
        if template is None:
            raise CommandError(f"--template: no court {options['template']!r}.")
        try:
            court = court_create(
                actor=Actor.system(),
                court_id=options["court"],
                name=options["name"],
                kind=options["kind"],
                time_zone=options["time_zone"],
                case_office=options["case_office"],
                case_type=options["case_type"],
                helpdesk_phone=options["helpdesk_phone"],
                helpdesk_email=options["helpdesk_email"],
                template=template,
                abbreviation=options["abbreviation"],
                login_title=options["login_title"],
                database_name=options["database_name"],
                pcl_court_id=options["pcl_court_id"],
                pcl_regions=options["pcl_regions"],
                fees=dict(_fee(text) for text in options["fee"]),
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from None
        events = court.events.count()
        self.stdout.write(
            f"Court {court.pk} ({court.name}) created with {events} events from "
            f"{template.pk}; case numbers like {court.case_number_example}; served at "
            f"/{court.pk}/ and ecf.{court.pk}.<ECF_DOMAIN>."
        )
