"""Electronic filing: drafts that carry a filing through its steps, and the filings made.

A draft lives on the server, bound to one person (their PACER account) and their court
filer account, so a multi-step filing never keeps its state in hidden form fields and a
browser's back button or a refresh cannot change it. It outlives the sign-on that started
it: after a timeout the filer logs in again and resumes it (Civil → My drafts), until the
court's draft lifetime (Court.draft_days) passes without a change. Its PDFs are staged
(checked, stored by SHA-256 in the staging store) until the filing is submitted. The
draft's id is also the filing's idempotency key: one draft is filed at most once and
charged at most once.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from nextecf.accounts.models import Account, SignOn
from nextecf.billing.models import Payment
from nextecf.cases.models import AccessLevel, Case, DocketEntry, EventType, Party
from nextecf.courts.models import Court, FilerAccount

DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


def draft_seconds(court: Court) -> int:
    """How long an untouched draft lives: the court's draft lifetime (FILING_DRAFT_SECONDS,
    when set, overrides it for every court)."""
    override = getattr(settings, "FILING_DRAFT_SECONDS", None)
    return int(override) if override is not None else int(court.draft_days) * 24 * 60 * 60


def submit_lease_seconds() -> int:
    """How long one submit may hold a draft before another may take it over (a process
    that was killed half way never releases its hold)."""
    return int(getattr(settings, "FILING_SUBMIT_LEASE_SECONDS", 120))


class FilingDraft(models.Model):
    class Kind(models.TextChoices):
        OPEN_CASE = "open_case", "Open a new case"
        EXISTING_CASE = "existing_case", "File into an existing case"

    id = models.CharField(primary_key=True, max_length=64)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # The sign-on that started it, for the audit trail; the draft outlives it.
    signon = models.ForeignKey(
        SignOn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filer = models.ForeignKey(FilerAccount, on_delete=models.CASCADE, related_name="+")
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    event = models.ForeignKey(EventType, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True)
    # Opening a case: the case data entered on the first screen (see forms.OpenCaseForm).
    case_data = models.JSONField(default=dict, blank=True)
    parties = models.ManyToManyField(Party, blank=True, related_name="+")
    parties_chosen = models.BooleanField(default=False)
    lead = models.BooleanField("LEAD ATTORNEY", default=True)
    to_be_noticed = models.BooleanField("ATTORNEY TO BE NOTICED", default=True)
    docket_text = models.TextField(blank=True, help_text="As reviewed by the filer.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    submitting_until = models.DateTimeField(
        null=True, blank=True, help_text="Held by a submit in progress until then."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # This filing is the public version of that confidential entry (same case).
    public_version_of = models.ForeignKey(
        DocketEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Filed in a lead case: the consolidated member cases it is docketed in too.
    member_cases = models.ManyToManyField(Case, blank=True, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["expires_at"]),
            models.Index(fields=["account", "court", "expires_at"]),
        ]

    objects: ClassVar[models.Manager[FilingDraft]]

    def __str__(self) -> str:
        return f"draft {self.pk[:8]}… ({self.get_kind_display()})"

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(24)

    @staticmethod
    def is_well_formed(value: str) -> bool:
        return bool(DRAFT_ID.fullmatch(value))

    def touch(self) -> None:
        self.expires_at = timezone.now() + timedelta(seconds=draft_seconds(self.court))

    @property
    def opens_case(self) -> bool:
        return self.kind == self.Kind.OPEN_CASE


class StagedUpload(models.Model):
    """A PDF uploaded to a draft: checked, counted and stored in the staging store."""

    MAIN = 0

    draft = models.ForeignKey(FilingDraft, on_delete=models.CASCADE, related_name="uploads")
    position = models.PositiveSmallIntegerField(help_text="0 is the main document.")
    description = models.CharField(max_length=200)
    original_filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    access_level = models.CharField(
        max_length=12, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "position"], name="staged_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.description})"


class QcStatus(models.TextChoices):
    PENDING = "pending", "Awaiting quality control"
    ACCEPTED = "accepted", "Accepted"
    CORRECTED = "corrected", "Corrected"
    STRICKEN = "stricken", "Stricken"
    DEFICIENT = "deficient", "Deficiency notice sent"


class Filing(models.Model):
    """One completed electronic filing: its docket entry, who filed it for whom, and its
    fee payment. `draft_id` makes a second submit of the same draft find this one."""

    draft_id = models.CharField(max_length=64, unique=True)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="filings")
    entry = models.OneToOneField(DocketEntry, on_delete=models.CASCADE, related_name="filing")
    # The same filing's entries in consolidated member cases (one submit, one fee, one NEF).
    member_entries = models.ManyToManyField(DocketEntry, blank=True, related_name="+")
    event = models.ForeignKey(EventType, on_delete=models.PROTECT, related_name="+")
    filer = models.ForeignKey(FilerAccount, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField(Party, related_name="filings")
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="filing"
    )
    opened_case = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Quality control: every filing is docketed at once and waits in the court's QC queue
    # until a QC clerk accepts, corrects or strikes it, or sends a deficiency notice.
    qc_status = models.CharField(max_length=12, choices=QcStatus.choices, default=QcStatus.PENDING)
    qc_by = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    qc_at = models.DateTimeField(null=True, blank=True)
    qc_note = models.TextField(blank=True, help_text="The reason or what was changed.")
    response_due = models.DateField(
        null=True, blank=True, help_text="When the filer must answer a deficiency notice."
    )

    class Meta:
        indexes = [
            models.Index(fields=["account", "created_at"]),
            models.Index(fields=["court", "qc_status", "created_at"]),
        ]

    objects: ClassVar[models.Manager[Filing]]

    def __str__(self) -> str:
        return f"filing of {self.entry_id} in {self.case_id}"


class FailedPostManager(models.Manager["FailedPost"]):
    def stash(
        self,
        *,
        account: Account,
        path: str,
        data: dict[str, list[str]],
        errors: dict[str, list[dict[str, str]]],
        error: str,
        status: int,
    ) -> FailedPost:
        """Keep a refused form's values and errors on the server for the page its POST
        redirects to; values the filer must type again (a card) are never passed in."""
        self.filter(created_at__lt=timezone.now() - FailedPost.LIFETIME).delete()
        return self.create(
            token=secrets.token_urlsafe(24),
            account=account,
            path=path,
            data=data,
            errors=errors,
            error=error,
            status=status,
        )

    def recall(self, *, token: str, account: Account, path: str) -> FailedPost | None:
        """The stash for this person and page, while it lasts; another's token, another
        page's or an old one is no stash at all."""
        if not token or len(token) > 64:
            return None
        return self.filter(
            token=token,
            account=account,
            path=path,
            created_at__gte=timezone.now() - FailedPost.LIFETIME,
        ).first()


class FailedPost(models.Model):
    """A filing screen's POST that was refused, kept so that the POST can answer with a
    redirect (post/redirect/get): the GET it redirects to shows the same errors and the
    values entered, and the browser's Back and Forward never offer to resubmit it. The
    one-time token in the GET's query names the row; it is bound to the person and page."""

    LIFETIME = timedelta(hours=1)

    token = models.CharField(primary_key=True, max_length=64)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    data = models.JSONField(default=dict)
    errors = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    status = models.PositiveSmallIntegerField(default=400)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[FailedPostManager] = FailedPostManager()

    def __str__(self) -> str:
        return f"refused POST to {self.path}"
