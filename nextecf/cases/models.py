"""Cases, parties, attorneys, docket entries and documents of a court."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.cases.numbers import NumberFormat, cmecf_number
from nextecf.courts.models import Court, CourtStaff, FilerAccount

NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


class AccessLevel(models.TextChoices):
    """Who may read a document (the rules are in nextecf/access.py)."""

    PUBLIC = "public", "Public"
    # CM/ECF's restricted documents: the parties' counsel of record and the court.
    RESTRICTED = "restricted", "Restricted"
    # The court, and the accounts the court grants by name.
    SEALED = "sealed", "Sealed"
    # The CIT's business-proprietary filings: sealed, and readable by counsel admitted
    # under the case's protective order. Its public version is filed as its own entry.
    CONFIDENTIAL = "confidential", "Confidential"


NON_PUBLIC_LEVELS = (AccessLevel.RESTRICTED, AccessLevel.SEALED, AccessLevel.CONFIDENTIAL)


class Judge(models.Model):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="judges")
    name = models.CharField(max_length=120, help_text="e.g. Gary S. Katzmann")
    initials = models.CharField(max_length=8, help_text="e.g. GSK; appended to case numbers")
    title = models.CharField(max_length=40, default="Judge")
    is_active = models.BooleanField(default=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judgeships",
        help_text="The judge's central account (with the judge role in this court).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "initials"], name="judge_initials_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"

    @property
    def last_name(self) -> str:
        """The surname, as PCL's judgeLastName gives it: "M. Miller Baker" -> "Baker",
        "John Doe Jr." -> "Doe"."""
        words = [w for w in self.name.replace(",", " ").split() if w]
        while len(words) > 1 and words[-1].rstrip(".").lower() in NAME_SUFFIXES:
            words.pop()
        return words[-1] if words else ""


class CaseSequence(models.Model):
    """The last case number handed out per court and year. Numbers come from this row
    under a row lock, inside the transaction that opens the case, so they have neither
    gaps nor duplicates: a rolled-back filing gives its number back."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "year"], name="case_seq_unique")]

    def __str__(self) -> str:
        return f"{self.court_id} {self.year}: {self.last}"

    @classmethod
    def take_next(cls, court: Court, year: int) -> int:
        """The next sequence number. Inside the caller's transaction the number is held
        (and given back on rollback) until that transaction ends; on its own it commits."""
        try:
            with transaction.atomic():
                cls.objects.get_or_create(court=court, year=year)
        except IntegrityError:
            pass  # created by a concurrent transaction; lock it below
        with transaction.atomic():
            row = cls.objects.select_for_update().get(court=court, year=year)
            row.last += 1
            row.save(update_fields=["last"])
        return row.last


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(
        self, account: Account | AnonymousUser, court: Court | None = None
    ) -> CaseQuerySet:
        """The cases this person may find and open, in one court or in all: a sealed case
        only for its court's staff and its filers of record (the rule behind
        access.Action.VIEW_CASE). Nobody signed on, or a disabled account, sees none."""
        if not isinstance(account, Account) or not account.is_active:
            return self.none()
        cases = self if court is None else self.filter(court=court)
        if court is not None and CourtStaff.objects.serves(account, court):
            return cases
        of_record = Appearance.objects.of_record(account, court).values("party__case_id")
        allowed = Q(is_sealed=False) | Q(pk__in=of_record)
        if court is None:
            allowed |= Q(court__in=Court.objects.staffed_by(account))
        return cases.filter(allowed)


