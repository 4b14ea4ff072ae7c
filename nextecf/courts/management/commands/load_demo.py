from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from nextecf.accounts.mfa import device_secret
from nextecf.accounts.models import Account, TotpDevice
from nextecf.cases.demo import docket_number, load_demo_cases
from nextecf.cases.models import DocketEntry, Judge, Party
from nextecf.cases.services import court_create
from nextecf.courts.models import Court, CourtStaff, FilerAccount, StaffRole
from nextecf.filing.models import Filing, QcStatus
from nextecf.lib import totp
from nextecf.lib.actor import Actor

DEMO_PASSWORD = "nextecf-demo-password"  # noqa: S105 - published demo credential
LEGACY_CMECF_PASSWORD = "cmecf-legacy-password"  # noqa: S105 - published demo credential
CAND_CMECF_PASSWORD = "cand-legacy-password"  # noqa: S105 - published demo credential

CIT = {
    "name": "U.S. Court of International Trade",
    "login_title": "U.S. Court Of International Trade",
    "abbreviation": "USCIT",
    "helpdesk_phone": "866-450-1859",
    "helpdesk_email": "cmecf_helpdesk@cit.uscourts.gov",
    "database_name": "LIVE Database (New York)",
    "has_training_database": True,
    "pcl_court_id": "citdc",
    "pcl_regions": "ny,02",
}

# The demo's second court, of another kind: a district court in another time zone, whose
# case numbers carry its own office digit (3: San Francisco), with the CIT's event
# catalogue copied and a district court's civil filing fee on the event that opens a case.
CAND: dict[str, Any] = {
    "court_id": "cand",
    "name": "U.S. District Court for the Northern District of California",
    "login_title": "U.S. District Court for the Northern District of California",
    "abbreviation": "CAND",
    "kind": Court.Kind.DISTRICT,
    "time_zone": "America/Los_Angeles",
    "case_office": 3,
    "case_type": "cv",
    "helpdesk_phone": "866-638-7829",
    "helpdesk_email": "ecfhelpdesk@cand.uscourts.gov",
    "database_name": "LIVE Database (San Francisco)",
    "pcl_court_id": "candc",
    "pcl_regions": "ca,09",
    "fees": {"summons": 40_500},
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
        "note": "USCIT docketing clerk: staff workspace at /cit/staff/",
    },
    {
        "username": "citqc",
        "first_name": "Quinn",
        "last_name": "Reyes",
        "email": "quinn_reyes@cit.uscourts.gov",
        "is_staff": True,
        "note": "USCIT quality-control clerk",
    },
    {
        "username": "judgekatzmann",
        "first_name": "Gary",
        "last_name": "Katzmann",
        "email": "gary_katzmann@cit.uscourts.gov",
        "is_staff": True,
        "note": "Judge Gary S. Katzmann, the judge of the Meridian case",
    },
    {
        "username": "gskchambers",
        "first_name": "Morgan",
        "last_name": "Ellis",
        "email": "morgan_ellis@cit.uscourts.gov",
        "is_staff": True,
        "note": "law clerk in Judge Katzmann's chambers",
    },
    {
        "username": "citadmin",
        "first_name": "Avery",
        "last_name": "Stone",
        "email": "avery_stone@cit.uscourts.gov",
        "is_staff": True,
        "note": "USCIT court administrator",
    },
    {
        "username": "candclerk",
        "first_name": "Nora",
        "last_name": "Clerk",
        "email": "nora_clerk@cand.uscourts.gov",
        "is_staff": True,
        "note": "N.D. Cal. clerk: staff workspace at /cand/staff/",
    },
]

# The demo court's staff: each login's role, and for chambers the judge's login they act
# for. Every one has an authenticator app, whose secret the loader prints.
STAFF_ROLES: dict[str, tuple[StaffRole, str]] = {
    "citclerk": (StaffRole.CLERK, ""),
    "citqc": (StaffRole.QC_CLERK, ""),
    "judgekatzmann": (StaffRole.JUDGE, ""),
    "gskchambers": (StaffRole.CHAMBERS, "judgekatzmann"),
    "citadmin": (StaffRole.ADMINISTRATOR, ""),
}
MERIDIAN_JUDGE = ("GSK", "judgekatzmann")  # the judge record's initials, their login


def _app_secret(account: Account) -> str:
    """The account's demo authenticator app's secret (the app made once, kept on later runs)."""
    device = account.totp_devices.filter(confirmed=True).order_by("pk").first()
    if device is None:
        device = TotpDevice.objects.create_with_secret(
            account=account, name="Demo authenticator", secret=totp.new_secret(), confirmed=True
        )
    return device_secret(device)


def _legacy_account(court: Court, login: str, password: str, email: str) -> None:
    """John Doe's legacy CM/ECF account at a court, each court's with its own password."""
    if FilerAccount.objects.filter(court=court, login=login).exists():
        return
    filer = FilerAccount(
        court=court,
        login=login,
        first_name="John",
        last_name="Doe",
        email=email,
        role=FilerAccount.Role.ATTORNEY,
        bar_status="ACTIVE",
    )
    filer.set_password(password)
    filer.save()


