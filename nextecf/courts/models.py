"""Court instances, their legacy CM/ECF filer accounts, and the link to central accounts."""

from __future__ import annotations

import re
import secrets
import time
from datetime import date, timedelta
from typing import IO, ClassVar
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from nextecf.accounts.models import Account, SignOn
from nextecf.lib.pdf import PdfCheck, pdf_check

PENDING_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
# A court id is one DNS label of the court's host (ecf.<id>.<ECF_DOMAIN>). Juriscraper
# reads a court id ending in "b" as a bankruptcy court's (juriscraper-client.md §3.3), so
# the id of a court of another kind must not end in one, and a bankruptcy court's must.
COURT_ID = re.compile(r"[a-z][a-z0-9]{1,15}")
PCL_COURT_ID = re.compile(r"[a-z0-9]{2,10}")
CASE_TYPE = re.compile(r"[a-z]{2,3}")
# How long the courts' PCL ids are remembered (serializers ask for them once per row).
PCL_IDS_CACHE_SECONDS = 60
_pcl_ids: dict[str, tuple[float, dict[str, tuple[str, tuple[str, ...]]]]] = {}


class CourtQuerySet(models.QuerySet["Court"]):
    def staffed_by(self, account: Account) -> CourtQuerySet:
        """The courts whose staff this account is, whose records it may see and manage: an
        active staff account's CourtStaff courts, every court for a superuser among them."""
        if not account.is_active or not account.is_staff:
            return self.none()
        if account.is_superuser:
            return self.all()
        return self.filter(staff__account=account)

    def pcl_ids(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every court's (PCL court id, PCL region codes), by court id; remembered for
        PCL_IDS_CACHE_SECONDS, and forgotten whenever a court is saved in this process."""
        now = time.monotonic()
        cached = _pcl_ids.get("all")
        if cached is not None and now - cached[0] < PCL_IDS_CACHE_SECONDS:
            return cached[1]
        rows = Court.objects.values_list("pk", "pcl_court_id", "pcl_regions")
        ids = {pk: (pcl or f"{pk}dc", _regions(regions)) for pk, pcl, regions in rows}
        _pcl_ids["all"] = (now, ids)
        return ids


def _regions(text: str) -> tuple[str, ...]:
    return tuple(r.strip().lower() for r in text.split(",") if r.strip())


def pcl_ids_forget() -> None:
    _pcl_ids.clear()


class Court(models.Model):
    """One court's CM/ECF instance, reached at /<id>/ and at ecf.<id>.<ECF_DOMAIN>."""

    class Database(models.TextChoices):
        LIVE = "live", "LIVE"
        TRAINING = "training", "TRAINING"

    class Kind(models.TextChoices):
        INTERNATIONAL_TRADE = "international_trade", "Court of International Trade"
        DISTRICT = "district", "District court"
        BANKRUPTCY = "bankruptcy", "Bankruptcy court"

    id = models.SlugField(primary_key=True, max_length=16, help_text="e.g. cit")
    name = models.CharField(max_length=200, help_text="e.g. U.S. Court of International Trade")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.INTERNATIONAL_TRADE)
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        help_text="The court's own time (IANA name): dates filed, NEFs, case-number years.",
    )
    case_office = models.PositiveSmallIntegerField(
        default=1, help_text='The office digit of its case numbers, e.g. 1 in "1:26-cv-00001".'
    )
    case_type = models.CharField(
        max_length=3, default="cv", help_text='The case type of its case numbers, e.g. "cv".'
    )
    pcl_court_id = models.CharField(
        "PCL court id",
        max_length=20,
        blank=True,
        help_text="The PACER Case Locator's id, e.g. citdc or candc. Empty: the id plus dc.",
    )
    pcl_regions = models.CharField(
        "PCL region codes",
        max_length=40,
        blank=True,
        help_text="Comma-separated: the state's postal code and the circuit, e.g. ny,02.",
    )
    login_title = models.CharField(
        max_length=200, help_text="Shown on the login page, e.g. U.S. Court Of International Trade"
    )
    abbreviation = models.CharField(max_length=16, help_text="e.g. USCIT")
    helpdesk_phone = models.CharField(max_length=32)
    helpdesk_email = models.EmailField()
    database = models.CharField(max_length=10, choices=Database.choices, default=Database.LIVE)
    database_name = models.CharField(
        max_length=80,
        blank=True,
        help_text='The docket header\'s database line, e.g. "LIVE Database (New York)".',
    )
    has_training_database = models.BooleanField(default=False)
    # The court's limits for one filed PDF; empty means the instance default (MAX_PDF_MB,
    # MAX_PDF_PAGES, PDF_CHECK_SECONDS).
    max_pdf_mb = models.PositiveSmallIntegerField(
        "largest PDF (MB)", null=True, blank=True, help_text="Empty: the instance default."
    )
    max_pdf_pages = models.PositiveIntegerField(
        "most pages in a PDF", null=True, blank=True, help_text="Empty: the instance default."
    )
    pdf_embedded_files_allowed = models.BooleanField("PDFs may carry embedded files", default=False)
    deficiency_response_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="Days a filer has to answer a quality-control deficiency notice.",
    )
    draft_days = models.PositiveSmallIntegerField(
        "days an untouched filing draft is kept",
        default=7,
        help_text="A filer who is signed out (or times out) resumes the draft within this time.",
    )
    staff_passkey_required = models.BooleanField(
        "court staff must log in with a passkey",
        default=False,
        help_text="The staff tools then refuse a sign-on whose second factor was not a passkey.",
    )
    public_version_days = models.PositiveSmallIntegerField(
        "business days for a public version",
        default=1,
        help_text="How soon a confidential filing's public version is due (USCIT Rule 5(g)).",
    )

    objects: ClassVar[CourtQuerySet] = CourtQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        pcl_ids_forget()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self._state.adding and not COURT_ID.fullmatch(str(self.pk or "")):
            errors["id"] = (
                "Court id must be 2-16 lower-case letters and digits, starting with a letter."
            )
        elif self._state.adding and (str(self.pk).endswith("b")) != (
            self.kind == self.Kind.BANKRUPTCY
        ):
            errors["id"] = (
                'Court id must end in "b" for a bankruptcy court, and only for one '
                "(PACER software reads the id that way)."
            )
        if self.time_zone not in available_timezones():
            errors["time_zone"] = "Time zone must be an IANA name, e.g. America/New_York."
        if not CASE_TYPE.fullmatch(self.case_type or ""):
            errors["case_type"] = 'Case type must be 2 or 3 lower-case letters, e.g. "cv".'
        if not 1 <= (self.case_office or 0) <= 9:
            errors["case_office"] = "Case office must be a digit from 1 to 9."
        if self.pcl_court_id and not PCL_COURT_ID.fullmatch(self.pcl_court_id):
            errors["pcl_court_id"] = "PCL court id must be 2-10 lower-case letters and digits."
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self) -> date:
        """Today's date where the court sits."""
        return timezone.localdate(timezone.now(), self.tz)

    @property
    def pcl_id(self) -> str:
        return self.pcl_court_id or f"{self.pk}dc"

    @property
    def case_number_example(self) -> str:
        return f"{self.case_office}:26-{self.case_type}-00001"

    @property
    def max_pdf_bytes(self) -> int:
        if self.max_pdf_mb:
            return int(self.max_pdf_mb) * 1024 * 1024
        return int(settings.MAX_PDF_BYTES)

    def pdf_check(self, source: bytes | IO[bytes]) -> PdfCheck:
        """Is this PDF acceptable for filing in this court?"""
        return pdf_check(
            source,
            max_bytes=self.max_pdf_bytes,
            max_pages=self.max_pdf_pages or settings.MAX_PDF_PAGES,
            seconds=settings.PDF_CHECK_SECONDS,
            allow_embedded=self.pdf_embedded_files_allowed,
        )

    @property
    def database_line(self) -> str:
        """The docket header's second line, e.g. "LIVE Database (New York)"."""
        return self.database_name or f"{self.get_database_display()} Database"