class Case(models.Model):
    class Jurisdiction(models.TextChoices):
        A = "1581a", "28 U.S.C. § 1581(a) Denied Protest(s)"
        B = "1581b", "28 U.S.C. § 1581(b) Domestic Interested Party Petition"
        C = "1581c", "28 U.S.C. § 1581(c) Antidumping and Countervailing Duty Review"
        D = "1581d", "28 U.S.C. § 1581(d) Trade Adjustment Assistance"
        E = "1581e", "28 U.S.C. § 1581(e) Trade Agreements Act Determinations"
        F = "1581f", "28 U.S.C. § 1581(f) Confidential Information Disclosure"
        G = "1581g", "28 U.S.C. § 1581(g) Customs Brokers"
        H = "1581h", "28 U.S.C. § 1581(h) Pre-importation Ruling"
        I = "1581i", "28 U.S.C. § 1581(i) Residual Jurisdiction"  # noqa: E741

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(max_length=20, help_text="e.g. 1:26-cv-00001")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    title = models.CharField(max_length=300, help_text="The case name, e.g. Acme v. United States")
    jurisdiction = models.CharField(max_length=6, choices=Jurisdiction.choices)
    category = models.CharField(max_length=200, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    product_description = models.CharField(max_length=300, blank=True)
    export_country = models.CharField(max_length=100, blank=True)
    date_filed = models.DateField()
    date_terminated = models.DateField(null=True, blank=True)
    date_reopened = models.DateField(null=True, blank=True)
    constitutional_question = models.BooleanField(
        "raises an issue of constitutionality", default=False
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    panel: models.ManyToManyField[Judge, PanelSeat] = models.ManyToManyField(
        Judge,
        blank=True,
        through="PanelSeat",
        related_name="panel_cases",
        help_text="A three-judge panel.",
    )
    jury_demand = models.CharField(
        max_length=20, default="No", help_text="As the docket's Jury Demand line shows it."
    )
    is_sealed = models.BooleanField(default=False)
    # Names from the court's CaseFlag vocabulary, kept on the row: the docket report reads
    # a fixed number of queries.
    flags = models.JSONField(
        default=list, blank=True, help_text='Court-defined case flags, e.g. ["3JPByrd"].'
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        FilerAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Consolidation: the lead case while this case is a member of a consolidated group
    # (kept on the row so a docket reads it with the case; history in Consolidation).
    lead_case = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="member_cases"
    )

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["court", "year", "sequence"], name="case_seq_taken"),
        ]
        indexes = [models.Index(fields=["court", "date_filed"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.is_sealed:
            # Stored copies of public pages must not outlive a seal: the court's feed is
            # dropped now and again after commit (a rebuild racing this transaction could
            # have cached the case while it was still open).
            key = public_feed_cache_key(self.court_id)
            cache.delete(key)
            transaction.on_commit(lambda: cache.delete(key))

    @property
    def effective_date_closed(self) -> date | None:
        """When the case closed, unless it has been reopened since (PCL's
        effectiveDateClosed, the NEF's "CASE CLOSED" warning)."""
        closed = self.date_terminated
        if closed is None or (self.date_reopened is not None and self.date_reopened >= closed):
            return None
        return closed

    @staticmethod
    def format_number(year: int, sequence: int, court: Court | None = None) -> str:
        """The case number in the court's format (the default format without a court)."""
        return cmecf_number(year, sequence, NumberFormat.of(court))

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.flags, list) or not all(isinstance(f, str) for f in self.flags):
            raise ValidationError({"flags": "Case flags are a list of the court's flag names."})
        known = set(CaseFlag.objects.filter(court_id=self.court_id).values_list("name", flat=True))
        unknown = [flag for flag in self.flags if flag not in known]
        if unknown:
            raise ValidationError(
                {"flags": f"Not a case flag of this court: {', '.join(unknown)}."}
            )

    def panel_assign(self, judges: list[Judge]) -> None:
        """Seat the panel in the order the court lists it (the case number's initials and
        the docket's Panel lines follow this order, not the judges' ids)."""
        PanelSeat.objects.filter(case=self).delete()
        PanelSeat.objects.bulk_create(
            PanelSeat(case=self, judge=judge, position=n) for n, judge in enumerate(judges)
        )


class PanelSeat(models.Model):
    """A judge's seat on a case's panel, at the court's position."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel_seats")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "cases_case_panel"  # the table the plain many-to-many field had
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "judge"], name="cases_case_panel_case_judge")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.judge_id} at {self.position}"


class CaseFlag(models.Model):
    """A flag a court shows on its dockets beside SEALED and TERMINATED (e.g. CIT's
    "3JPByrd"): the court's own vocabulary, kept as data."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="case_flags")
    name = models.CharField(max_length=40, help_text="As the docket shows it, e.g. 3JPByrd")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="case_flag_unique")]

    def __str__(self) -> str:
        return self.name


