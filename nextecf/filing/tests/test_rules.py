"""The rules behind the screens: the event catalogue, case numbers, docket text, cards and
the sandbox gateway."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from nextecf.billing.gateways import Card, SandboxGateway, card_problem, luhn_ok
from nextecf.billing.models import SandboxCharge
from nextecf.cases.catalogue import CIT_EVENTS, catalogue_install
from nextecf.cases.models import EventType
from nextecf.cases.numbers import normalize_case_number as parse_case_number
from nextecf.filing.services import docket_text_problem, text_problem

REQUIRED = [
    "Summons",
    "Complaint",
    "Form 5 Information Statement",
    "Form 11 Notice of Appearance",
    "Form 13 Disclosure Statement",
    "Answer",
    "Motion",
    "Response",
    "Reply",
    "Proposed Order",
    "Stipulation",
    "Notice of Consent to Electronic Service",
    "Letter",
]


def card(number="4111111111111111", month=12, year=2030, cvv="123") -> Card:
    return Card(number=number, exp_month=month, exp_year=year, cvv=cvv)


# --- Catalogue -------------------------------------------------------------------------------


def test_the_cit_catalogue_has_every_event_with_its_fee(court):
    result = catalogue_install(court=court)
    assert result.created == len(CIT_EVENTS) and result.updated == 0
    events = {e.name: e for e in EventType.objects.filter(court=court)}
    for name in REQUIRED:
        assert name in events and events[name].requires_document, name
    summons = events["Summons"]
    assert (summons.category, summons.fee_cents, summons.fee) == ("open_case", 35000, "$350.00")
    assert all(e.fee_cents == 0 for n, e in events.items() if n != "Summons")
    assert {n for n, e in events.items() if e.category == "court"} == {
        "Order",
        "Opinion",
        "Minute Entry",
        "Clerk's Notice",
        "Judgment",
        "Summons Issued",
        "Scheduling Order",
        "Notice of Docket Correction",
        "Clerk's Notice of Deficiency",
    }
    assert events["Opinion"].is_opinion and not events["Order"].is_opinion
    assert [e.name for e in EventType.objects.filter(court=court)][:2] == ["Summons", "Complaint"]


def test_installing_again_keeps_what_the_courts_staff_configured(court, other_court):
    catalogue_install(court=court)
    EventType.objects.filter(court=court, code="summons").update(
        fee_cents=40200, docket_text="Summons (amended fee)"
    )
    EventType.objects.filter(court=court, code="letter").update(is_active=False)
    EventType.objects.filter(court=court, code="order").update(category="other")  # a mistake
    result = catalogue_install(court=court)
    assert (result.created, result.updated) == (0, 1)
    summons = EventType.objects.get(court=court, code="summons")
    assert (summons.fee_cents, summons.docket_text) == (40200, "Summons (amended fee)")
    assert not EventType.objects.get(court=court, code="letter").is_active
    assert EventType.objects.get(court=court, code="order").category == "court"
    # Overwrite resets everything to the catalogue.
    catalogue_install(court=court, overwrite=True)
    summons.refresh_from_db()
    assert (summons.fee_cents, summons.docket_text) == (35000, "Summons")
    assert EventType.objects.get(court=court, code="letter").is_active
    # Each court has its own catalogue.
    catalogue_install(court=other_court)
    assert EventType.objects.filter(court=other_court).count() == len(CIT_EVENTS)


def test_the_catalogue_command(court, capsys):
    call_command("install_event_catalogue", "cit")
    assert f"cit: {len(CIT_EVENTS)} created" in capsys.readouterr().out
    call_command("install_event_catalogue", "cit")
    assert f"0 created, 0 updated, {len(CIT_EVENTS)} unchanged" in capsys.readouterr().out


# --- Case numbers and texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1:26-cv-00001", "1:26-cv-00001"),
        ("26-00001", "1:26-cv-00001"),
        ("26-1", "1:26-cv-00001"),
        ("26-219", "1:26-cv-00219"),
        ("1:08-cv-00398-GWC-TCS-LMG", "1:08-cv-00398"),
        ("Court No. 21-00219", "1:21-cv-00219"),
        ("  26-cv-12  ", "1:26-cv-00012"),
    ],
)
def test_case_numbers_in_the_forms_practitioners_use(typed, number):
    assert parse_case_number(typed) == number


@pytest.mark.parametrize("typed", ["", "26", "26-0", "2026-1", "1:26-cr-00001", "26-123456", "x"])
def test_what_is_not_a_case_number(typed):
    assert parse_case_number(typed) is None


def test_plain_text_rules():
    assert text_problem("fine text", limit=20) is None
    assert text_problem("tab\tand\r\nnewline", limit=40) is None
    assert text_problem("bell\x07", limit=40) == "may not contain control characters"
    assert text_problem("\x85next line", limit=40) == "may not contain control characters"
    assert text_problem("y" * 21, limit=20) == "must be at most 20 characters (it has 21)"


def test_docket_text_must_keep_the_events_words(court):
    motion = EventType(court=court, code="motion", name="Motion", docket_text="Motion")
    assert docket_text_problem("Consent MOTION to stay", motion) is None
    assert docket_text_problem("Letter", motion) == 'must contain the event\'s text "Motion"'
    assert docket_text_problem(" \n ", motion) == "is required"


# --- Cards and the sandbox gateway -----------------------------------------------------------


def test_card_checks():
    today = date(2026, 11, 24)
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert card_problem(card(), today=today) is None
    assert card_problem(card(number="4111"), today=today)[0] == "card_number"
    assert card_problem(card(month=0), today=today)[0] == "exp_month"
    assert card_problem(card(year=2026, month=10), today=today)[0] == "exp_year"
    assert card_problem(card(year=2026, month=11), today=today) is None  # valid this month
    assert card_problem(card(year=2099), today=today)[0] == "exp_year"
    assert card_problem(card(cvv="12345"), today=today)[0] == "cvv"
    assert "4111111111111111" not in repr(card())


def test_the_sandbox_approves_declines_and_refuses_by_card_number(db):
    gateway = SandboxGateway()
    approved = gateway.charge(amount_cents=35000, card=card(), idempotency_key="k1" * 12)
    assert approved.approved and approved.reference.startswith("SBX")
    assert approved.card_last4 == "1111" and not approved.replayed
    declined = gateway.charge(
        amount_cents=35000, card=card("4000000000000002"), idempotency_key="k2" * 12
    )
    assert not declined.approved and declined.reason == "card declined: insufficient funds"
    invalid = gateway.charge(
        amount_cents=35000, card=card("5555555555554444"), idempotency_key="k3" * 12
    )
    assert not invalid.approved and invalid.reason == "invalid card"
    expired = gateway.charge(amount_cents=35000, card=card(year=2001), idempotency_key="k4" * 12)
    assert not expired.approved and expired.reason == "invalid card"
    assert list(SandboxCharge.objects.values_list("idempotency_key", flat=True)) == ["k1" * 12]


def test_the_sandbox_never_charges_twice_for_one_key(db):
    gateway = SandboxGateway()
    key = "draft-key-" * 3
    first = gateway.charge(amount_cents=35000, card=card(), idempotency_key=key)
    again = gateway.charge(amount_cents=35000, card=card(), idempotency_key=key)
    assert again.approved and again.replayed and again.reference == first.reference
    other_amount = gateway.charge(amount_cents=100, card=card(), idempotency_key=key)
    assert not other_amount.approved
    assert SandboxCharge.objects.count() == 1
    # The database itself refuses a second live charge for the key.
    with pytest.raises(IntegrityError), transaction.atomic():
        SandboxCharge.objects.create(
            idempotency_key=key, reference="SBX-dup", amount_cents=35000, card_last4="1111"
        )
    # A voided charge gives the key back; voiding twice is harmless.
    assert gateway.void(first.reference) is True
    assert gateway.void(first.reference) is False
    fresh = gateway.charge(amount_cents=35000, card=card(), idempotency_key=key)
    assert fresh.approved and not fresh.replayed and fresh.reference != first.reference


def test_a_charge_racing_another_with_the_same_key_returns_that_one(db, monkeypatch):
    gateway = SandboxGateway()
    key = "racing-key-" * 3
    # The rival's charge lands between our check and our insert.
    real_live = SandboxGateway._live
    calls = {"n": 0}

    def live_after_rival(k):
        calls["n"] += 1
        if calls["n"] == 1:
            SandboxCharge.objects.create(
                idempotency_key=k, reference="SBX-rival", amount_cents=35000, card_last4="1111"
            )
            return None
        return real_live(k)

    monkeypatch.setattr(SandboxGateway, "_live", staticmethod(live_after_rival))
    result = gateway.charge(amount_cents=35000, card=card(), idempotency_key=key)
    assert result.approved and result.replayed and result.reference == "SBX-rival"
    assert SandboxCharge.objects.count() == 1