QC_DEMO_FILINGS = 3


class Command(BaseCommand):
    help = (
        "Load the USCIT court, a second court (N.D. Cal.) and the demo people (safe to run again)."
    )

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
            if Account.objects.filter(username=person["username"]).first() is None:
                Account.objects.create_user(person["username"], DEMO_PASSWORD, **fields)
        _legacy_account(court, "doej", LEGACY_CMECF_PASSWORD, "jdoe@doelaw.example")
        clerk = Account.objects.filter(username="citclerk").first()
        demo = load_demo_cases(court, password=DEMO_PASSWORD, clerk=clerk)
        secrets = self._staff(court)
        # The second court copies the first's catalogue, which load_demo_cases installed.
        cand = Court.objects.filter(pk=CAND["court_id"]).first()
        if cand is None:
            cand = court_create(actor=Actor.system(), template=court, **CAND)
        cand_clerk = Account.objects.get(username="candclerk")
        CourtStaff.objects.get_or_create(court=cand, account=cand_clerk, role=StaffRole.CLERK)
        secrets["candclerk"] = _app_secret(cand_clerk)
        _legacy_account(cand, "jdoe", CAND_CMECF_PASSWORD, "john.doe@doelaw.example")
        waiting = self._qc_queue(court)

        self.stdout.write(f"\nDemo court: {court.name} at /cit/")
        self.stdout.write(f"Every demo PACER password: {DEMO_PASSWORD}\n")
        for person in PEOPLE:
            self.stdout.write(f"  PACER {person['username']:<11} {person['note']}")
            if person["username"] in secrets:
                self.stdout.write(
                    f"        TOTP secret for {person['username']}: {secrets[person['username']]}"
                )
        doej = FilerAccount.objects.get(court=court, login="doej")
        state = f"linked to {doej.account.username}" if doej.account else "not yet linked"
        self.stdout.write(
            f"  USCIT CM/ECF account doej (John Doe), legacy password {LEGACY_CMECF_PASSWORD}"
            f" ({state})"
        )
        jdoe = FilerAccount.objects.get(court=cand, login="jdoe")
        state = f"linked to {jdoe.account.username}" if jdoe.account else "not yet linked"
        self.stdout.write(
            f"  N.D. Cal. CM/ECF account jdoe (John Doe), legacy password {CAND_CMECF_PASSWORD}"
            f" ({state})"
        )
        self.stdout.write(
            "  PACER mwhitfield  a DOJ trial attorney, linked to USCIT CM/ECF account mwhitfield"
        )
        self.stdout.write(f"Second court: {cand.name} at /{cand.pk}/")
        cases = "; ".join(
            f"{docket_number(c)} {c.title} ({c.entries.count()} entries)" for c in demo.cases
        )
        self.stdout.write(f"Demo cases: {cases}")
        self.stdout.write(
            f"QC queue: {waiting} filing{'s' if waiting != 1 else ''} waiting for citqc at "
            "/cit/staff/qc/\n"
        )

    def _qc_queue(self, court: Court) -> int:
        """The demo's most recent filings by linked filers wait in the QC queue, as filings
        made through the Civil menu do (a new user of the workspace sees work to do)."""
        seeded = Filing.objects.filter(court=court, draft_id__startswith="demo-qc-").exists()
        entries = (
            DocketEntry.objects.none()
            if seeded  # once: a rerun keeps what the clerks did with them
            else DocketEntry.objects.filter(
                case__court=court, filer__account__isnull=False, event__isnull=False
            )
            .exclude(pk__in=Filing.objects.values("entry_id"))
            .select_related("case", "event", "filer")
            .order_by("-entered_at")[:QC_DEMO_FILINGS]
        )
        for entry in entries:
            assert entry.filer is not None and entry.filer.account is not None
            assert entry.event is not None
            filing = Filing.objects.create(
                draft_id=f"demo-qc-{entry.pk}",
                court=court,
                case=entry.case,
                entry=entry,
                event=entry.event,
                filer=entry.filer,
                account=entry.filer.account,
                created_at=entry.entered_at,
            )
            filing.parties.set(
                Party.objects.filter(case=entry.case, appearances__filer=entry.filer)
            )
        return Filing.objects.filter(court=court, qc_status=QcStatus.PENDING).count()

    def _staff(self, court: Court) -> dict[str, str]:
        """The staff roles, the Meridian judge's account and each staff account's
        authenticator app (made once, kept on later runs); returns login -> TOTP secret."""
        accounts = {a.username: a for a in Account.objects.filter(username__in=STAFF_ROLES)}
        for username, (role, acts_for) in STAFF_ROLES.items():
            CourtStaff.objects.get_or_create(
                court=court,
                account=accounts[username],
                role=role,
                defaults={"acts_for": accounts[acts_for] if acts_for else None},
            )
        initials, judge_login = MERIDIAN_JUDGE
        Judge.objects.filter(court=court, initials=initials, account__isnull=True).update(
            account=accounts[judge_login]
        )
        return {username: _app_secret(account) for username, account in accounts.items()}