def public_feed_cache_key(court_id: str) -> str:
    """Where the court's public RSS feed (rss_outside.pl) is cached."""
    return f"rss_outside:{court_id}"


class Party(models.Model):
    class Role(models.TextChoices):
        PLAINTIFF = "Plaintiff", "Plaintiff"
        DEFENDANT = "Defendant", "Defendant"
        INTERVENOR_PLAINTIFF = "Intervenor Plaintiff", "Intervenor Plaintiff"
        INTERVENOR_DEFENDANT = "Intervenor Defendant", "Intervenor Defendant"
        CONSOLIDATED_PLAINTIFF = "Consolidated Plaintiff", "Consolidated Plaintiff"
        AMICUS = "Amicus Curiae", "Amicus Curiae"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(max_length=300)
    role = models.CharField(max_length=40, choices=Role.choices)
    extra_info = models.CharField(max_length=300, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the docket.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class AppearanceQuerySet(models.QuerySet["Appearance"]):
    def of_record(self, account: Account, court: Court | None = None) -> AppearanceQuerySet:
        """The appearances that make this person a filer of record, in one court or in all:
        their active account of the case's own court appears for a party, not terminated."""
        rows = self.filter(
            filer__account=account, filer__is_active=True, terminated_on__isnull=True
        )
        if court is None:
            return rows.filter(filer__court=models.F("party__case__court"))
        return rows.filter(filer__court=court, party__case__court=court)


class Appearance(models.Model):
    """An attorney (a court filer account) representing a party in a case."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="appearances")
    filer = models.ForeignKey(FilerAccount, on_delete=models.PROTECT, related_name="appearances")
    lead = models.BooleanField("LEAD ATTORNEY", default=False)
    to_be_noticed = models.BooleanField("ATTORNEY TO BE NOTICED", default=True)
    designations = models.JSONField(
        default=list,
        blank=True,
        help_text='Further roles the docket lists, in order, e.g. ["PRO HAC VICE"].',
    )
    terminated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AppearanceQuerySet] = AppearanceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["party", "filer"], name="appearance_unique")]

    def __str__(self) -> str:
        return f"{self.filer_id} for {self.party_id}"


class EventType(models.Model):
    """One event of a court's catalogue: what can be filed, by whom, at what fee."""

    class Category(models.TextChoices):
        OPEN_CASE = "open_case", "Open a New Case"
        OTHER = "other", "Other Filings"
        COURT = "court", "Court only (orders, opinions)"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="events")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120, help_text="e.g. Complaint")
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER)
    docket_text = models.CharField(
        max_length=200, help_text="The start of the docket text, e.g. COMPLAINT"
    )
    fee_cents = models.PositiveIntegerField(default=0)
    requires_document = models.BooleanField(default=True)
    is_opinion = models.BooleanField(
        default=False, help_text="Written opinions are free to view and on the opinions report."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    access_levels = models.JSONField(
        default=list,
        blank=True,
        help_text='The access levels a filer may choose beside Public, e.g. ["sealed", '
        '"confidential"] (the catalogue sets them).',
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "code"], name="event_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def fee(self) -> str:
        return f"${self.fee_cents / 100:,.2f}"

    def allowed_levels(self) -> list[str]:
        """Public first, then the event's other levels in the catalogue's order."""
        extra = {str(level) for level in self.access_levels}
        return [AccessLevel.PUBLIC, *(lvl for lvl in NON_PUBLIC_LEVELS if lvl in extra)]

    def clean(self) -> None:
        super().clean()
        levels = self.access_levels
        known = {str(level) for level in NON_PUBLIC_LEVELS}
        if not isinstance(levels, list) or not all(level in known for level in levels):
            raise ValidationError(
                {"access_levels": "Access levels: a list of restricted, sealed, confidential."}
            )


class DocketEntryManager(models.Manager["DocketEntry"]):
    def next_numbers(self, case: Case) -> tuple[int, int]:
        """(document number, seq) for the case's next entry, whoever dockets it (a filer's
        submission or the clerk's entry). Call with the case row locked
        (select_for_update), so two entries never take the same numbers."""
        last = self.filter(case=case).aggregate(seq=Max("seq"), number=Max("number"))
        return (last["number"] or 0) + 1, (last["seq"] or 0) + 1


class DocketEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="The document number; none for a minute entry."
    )
    seq = models.PositiveIntegerField(help_text="Order of entry in the case (de_seq_num).")
    date_filed = models.DateField()
    entered_at = models.DateTimeField(default=timezone.now)
    event = models.ForeignKey(EventType, on_delete=models.PROTECT, null=True, blank=True)
    text = models.TextField()
    filer = models.ForeignKey(
        FilerAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A public version names the confidential entry it is the public version of.
    public_version_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="public_versions"
    )
    # When the confidential entry's public version is due (None: no public version owed).
    public_version_due = models.DateField(null=True, blank=True)
    # Stricken by the court's quality control: the entry keeps its number and seq, its
    # text says it was stricken and why, and its documents are for court staff only
    # (access.entry_documents_readable).
    stricken_at = models.DateTimeField(null=True, blank=True)
    stricken_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="entry_seq_unique"),
            models.UniqueConstraint(
                fields=["case", "number"],
                condition=models.Q(number__isnull=False),
                name="entry_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "date_filed"]),
            # The public docket-activity RSS feed reads the newest entries of a court.
            models.Index(fields=["entered_at"]),
        ]

    objects: ClassVar[DocketEntryManager] = DocketEntryManager()

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number or '-'}"

    @property
    def is_stricken(self) -> bool:
        return self.stricken_at is not None

    @staticmethod
    def stricken_text(text: str, *, on: date, reason: str) -> str:
        """The docket text of a stricken entry, as every docket view shows it: the mark,
        the date and the reason first, then the text as it was filed."""
        return f"***STRICKEN on {on:%m/%d/%Y}: {reason}*** {text}"


