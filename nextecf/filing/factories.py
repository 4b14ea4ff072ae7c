"""Test and demo data for filings: a filer's filing as filing_submit leaves it (a numbered
entry with its main PDF, the Filing waiting for quality control), without the draft and
payment steps."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import cast

from django.utils import timezone

from nextecf.cases.factories import DocketEntryFactory, DocumentFactory
from nextecf.cases.models import Case, DocketEntry, EventType, Party
from nextecf.courts.models import FilerAccount
from nextecf.filing.models import Filing


def filed_entry(
    *,
    case: Case,
    filer: FilerAccount,
    event: EventType,
    text: str = "",
    parties: list[Party] | None = None,
    when: datetime | None = None,
    with_document: bool = True,
) -> Filing:
    """A filing by `filer` in `case`, docketed and waiting in the court's QC queue. The
    filer must be linked to a central account (Filing.account)."""
    assert filer.account is not None, "a filing is made by a linked filer"
    when = when or timezone.now()
    signature = f"({filer.last_name}, {filer.first_name})"
    entry = cast(
        DocketEntry,
        DocketEntryFactory(
            case=case,
            event=event,
            filer=filer,
            date_filed=timezone.localdate(when),
            entered_at=when,
            text=text or f"{event.docket_text}. Filed by {filer.full_name}. {signature}",
        ),
    )
    if with_document:
        DocumentFactory(entry=entry)
    filing = Filing.objects.create(
        draft_id=secrets.token_urlsafe(24),
        court_id=case.court_id,
        case=case,
        entry=entry,
        event=event,
        filer=filer,
        account=filer.account,
        created_at=when,
    )
    if parties:
        filing.parties.set(parties)
    return filing
