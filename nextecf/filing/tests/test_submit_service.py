"""filing_submit itself: all or nothing, the charge voided and the blobs removed when the
transaction fails, and the clean-up commands for what a killed process leaves."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.gateways import Card, SandboxGateway
from nextecf.billing.models import Payment, SandboxCharge
from nextecf.cases.factories import DocketEntryFactory, DocumentFactory
from nextecf.cases.models import Case, CaseSequence
from nextecf.filing import services
from nextecf.filing.models import Filing, FilingDraft, StagedUpload
from nextecf.filing.services import (
    FilingRefused,
    charges_void_abandoned,
    filing_submit,
    staging_store,
)
from nextecf.filing.tests.conftest import GOOD_CARD, pdf, staged_keys, upload
from nextecf.lib.actor import Actor
from nextecf.lib.storage import document_store

CARD = Card(number="4111111111111111", exp_month=12, exp_year=2030, cvv="123")


@pytest.fixture
def ready_summons(people, as_filer, events):
    """A Summons draft with its PDF staged, ready to submit."""
    filer = as_filer(people.filer)
    draft_id = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(draft_id, main=upload("summons.pdf", pdf("Summons")))
    return FilingDraft.objects.get(pk=draft_id)


def test_a_failure_inside_the_transaction_leaves_nothing_and_voids_the_charge(
    ready_summons, monkeypatch, nothing_filed
):
    def broken(**kwargs):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(services, "nef_queue", broken)
    with pytest.raises(FilingRefused) as refused:
        filing_submit(
            draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
        )
    assert refused.value.reason == "internal_error"
    assert "nothing was filed and no fee was charged" in refused.value.message
    nothing_filed()
    assert not Case.objects.exists()
    charge = SandboxCharge.objects.get()
    assert charge.status == "voided" and charge.voided_at
    assert set(document_store().keys()) == set()  # the blob this submit wrote is gone
    assert StagedUpload.objects.filter(draft=ready_summons).count() == 1  # retry possible
    events = AuditEvent.objects.filter(actor=ready_summons.signon.account)
    assert events.filter(event_type=Event.PAYMENT_VOID, reason="filing_failed").exists()
    assert events.filter(event_type=Event.FILING_ERROR, reason="internal_error").exists()

    # The number went back: the retry opens case 00001, with a new charge.
    monkeypatch.undo()
    outcome = filing_submit(
        draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
    )
    assert outcome.filing.case.number.endswith("-cv-00001")
    assert CaseSequence.objects.get().last == 1
    assert SandboxCharge.objects.filter(status="approved").count() == 1
    assert Payment.objects.get().gateway_reference != charge.reference


def test_a_blob_another_filing_references_is_kept_when_a_filing_fails(
    ready_summons, monkeypatch, case
):
    same_bytes = staging_store().read(ready_summons.uploads.get().sha256)
    existing = DocumentFactory(entry=DocketEntryFactory(case=case), data=same_bytes)
    monkeypatch.setattr(services, "nef_queue", lambda **kw: 1 / 0)
    with pytest.raises(FilingRefused):
        filing_submit(
            draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
        )
    assert document_store().exists(existing.storage_key)


def test_a_charge_that_cannot_be_voided_is_left_for_the_reconciliation(ready_summons, monkeypatch):
    monkeypatch.setattr(services, "nef_queue", lambda **kw: 1 / 0)

    def unreachable(self, reference):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(SandboxGateway, "void", unreachable)
    with pytest.raises(FilingRefused):
        filing_submit(
            draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
        )
    assert SandboxCharge.objects.get().status == "approved"
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        call_command("void_abandoned_charges")
    assert SandboxCharge.objects.get().status == "voided"
    assert AuditEvent.objects.filter(event_type=Event.PAYMENT_VOID, reason="abandoned").exists()


def test_the_reconciliation_spares_filed_recent_and_in_progress_charges(ready_summons):
    gateway = SandboxGateway()
    filed = filing_submit(
        draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
    )
    assert filed.filing.payment is not None
    # An orphan charge whose draft a submit is holding right now.
    holding = FilingDraft.objects.create(
        id=FilingDraft.new_id(),
        account=ready_summons.account,
        signon=ready_summons.signon,
        filer=ready_summons.filer,
        court=ready_summons.court,
        kind=ready_summons.kind,
        event=ready_summons.event,
        case_data=ready_summons.case_data,
        expires_at=timezone.now() + timedelta(hours=1),
        submitting_until=timezone.now() + timedelta(hours=1),
    )
    gateway.charge(amount_cents=35000, card=CARD, idempotency_key=holding.pk)
    orphan_key = FilingDraft.new_id()  # a draft long gone
    gateway.charge(amount_cents=35000, card=CARD, idempotency_key=orphan_key)
    assert charges_void_abandoned(gateway=gateway, older_than_seconds=600) == 0  # too recent
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert charges_void_abandoned(gateway=gateway, older_than_seconds=600) == 1
    statuses = dict(SandboxCharge.objects.values_list("idempotency_key", "status"))
    assert statuses == {
        ready_summons.pk: "approved",
        holding.pk: "approved",
        orphan_key: "voided",
    }


def test_sweep_documents_removes_expired_drafts_and_unreferenced_files(
    people, as_filer, events, case
):
    store, staging = document_store(), staging_store()
    kept = DocumentFactory(entry=DocketEntryFactory(case=case)).storage_key
    orphan = store.put(pdf("orphan"))
    filer = as_filer(people.filer)
    live = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(live, [case.parties.first()])
    filer.upload(live, main=upload("live.pdf", pdf("live")))
    expired = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(expired, [case.parties.first()])
    filer.upload(expired, main=upload("expired.pdf", pdf("expired")))
    live_key = StagedUpload.objects.get(draft_id=live).sha256
    FilingDraft.objects.filter(pk=expired).update(expires_at=timezone.now())

    call_command("sweep_documents")  # everything is recent: only the expired draft goes
    assert not FilingDraft.objects.filter(pk=expired).exists()
    assert len(staged_keys()) == 2 and store.exists(orphan)

    # An hour and a half later the files are old enough; the live draft has not expired.
    with time_machine.travel(timezone.now() + timedelta(minutes=90)):
        call_command("sweep_documents")
    assert set(store.keys()) == {kept}
    assert set(staging.keys()) == {live_key}


def test_sandbox_is_refused_for_a_live_database_outside_development(
    ready_summons, settings, nothing_filed
):
    settings.DEVELOPMENT = False
    with pytest.raises(FilingRefused) as refused:
        filing_submit(
            draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
        )
    assert refused.value.reason == "payment_unavailable"
    assert "866-450-1859" in refused.value.message
    assert not SandboxCharge.objects.exists()
    nothing_filed()
    # A training database may use it.
    court = ready_summons.court
    court.database = court.Database.TRAINING
    court.save()
    assert filing_submit(
        draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
    )


def test_a_submit_for_someone_elses_draft_is_refused(ready_summons, people, signed_in):
    from nextecf.accounts.models import SignOn

    signed_in(people.other_filer)
    other = SignOn.objects.filter(account=people.other_filer).latest("pk")
    with pytest.raises(FilingRefused) as refused:
        filing_submit(draft_id=ready_summons.pk, signon=other, card=CARD, actor=Actor())
    assert refused.value.reason == "draft_gone"
    # ... even after it was filed: a receipt is only for the filer.
    filing_submit(draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor())
    with pytest.raises(FilingRefused):
        filing_submit(draft_id=ready_summons.pk, signon=other, card=CARD, actor=Actor())
    assert Filing.objects.count() == 1


def test_the_web_form_and_the_service_agree_on_the_double_submit(ready_summons, as_filer, people):
    first = filing_submit(
        draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
    )
    again = filing_submit(
        draft_id=ready_summons.pk, signon=ready_summons.signon, card=CARD, actor=Actor()
    )
    assert (first.replayed, again.replayed) == (False, True)
    assert first.filing == again.filing
    assert SandboxCharge.objects.count() == 1
    assert GOOD_CARD["card_number"].replace(" ", "") == CARD.number