class DocketEntryRevision(models.Model):
    """What an entry was before the court's quality control changed it (a correction or
    a strike): the entry's history, oldest first. The entry itself shows the present."""

    class Change(models.TextChoices):
        CORRECTED = "corrected", "Corrected"
        STRICKEN = "stricken", "Stricken"

    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="revisions")
    change = models.CharField(max_length=12, choices=Change.choices)
    event = models.ForeignKey(EventType, on_delete=models.PROTECT, null=True, blank=True)
    text = models.TextField(help_text="The docket text before the change.")
    filer = models.ForeignKey(
        FilerAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(help_text="What changed, or why it was stricken.")
    notice = models.ForeignKey(
        DocketEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The NOTICE OF DOCKET CORRECTION entered for it.",
    )
    changed_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    objects: ClassVar[models.Manager[DocketEntryRevision]]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.change} at {self.changed_at:%Y-%m-%d %H:%M}"


def new_doc_id() -> str:
    """A CIT-style PACER document id: 014, a 0, then eight random digits. PACER software
    uses the 4th digit as a flag (1: skip the attachment page), so ours is always 0."""
    return f"0140{secrets.randbelow(10**8):08d}"


class Document(models.Model):
    """A stored PDF: a docket entry's main document (attachment 0) or an attachment."""

    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="documents")
    attachment_number = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200, default="Main Document")
    doc_id = models.CharField(max_length=12, unique=True, default=new_doc_id)
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=200)
    pages = models.PositiveIntegerField()
    size_bytes = models.PositiveBigIntegerField()
    original_filename = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    access_level = models.CharField(
        max_length=12, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )

    class Meta:
        ordering = ["attachment_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "attachment_number"], name="doc_attachment_unique"
            )
        ]
        indexes = [models.Index(fields=["sha256"])]

    objects: ClassVar[models.Manager[Document]]

    def __str__(self) -> str:
        return f"{self.doc_id} ({self.description})"


