"""Quality control's services: each action's outcome, its notice and NEF, its audit row,
and bad input or a filing already acted on changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from nextecf.access import entry_documents_readable
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import AppearanceFactory, CaseFactory, EventTypeFactory, PartyFactory
from nextecf.cases.models import DocketEntry, DocketEntryRevision, EventType
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import FilerAccount
from nextecf.filing.factories import filed_entry
from nextecf.filing.models import Filing, QcStatus
from nextecf.filing.quality import (
    QcRefused,
    filing_accept,
    filing_correct,
    filing_deficiency_notice,
    filing_strike,
    qc_queue,
)
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail

ACTOR = Actor(ip="192.0.2.40")


@pytest.fixture
def motion(court) -> EventType:
    return EventTypeFactory(court=court, code="motion", name="Motion", docket_text="Motion")


@pytest.fixture
def filing(court, staff_people, motion) -> Filing:
    """A motion filed by the persona filer, who appears (noticed) for the plaintiff."""
    case = CaseFactory(court=court, title="Acme v. United States")
    filer = FilerAccount.objects.get(court=court, account=staff_people.filer)
    party = PartyFactory(case=case, name="Acme Corp.", role="Plaintiff")
    AppearanceFactory(party=party, filer=filer)
    return filed_entry(case=case, filer=filer, event=motion, text="Motion to Dismiss. (Filer, A)")


def _state(filing: Filing) -> tuple[object, ...]:
    """Everything an action may change."""
    entry = DocketEntry.objects.get(pk=filing.entry_id)
    row = Filing.objects.get(pk=filing.pk)
    return (
        entry.text,
        entry.event_id,
        entry.filer_id,
        entry.stricken_at,
        row.qc_status,
        row.qc_by_id,
        DocketEntry.objects.filter(case_id=filing.case_id).count(),
        DocketEntryRevision.objects.count(),
        OutboundEmail.objects.count(),
    )


def _qc(staff_people) -> dict[str, object]:
    return {"actor": ACTOR, "clerk": staff_people.qc_clerk}


def test_accept_takes_the_filing_off_the_queue(court, staff_people, filing):
    assert list(qc_queue(court)) == [filing]
    text = filing.entry.text
    filing_accept(**_qc(staff_people), court=court, filing_id=filing.pk)
    filing.refresh_from_db()
    assert filing.qc_status == QcStatus.ACCEPTED and filing.qc_by == staff_people.qc_clerk
    assert DocketEntry.objects.get(pk=filing.entry_id).text == text
    assert list(qc_queue(court)) == []
    row = AuditEvent.objects.filter(event_type=Event.STAFF_CHANGE).last()
    assert row.detail["action"] == "qc_accepted" and row.actor == staff_people.qc_clerk
    assert row.ip == "192.0.2.40"


def test_a_filing_already_acted_on_is_refused_and_nothing_changes(court, staff_people, filing):
    filing_accept(**_qc(staff_people), court=court, filing_id=filing.pk)
    before = _state(filing)
    for act, extra in [
        (filing_accept, {}),
        (filing_strike, {"reason": "Wrong case."}),
        (filing_deficiency_notice, {"problem": "Not signed."}),
    ]:
        with pytest.raises(QcRefused) as refused:
            act(**_qc(staff_people), court=court, filing_id=filing.pk, **extra)
        assert refused.value.reason == "already_acted"
        assert "Accepted by" in refused.value.message
    assert _state(filing) == before
    refusals = AuditEvent.objects.filter(event_type=Event.STAFF_CHANGE, outcome="failure")
    assert refusals.count() == 3 and {r.reason for r in refusals} == {"already_acted"}


def test_a_filing_of_another_court_is_not_found(court, other_court, staff_people, filing):
    with pytest.raises(QcRefused) as refused:
        filing_accept(**_qc(staff_people), court=other_court, filing_id=filing.pk)
    assert refused.value.reason == "no_filing"
    assert Filing.objects.get(pk=filing.pk).qc_status == QcStatus.PENDING


def test_strike_keeps_the_number_marks_the_text_and_serves_a_notice(court, staff_people, filing):
    entry = filing.entry
    original = entry.text
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 9, 10)), tick=False):
        filing_strike(
            **_qc(staff_people), court=court, filing_id=filing.pk, reason="Filed in the wrong case."
        )
    entry.refresh_from_db()
    assert entry.number == 1 and entry.is_stricken
    assert entry.text == f"***STRICKEN on 03/09/2026: Filed in the wrong case.*** {original}"
    revision = entry.revisions.get()
    assert (revision.change, revision.text, revision.summary) == (
        "stricken",
        original,
        "Filed in the wrong case.",
    )
    notice = revision.notice
    assert notice.number is None and notice.event.code == "docket-correction"
    assert notice.text == (
        "NOTICE OF DOCKET CORRECTION re: 1 Motion: STRICKEN. Reason: Filed in the wrong case."
    )
    nef = OutboundEmail.objects.get(kind="nef")
    assert nef.to == FilerAccount.objects.get(court=court, account=staff_people.filer).email
    assert "NOTICE OF DOCKET CORRECTION re: 1 Motion" in nef.html_body
    assert Filing.objects.get(pk=filing.pk).qc_status == QcStatus.STRICKEN


def test_a_stricken_entrys_documents_are_for_court_staff_only(court, staff_people, filing):
    filing_strike(**_qc(staff_people), court=court, filing_id=filing.pk, reason="Duplicate.")
    entry = DocketEntry.objects.get(pk=filing.entry_id)
    for staff in (staff_people.clerk, staff_people.qc_clerk, staff_people.judge):
        assert entry_documents_readable(staff, court, entry)
    for outsider in (staff_people.filer, staff_people.public, staff_people.other_clerk):
        decision = entry_documents_readable(outsider, court, entry)
        assert not decision and decision.reason == "stricken_entry"


@pytest.mark.parametrize("reason", ["", "   ", "bad\x00reason", "x" * 501])
def test_strike_without_a_good_reason_changes_nothing(court, staff_people, filing, reason):
    before = _state(filing)
    with pytest.raises(QcRefused) as refused:
        filing_strike(**_qc(staff_people), court=court, filing_id=filing.pk, reason=reason)
    assert refused.value.field == "reason" and refused.value.message.startswith("Reason ")
    assert _state(filing) == before


def test_correct_keeps_the_original_and_says_what_changed(court, staff_people, filing):
    answer = EventTypeFactory(court=court, code="answer", name="Answer", docket_text="Answer")
    other = FilerAccountFactory(court=court, first_name="Maria", last_name="Lopez")
    original = filing.entry.text
    filing_correct(
        **_qc(staff_people),
        court=court,
        filing_id=filing.pk,
        event=answer,
        text="Answer to Complaint.  (Lopez, Maria)",
        filer=other,
    )
    entry = DocketEntry.objects.get(pk=filing.entry_id)
    assert (entry.event, entry.filer, entry.text) == (
        answer,
        other,
        "Answer to Complaint. (Lopez, Maria)",
    )
    revision = entry.revisions.get()
    assert (revision.event.code, revision.text, revision.filer_id) == (
        "motion",
        original,
        filing.filer_id,
    )
    assert revision.notice.text == (
        "NOTICE OF DOCKET CORRECTION re: 1 Answer: event changed from Motion to Answer; "
        "docket text corrected; filer changed from "
        f"{filing.filer.full_name} to Maria Lopez."
    )
    row = Filing.objects.get(pk=filing.pk)
    assert (row.qc_status, row.event, row.filer) == (QcStatus.CORRECTED, answer, other)
    assert OutboundEmail.objects.filter(kind="nef").count() == 1


def test_correct_with_nothing_changed_or_bad_choices_changes_nothing(
    court, other_court, staff_people, filing, motion
):
    order = EventTypeFactory(
        court=court, code="order", name="Order", docket_text="Order", category="court"
    )
    elsewhere = EventTypeFactory(court=other_court, code="answer", name="Answer")
    foreign_filer = FilerAccountFactory(court=other_court)
    entry = filing.entry
    before = _state(filing)
    cases = [
        ({"event": motion, "text": entry.text, "filer": filing.filer}, "no_change"),
        ({"event": order, "text": "Order.", "filer": filing.filer}, "event"),
        ({"event": elsewhere, "text": "Answer.", "filer": filing.filer}, "event"),
        ({"event": motion, "text": "Motion.", "filer": foreign_filer}, "filer"),
        ({"event": motion, "text": "  ", "filer": filing.filer}, "text"),
    ]
    for values, problem in cases:
        with pytest.raises(QcRefused) as refused:
            filing_correct(**_qc(staff_people), court=court, filing_id=filing.pk, **values)
        assert problem in (refused.value.reason, refused.value.field)
    assert _state(filing) == before


def test_a_deficiency_notice_emails_the_filer_and_dockets_the_deadline(court, staff_people, filing):
    court.deficiency_response_days = 10
    court.save()
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 9, 10)), tick=False):
        filing_deficiency_notice(
            **_qc(staff_people),
            court=court,
            filing_id=filing.pk,
            problem="The motion is not signed.",
        )
    row = Filing.objects.get(pk=filing.pk)
    assert row.qc_status == QcStatus.DEFICIENT and row.response_due == date(2026, 3, 19)
    notice = DocketEntry.objects.filter(case=filing.case).order_by("seq").last()
    assert notice.event.code == "deficiency-notice" and notice.number is None
    assert notice.text == (
        "CLERK'S NOTICE OF DEFICIENCY re: 1 Motion: The motion is not signed. "
        "Response due by 03/19/2026."
    )
    letter = OutboundEmail.objects.get(kind="qc_deficiency")
    assert letter.to == filing.filer.email
    assert "The motion is not signed." in letter.body and "by 03/19/2026 (10 days)" in letter.body
    assert court.helpdesk_phone in letter.body
    assert OutboundEmail.objects.filter(kind="nef").count() == 1
    assert DocketEntry.objects.get(pk=filing.entry_id).stricken_at is None


def test_a_deficiency_notice_without_the_problem_changes_nothing(court, staff_people, filing):
    before = _state(filing)
    with pytest.raises(QcRefused) as refused:
        filing_deficiency_notice(**_qc(staff_people), court=court, filing_id=filing.pk, problem="")
    assert refused.value.field == "problem"
    assert _state(filing) == before
    assert not mail.outbox


def test_the_queue_is_oldest_first_and_filters_by_event_and_case(court, staff_people, motion):
    filer = FilerAccount.objects.get(court=court, account=staff_people.filer)
    answer = EventTypeFactory(court=court, code="answer", name="Answer", docket_text="Answer")
    first_case = CaseFactory(court=court)
    second_case = CaseFactory(court=court)
    now = timezone.now()
    newer = filed_entry(case=first_case, filer=filer, event=motion, when=now)
    older = filed_entry(
        case=second_case, filer=filer, event=answer, when=now - timezone.timedelta(days=3)
    )
    done = filed_entry(case=first_case, filer=filer, event=motion, when=now)
    filing_accept(**_qc(staff_people), court=court, filing_id=done.pk)
    assert list(qc_queue(court)) == [older, newer]
    assert list(qc_queue(court, event_code="motion")) == [newer]
    assert list(qc_queue(court, case_number=second_case.number)) == [older]


def test_a_stricken_entrys_documents_leave_the_text_search_but_for_staff(
    court, staff_people, filing
):
    from nextecf.access import visible_documents
    from nextecf.cases.models import Document

    document = Document.objects.get(entry_id=filing.entry_id)
    assert document in visible_documents(user=staff_people.public, court=court)
    filing_strike(**_qc(staff_people), court=court, filing_id=filing.pk, reason="Duplicate.")
    assert document not in visible_documents(user=staff_people.public, court=court)
    assert document not in visible_documents(user=staff_people.public)
    assert document in visible_documents(user=staff_people.clerk, court=court)
    assert document in visible_documents(user=staff_people.clerk)