class StaffRole(models.TextChoices):
    """The court roles of the staff workspace; every check of a role names one of these."""

    CLERK = "clerk", "Clerk (docketing)"
    QC_CLERK = "qc_clerk", "Quality-control clerk"
    JUDGE = "judge", "Judge"
    CHAMBERS = "chambers", "Chambers staff"
    ADMINISTRATOR = "administrator", "Court administrator"


class CourtStaffQuerySet(models.QuerySet["CourtStaff"]):
    def serves(self, account: Account, court: Court) -> bool:
        """Whether the account is on the court's staff (the same rule as
        Court.objects.staffed_by, without a query for a superuser)."""
        if not account.is_active or not account.is_staff:
            return False
        return account.is_superuser or self.filter(court=court, account=account).exists()

    def passkey_required(self, account: Account) -> bool:
        """Whether a court this account works for requires its staff to use passkeys."""
        return self.filter(account=account, court__staff_passkey_required=True).exists()

    def roles_of(self, account: Account, court: Court) -> set[StaffRole]:
        """The roles this active staff account holds in this court (none in any other). Like
        serves, it asks the account's staff flag first, so that for everyone else (every
        filer and public user on every page's menu bar) it costs no query."""
        if not account.is_active or not account.is_staff:
            return set()
        held = self.filter(court=court, account=account).values_list("role", flat=True)
        return {StaffRole(role) for role in held}


class CourtStaff(models.Model):
    """A role a central account holds in one court. One account may hold several roles in
    a court and roles in several courts; a role gives nothing outside its court."""

    Role = StaffRole

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="staff")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="court_roles")
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.CLERK)
    # Chambers staff act for one judge: the judge's central account (the account a
    # cases.Judge record names), kept here so that courts need not know about cases.
    acts_for = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chambers_staff",
        help_text="Chambers staff only: the judge's account they act for.",
    )

    objects: ClassVar[CourtStaffQuerySet] = CourtStaffQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name_plural = "court staff"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "account", "role"], name="court_staff_role_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role="chambers", acts_for__isnull=False)
                | (~models.Q(role="chambers") & models.Q(acts_for__isnull=True)),
                name="court_staff_chambers_acts_for_a_judge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.username}: {self.get_role_display()} at {self.court_id}"


