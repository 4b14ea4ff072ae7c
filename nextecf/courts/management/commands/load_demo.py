from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from nextecf.accounts.models import Account
from nextecf.cases.demo import docket_number, load_demo_cases
from nextecf.courts.models import Court, CourtStaff, FilerAccount

DEMO_PASSWORD = "nextecf-demo-password"  # noqa: S105 - published demo credential
LEGACY_CMECF_PASSWORD = "cmecf-legacy-password"  # noqa: S105 - published demo credential

CIT = {
    "name": "U.S. Court of International Trade",
    "login_title": "U.S. Court Of International Trade",
    "abbreviation": "USCIT",
    "helpdesk_phone": "866-450-1859",
    "helpdesk_email": "cmecf_helpdesk@cit.uscourts.gov",
    "database_name": "LIVE Database (New York)",
    "has_training_database": True,
}

PEOPLE: list[dict[str, Any]] = [
    {
        "username": "johndoe1",
        "first_name": "John",
        "last_name": "Doe",
        "email": "john.doe@doelaw.example",
        "note": "upgraded, individual, not yet linked",
    },
    {
        "username": "firmshared",
        "first_name": "Smith & Jones",
        "last_name": "LLP",
        "email": "pacer@smithjones.example",
        "sharing": Account.Sharing.SHARED,
        "note": "a shared firm account: may search, never link or file",
    },
    {
        "username": "lp1234",
        "first_name": "Laura",
        "last_name": "Peters",
        "email": "lpeters@example.com",
        "kind": Account.Kind.LEGACY,
        "note": "a legacy account: must upgrade before linking",
    },
    {
        "username": "cjalawyer",
        "first_name": "Carla",
        "last_name": "Alvarez",
        "email": "calvarez@cjapanel.example",
        "cja_eligible": True,
        "note": "CJA-eligible: may change PACER exemption status",
    },
    {
        "username": "publicuser",
        "first_name": "Pat",
        "last_name": "Public",
        "email": "pat.public@example.com",
        "note": "a public user with no court account",
    },
    {
        "username": "citclerk",
        "first_name": "Casey",
        "last_name": "Clerk",
        "email": "casey_clerk@cit.uscourts.gov",
        "is_staff": True,
        "note": "USCIT staff: staff tools at /admin/",
    },
]


class Command(BaseCommand):
    help = "Load the USCIT court and the seed's demo people (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        court, _ = Court.objects.get_or_create(pk="cit", defaults=CIT)
        # The demo court has a training database; on the training instance this is it.
        court.has_training_database = True
        if settings.TRAINING_INSTANCE:
            court.database = Court.Database.TRAINING
            court.database_name = "TRAINING Database"
        court.save(update_fields=["has_training_database", "database", "database_name"])
        for person in PEOPLE:
            fields = {k: v for k, v in person.items() if k not in {"username", "note"}}
            account = Account.objects.filter(username=person["username"]).first()
            if account is None:
                account = Account.objects.create_user(person["username"], DEMO_PASSWORD, **fields)
            if person["username"] == "citclerk":
                CourtStaff.objects.get_or_create(court=court, account=account)
        if not FilerAccount.objects.filter(court=court, login="doej").exists():
            filer = FilerAccount(
                court=court,
                login="doej",
                first_name="John",
                last_name="Doe",
                email="jdoe@doelaw.example",
                role=FilerAccount.Role.ATTORNEY,
                bar_status="ACTIVE",
            )
            filer.set_password(LEGACY_CMECF_PASSWORD)
            filer.save()
        clerk = Account.objects.filter(username="citclerk").first()
        demo = load_demo_cases(court, password=DEMO_PASSWORD, clerk=clerk)

        self.stdout.write(f"\nDemo court: {court.name} at /cit/")
        self.stdout.write(f"Every demo PACER password: {DEMO_PASSWORD}\n")
        for person in PEOPLE:
            self.stdout.write(f"  PACER {person['username']:<11} {person['note']}")
        doej = FilerAccount.objects.get(court=court, login="doej")
        state = f"linked to {doej.account.username}" if doej.account else "not yet linked"
        self.stdout.write(
            f"  USCIT CM/ECF account doej (John Doe), legacy password {LEGACY_CMECF_PASSWORD}"
            f" ({state})"
        )
        self.stdout.write(
            "  PACER mwhitfield  a DOJ trial attorney, linked to USCIT CM/ECF account mwhitfield"
        )
        cases = "; ".join(
            f"{docket_number(c)} {c.title} ({c.entries.count()} entries)" for c in demo.cases
        )
        self.stdout.write(f"Demo cases: {cases}\n")