class DocumentGrant(models.Model):
    """An account the court lets read one sealed (or confidential) document by name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="grants")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "account"], name="document_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} may read {self.document_id}"


class AdmissionQuerySet(models.QuerySet["ProtectiveOrderAdmission"]):
    def current(self) -> AdmissionQuerySet:
        return self.filter(removed_at__isnull=True)


class ProtectiveOrderAdmission(models.Model):
    """Counsel of record admitted under the case's protective order: they may read its
    confidential documents. Removal keeps the row (removed_at), so history stays."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="admissions")
    filer = models.ForeignKey(FilerAccount, on_delete=models.PROTECT, related_name="admissions")
    admitted_at = models.DateTimeField(default=timezone.now)
    admitted_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    objects: ClassVar[AdmissionQuerySet] = AdmissionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["admitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "filer"],
                condition=models.Q(removed_at__isnull=True),
                name="admission_current_unique",
            )
        ]
        indexes = [models.Index(fields=["case", "filer"])]

    def __str__(self) -> str:
        return f"{self.filer_id} admitted in {self.case_id}"


class DocumentView(models.Model):
    """One opening of a restricted, sealed or confidential document: the view log its
    filer, counsel of record and the court can read."""

    class Channel(models.TextChoices):
        WEB = "web", "Web"
        DOC1 = "doc1", "doc1 (PACER software)"
        FREE_LOOK = "free_look", "NEF free look"
        API = "api", "API"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="views")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="Who, as the log shows it.")
    role = models.CharField(max_length=60, help_text="The role that entitled them.")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["document", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.document_id} viewed by {self.name}"


class Consolidation(models.Model):
    """A member case consolidated under a lead case; ending it keeps the row."""

    lead = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consolidations_led")
    member = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consolidations")
    consolidated_at = models.DateTimeField(default=timezone.now)
    consolidated_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["consolidated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_at__isnull=True),
                name="consolidation_one_lead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} under {self.lead_id}"


class SignedOrder(models.Model):
    """An order a judge signed in the workspace: its docket entry, and the proposed order
    it was signed from, if any (a proposed order is signed once)."""

    entry = models.OneToOneField(DocketEntry, on_delete=models.CASCADE, related_name="signature")
    proposed = models.OneToOneField(
        DocketEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_as",
        help_text="The party's proposed order this order was signed from.",
    )
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="signed_orders")
    signed_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.entry} signed by {self.judge}"


class DocumentText(models.Model):
    """The text layer of a filed PDF, read once when it is filed, for full-text search. A
    scanned PDF (pages of images) has none and is marked so; the court sees which."""

    class Status(models.TextChoices):
        TEXT = "text", "Text searchable"
        NO_TEXT = "no_text", "No text layer (scanned): not searchable"
        UNREADABLE = "unreadable", "Text could not be read: not searchable"

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="text_layer"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[DocumentText]]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_status_display()}"

    @classmethod
    def record(cls, document: Document, *, text: str, problem: str = "") -> DocumentText:
        """Store (or replace) what was read from the document's PDF."""
        if problem:
            status = cls.Status.UNREADABLE
        elif text.strip():
            status = cls.Status.TEXT
        else:
            status = cls.Status.NO_TEXT
        found, _created = cls.objects.update_or_create(
            document=document,
            defaults={"status": status, "text": text, "extracted_at": timezone.now()},
        )
        return found

    @classmethod
    def extract(cls, document: Document) -> DocumentText:
        """Read the text of the document's stored PDF (pypdf, from the stored file, within
        PDF_CHECK_SECONDS) and record it."""
        from django.conf import settings

        from nextecf.lib.pdf import pdf_text
        from nextecf.lib.storage import document_store

        try:
            with document_store().open(document.storage_key) as stream:
                read = pdf_text(stream, seconds=settings.PDF_CHECK_SECONDS)
        except FileNotFoundError:
            return cls.record(document, text="", problem="the stored PDF is missing")
        return cls.record(document, text=read.text, problem=read.problem)