class FilerAccountQuerySet(models.QuerySet["FilerAccount"]):
    def filing_for(self, account: Account) -> FilerAccountQuerySet:
        """The court accounts through which this central account may file."""
        return self.filter(account=account, is_active=True)


class FilerAccount(models.Model):
    """A court's CM/ECF filer account, from before the court converted to NextGen.

    After it is linked to a central account its own password is retired for good and the
    filer signs on with the central account.
    """

    class Role(models.TextChoices):
        ATTORNEY = "attorney", "Attorney filer"
        PRO_SE = "pro_se", "Pro se filer"
        CONFIDENTIAL = "confidential", "Confidential information filer"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="filer_accounts")
    login = models.CharField("CM/ECF login", max_length=64, help_text="Stored lower-case.")
    password = models.CharField(
        max_length=256, help_text="Legacy password hash; unusable once linked."
    )
    first_name = models.CharField(max_length=80)
    middle_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80)
    suffix = models.CharField(max_length=16, blank=True, help_text="e.g. Jr., III")
    email = models.EmailField()
    email_inactive = models.BooleanField(
        default=False, help_text='Dockets mark the address "(Inactive)".'
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ATTORNEY)
    bar_status = models.CharField(max_length=32, blank=True, help_text="e.g. ACTIVE")
    firm = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True, help_text="As it appears on dockets, one line each.")
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField("active", default=True)
    failed_attempts = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filer_accounts",
        help_text="The central account this court account is linked to.",
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[FilerAccountQuerySet] = FilerAccountQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "login"], name="filer_login_unique"),
            # A central account links to at most one court account in each court.
            models.UniqueConstraint(
                fields=["court", "account"],
                condition=models.Q(account__isnull=False),
                name="filer_one_link_per_court",
            ),
            models.CheckConstraint(
                condition=models.Q(login=Lower("login")),
                name="filer_login_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.login} ({self.court_id})"

    @property
    def full_name(self) -> str:
        names = (self.first_name, self.middle_name, self.last_name, self.suffix)
        return " ".join(p for p in names if p)

    @property
    def is_linked(self) -> bool:
        return self.account_id is not None

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)

    def retire_password(self) -> None:
        self.password = make_password(None)

    def record_failure(self) -> bool:
        """Count a wrong password; True when this failure locks the account."""
        self.failed_attempts += 1
        if self.failed_attempts >= settings.FILER_LOCKOUT_THRESHOLD:
            self.locked_until = timezone.now() + timedelta(seconds=settings.FILER_LOCKOUT_SECONDS)
            self.failed_attempts = 0
            return True
        return False

    def unlock(self) -> None:
        self.failed_attempts = 0
        self.locked_until = None


class PendingLink(models.Model):
    """Credentials accepted, confirmation not yet given: single-use, bound to one sign-on,
    short-lived. Its id is the only thing the confirmation form carries."""

    id = models.CharField(primary_key=True, max_length=64)
    signon = models.ForeignKey(SignOn, on_delete=models.CASCADE, related_name="pending_links")
    court = models.ForeignKey(Court, on_delete=models.CASCADE)
    filer_account = models.ForeignKey(FilerAccount, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"pending link to {self.filer_account_id}"

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def is_well_formed(value: str) -> bool:
        return bool(PENDING_ID.fullmatch(value))

    def is_expired(self) -> bool:
        age = timezone.now() - self.created_at
        return age >= timedelta(seconds=settings.LINK_CONFIRM_SECONDS)


class EfileRegistration(models.Model):
    """A central account's request for filing rights in a court (PACER's Maintenance tab).
    Approval creates the court filer account, already linked."""

    class Kind(models.TextChoices):
        ATTORNEY = "attorney", "Attorney admission / e-file registration"
        PRO_SE = "pro_se", "Non-attorney (pro se) e-file registration"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="efile_requests")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="efile_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    bar_number = models.CharField(max_length=32, blank=True)
    bar_jurisdiction = models.CharField(
        max_length=64, blank=True, help_text="Where the attorney is admitted, e.g. New York."
    )
    admission_date = models.DateField(null=True, blank=True)
    permission_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="Pro se: the court order or letter permitting e-filing.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(max_length=500, blank=True)
    filer_account = models.OneToOneField(
        FilerAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="registration"
    )

    class Meta:
        constraints = [
            # One open request per person and court at a time.
            models.UniqueConstraint(
                fields=["account", "court"],
                condition=models.Q(status="pending"),
                name="efile_one_pending_per_court",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account_id} at {self.court_id}"


class NoticeAddress(models.Model):
    """A secondary email address that also receives a filer's Notices of Electronic Filing
    (Utilities > Maintain Your ECF Account)."""

    MAX_PER_FILER = 5

    filer = models.ForeignKey(
        FilerAccount, on_delete=models.CASCADE, related_name="notice_addresses"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filer", "email"], name="notice_address_unique")
        ]

    def __str__(self) -> str:
        return self.email
